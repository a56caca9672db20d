"""A new request letter from an OPD (SOP step 1): the letter, the server as the request format has it, the scan.

The letter and the server are the request form Cek kapasitas uses too
(:mod:`ui.request_form`), with the letter's number and date required and an
OPD user's own office fixed; the scan is added around it. The scanned letter
must be of a type and size the SOP file allows; :func:`colocation.workflow.submit` reads its type from its content
and refuses anything else, naming the field, with nothing registered.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from colocation.sop import current_sop
from colocation.workflow import ScannedLetter, submit
from dcim.db import read_session
from dcim.models import Role
from dcim_ui import auth, fmt, registry
from dcim_ui.context import current, language, tr
from dcim_ui.feedback import refusals
from dcim_ui.notices import announce
from dcim_ui.request_form import request_fields

from .actions import FLASH_KEY, Flash

# File name endings the browser offers for each media type the SOP file may allow.
EXTENSIONS = {"application/pdf": ["pdf"], "image/jpeg": ["jpg", "jpeg"], "image/png": ["png"]}
PERMOHONAN_PAGE = "permohonan"  # a page key; registry.page_file turns it into the page's file


def render() -> None:
    """The form; a registered request opens on the Permohonan page."""
    ctx = current()
    submitted = _form()
    if submitted is None:
        return
    document, upload = submitted
    letter = ScannedLetter(upload.name, upload.getvalue()) if upload is not None else None
    with refusals(tr("req.reg_refused")):
        with read_session(ctx.engine) as session:
            actor = auth.actor(session)
        code = submit(
            ctx.engine,
            document,
            actor,
            source=tr("req.reg_source"),
            letter=letter,
            lang=language(),
        )
        st.session_state[FLASH_KEY] = Flash(code, "registered")
        announce(ctx.engine)
        st.switch_page(registry.page_file(PERMOHONAN_PAGE), query_params={"kode": code})


def _form() -> tuple[dict[str, Any], Any] | None:
    """The form; the request document and the uploaded scan once it is submitted."""
    ctx = current()
    user = ctx.user
    assert user is not None
    sop = current_sop()
    with st.form("wf_register", border=True):
        fields = request_fields(
            "wf_reg",
            letter_required=True,
            office=user.tenant if user.role == Role.OPD else None,
            latest_date=ctx.today,
        )
        st.markdown(f"**{tr('req.scan')}**")
        allowed = [ext for media in sop.attachment.media_types for ext in EXTENSIONS.get(media, [])]
        upload = st.file_uploader(
            tr("req.scan_file"),
            type=allowed or None,
            key="wf_reg_scan",
            help=tr("req.scan_help"),
            # Streamlit's own "… MB per file" then says what the caption below says.
            max_upload_size=fmt.upload_megabytes(sop.attachment.max_bytes),
        )
        st.caption(
            tr(
                "req.scan_limits",
                types=", ".join(ext.upper() for ext in allowed),
                size=fmt.num(sop.attachment.max_bytes / 1048576, 1),
            )
        )
        sent = st.form_submit_button(tr("req.reg_submit"), type="primary", icon=":material/send:")
    if not sent:
        return None
    return fields.document(), upload
