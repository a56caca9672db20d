"""The wheel works anywhere: build it, install it into a clean venv outside the checkout, use it.

``make wheel-test`` runs this (and so ``make test`` and ``.ci/run``). It copies the
checkout's files as a fresh clone has them (``git ls-files``, uncommitted edits
included), builds the wheel there, installs it with pip into a new virtual
environment in a temporary folder, and from another folder, with no
``PYTHONPATH`` pointing back at the checkout, does what the README promises:

1. only the project's seven packages are installed at the top of site-packages;
2. ``dcim init --demo`` loads the demo data center;
3. ``dcim check`` answers a demo request that fits (exit 0) and one that does not (exit 1);
4. a request walks all 15 SOP steps by ``dcim request submit/act --as``, and its
   documents are written;
5. ``dcim app`` serves the app: ``/_stcore/health`` says ``ok``, Streamlit stops
   when ``dcim app`` is stopped, and the app's script renders the sign-in page.

Any step that does not do so stops the run with exit code 1 and what went
wrong; nothing is skipped. ``--keep`` leaves the temporary folder for a look.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: The distribution's top-level names; anything else in site-packages would collide sooner or later.
PACKAGES = {"dcim", "capacity", "colocation", "dcim_cli", "dcim_ui", "dcim_demo", "dcim_api"}
# The walk of docs/workflow.md: (action, who, step data file in the demo's requests-workflow).
WALK: tuple[tuple[str, str, str | None], ...] = (
    ("register", "kadis", "register.yaml"),
    ("dispose", "kadis", None),
    ("verify", "kabid", "dispose-deadline.yaml"),
    ("assign", "kasi", None),
    ("check", "timdc", None),
    ("report", "timdc", None),
    ("reply", "kasi", None),
    ("install", "timdc", "install-dell-r640.yaml"),
    ("configure", "timdc", "configure.yaml"),
    ("test", "timdc", "test-fail.yaml"),
    ("configure", "timdc", "configure.yaml"),
    ("test", "timdc", "test-pass.yaml"),
    ("monitor", "timdc", None),
    ("report", "timdc", None),
    ("forward", "kasi", None),
    ("receive", "kabid", None),
    ("draft", "timdc", None),
    ("acknowledge", "opd.bkpsdm", None),
    ("acknowledge", "kadis", None),
)
APP_START_TIMEOUT_S = 90


class Failed(Exception):
    """A step did not do what the README promises."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run every step; 0 when the installed wheel did all of them, 1 at the first that failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="dcim-wheel-"))
    started = time.monotonic()
    try:
        run_all(root)
    except Failed as exc:
        print(f"wheel-test FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"wheel-test: kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    print(f"wheel-test: passed in {time.monotonic() - started:.0f} s")
    return 0


def run_all(root: Path) -> None:
    """The steps in order; each raises :class:`Failed` with its reason."""
    with step("build the wheel from a copy of the checkout"):
        wheel = build_wheel(copy_checkout(root / "src"), root / "dist")
    venv = root / "venv"
    with step("install it into a new virtual environment"):
        run([sys.executable, "-m", "venv", str(venv)], cwd=root)
        # No byte-compiling of ~600 MB of dependencies up front: Python compiles what it imports.
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile"]
        run([*pip, str(wheel)], cwd=root)
    work = root / "work"
    work.mkdir()
    env = clean_env(work)
    tool = Installed(venv, work, env)
    with step("only the project's packages at the top of site-packages"):
        check_top_level(tool)
    with step("dcim init --demo"):
        tool.dcim("init", "--demo")
    demo = Path(tool.python("import dcim_demo; print(dcim_demo.DEMO_DIR)").strip())
    if venv not in demo.parents:
        raise Failed(f"the demo is read from {demo}, not from the installed package")
    with step("dcim check: a request that fits, and one that does not"):
        check_requests(tool, demo / "requests")
    with step("a request walks the 15 SOP steps"):
        walk_request(tool, demo)
    with step("dcim app: health endpoint and the sign-in page"):
        check_app(tool)


@contextmanager
def step(title: str) -> Iterator[None]:
    """Print a step's title and, once it passed, its time."""
    print(f"wheel-test: {title} ...", flush=True)
    started = time.monotonic()
    try:
        yield
    except Failed as exc:
        raise Failed(f"{title}: {exc}") from exc
    print(f"wheel-test:   ok ({time.monotonic() - started:.1f} s)", flush=True)


def run(
    command: Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    codes: Sequence[int] = (0,),
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a command; its output is shown when its exit code is not one of ``codes``."""
    result = subprocess.run(
        list(command),
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode not in codes:
        shown = " ".join(command)
        raise Failed(
            f"`{shown}` exited {result.returncode} (expected {codes}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


def copy_checkout(target: Path) -> Path:
    """The files a clone has (tracked, plus new ones not ignored), as they are on disk now."""
    listed = run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=REPO
    ).stdout
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree, not yet in the index
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination, follow_symlinks=False)
    return target


def build_wheel(source: Path, dist: Path) -> Path:
    """Build the wheel the way a packager does, in an isolated build environment."""
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), "."],
        cwd=source,
    )
    wheels = sorted(dist.glob("dcim_lite-*.whl"))
    if len(wheels) != 1:
        raise Failed(f"expected one dcim_lite wheel in {dist}, found {[w.name for w in wheels]}")
    return wheels[0]


def clean_env(work: Path) -> dict[str, str]:
    """The environment of a newcomer: nothing points back at the checkout or at a developer's venv."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME") and not key.startswith("DCIM_")
    }
    env["DCIM_DATABASE_URL"] = f"sqlite:///{work / 'dcim.db'}"
    env["XDG_DATA_HOME"] = str(work / "share")
    env["HOME"] = str(work)  # Streamlit writes ~/.streamlit; keep it out of the real home
    return env


class Installed:
    """The installed program, run from the work folder."""

    def __init__(self, venv: Path, work: Path, env: dict[str, str]) -> None:
        self.bin = venv / "bin"
        self.work = work
        self.env = env

    def dcim(
        self, *args: str, codes: Sequence[int] = (0,), stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        """``dcim ARGS`` from the work folder."""
        command = [str(self.bin / "dcim"), *args]
        return run(command, cwd=self.work, env=self.env, codes=codes, stdin=stdin)

    def dcim_json(self, *args: str, codes: Sequence[int] = (0,), stdin: str | None = None) -> dict:
        """``dcim ARGS --json``, parsed."""
        out = self.dcim(*args, "--json", codes=codes, stdin=stdin).stdout
        try:
            return json.loads(out)
        except json.JSONDecodeError as exc:
            raise Failed(f"`dcim {' '.join(args)} --json` printed no JSON: {out[:500]}") from exc

    def python(self, code: str) -> str:
        """The output of the venv's Python running ``code`` from the work folder."""
        return run([str(self.bin / "python"), "-c", code], cwd=self.work, env=self.env).stdout


def check_top_level(tool: Installed) -> None:
    """Every file the wheel installed is under one of :data:`PACKAGES` (or its metadata or script)."""
    site = Path(
        tool.python("import dcim, pathlib; print(pathlib.Path(dcim.__file__).parents[1])").strip()
    )
    if tool.bin.parent not in site.parents:
        raise Failed(f"dcim is imported from {site}, not from the new venv")
    records = list(site.glob("dcim_lite-*.dist-info/RECORD"))
    if len(records) != 1:
        raise Failed(f"expected one dcim_lite RECORD in {site}, found {records}")
    tops = {
        line.split(",")[0].split("/")[0] for line in records[0].read_text().splitlines() if line
    }
    strays = {t for t in tops if t not in PACKAGES and not t.endswith(".dist-info") and t != ".."}
    if strays:
        raise Failed(f"the wheel installs other top-level names: {sorted(strays)}")
    declared = set((records[0].parent / "top_level.txt").read_text().split())
    if declared != PACKAGES:
        raise Failed(f"top_level.txt lists {sorted(declared)}, expected {sorted(PACKAGES)}")


def check_requests(tool: Installed, requests: Path) -> None:
    """The README's two checks: SIMPEG's backup fits; the CCTV analytics fails on power."""
    fits = tool.dcim_json("check", str(requests / "01-simpeg-cadangan-bkpsdm.yaml"))
    if fits.get("feasible") is not True:
        raise Failed(f"01-simpeg should fit: {json.dumps(fits)[:500]}")
    refused = tool.dcim_json("check", str(requests / "02-analitik-cctv-dishub.yaml"), codes=(1,))
    power = refused.get("checks", {}).get("power", {})
    if refused.get("feasible") is not False or power.get("ok") is not False:
        raise Failed(f"02-analitik should fail on power: {json.dumps(refused)[:500]}")


def walk_request(tool: Installed, demo: Path) -> None:
    """docs/workflow.md's walk: submit with the scanned letter, then every action to the end."""
    flow = demo / "requests-workflow"
    # No terminal to ask on: each person is proven by the demo's published password on stdin
    # (one process fewer per person than `dcim token create`).
    password = demo_password(demo / "users.yaml") + "\n"
    submitted = tool.dcim_json(
        "request",
        "submit",
        str(demo / "requests" / "01-simpeg-cadangan-bkpsdm.yaml"),
        "--attach",
        str(flow / "surat-permohonan-bkpsdm.pdf"),
        "--as",
        "opd.bkpsdm",
        "--password-stdin",
        stdin=password,
    )
    code = submitted["code"]
    for action, who, data in WALK:
        extra = ["--data", str(flow / data)] if data else []
        tool.dcim_json(
            "request", "act", code, action, "--as", who, "--password-stdin", *extra, stdin=password
        )
    shown = tool.dcim_json("request", "show", code)
    if shown.get("status") != "done" or shown.get("step") != 15:
        raise Failed(f"{code} ended at step {shown.get('step')}, status {shown.get('status')}")
    out = tool.work / "documents"
    tool.dcim("request", "documents", code, "-o", str(out))
    # The letters and reports the walk issued (five), written with the installed program.
    letters = sorted(p.name for p in out.glob("*.docx") if p.stat().st_size > 0)
    if len(letters) < max(5, len(shown["documents"])):
        raise Failed(f"documents of {code}: wrote {letters}, it lists {shown['documents']}")


def demo_password(users_file: Path) -> str:
    """The password every demo user has (the ``password:`` line of the installed users file)."""
    for line in users_file.read_text(encoding="utf-8").splitlines():
        if line.startswith("password:"):
            return line.split(":", 1)[1].strip()
    raise Failed(f"{users_file} has no password line")


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check_app(tool: Installed) -> None:
    """``dcim app`` answers its health check; the shipped entry script renders the sign-in page."""
    port = free_port()
    command = [str(tool.bin / "dcim"), "app", "--port", str(port), "--address", "127.0.0.1"]
    log = tool.work / "app.log"
    with log.open("w") as sink:
        server = subprocess.Popen(command, cwd=tool.work, env=tool.env, stdout=sink, stderr=sink)
    try:
        answer = wait_for_health(f"http://127.0.0.1:{port}/_stcore/health", server)
        if answer != "ok":
            raise Failed(f"/_stcore/health answered {answer!r}")
    except Failed as exc:
        raise Failed(f"{exc}\napp log:\n{log.read_text()[-3000:]}") from exc
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    # Stopping `dcim app` (as a service manager does, with SIGTERM) stops Streamlit too.
    if answers(f"http://127.0.0.1:{port}/_stcore/health", within_s=20):
        raise Failed("Streamlit still serves after `dcim app` was stopped")
    # The health check proves the server; this proves the installed app's script runs.
    rendered = tool.python(
        "from streamlit.testing.v1 import AppTest\n"
        "from dcim_ui.launch import ENTRY_SCRIPT\n"
        "at = AppTest.from_file(str(ENTRY_SCRIPT), default_timeout=120).run()\n"
        "assert not at.exception, [e.message for e in at.exception]\n"
        "print(len(at.text_input))\n"
    )
    if int(rendered.strip().splitlines()[-1]) < 2:
        raise Failed(f"the sign-in page has no user name and password fields: {rendered!r}")


def answers(url: str, within_s: float) -> bool:
    """Whether the server still answers at ``url`` after ``within_s`` seconds of asking."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                pass
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False
        time.sleep(0.5)
    return True


def wait_for_health(url: str, server: subprocess.Popen[bytes]) -> str:
    """The health endpoint's answer once the server is up; fails when it exits or never answers."""
    deadline = time.monotonic() + APP_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise Failed(f"`dcim app` exited with {server.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise Failed(f"no answer from {url} within {APP_START_TIMEOUT_S} s")


if __name__ == "__main__":
    sys.exit(main())
