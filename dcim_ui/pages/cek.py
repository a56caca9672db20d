"""Cek kapasitas: SOP step 5 for one request — six verdicts, the proposal on its rack, the hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from capacity.check import CHECK_NAMES, CheckResult, run_check
from capacity.holds import reserve
from capacity.messages import arithmetic, explanation, lead
from capacity.report import examination_report, examiner_signer
from capacity.request import parse_request
from dcim.db import get_engine, read_session
from dcim.documents import to_bytes
from dcim.elevations import Occupant
from dcim.errors import InputError
from dcim.inventory.yamlio import DOCUMENT_LIMITS, parse_yaml
from dcim.models import Role
from dcim_ui import auth, charts, data, fmt, style
from dcim_ui.context import current, language, tr
from dcim_ui.feedback import refusals, show_input_error
from dcim_ui.fmt import upload_megabytes
from dcim_ui.registry import PageSpec
from dcim_ui.request_form import request_fields

PAGE = PageSpec(
    key="cek",
    icon=":material/fact_check:",
    section="service",
    order=10,
    roles=frozenset({Role.TIM_DC, Role.KASI_APLIKASI, Role.KABID_TI}),
)
RESULT_KEY = "cek_result"
HOLD_KEY = "cek_hold"
ICONS = {True: ("✔", style.GREEN), False: ("✘", style.RED), None: ("–", style.GREY)}


def render() -> None:
    """Draw the page."""
    style.page_header(tr("pages.cek"), tr("check.subtitle"))
    form_tab, file_tab = st.tabs([tr("check.tab_form"), tr("check.tab_file")])
    with form_tab:
        request = _form()
    with file_tab:
        uploaded = _upload()
    chosen = request or uploaded
    if chosen is not None:
        _run(*chosen)
    result: CheckResult | None = st.session_state.get(RESULT_KEY)
    if result is not None:
        _show(result)


def _form() -> tuple[dict[str, Any], str] | None:
    with st.form("check_form", border=True):
        fields = request_fields("cek")
        submitted = st.form_submit_button(
            tr("check.run"), type="primary", icon=":material/fact_check:"
        )
    if not submitted:
        return None
    return fields.document(), tr("check.form_source")


def _upload() -> tuple[dict[str, Any], str] | None:
    st.caption(tr("check.file_hint"))
    upload = st.file_uploader(
        tr("check.file"),
        type=["yaml", "yml"],
        key="cek_upload",
        max_upload_size=upload_megabytes(DOCUMENT_LIMITS.max_bytes),
    )
    if upload is None:
        return None
    if st.button(
        tr("check.run_file"), type="primary", icon=":material/fact_check:", key="cek_run_file"
    ):
        try:
            text = upload.getvalue().decode("utf-8")
            document = parse_yaml(text, upload.name)
        except UnicodeDecodeError:
            show_input_error(InputError([], upload.name), tr("check.not_utf8"))
            return None
        except InputError as exc:
            show_input_error(exc)
            return None
        return document, upload.name
    return None


def _run(document: Any, source: str) -> None:
    ctx = current()
    st.session_state.pop(HOLD_KEY, None)
    with refusals() as outcome:
        request = parse_request(document, source)
        with st.spinner(tr("check.running")), read_session(ctx.engine) as session:
            result = run_check(session, request, on=ctx.today, lang=language(), source=source)
        st.session_state[RESULT_KEY] = result
    if outcome.refused:
        st.session_state.pop(RESULT_KEY, None)


def show_verdicts(document: dict[str, Any]) -> None:
    """The outcome, the server's needs and the six verdicts of a check result's JSON document.

    The same drawing serves a check run here and the one a request recorded at SOP step 5.
    """
    # The summary already starts with the verdict ("Tidak layak: listrik."): it is the headline,
    # not repeated after a "Tidak layak." of its own. A failed check adds its one sentence.
    lines = explanation(document, language())
    if document["feasible"]:
        headline = lines[0] if lines else tr("check.feasible")
        st.success(f"**{style.md(headline)}**", icon=":material/check_circle:")
    else:
        headline = lines[0] if lines else tr("check.infeasible")
        reasons = "".join(f"\n- {style.md(line.removeprefix('✘ '))}" for line in lines[1:])
        st.error(f"**{style.md(headline)}**\n{reasons}", icon=":material/cancel:")
    needs = document.get("server")
    if needs:
        filled = ", ".join(needs.get("filled_from_catalog", ()))
        st.caption(
            tr(
                "check.needs",
                u=needs["u_height"],
                power=fmt.watts(needs["power_w"]),
                psu=needs["psu"],
                weight=fmt.num(needs["weight_kg"], 1),
                bandwidth=fmt.num(needs["bandwidth_mbps"]),
                depth=tr("rack.full_depth") if needs["full_depth"] else tr("rack.half_depth"),
                date=fmt.day(dt.date.fromisoformat(document["evaluated_on"])),
            )
            + (f" · {tr('check.filled', fields=filled)}" if filled else "")
        )
    for start in (0, 3):
        for col, name in zip(st.columns(3), CHECK_NAMES[start : start + 3], strict=True):
            outcome = document["checks"][name]
            mark, colour = ICONS[outcome["ok"]]
            col.html(
                f'<div class="dcim-verdict" style="border-left:5px solid {colour}">'
                f'<div class="head" style="color:{colour}">{mark} {style.esc(tr(f"check.name_{name}"))}</div>'
                f'<div class="msg">{style.esc(lead(outcome["message"]))}</div></div>'
            )
            sums = arithmetic(outcome["message"])
            if sums:  # the per-feed sums and the racks that could not, for who wants them
                with col.expander(tr("check.details")):
                    st.caption(style.md(sums))


def proposal_rows(proposal: dict[str, Any]) -> list[tuple[str, str]]:
    """The proposed placement of a check result's JSON document as (label, value) lines."""
    top = proposal["position"] + proposal["u_height"] - 1
    units = f"U{proposal['position']}" + (f"–U{top}" if proposal["u_height"] > 1 else "")
    rows = [
        (tr("check.p_rack"), f"{proposal['rack']} · {units} · {tr('rack.' + proposal['face'])}"),
        (tr("check.p_feeds"), ", ".join(proposal["feeds"])),
        ("UPS", ", ".join(proposal["ups"]) or "–"),
        (tr("check.p_uplink"), proposal["uplink"] or "–"),
    ]
    for family in (4, 6):
        for role, addresses in proposal[f"ipv{family}"].items():
            rows.append((f"IPv{family} {role}", ", ".join(addresses)))
    if proposal["fqdns"]:
        rows.append((tr("check.p_names"), ", ".join(proposal["fqdns"])))
    return rows


