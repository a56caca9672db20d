"""Measure dcim-lite at national scale, side by side in one run.

    python benchmarks/run.py [--racks 1000] [--runs 30] [--postgres URL] [--holds 320]

Reports, against the targets of issue 12, side by side in one run:
- process start: ``dcim --help`` against a bare ``python -c "import sqlalchemy"``, and a
  ``dcim check`` on the demo data center against the same bare import (the project's
  modules compiled to bytecode first, as an installed copy has them);
- load time of the national inventory (``dcim load``), and of ``dcim verify`` on it;
- check latency p50/p95 in process, on the national and a one-rack database;
- check latency p50/p95 as a ``dcim check`` process, on both (the big one
  should cost at most twice the small one);
- peak memory (max RSS) of a ``dcim check`` process on the national database;
- the time NetBox's way of listing free addresses takes on the same /16
  (``netaddr.IPSet(prefix) - IPSet(used)``), and the national database's marginal
  process cost (national ``dcim check`` process minus the one-rack one) relative to it;
- on PostgreSQL: load time, check latency, and hold throughput with 8
  concurrent reserving clients.

The results are printed as a Markdown table and written to
``benchmarks/RESULTS.md``. Work files go to ``benchmarks/work/`` (ignored by git).
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import national  # noqa: E402  (benchmarks/national.py, beside this file)

ON = dt.date(2026, 11, 27)
WORK = HERE / "work"
TARGETS = {
    "help_ratio": 1.5,  # dcim --help ÷ bare import sqlalchemy
    "demo_check_ratio": 2.0,  # dcim check on the demo ÷ bare import sqlalchemy
    "check_p50_ms": 10.0,  # national, in process, SQLite
    "pg_check_p50_ms": 20.0,  # national, in process, PostgreSQL
    "marginal_ratio": 0.1,  # national process - one-rack process, ÷ NetBox's IPSet listing
    "load_s": 60.0,
    "peak_mb": 150.0,
    "holds_per_s": 100.0,
}
DEMO_REQUEST = HERE.parent / "dcim_demo" / "data" / "requests" / "01-simpeg-cadangan-bkpsdm.yaml"


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def dcim(*args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run ``dcim`` as a process; returns (seconds, result)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "dcim_cli", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=HERE.parent,
    )
    return time.perf_counter() - started, done


def load(url: str, inventory: Path) -> float:
    """Seconds of ``dcim load`` of the inventory into the database; stops the run if it fails."""
    seconds, done = dcim("--db", url, "load", str(inventory))
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return seconds


def in_process_checks(url: str, request_path: Path, runs: int) -> list[float]:
    """Milliseconds of ``run_check`` calls on a database, after one warm-up."""
    from capacity.check import run_check
    from capacity.request import read_request
    from dcim.db import get_engine, read_session
    from dcim.process import settle_after_start

    engine = get_engine(url)
    request = read_request(request_path)
    with read_session(engine) as session:
        run_check(session, request, on=ON)
    # A server's worker, once started, sets aside what it imported from the garbage
    # collector's walks (dcim_api.app.app_from_environment); so does this process.
    settle_after_start(collect=True)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with read_session(engine) as session:
            result = run_check(session, request, on=ON)
        times.append((time.perf_counter() - started) * 1000)
    assert result.feasible, result.summary
    return times


_MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
elapsed = time.perf_counter() - started
if done.returncode not in [int(code) for code in sys.argv[1].split(",")]:
    sys.exit(done.stderr)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)
"""


def timed_process(command: list[str], ok: str = "0") -> tuple[float, float, float]:
    """Wall ms, peak RSS in MB and CPU ms (user + system) of one process run to its end.

    The CPU time is reported beside the wall clock because the machine the
    benchmark runs on is shared: waiting for a core lengthens the wall time of
    a run but not its CPU time. ``ok`` lists the exit codes that count as done.
    """
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, ok, *command],
        capture_output=True,
        text=True,
        cwd=HERE.parent,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr}")
    seconds, max_rss_kb, cpu = done.stdout.split()
    return float(seconds) * 1000, int(max_rss_kb) / 1024, float(cpu) * 1000


#: The project's packages, as pyproject.toml installs them.
PACKAGES = ("dcim", "capacity", "colocation", "dcim_cli", "dcim_ui", "dcim_demo", "dcim_api")


def compile_bytecode() -> None:
    """Compile the project's modules to bytecode, as pip does when it installs the wheel.

    Run from the source tree with ``PYTHONDONTWRITEBYTECODE`` set (as it is on the
    machines this project is built on), every ``dcim`` process would compile each of
    its modules from source again (60 ms of a demo check), which no installed copy
    does; SQLAlchemy, the bare import it is measured against, comes compiled in its
    wheel. Compiled files go to ``__pycache__`` (ignored by git).
    """
    import compileall

    for package in PACKAGES:
        compileall.compile_dir(str(HERE.parent / package), quiet=1)


