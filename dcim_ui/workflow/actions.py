"""The actions the signed-in person may take on a request now, each as a form.

Which actions exist, what data each takes and where it leads come from the
SOP file and :mod:`colocation.action_data`; the forms only collect that data.
A submission runs in the button's callback, before the page is drawn again,
and goes through :func:`colocation.workflow.perform` as the person read
afresh from the database: the service checks the role, the office and the
step once more, so a form left open while someone else acted, or by a
person whose role changed meanwhile, is refused with the reason and changes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from colocation.choices import ChecklistStatus, LetterUrgency, RequestStatus, TestResult
from colocation.queries import ActionOption, RequestDetail
from colocation.sop import WITHDRAW_ACTION, current_sop
from colocation.workflow import ActionResult, perform
from dcim.db import read_session
from dcim.errors import InputError, PermissionDenied
from dcim.i18n import t
from dcim.inventory.fields import MAX_RACK_UNITS
from dcim.workdays import calendar_for
from dcim_ui import auth, fmt
from dcim_ui.context import current, language, tr
from dcim_ui.feedback import REFUSED, show_refusal
from dcim_ui.notices import announce

from .field_names import named_as_in_form

FLASH_KEY = "wf_flash"
# Actions that step aside from the SOP's main path are offered folded away.
ASIDE_KINDS = ("recheck", WITHDRAW_ACTION)


@dataclass(frozen=True)
class Flash:
    """What the last submission on a request did, to show once when the page is drawn again."""

    code: str
    kind: str  # registered, done, refused, confirm
    payload: Any = None


class _NotConfirmed(Exception):
    """A withdrawal submitted without ticking its confirmation."""


def render(detail: RequestDetail) -> None:
    """The forms of the actions the person may take now, or who the request waits for."""
    row = detail.row
    if not detail.actions:
        if row.status == RequestStatus.OPEN:
            st.info(
                tr("req.no_actions", role=row.role_title or "–"), icon=":material/hourglass_top:"
            )
        else:
            st.info(tr("req.closed"), icon=":material/inventory:")
        return
    st.subheader(tr("req.your_actions"))
    main = [option for option in detail.actions if option.kind not in ASIDE_KINDS]
    aside = [option for option in detail.actions if option.kind in ASIDE_KINDS]
    for option in main:
        with st.container(border=True):
            _form(detail, option)
    for option in aside:
        icon = ":material/undo:" if option.kind == WITHDRAW_ACTION else ":material/refresh:"
        with st.expander(option.title, icon=icon):
            _form(detail, option)


def _prefix(detail: RequestDetail, option: ActionOption) -> str:
    """The keys of one form's fields: unique per request, state and action."""
    return f"wf_{detail.row.code}_{detail.row.state}_{option.name}"


def _form(detail: RequestDetail, option: ActionOption) -> None:
    """One action as a form: what it does, the document it issues, its fields, a note, the button."""
    prefix = _prefix(detail, option)
    sop = current_sop()
    state = sop.state(detail.row.state)
    spec = state.action(option.name) if state is not None else None
    with st.form(prefix, border=False):
        st.caption(tr(f"req.help_{option.kind}"))
        if spec is not None and spec.document is not None:
            st.caption(tr("req.issues", document=sop.document_title(spec.document, language())))
        _FIELDS.get(option.kind, _no_fields)(detail, option, prefix)
        if option.kind != "disposition":
            st.text_area(
                tr("req.note_reason") if option.kind == WITHDRAW_ACTION else tr("req.note"),
                key=f"{prefix}_note",
                height=68,
                placeholder=tr("req.note_hint"),
            )
        if option.kind == WITHDRAW_ACTION:
            st.checkbox(tr("req.withdraw_confirm"), key=f"{prefix}_confirm")
        st.form_submit_button(
            option.title,
            type="secondary" if option.kind in ASIDE_KINDS else "primary",
            icon=":material/undo:" if option.kind == WITHDRAW_ACTION else ":material/send:",
            on_click=_submit,
            args=(detail.row.code, option, prefix),
        )


# --- the fields of each kind of action -------------------------------------------------------


