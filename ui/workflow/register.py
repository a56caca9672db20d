"""A new request letter from an OPD (SOP step 1): the letter, the server as the request format has it, the scan.

The form builds the document of the contract's request format (``number``,
``date``, ``tenant``, ``purpose``, ``site``, ``server``, ``ipv4``, ``ipv6``,
``domains``); a model picked from the catalog fills in whatever the letter
leaves out. The scanned letter must be of a type and size the SOP file
allows; :func:`colocation.workflow.submit` reads its type from its content
and refuses anything else, naming the field, with nothing registered.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from colocation.sop import current_sop
from colocation.workflow import ScannedLetter, submit
from dcim.accounts import PermissionDenied
from dcim.db import DatabaseError, read_session
from dcim.inventory import InputError
from dcim.models import Role, User
from ui import data, fmt
from ui.context import current, language, tr
from ui.feedback import show_database_error, show_denied, show_input_error

from .actions import FLASH_KEY, Flash

# File name endings the browser offers for each media type the SOP file may allow.
EXTENSIONS = {"application/pdf": ["pdf"], "image/jpeg": ["jpg", "jpeg"], "image/png": ["png"]}
PERMOHONAN_PAGE = "ui/pages/permohonan.py"


def render() -> None:
    """The form; a registered request opens on the Permohonan page."""
    ctx = current()
    user = ctx.user
    assert user is not None
    submitted = _form()
    if submitted is None:
        return
    document, upload = submitted
    letter = ScannedLetter(upload.name, upload.getvalue()) if upload is not None else None
    try:
        with read_session(ctx.engine) as session:
            actor = session.get(User, user.id)
        code = submit(
            ctx.engine, document, actor, source=tr("req.reg_source"), letter=letter,
            lang=language(),
        )  # fmt: skip
    except InputError as exc:
        show_input_error(exc, tr("req.reg_refused"))
        return
    except PermissionDenied as exc:
        show_denied(exc)
        return
    except DatabaseError as exc:
        show_database_error(exc)
        return
    st.session_state[FLASH_KEY] = Flash(code, "registered")
    st.switch_page(PERMOHONAN_PAGE, query_params={"kode": code})


def _form() -> tuple[dict[str, Any], Any] | None:
    """The form; the request document and the uploaded scan once it is submitted."""
    ctx = current()
    user = ctx.user
    assert user is not None
    sop = current_sop()
    choices = data.request_choices()
    tenant_names = dict(data.tenants())
    sites = dict(data.sites())
    types = dict(choices["types"])
    with st.form("wf_register", border=True):
        st.markdown(f"**{tr('check.letter')}**")
        c1, c2, c3 = st.columns([1.2, 0.8, 1.6])
        number = c1.text_input(tr("req.f_number"), placeholder="800/131/BKPSDM/2026",
                               key="wf_reg_number")  # fmt: skip
        letter_date = c2.date_input(tr("req.f_date"), value=None, max_value=ctx.today,
                                    format="DD/MM/YYYY", key="wf_reg_date")  # fmt: skip
        if user.role == Role.OPD:
            tenant = user.tenant
            c3.text_input(
                tr("check.tenant"),
                value=f"{tenant} · {tenant_names.get(tenant or '', '')}",
                disabled=True,
            )
        else:
            tenant = c3.selectbox(
                tr("check.tenant"), [None, *tenant_names],
                format_func=lambda s: tr("check.no_tenant") if s is None else f"{s} · {tenant_names[s]}",
                key="wf_reg_tenant",
            )  # fmt: skip
        c1, c2 = st.columns([2, 1])
        purpose = c1.text_input(tr("check.purpose"), placeholder=tr("check.purpose_hint"),
                                key="wf_reg_purpose")  # fmt: skip
        site = c2.selectbox(
            tr("check.site"), [None, *sites],
            format_func=lambda s: tr("check.any_site") if s is None else sites[s],
            key="wf_reg_site",
        )  # fmt: skip

        st.markdown(f"**{tr('check.server')}**")
        c1, c2 = st.columns([2, 1])
        model = c1.selectbox(
            tr("check.model"), [None, *types],
            format_func=lambda s: tr("check.no_model") if s is None else types[s],
            help=tr("check.model_help"), key="wf_reg_model",
        )  # fmt: skip
        form_factor = c2.segmented_control(
            tr("check.form_factor"), ["rack", "tower"], default="rack", required=True,
            format_func=lambda v: tr(f"check.ff_{v}"), key="wf_reg_form_factor",
        )  # fmt: skip
        c1, c2, c3, c4, c5 = st.columns(5)
        u_height = c1.number_input(tr("check.u_height"), min_value=1, max_value=50, value=None,
                                   placeholder=tr("check.from_catalog"), key="wf_reg_u")  # fmt: skip
        power = c2.number_input(tr("check.power"), min_value=0.0, value=None, step=10.0,
                                placeholder=tr("check.from_catalog"), key="wf_reg_power")  # fmt: skip
        weight = c3.number_input(tr("check.weight"), min_value=0.0, value=None, step=1.0,
                                 placeholder=tr("check.from_catalog"), key="wf_reg_weight")  # fmt: skip
        psu = c4.selectbox(tr("check.psu"), [None, 1, 2], key="wf_reg_psu",
                           format_func=lambda v: tr("check.from_catalog") if v is None else str(v))  # fmt: skip
        bandwidth = c5.number_input(tr("check.bandwidth"), min_value=0.0, value=0.0, step=10.0,
                                    format="%.0f", key="wf_reg_bandwidth")  # fmt: skip
        full_depth = st.toggle(tr("check.full_depth"), value=True, key="wf_reg_full_depth")

        st.markdown(f"**{tr('check.addresses')}**")
        roles = choices["roles"]
        counts: dict[tuple[int, str], int] = {}
        for col, (family, role) in zip(st.columns(max(1, len(roles))), roles, strict=False):
            counts[(family, role)] = int(
                col.number_input(f"IPv{family} {role}", min_value=0, max_value=64, value=0,
                                 step=1, key=f"wf_reg_ip_{family}_{role}")
            )  # fmt: skip
        domains = st.text_area(tr("check.domains"), placeholder="simpeg-dr.sumbawakab.go.id",
                               height=70, key="wf_reg_domains")  # fmt: skip

        st.markdown(f"**{tr('req.scan')}**")
        allowed = [ext for media in sop.attachment.media_types for ext in EXTENSIONS.get(media, [])]
        upload = st.file_uploader(
            tr("req.scan_file"),
            type=allowed or None,
            key="wf_reg_scan",
            help=tr("req.scan_help"),
        )
        st.caption(
            tr("req.scan_limits", types=", ".join(ext.upper() for ext in allowed),
               size=fmt.num(sop.attachment.max_bytes / 1048576, 1))
        )  # fmt: skip
        sent = st.form_submit_button(tr("req.reg_submit"), type="primary", icon=":material/send:")
    if not sent:
        return None
    server: dict[str, Any] = {"form_factor": form_factor or "rack",
                              "bandwidth_mbps": _number(bandwidth)}  # fmt: skip
    if model:
        server["model"] = types[model]
    for key, value in (("u_height", u_height), ("power_w", power), ("weight_kg", weight),
                       ("psu", psu)):  # fmt: skip
        if value is not None:
            server[key] = int(value) if key in ("u_height", "psu") else _number(value)
    if not model or not full_depth:
        server["full_depth"] = bool(full_depth)
    document: dict[str, Any] = {"server": server}
    for key, value in (("number", number.strip()), ("date", letter_date), ("tenant", tenant),
                       ("purpose", purpose.strip()), ("site", site)):  # fmt: skip
        if value:
            document[key] = value
    document["ipv4"] = {role: n for (family, role), n in counts.items() if family == 4 and n}
    document["ipv6"] = {role: n for (family, role), n in counts.items() if family == 6 and n}
    document["domains"] = [
        d for d in (line.strip() for line in domains.replace(",", "\n").splitlines()) if d
    ]
    return document, upload


def _number(value: float) -> int | float:
    """A whole number as an int, else rounded to three decimals."""
    return int(value) if float(value).is_integer() else round(float(value), 3)