def _show(result: CheckResult) -> None:
    ctx = current()
    user = ctx.user
    assert user is not None
    st.divider()
    show_verdicts(result.to_json())
    proposal = result.proposal
    if proposal is None:
        return
    left, right = st.columns([1, 1.4], gap="large")
    with left:
        st.subheader(tr("check.proposal"))
        rows = proposal_rows(proposal.to_json())
        st.markdown("\n".join(f"- **{label}:** {value}" for label, value in rows))
        _hold(result, user.may(Role.TIM_DC))
        _report(result)
    with right:
        elevation = data.rack_elevations([proposal.rack])
        if not elevation:
            return
        # Once held, the hold stands where the proposal was and the rack shows it as it is.
        held = st.session_state.get(HOLD_KEY) is not None
        extra = (
            []
            if held
            else [
                Occupant(
                    kind="proposal",
                    key=tr("check.new_server"),
                    position=proposal.position,
                    u_height=proposal.u_height,
                    face=proposal.face,
                    full_depth=proposal.full_depth,
                    status="proposal",
                    model=result.needs.model,
                )
            ]
        )
        st.vega_lite_chart(
            spec=charts.rack_chart(elevation[0], [slug for slug, _ in data.tenants()], extra)
        )
        if extra:
            st.html(style.legend([(tr("check.legend_proposal"), "#ff5a1f")]))


def _hold(result: CheckResult, allowed: bool) -> None:
    ctx = current()
    done = st.session_state.get(HOLD_KEY)
    if done is not None:
        st.success(tr("check.held", code=done[0], date=fmt.day(done[1])), icon=":material/lock:")
        return
    if not allowed:
        st.caption(tr("check.hold_tim_dc"))
        return
    if result.request.tenant is None:
        st.caption(tr("check.hold_needs_tenant"))
    if st.button(
        tr("check.hold"),
        type="primary",
        icon=":material/lock:",
        key="cek_hold_button",
        disabled=result.request.tenant is None,
    ):
        with refusals():
            with read_session(ctx.engine) as session:
                actor = auth.actor(session)
            with st.spinner(tr("check.holding")):
                outcome = reserve(
                    ctx.engine, result.request, on=ctx.today, lang=language(), actor=actor
                )
            st.session_state[RESULT_KEY] = outcome.result
            if outcome.reservation_code is None or outcome.expires_at is None:
                st.warning(tr("check.hold_failed"), icon=":material/warning:")
                st.rerun()
            st.session_state[HOLD_KEY] = (outcome.reservation_code, outcome.expires_at)
            st.rerun()


def _report(result: CheckResult) -> None:
    ctx = current()
    user = ctx.user
    assert user is not None
    document = result.to_json()
    held = st.session_state.get(HOLD_KEY)
    if held is not None:
        document["reservation"] = {"id": held[0], "expires_at": held[1].isoformat()}
    request = result.request.model_dump(mode="json", exclude_none=True)
    url, lang = ctx.url, language()
    examiner = examiner_signer(user.full_name, user.nip, user.position, lang)

    def build() -> bytes:
        with read_session(get_engine(url)) as session:
            return to_bytes(
                examination_report(session, document, request, lang, examiner=examiner, hold=held)
            )

    number = (result.request.number or "permohonan").replace("/", "-")
    st.download_button(
        tr("check.report"),
        build,
        file_name=f"laporan-pemeriksaan-{number}-{result.evaluated_on.isoformat()}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        icon=":material/description:",
        on_click="ignore",
    )


if __name__ == "__main__":
    render()
