"""The actions on the server itself: installing it (step 9), configuring (10), testing (11), monitoring (12).

Installing verifies the delivered server against the request and turns
the hold into the installed device; the checklist and the tests must
answer every item the SOP lists for the state, and no other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dcim.errors import InputError, Problem
from dcim.i18n import t
from dcim.models import Device, Tenant

from .. import action_data as ad
from ..choices import ActionKind, ChecklistStatus, EngineCall, TestResult
from ..engine_calls import capacity_request, check_needs, serial_installed_as
from ..models import ColocationRequest
from ..monitoring import monitoring_target
from .base import ActionContext, ActionHandler
from .letters import require_live_hold

if TYPE_CHECKING:
    from ..sop import ActionSpec, Localized, Sop, StateSpec


def _device_name(session: Session, request: ColocationRequest) -> str:
    """``SRV-BKPSDM-02``: the office's next free server name."""
    slug = session.scalar(select(Tenant.slug).where(Tenant.id == request.tenant_id)) or "opd"
    stem = f"SRV-{slug.upper()}-"
    taken = set(session.scalars(select(Device.name).where(Device.name.like(f"{stem}%"))))
    number = 1
    while f"{stem}{number:02d}" in taken:
        number += 1
    return f"{stem}{number:02d}"


def check_keys(
    expected: dict[str, Localized],
    given: dict[str, Any],
    path: str,
    area: str,
    lang: str,
    source: str | None,
) -> None:
    """Every item the SOP lists is answered, and nothing it does not list."""
    problems = [
        Problem(f"{path}.{key}", t(f"{area}_missing", lang, item=title.get(lang)))
        for key, title in expected.items()
        if key not in given
    ]
    problems += [
        Problem(f"{path}.{key}", t(f"{area}_unknown", lang, known=", ".join(expected)))
        for key in given
        if key not in expected
    ]
    if problems:
        raise InputError(problems, source)


class Install(ActionHandler):
    """Step 9: the delivered server is verified against the request and mounted where it is held."""

    kind = ActionKind.INSTALL
    data_model = ad.InstallData

    def prepare(self, session: Session, ctx: ActionContext, source: str | None) -> None:
        """Model, height, power supplies, name and serial must match the request and be free."""
        assert isinstance(ctx.data, ad.InstallData)
        data, request, lang = ctx.data, ctx.request, ctx.lang
        require_live_hold(session, ctx)
        needs = check_needs(session, capacity_request(request.spec, request.code), request.code)
        problems: list[Problem] = []
        if needs.model and data.model and needs.model.casefold() != data.model.casefold():
            message = t("workflow.install_model", lang, got=data.model, want=needs.model)
            problems.append(Problem("data.model", message))
        if data.u_height != needs.u_height:
            message = t("workflow.install_u", lang, got=data.u_height, want=needs.u_height)
            problems.append(Problem("data.u_height", message))
        if data.psu != needs.psu:
            message = t("workflow.install_psu", lang, got=data.psu, want=needs.psu)
            problems.append(Problem("data.psu", message))
        name = data.name or _device_name(session, request)
        if session.scalar(select(Device.id).where(Device.name == name)) is not None:
            problems.append(Problem("data.name", t("workflow.install_name_taken", lang, name=name)))
        installed = serial_installed_as(session, data.serial)
        if installed is not None:
            message = t(
                "capacity.reserve.serial_exists", lang, serial=data.serial, device=installed
            )
            problems.append(Problem("data.serial", message))
        if problems:
            raise InputError(problems, source)
        ctx.extra["device_name"] = name
        ctx.extra["verified"] = {
            "model": data.model or needs.model,
            "u_height": data.u_height,
            "psu": data.psu,
            "serial": data.serial,
        }
        ctx.engine_call = EngineCall.COMMIT

    def apply(self, session: Session, ctx: ActionContext, engine_outcome: Any) -> str | None:
        """The request names the device the hold became."""
        ctx.request.device_name = str(engine_outcome)
        ctx.event_data = {**ctx.extra["verified"], "device": ctx.request.device_name}
        return None


class Checklist(ActionHandler):
    """Step 10: every installation and configuration item, done or not applicable."""

    kind = ActionKind.CHECKLIST
    data_model = ad.ChecklistData

    def sop_problems(
        self, sop: Sop, state: StateSpec, action: ActionSpec, state_path: str, action_path: str
    ) -> list[Problem]:
        """The state lists the items the checklist answers."""
        if not state.checklist:
            return [
                Problem.of(
                    f"{state_path}.checklist",
                    "sop.checklist_needs_items",
                    "a checklist action needs the items",
                )
            ]
        return []

    def prepare(self, session: Session, ctx: ActionContext, source: str | None) -> None:
        """Every item of the state's checklist is answered."""
        assert isinstance(ctx.data, ad.ChecklistData)
        expected = ctx.state.checklist or {}
        check_keys(expected, ctx.data.items, "data.items", "workflow.checklist", ctx.lang, source)

    def apply(self, session: Session, ctx: ActionContext, engine_outcome: Any) -> str | None:
        """Name the items that did not apply, for the report."""
        assert isinstance(ctx.data, ad.ChecklistData)
        ctx.event_data["not_applicable"] = [
            key
            for key, item in ctx.data.items.items()
            if item.status == ChecklistStatus.NOT_APPLICABLE
        ]
        return None


class PerformanceTest(ActionHandler):
    """Step 11: every test of the state; one failure sends the server back to configuration."""

    kind = ActionKind.PERFORMANCE_TEST
    data_model = ad.PerformanceTestData
    outcomes = ("passed", "failed")

    def sop_problems(
        self, sop: Sop, state: StateSpec, action: ActionSpec, state_path: str, action_path: str
    ) -> list[Problem]:
        """The state lists the tests."""
        if not state.tests:
            return [
                Problem.of(
                    f"{state_path}.tests",
                    "sop.tests_needed",
                    "a performance test action needs the tests",
                )
            ]
        return []

    def prepare(self, session: Session, ctx: ActionContext, source: str | None) -> None:
        """Every test of the state has a verdict."""
        assert isinstance(ctx.data, ad.PerformanceTestData)
        expected = ctx.state.tests or {}
        check_keys(expected, ctx.data.tests, "data.tests", "workflow.tests", ctx.lang, source)

    def apply(self, session: Session, ctx: ActionContext, engine_outcome: Any) -> str | None:
        """Passed when every test passed; the failed ones are named."""
        assert isinstance(ctx.data, ad.PerformanceTestData)
        failed = [key for key, item in ctx.data.tests.items() if item.result == TestResult.FAIL]
        ctx.event_data["failed"] = failed
        return "failed" if failed else "passed"


class Monitor(ActionHandler):
    """Step 12: the server is handed to the data centre's monitoring (Prometheus, Zabbix)."""

    kind = ActionKind.MONITORING
    data_model = ad.MonitoringData

    def prepare(self, session: Session, ctx: ActionContext, source: str | None) -> None:
        """The address, port and job to monitor, from the SOP's defaults and the data given."""
        assert isinstance(ctx.data, ad.MonitoringData)
        ctx.extra["target"] = monitoring_target(session, ctx.sop, ctx.request, ctx.data, ctx.lang)

    def apply(self, session: Session, ctx: ActionContext, engine_outcome: Any) -> str | None:
        """The request remembers what is monitored and since when."""
        ctx.event_data = ctx.extra["target"]
        ctx.request.monitored_on = ctx.on
        ctx.request.monitoring = ctx.extra["target"]
        return None
