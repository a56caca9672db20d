"""Permohonan: the colocation requests — the person's inbox, every request they may see, and one request.

``?kode=REQ-2026-0001`` opens one request (:mod:`ui.workflow.view`);
otherwise the page lists. An OPD user sees only its own office's requests
and may register a new one (:mod:`ui.pages.permohonan_baru`); the
administrator and the viewer watch every request and act on none.
"""

from __future__ import annotations

import streamlit as st

from colocation.sop import WORKFLOW_ROLES, current_sop
from dcim_ui import registry, style
from dcim_ui.context import current, tr
from dcim_ui.registry import ALL_ROLES, PageSpec
from dcim_ui.workflow import look, reads
from dcim_ui.workflow.lists import CODE_PARAM, all_requests, inbox
from dcim_ui.workflow.view import render as render_request

PAGE = PageSpec(
    key="permohonan",
    icon=":material/assignment:",
    section="service",
    order=5,
    roles=ALL_ROLES,
)
NEW_PAGE = "permohonan_baru"  # a page key; registry.page_file turns it into the page's file


def render() -> None:
    """Draw the page."""
    look.inject()
    code = st.query_params.get(CODE_PARAM)
    if code:
        render_request(code)
        return
    user = current().user
    assert user is not None
    style.page_header(tr("pages.permohonan"), tr("req.subtitle", sop=current_sop().sop.number))
    if user.may(*current_sop().submission.roles):
        st.page_link(
            registry.page_file(NEW_PAGE), label=tr("req.new"), icon=":material/add_circle:"
        )
    if user.role not in WORKFLOW_ROLES:
        st.caption(tr("req.watch_only"))
        all_requests()
        return
    count = len(reads.tasks())
    mine, everything = st.tabs([tr("req.tab_inbox", count=count), tr("req.tab_all")])
    with mine:
        inbox()
    with everything:
        all_requests()


if __name__ == "__main__":
    render()
