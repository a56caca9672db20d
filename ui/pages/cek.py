"""Cek kapasitas: SOP step 5 for one request — six verdicts, the proposal on its rack, the hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from capacity.check import CHECK_NAMES, CheckResult, run_check
from capacity.holds import reserve
from capacity.report import examination_report, examiner_signer
from capacity.request import parse_request
from dcim.accounts import PermissionDenied
from dcim.db import DatabaseError, get_engine, read_session
from dcim.documents import to_bytes
from dcim.elevations import Occupant
from dcim.inventory import InputError
from dcim.inventory.yamlio import parse_yaml
from dcim.models import Role, User
from ui import charts, data, fmt, style
from ui.context import current, language, tr
from ui.feedback import show_database_error, show_denied, show_input_error
from ui.pages.rak import labels as elevation_labels
from ui.registry import PageSpec

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
    choices = data.request_choices()
    tenants = data.tenants()
    tenant_names = dict(tenants)
    sites = data.sites()
    types = dict(choices["types"])
    with st.form("check_form", border=True):
        st.markdown(f"**{tr('check.letter')}**")
        c1, c2, c3 = st.columns([1.2, 0.8, 1.5])
        number = c1.text_input(tr("check.number"), placeholder="800/131/BKPSDM/2026")
        letter_date = c2.date_input(tr("check.date"), value=None, format="DD/MM/YYYY")
        tenant = c3.selectbox(
            tr("check.tenant"), [None, *tenant_names],
            format_func=lambda s: tr("check.no_tenant") if s is None else f"{s} · {tenant_names[s]}",
        )  # fmt: skip
        c1, c2 = st.columns([2, 1])
        purpose = c1.text_input(tr("check.purpose"), placeholder=tr("check.purpose_hint"))
        site = c2.selectbox(
            tr("check.site"), [None, *dict(sites)],
            format_func=lambda s: tr("check.any_site") if s is None else dict(sites)[s],
        )  # fmt: skip

        st.markdown(f"**{tr('check.server')}**")
        c1, c2 = st.columns([2, 1])
        model = c1.selectbox(
            tr("check.model"), [None, *types],
            format_func=lambda s: tr("check.no_model") if s is None else types[s],
            help=tr("check.model_help"),
        )  # fmt: skip
        form_factor = c2.segmented_control(
            tr("check.form_factor"), ["rack", "tower"], default="rack", required=True,
            format_func=lambda v: tr(f"check.ff_{v}"),
        )  # fmt: skip
        c1, c2, c3, c4, c5 = st.columns(5)
        u_height = c1.number_input(tr("check.u_height"), min_value=1, max_value=50, value=None,
                                   placeholder=tr("check.from_catalog"))  # fmt: skip
        power = c2.number_input(tr("check.power"), min_value=0.0, value=None, step=10.0,
                                placeholder=tr("check.from_catalog"))  # fmt: skip
        weight = c3.number_input(tr("check.weight"), min_value=0.0, value=None, step=1.0,
                                 placeholder=tr("check.from_catalog"))  # fmt: skip
        psu = c4.selectbox(tr("check.psu"), [None, 1, 2],
                           format_func=lambda v: tr("check.from_catalog") if v is None else str(v))  # fmt: skip
        bandwidth = c5.number_input(
            tr("check.bandwidth"), min_value=0.0, value=0.0, step=10.0, format="%.0f"
        )
        full_depth = st.toggle(tr("check.full_depth"), value=True)

        st.markdown(f"**{tr('check.addresses')}**")
        roles = choices["roles"]
        counts: dict[tuple[int, str], int] = {}
        cols = st.columns(max(1, len(roles)))
        for col, (family, role) in zip(cols, roles, strict=False):
            counts[(family, role)] = int(
                col.number_input(
                    f"IPv{family} {role}",
                    min_value=0,
                    max_value=64,
                    value=0,
                    step=1,
                    key=f"cek_ip_{family}_{role}",
                )
            )
        domains = st.text_area(
            tr("check.domains"), placeholder="simpeg-dr.sumbawakab.go.id", height=70
        )
        submitted = st.form_submit_button(
            tr("check.run"), type="primary", icon=":material/fact_check:"
        )
    if not submitted:
        return None
    server: dict[str, Any] = {
        "form_factor": form_factor or "rack",
        "bandwidth_mbps": _number(bandwidth),
    }
    if model:
        server["model"] = model
    for key, value in (
        ("u_height", u_height),
        ("power_w", power),
        ("weight_kg", weight),
        ("psu", psu),
    ):
        if value is not None:
            server[key] = int(value) if key in ("u_height", "psu") else _number(value)
    if not model or not full_depth:
        server["full_depth"] = bool(full_depth)
    document: dict[str, Any] = {"server": server}
    for key, value in (("number", number.strip()), ("tenant", tenant), ("purpose", purpose.strip()),
                       ("site", site), ("date", letter_date)):  # fmt: skip
        if value:
            document[key] = value
    document["ipv4"] = {role: n for (family, role), n in counts.items() if family == 4 and n}
    document["ipv6"] = {role: n for (family, role), n in counts.items() if family == 6 and n}
    document["domains"] = [
        d for d in (line.strip() for line in domains.replace(",", "\n").splitlines()) if d
    ]
    return document, tr("check.form_source")


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 3)


def _upload() -> tuple[dict[str, Any], str] | None:
    st.caption(tr("check.file_hint"))
    upload = st.file_uploader(tr("check.file"), type=["yaml", "yml"], key="cek_upload")
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
    try:
        request = parse_request(document, source)
        with st.spinner(tr("check.running")), read_session(ctx.engine) as session:
            result = run_check(session, request, on=ctx.today, lang=language(), source=source)
    except InputError as exc:
        st.session_state.pop(RESULT_KEY, None)
        show_input_error(exc)
        return
    st.session_state[RESULT_KEY] = result


def show_verdicts(document: dict[str, Any]) -> None:
    """The outcome, the server's needs and the six verdicts of a check result's JSON document.

    The same drawing serves a check run here and the one a request recorded at SOP step 5.
    """
    summary = document.get("summary", "")
    if document["feasible"]:
        st.success(f"**{tr('check.feasible')}** {summary}", icon=":material/check_circle:")
    else:
        st.error(f"**{tr('check.infeasible')}** {summary}", icon=":material/cancel:")
    needs = document.get("server")
    if needs:
        filled = ", ".join(needs.get("filled_from_catalog", ()))
        st.caption(
            tr("check.needs", u=needs["u_height"], power=fmt.watts(needs["power_w"]), psu=needs["psu"],
               weight=fmt.num(needs["weight_kg"], 1), bandwidth=fmt.num(needs["bandwidth_mbps"]),
               depth=tr("rack.full_depth") if needs["full_depth"] else tr("rack.half_depth"),
               date=fmt.day(dt.date.fromisoformat(document["evaluated_on"])))
            + (f" · {tr('check.filled', fields=filled)}" if filled else "")
        )  # fmt: skip
    for start in (0, 3):
        for col, name in zip(st.columns(3), CHECK_NAMES[start : start + 3], strict=True):
            outcome = document["checks"][name]
            mark, colour = ICONS[outcome["ok"]]
            col.html(
                f'<div class="dcim-verdict" style="border-left:5px solid {colour}">'
                f'<div class="head" style="color:{colour}">{mark} {style.esc(tr(f"check.name_{name}"))}</div>'
                f'<div class="msg">{style.esc(outcome["message"])}</div></div>'
            )


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
        held = st.session_state.get(HOLD_KEY) is not None
        if elevation and held:
            # The hold now stands where the proposal was; the rack shows it as it is.
            tenants = [slug for slug, _ in data.tenants()]
            st.altair_chart(
                charts.elevation_chart(
                    elevation[0], colour_by="tenant", colours=charts.tenant_colours(tenants),
                    labels=elevation_labels(), selectable=False,
                )
            )  # fmt: skip
        elif elevation:
            extra = Occupant(
                kind="proposal", key=tr("check.new_server"), position=proposal.position,
                u_height=proposal.u_height, face=proposal.face, full_depth=proposal.full_depth,
                status="proposal", model=result.needs.model,
            )  # fmt: skip
            tenants = [slug for slug, _ in data.tenants()]
            st.altair_chart(
                charts.elevation_chart(
                    elevation[0], colour_by="tenant", colours=charts.tenant_colours(tenants),
                    labels=elevation_labels(), extra=[extra], selectable=False,
                )
            )  # fmt: skip
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
    if st.button(tr("check.hold"), type="primary", icon=":material/lock:", key="cek_hold_button",
                 disabled=result.request.tenant is None):  # fmt: skip
        assert ctx.user is not None
        with read_session(ctx.engine) as session:
            actor = session.get(User, ctx.user.id)
        try:
            with st.spinner(tr("check.holding")):
                outcome = reserve(
                    ctx.engine, result.request, on=ctx.today, lang=language(), actor=actor
                )
        except InputError as exc:
            show_input_error(exc)
            return
        except PermissionDenied as exc:
            show_denied(exc)
            return
        except DatabaseError as exc:
            show_database_error(exc)
            return
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
            return to_bytes(examination_report(session, document, request, lang, examiner=examiner, hold=held))

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