def _no_fields(detail: RequestDetail, option: ActionOption, prefix: str) -> None:
    """Kinds that take only a note."""


def _register_fields(detail: RequestDetail, option: ActionOption, prefix: str) -> None:
    """Step 1: the letter's urgency (sifat) and the day it was received."""
    today = current().today
    c1, c2 = st.columns(2)
    c1.selectbox(
        tr("req.urgency"),
        LetterUrgency.values(),
        format_func=lambda v: t(f"workflow.urgency.{v}", language()),
        key=f"{prefix}_urgency",
    )
    c2.date_input(
        tr("req.received_on"),
        value=min(detail.row.submitted_on, today),  # the day it was submitted, as the timeline says
        min_value=min(detail.row.submitted_on, today),
        max_value=today,
        format="DD/MM/YYYY",
        key=f"{prefix}_received_on",
    )


def _disposition_fields(detail: RequestDetail, option: ActionOption, prefix: str) -> None:
    """Steps 2-4: the instruction (the SOP's wording to start from) and an optional deadline."""
    sop = current_sop()
    state = sop.state(detail.row.state)
    spec = state.action(option.name) if state is not None else None
    default = spec.instruction.get(language()) if spec and spec.instruction else ""
    st.text_area(tr("req.instruction"), value=default, key=f"{prefix}_note", height=80)
    st.date_input(
        tr("req.deadline"),
        value=None,
        min_value=current().today,
        format="DD/MM/YYYY",
        help=tr("req.deadline_help"),
        key=f"{prefix}_deadline",
    )


def _reply_fields(detail: RequestDetail, option: ActionOption, prefix: str) -> None:
    """A rejection shows the check's reasons; an acceptance asks for the delivery date."""
    sop = current_sop()
    state = sop.state(detail.row.state)
    spec = state.action(option.name) if state is not None else None
    if spec is not None and sop.end(spec.targets()[0]) is not None:
        reasons = [
            f"- **{tr(f'check.name_{name}')}:** {outcome['message']}"
            for name, outcome in ((detail.check or {}).get("checks") or {}).items()
            if outcome.get("ok") is False
        ]
        if reasons:
            st.markdown(tr("req.reasons") + "\n" + "\n".join(reasons))
        return
    ctx = current()
    with read_session(ctx.engine) as session:
        suggested = calendar_for(session).add_working_days(ctx.today, sop.delivery.working_days)
    st.date_input(
        tr("req.delivery_deadline"),
        value=suggested,
        min_value=ctx.today,
        format="DD/MM/YYYY",
        help=tr("req.delivery_help", days=sop.delivery.working_days),
        key=f"{prefix}_delivery",
    )


def _install_fields(detail: RequestDetail, option: ActionOption, prefix: str) -> None:
    """Step 9: the delivered server, prefilled with what the request and the hold expect."""
    needs = (detail.check or {}).get("server") or {}
    model = needs.get("model") or (detail.request.get("server") or {}).get("model") or ""
    st.caption(
        tr(
            "req.install_expect",
            model=model or "–",
            u=needs.get("u_height", "–"),
            psu=needs.get("psu", "–"),
        )
    )
    c1, c2, c3 = st.columns([2, 1, 1])
    c1.text_input(tr("req.model_arrived"), value=model, key=f"{prefix}_model")
    c2.number_input(
        tr("check.u_height"),
        1,
        MAX_RACK_UNITS,
        int(needs.get("u_height") or 1),
        key=f"{prefix}_u_height",
    )
    c3.number_input(tr("check.psu"), 1, 8, int(needs.get("psu") or 2), key=f"{prefix}_psu")
    c1, c2 = st.columns(2)
    c1.text_input(tr("req.serial"), key=f"{prefix}_serial", placeholder="CN7R640XXXX")
    c2.text_input(
        tr("req.device_name"),
        key=f"{prefix}_name",
        placeholder=tr("req.device_name_auto"),
        help=tr("req.device_name_help"),
    )