def start_up(runs: int, demo_url: str) -> dict[str, list[float]]:
    """Wall and CPU ms of a bare SQLAlchemy import, ``dcim --help`` and ``dcim check`` on the demo.

    The three are interleaved run by run, so that a burst of load on the
    machine falls on all of them alike.
    """
    commands = {
        "bare": ([sys.executable, "-c", "import sqlalchemy"], "0"),
        "help": ([sys.executable, "-m", "dcim_cli", "--help"], "0"),
        "demo": (
            [
                sys.executable,
                "-m",
                "dcim_cli",
                "--db",
                demo_url,
                "check",
                str(DEMO_REQUEST),
                "--json",
            ],
            "0,1",
        ),
    }
    result: dict[str, list[float]] = {f"{k}_{m}": [] for k in commands for m in ("wall", "cpu")}
    for _ in range(runs):
        for name, (command, ok) in commands.items():
            wall, _, cpu = timed_process(command, ok)
            result[f"{name}_wall"].append(wall)
            result[f"{name}_cpu"].append(cpu)
    return result


def cli_checks(
    urls: dict[str, str], request_path: Path, runs: int
) -> dict[str, tuple[list[float], float, list[float]]]:
    """Per database: wall ms of ``dcim check`` processes, the largest peak RSS in MB among them,
    and CPU ms.

    The databases take turns run by run, so that the machine's speed, which drifts within a
    minute, falls on each alike. Each check runs under a small Python that reports its
    child's peak memory: measured from this (large) process, a forked child would count the
    parent's pages it shares until it execs.
    """
    commands = {
        name: [
            sys.executable,
            "-m",
            "dcim_cli",
            "--db",
            url,
            "check",
            str(request_path),
            "--on",
            ON.isoformat(),
            "--json",
        ]
        for name, url in urls.items()
    }
    times: dict[str, list[float]] = {name: [] for name in urls}
    cpus: dict[str, list[float]] = {name: [] for name in urls}
    peaks = dict.fromkeys(urls, 0.0)
    for _ in range(runs):
        for name, command in commands.items():
            wall, rss, cpu = timed_process(command)
            times[name].append(wall)
            cpus[name].append(cpu)
            peaks[name] = max(peaks[name], rss)
    return {name: (times[name], peaks[name], cpus[name]) for name in urls}


def netbox_listing(url: str) -> float:
    """Milliseconds of NetBox's free-address listing on the server /16: read the used addresses,
    then ``IPSet(prefix) - IPSet(used)`` and its first range."""
    import netaddr
    from sqlalchemy import select

    from dcim.db import get_engine, read_session
    from dcim.models import IPAddress, Prefix

    engine = get_engine(url)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        with read_session(engine) as session:
            prefix_id, prefix = session.execute(
                select(Prefix.id, Prefix.prefix).where(Prefix.role == "server")
            ).one()
            used = session.scalars(
                select(IPAddress.address).where(IPAddress.prefix_id == prefix_id)
            ).all()
        available = netaddr.IPSet([netaddr.IPNetwork(prefix)]) - netaddr.IPSet(used)
        next(available.iter_ipranges())
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# --- holds on PostgreSQL --------------------------------------------------------------------------


def _reserver(url: str, client: int, count: int, ready: Any, go: Any, queue: Any) -> None:
    from capacity.holds import reserve
    from capacity.request import parse_request
    from dcim.accounts import operator
    from dcim.db import ensure_schema, get_engine
    from dcim.process import settle_after_start

    engine = get_engine(url)
    ensure_schema(engine)
    actor = operator()
    requests = [
        parse_request(
            {
                "number": f"005/{client:02d}{i:03d}/BENCH/2026",
                "tenant": "instansi-007",
                "server": {"u_height": 1, "power_w": 100, "psu": 2},
                "ipv4": {"server": 1},
                "domains": [f"hold-{client}-{i}.{national.ZONE}"],
            }
        )
        for i in range(count)
    ]
    # Imports, the connection and the requests are ready before the clock starts: the rate is
    # that of holds, not of starting Python. Set aside from the collector as a server's is.
    settle_after_start(collect=True)
    ready.put(client)
    go.wait()
    made = 0
    try:
        for request in requests:
            outcome = reserve(engine, request, on=ON, actor=actor)
            made += outcome.reservation_code is not None
    except Exception as exc:  # the run reports a failed client instead of waiting for it forever
        queue.put((made, f"client {client}: {exc}"))
        return
    queue.put((made, None))


