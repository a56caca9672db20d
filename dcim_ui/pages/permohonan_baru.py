"""Ajukan permohonan: an OPD registers a colocation request letter with its scan (SOP step 1)."""

from __future__ import annotations

from colocation.sop import current_sop
from dcim_ui import style
from dcim_ui.context import tr
from dcim_ui.registry import PageSpec
from dcim_ui.workflow import look
from dcim_ui.workflow.register import render as render_form


def _submitting_roles() -> frozenset[str]:
    """Who registers letters, as the SOP file in use says (read when the navigation is built)."""
    return frozenset(current_sop().submission.roles)


PAGE = PageSpec(
    key="permohonan_baru",
    icon=":material/note_add:",
    section="service",
    order=6,
    roles=_submitting_roles,
)


def render() -> None:
    """Draw the page."""
    look.inject()
    style.page_header(tr("pages.permohonan_baru"), tr("req.reg_subtitle"))
    render_form()


if __name__ == "__main__":
    render()