def _items_fields(
    items: dict[str, str], prefix: str, choices: tuple[str, ...], area: str, default: str
) -> None:
    """One line per checklist item or test: its verdict and what was done or measured."""
    for key, title in items.items():
        c1, c2, c3 = st.columns([1.1, 1.3, 3], vertical_alignment="bottom")
        c1.markdown(f"**{title}**")
        c2.segmented_control(
            title,
            choices,
            default=default,
            format_func=lambda v: t(f"workflow.{area}.{v}", language()),
            key=f"{prefix}_{key}_status",
            label_visibility="collapsed",
        )
        c3.text_input(
            title,
            key=f"{prefix}_{key}_detail",
            placeholder=tr("req.item_detail"),
            label_visibility="collapsed",
        )


def _checklist_fields(detail: RequestDetail, option: ActionOption, prefix: str) -> None:
    """Step 10: every item of the SOP's installation and configuration checklist."""
    _items_fields(option.checklist, prefix, ChecklistStatus.values(), "checklist_status", "done")


def _test_fields(detail: RequestDetail, option: ActionOption, prefix: str) -> None:
    """Step 11: every performance test of the SOP."""
    _items_fields(option.tests, prefix, TestResult.values(), "test_result", "pass")


def _monitoring_fields(detail: RequestDetail, option: ActionOption, prefix: str) -> None:
    """Step 12: the address to watch, and the SOP file's Prometheus and Zabbix settings."""
    rules = current_sop().monitoring
    st.text_input(
        tr("req.monitor_address"),
        key=f"{prefix}_address",
        placeholder=tr("req.monitor_address_auto", roles=", ".join(rules.address_roles)),
    )
    with st.expander(tr("req.monitor_more")):
        c1, c2 = st.columns(2)
        c1.text_input(tr("req.monitor_job"), value=rules.prometheus.job, key=f"{prefix}_job")
        c2.number_input(
            tr("req.monitor_port"), 1, 65535, rules.prometheus.port, key=f"{prefix}_port"
        )
        c1.text_input(
            tr("req.zabbix_groups"), value=", ".join(rules.zabbix.groups), key=f"{prefix}_groups"
        )
        c2.text_input(
            tr("req.zabbix_templates"),
            value=", ".join(rules.zabbix.templates),
            key=f"{prefix}_templates",
        )


_FIELDS = {
    "register": _register_fields,
    "disposition": _disposition_fields,
    "reply": _reply_fields,
    "install": _install_fields,
    "checklist": _checklist_fields,
    "performance_test": _test_fields,
    "monitoring": _monitoring_fields,
}


# --- collecting and submitting ---------------------------------------------------------------


def _value(prefix: str, name: str) -> Any:
    """A field's value as the form submitted it."""
    return st.session_state.get(f"{prefix}_{name}")


def _text(prefix: str, name: str) -> str:
    """A text field's value, trimmed."""
    return str(_value(prefix, name) or "").strip()


def _names(text: str) -> list[str]:
    """A comma-separated list as its items."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _items(prefix: str, keys: list[str], field: str) -> dict[str, dict[str, Any]]:
    """The checklist items or tests by key, each with its verdict and detail."""
    return {
        key: {field: _value(prefix, f"{key}_status"), "detail": _text(prefix, f"{key}_detail")}
        for key in keys
    }


def collect(option: ActionOption, prefix: str) -> dict[str, Any]:
    """The action's data from the form's fields, in the shape :mod:`colocation.action_data` takes."""
    kind = option.kind
    if kind == WITHDRAW_ACTION and not _value(prefix, "confirm"):
        raise _NotConfirmed
    if kind == "register":
        return {"urgency": _value(prefix, "urgency"), "received_on": _value(prefix, "received_on")}
    if kind == "disposition":
        deadline = _value(prefix, "deadline")
        return {"deadline": deadline} if deadline else {}
    if kind == "reply":
        delivery = _value(prefix, "delivery")
        return {"delivery_deadline": delivery} if delivery else {}
    if kind == "install":
        data: dict[str, Any] = {
            "u_height": int(_value(prefix, "u_height") or 0),
            "psu": int(_value(prefix, "psu") or 0),
            "serial": _text(prefix, "serial"),
        }
        for name in ("model", "name"):
            if _text(prefix, name):
                data[name] = _text(prefix, name)
        return data
    if kind == "checklist":
        return {"items": _items(prefix, list(option.checklist), "status")}
    if kind == "performance_test":
        return {"tests": _items(prefix, list(option.tests), "result")}
    if kind == "monitoring":
        return _monitoring_data(prefix)
    return {}


def _monitoring_data(prefix: str) -> dict[str, Any]:
    """Only what differs from the SOP file's monitoring settings is recorded as an override."""
    rules = current_sop().monitoring
    data: dict[str, Any] = {}
    if _text(prefix, "address"):
        data["address"] = _text(prefix, "address")
    if _text(prefix, "job") and _text(prefix, "job") != rules.prometheus.job:
        data["job"] = _text(prefix, "job")
    port = _value(prefix, "port")
    if port is not None and int(port) != rules.prometheus.port:
        data["port"] = int(port)
    groups = _names(_text(prefix, "groups"))
    if groups != list(rules.zabbix.groups):
        data["zabbix_groups"] = groups
    templates = _names(_text(prefix, "templates"))
    if templates != list(rules.zabbix.templates):
        data["zabbix_templates"] = templates
    return data