def hold_throughput(url: str, clients: int, holds: int) -> tuple[float, int]:
    """Holds per second with ``clients`` processes reserving at once, and how many were made.

    The clock runs from the moment every client is ready to reserve (imported, connected)
    until the last one is done.
    """
    per_client = holds // clients
    ctx = mp.get_context("spawn")
    queue: Any = ctx.Queue()
    ready: Any = ctx.Queue()
    go = ctx.Event()
    workers = [
        ctx.Process(target=_reserver, args=(url, c, per_client, ready, go, queue))
        for c in range(clients)
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        ready.get()
    started = time.perf_counter()
    go.set()
    outcomes = [queue.get() for _ in workers]
    elapsed = time.perf_counter() - started
    for worker in workers:
        worker.join()
    failures = [error for _, error in outcomes if error]
    if failures:
        raise SystemExit("holds failed:\n" + "\n".join(failures))
    made = sum(count for count, _ in outcomes)
    return made / elapsed, made


def postgres_schema_url(server_url: str) -> tuple[str, str]:
    """A fresh schema on the server: its name, and a URL whose connections use it."""
    from sqlalchemy.engine import make_url

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    _on_server(server_url, f"CREATE SCHEMA {schema}")
    url = (
        make_url(server_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(False)
    )
    return schema, url


def _on_server(server_url: str, statement: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(server_url.replace("postgresql://", "postgresql+psycopg://"))
    with admin.begin() as conn:
        conn.execute(text(statement))
    admin.dispose()


# --- the run --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--racks", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--postgres", default=os.environ.get("DCIM_BENCH_POSTGRES_URL"))
    parser.add_argument("--holds", type=int, default=320)
    parser.add_argument("--clients", type=int, default=8)

    parser.add_argument("--skip-national", action="store_true", help="Only the start-up rows.")
    args = parser.parse_args()

    WORK.mkdir(exist_ok=True)
    rows: list[tuple[str, str, str, str]] = []

    def report(name: str, value: str, target: str = "", verdict: str = "") -> None:
        rows.append((name, value, target, verdict))
        print(f"{name:<62} {value:>18} {target:>10} {verdict}", flush=True)

    def both(values: dict[str, list[float]], name: str) -> str:
        return f"{statistics.median(values[name + '_wall']):.0f} / " + (
            f"{statistics.median(values[name + '_cpu']):.0f}"
        )

    # --- start-up, against the bare import ---------------------------------------------------
    demo_db = WORK / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{demo_db}{suffix}").unlink(missing_ok=True)
    demo_url = f"sqlite:///{demo_db}"
    _, done = dcim("--db", demo_url, "init", "--demo")
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    compile_bytecode()
    starts = start_up(max(5, args.runs // 3), demo_url)
    bare_cpu = statistics.median(starts["bare_cpu"])
    report("bare `python -c 'import sqlalchemy'`, wall / CPU (ms)", both(starts, "bare"))
    help_ratio = statistics.median(starts["help_cpu"]) / bare_cpu
    report("`dcim --help`, wall / CPU (ms)", both(starts, "help"))
    report(
        "`dcim --help` ÷ bare import (CPU)",
        f"{help_ratio:.2f}",
        "≤ 1.5",
        _ok(help_ratio <= TARGETS["help_ratio"]),
    )
    demo_ratio = statistics.median(starts["demo_cpu"]) / bare_cpu
    report("`dcim check` on the demo, wall / CPU (ms)", both(starts, "demo"))
    report(
        "`dcim check` on the demo ÷ bare import (CPU)",
        f"{demo_ratio:.2f}",
        "≤ 2",
        _ok(demo_ratio <= TARGETS["demo_check_ratio"]),
    )
    if args.skip_national:
        _write_results(args, rows)
        return

    # --- the national data center -------------------------------------------------------------
    big_yaml, small_yaml = WORK / "national.yaml", WORK / "one-rack.yaml"
    request_path = national.write(big_yaml, args.racks)
    national.write(small_yaml, 1)
    big_db, small_db = WORK / "national.db", WORK / "one-rack.db"
    for path in (big_db, small_db):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    big_url, small_url = f"sqlite:///{big_db}", f"sqlite:///{small_db}"

    _load_row(report, "SQLite", big_url, big_yaml)
    load(small_url, small_yaml)
    verify_wall, _, verify_cpu = timed_process(
        [sys.executable, "-m", "dcim_cli", "--db", big_url, "verify"]
    )
    report("`dcim verify`, national, wall / CPU (ms)", f"{verify_wall:.0f} / {verify_cpu:.0f}")

    big = in_process_checks(big_url, request_path, args.runs)
    small = in_process_checks(small_url, request_path, args.runs)
    _latency_row(report, "check in process, national, SQLite", big, TARGETS["check_p50_ms"])
    report(
        "check in process, one rack, p50 / p95 (ms)",
        f"{statistics.median(small):.1f} / {percentile(small, 0.95):.1f}",
    )

    cli_runs = max(9, args.runs // 2)
    processes = cli_checks({"national": big_url, "one rack": small_url}, request_path, cli_runs)
    cli_big, peak, cpu_big = processes["national"]
    cli_small, _, cpu_small = processes["one rack"]
    report(
        "`dcim check` process, national, wall p50 / p95 / CPU p50 (ms)",
        f"{statistics.median(cli_big):.0f} / {percentile(cli_big, 0.95):.0f} / "
        f"{statistics.median(cpu_big):.0f}",
    )
    report(
        "`dcim check` process, one rack, wall p50 / p95 / CPU p50 (ms)",
        f"{statistics.median(cli_small):.0f} / {percentile(cli_small, 0.95):.0f} / "
        f"{statistics.median(cpu_small):.0f}",
    )
    ratio = statistics.median(cli_big) / statistics.median(cli_small)
    report("`dcim check` process, national ÷ one rack (wall)", f"{ratio:.2f}")
    report(
        "peak memory of a `dcim check` process, national (MB)",
        f"{peak:.0f}",
        "≤ 150",
        _ok(peak <= TARGETS["peak_mb"]),
    )

    netbox_ms = netbox_listing(big_url)
    report("NetBox-style free-address listing of the /16 (ms)", f"{netbox_ms:.1f}")
    # Run by run, the national process less the one-rack process that ran right after it.
    marginal = statistics.median([b - s for b, s in zip(cpu_big, cpu_small, strict=True)])
    report("marginal process cost of the national database, CPU (ms)", f"{marginal:.0f}")
    # Below zero the difference is lost in the noise of the runs: say so instead of "met".
    verdict = "noise" if marginal < 0 else _ok(marginal / netbox_ms <= TARGETS["marginal_ratio"])
    report("marginal cost ÷ NetBox's listing", f"{marginal / netbox_ms:.2f}", "≤ 0.1", verdict)

    if args.postgres:
        schema, pg_url = postgres_schema_url(args.postgres)
        try:
            _postgres_rows(args, pg_url, big_yaml, request_path, report)
        finally:
            # A national inventory is ~25 MB: each run left one behind in the server before.
            _on_server(args.postgres, f"DROP SCHEMA {schema} CASCADE")
    _write_results(args, rows)


def _postgres_rows(
    args: argparse.Namespace, pg_url: str, big_yaml: Path, request_path: Path, report: Any
) -> None:
    """Load time, check latency and hold throughput on PostgreSQL, reported as rows."""
    _load_row(report, "PostgreSQL", pg_url, big_yaml)
    pg = in_process_checks(pg_url, request_path, args.runs)
    _latency_row(report, "check in process, national, PostgreSQL", pg, TARGETS["pg_check_p50_ms"])
    rate, made = hold_throughput(pg_url, args.clients, args.holds)
    report(
        f"holds/s, {args.clients} concurrent clients, PostgreSQL ({made} holds)",
        f"{rate:.0f}",
        "≥ 100",
        _ok(rate >= TARGETS["holds_per_s"]),
    )


def _load_row(report: Any, database: str, url: str, inventory: Path) -> None:
    """Load the national inventory into the database and report the seconds it took."""
    seconds = load(url, inventory)
    report(
        f"load national inventory, {database} (s)",
        f"{seconds:.1f}",
        "≤ 60",
        _ok(seconds <= TARGETS["load_s"]),
    )


def _latency_row(report: Any, name: str, times: list[float], target_ms: float) -> None:
    """A row of check latencies: p50 / p95, against the p50 target."""
    p50 = statistics.median(times)
    report(
        f"{name}, p50 / p95 (ms)",
        f"{p50:.1f} / {percentile(times, 0.95):.1f}",
        f"p50 ≤ {target_ms:g}",
        _ok(p50 <= target_ms),
    )


def _write_results(args: argparse.Namespace, rows: list[tuple[str, str, str, str]]) -> None:
    """Replace the first section of benchmarks/RESULTS.md with this run's table."""
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    lines = [
        "# Benchmark results",
        "",
        f"`python benchmarks/run.py --racks {args.racks} --runs {args.runs}` on {machine}, {dt.date.today().isoformat()}.",
        "",
        "| measure | value | target | |",
        "| --- | ---: | ---: | --- |",
        *[f"| {n} | {v} | {t} | {o} |" for n, v, t, o in rows],
        "",
    ]
    results = HERE / "RESULTS.md"
    # Later sections (other benchmarks, such as `dcim plan`'s) are kept as they are.
    rest = results.read_text(encoding="utf-8").partition("\n## ")[2] if results.exists() else ""
    text = "\n".join(lines) + (f"\n## {rest}" if rest else "")
    results.write_text(text, encoding="utf-8")


def _ok(passed: bool) -> str:
    return "met" if passed else "MISSED"


if __name__ == "__main__":
    main()
