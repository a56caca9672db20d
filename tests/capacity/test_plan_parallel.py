"""The replays that judge each purchase run in worker processes with the same answer (issue #14)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import pytest
from plan_support import demo_database

from capacity import plan as plan_module
from capacity.plan import make_plan
from capacity.planfile import read_plan
from dcim.db import get_engine
from dcim.inventory.yamlio import dump_yaml
from dcim_demo import DEMO_PLAN

ON = dt.date(2026, 11, 27)
BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "plan.py"


@pytest.fixture(scope="module")
def demo_url(_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo inventory, loaded once for the module; the plan only reads it."""
    return demo_database(_sqlite_template, tmp_path_factory.mktemp("planpar") / "demo.db")


def large_catalogue(tmp_path: Path) -> Path:
    """The benchmark's demo year (20 catalogue items) cut to its first 20 servers: past
    EXACT_LIMIT, so the purchases are judged the large plan's way (resumed from copies of the
    year, the pass going on after a drop), and two racks are judged at once."""
    spec = importlib.util.spec_from_file_location("plan_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    raw = benchmark.demo_plan()
    raw["servers"] = raw["servers"][:20]
    path = tmp_path / "large.yaml"
    path.write_text(dump_yaml(raw), encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("which", ["exact", "large"])
def test_two_workers_give_the_sequential_answer_and_count(
    demo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    path = DEMO_PLAN if which == "exact" else large_catalogue(tmp_path)
    sequential = make_plan(get_engine(demo_url), read_plan(path), on=ON, workers=1)
    pooled_batches: list[int] = []
    start = plan_module._ReplayPool.start

    def recorded(self: Any, tasks: Any, here: Any) -> Any:
        results = start(self, tasks, here)
        if results.executor is not None:
            pooled_batches.append(len(tasks))
        return results

    monkeypatch.setattr(plan_module._ReplayPool, "start", recorded)
    parallel = make_plan(get_engine(demo_url), read_plan(path), on=ON, workers=2)
    # The workers did replay several purchases at once (else this compares sequential twice).
    assert pooled_batches and max(pooled_batches) >= 2
    assert len(sequential.purchases) >= 3
    assert json.dumps(parallel.to_json()) == json.dumps(sequential.to_json())
    # checks_run is in the JSON; the phases count the workers' checks the same way.
    assert parallel.checks_by_phase == sequential.checks_by_phase
    assert sequential.discarded_checks == 0


def test_small_plans_and_one_worker_use_no_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(plan_module.WORKERS_ENV, raising=False)
    assert plan_module._worker_count(None, 8, 5) == 1
    assert plan_module._worker_count(1, 200, 20) == 1
    assert plan_module._worker_count(None, 200, 1) == 1
    monkeypatch.setenv(plan_module.WORKERS_ENV, "1")
    assert plan_module._worker_count(None, 200, 20) == 1
    monkeypatch.setenv(plan_module.WORKERS_ENV, "3")
    assert plan_module._worker_count(None, 8, 5) == 3
    monkeypatch.setenv(plan_module.WORKERS_ENV, "many")
    assert plan_module._worker_count(None, 8, 5) == 1


@pytest.mark.slow
def test_a_pool_whose_workers_cannot_start_falls_back_to_the_sequential_replays(
    demo_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sequential = make_plan(get_engine(demo_url), read_plan(DEMO_PLAN), on=ON, workers=1)
    # The initializer is sent by name: os._exit(context) fails in every worker, as a
    # worker that cannot start does, and the pool is broken.
    monkeypatch.setattr(plan_module, "_worker_start", os._exit)
    broken: list[bool] = []
    close = plan_module._ReplayPool.close

    def recorded(self: Any) -> None:
        broken.append(self.broken)
        close(self)

    monkeypatch.setattr(plan_module._ReplayPool, "close", recorded)
    fallen_back = make_plan(get_engine(demo_url), read_plan(DEMO_PLAN), on=ON, workers=2)
    assert broken == [True]
    assert json.dumps(fallen_back.to_json()) == json.dumps(sequential.to_json())
