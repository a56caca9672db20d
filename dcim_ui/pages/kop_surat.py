"""Kop surat: the office's address, contacts, logo and the language of its letters (administrator)."""

from __future__ import annotations

import streamlit as st

from dcim.db import read_session, write_session
from dcim.letterhead import (
    MAX_LOGO_BYTES,
    LetterLanguage,
    read_letterhead_settings,
    read_logo,
    write_letterhead_settings,
    write_logo,
)
from dcim.models import Role
from dcim_ui import auth, style
from dcim_ui.context import current, tr
from dcim_ui.feedback import refusals
from dcim_ui.fmt import upload_megabytes
from dcim_ui.registry import PageSpec

PAGE = PageSpec(
    key="kop_surat",
    icon=":material/contact_mail:",
    section="admin",
    order=40,
    roles=frozenset({Role.ADMIN}),
)
FIELDS = ("address", "postal_code", "phone", "fax", "email", "website")


def render() -> None:
    """Draw the page."""
    ctx = current()
    style.page_header(tr("pages.kop_surat"), tr("letterhead.subtitle"))
    with read_session(ctx.engine) as session:
        stored = read_letterhead_settings(session)
        logo = read_logo(session)
    left, right = st.columns([3, 2], gap="large")
    with left, st.form("letterhead", border=True):
        values: dict[str, object] = {
            name: st.text_input(
                tr(f"letterhead.{name}"),
                value=getattr(stored, name) or "",
                key=f"letterhead_{name}",
                max_chars=200,
            )
            for name in FIELDS
        }
        languages = [language.value for language in LetterLanguage]
        values["language"] = st.selectbox(
            tr("letterhead.language"),
            languages,
            index=languages.index(stored.language.value),
            format_func=lambda value: tr(f"languages.{value}"),
            help=tr("letterhead.language_help"),
        )
        if st.form_submit_button(tr("letterhead.save"), type="primary"):
            with refusals():
                with write_session(ctx.engine) as session:
                    write_letterhead_settings(session, auth.actor(session), values, ctx.lang)
                st.success(tr("letterhead.saved"))
    with right, st.container(border=True):
        st.markdown(f"#### {tr('letterhead.logo')}")
        if logo:
            st.image(logo, width=96)
        upload = st.file_uploader(
            tr("letterhead.logo_upload", limit=MAX_LOGO_BYTES // 1024),
            type=["png", "jpg", "jpeg"],
            key="letterhead_logo",
            # Streamlit's own "… MB per file" is then the logo's limit, not the app's largest.
            max_upload_size=upload_megabytes(MAX_LOGO_BYTES),
        )
        if upload is not None and st.button(tr("letterhead.logo_save"), type="primary"):
            with refusals():
                with write_session(ctx.engine) as session:
                    write_logo(session, auth.actor(session), upload.getvalue(), ctx.lang)
                st.success(tr("letterhead.logo_saved"))
        if logo and st.button(tr("letterhead.logo_remove")):
            with refusals():
                with write_session(ctx.engine) as session:
                    write_logo(session, auth.actor(session), None, ctx.lang)
                st.success(tr("letterhead.logo_removed"))


if __name__ == "__main__":
    render()