def _submit(code: str, option: ActionOption, prefix: str) -> None:
    """Perform the action as the person, read afresh; keep what happened for the next drawing."""
    ctx = current()
    lang = language()
    try:
        data = collect(option, prefix)
    except _NotConfirmed:
        st.session_state[FLASH_KEY] = Flash(code, "confirm")
        return
    note = _text(prefix, "note") or None
    try:
        with read_session(ctx.engine) as session:
            actor = auth.actor(session)
        result = perform(
            ctx.engine,
            code,
            option.name,
            actor,
            note=note,
            data=data,
            data_source=tr("req.form_of", action=option.title),
            lang=lang,
        )
    except REFUSED as exc:
        shown = named_as_in_form(exc, option.kind) if isinstance(exc, InputError) else exc
        st.session_state[FLASH_KEY] = Flash(code, "refused", shown)
    else:
        st.session_state[FLASH_KEY] = Flash(code, "done", result)
        announce(ctx.engine)


def show_flash(code: str) -> None:
    """What the last submission on this request did, once."""
    flash: Flash | None = st.session_state.get(FLASH_KEY)
    if flash is None or flash.code != code:
        return
    st.session_state.pop(FLASH_KEY, None)
    if flash.kind == "registered":
        st.success(tr("req.registered", code=code), icon=":material/check_circle:")
    elif flash.kind == "done":
        st.success(done_text(flash.payload), icon=":material/check_circle:")
    elif flash.kind == "refused":
        show_refusal(flash.payload, tr("req.refused"))
        if isinstance(flash.payload, PermissionDenied):
            st.caption(tr("req.nothing_changed"))
    elif flash.kind == "confirm":
        st.warning(tr("req.withdraw_unconfirmed"), icon=":material/warning:")


def done_text(result: ActionResult) -> str:
    """What an accepted action did, in one paragraph: the move, the outcome, documents and the next due date."""
    lang = language()
    sop = current_sop()
    parts = [f"**{result.message}**"]
    if result.outcome == "available":
        parts.append(
            t(
                "workflow.outcome.available",
                lang,
                hold=result.reservation_code,
                date=fmt.day(result.hold_expires_on),
            )
        )
    elif result.outcome == "failed":
        parts.append(t("workflow.outcome.failed", lang, failed=", ".join(result.failed_tests)))
    elif result.outcome in ("unavailable", "passed"):
        parts.append(t(f"workflow.outcome.{result.outcome}", lang))
    if result.device_name and result.action == "install":
        parts.append(tr("req.installed_as", device=result.device_name))
    if result.documents:
        titles = ", ".join(sop.document_title(kind, lang) for kind in result.documents)
        parts.append(tr("req.issued", documents=titles))
    if result.status == RequestStatus.OPEN and result.due_on:
        parts.append(tr("req.next_due", date=fmt.day(result.due_on)))
    return " · ".join(parts)
