"""Instructions a check costs, counted by valgrind: a measure that a busy machine does not move.

    python benchmarks/instructions.py [--db URL] [--request FILE] [--checks 5]

On a shared machine the wall clock of one check moves by half between two runs
of the same code, which hides any change smaller than that. This counts the
instructions instead (``valgrind --tool=callgrind``, Debian's ``valgrind``
package): one process makes one check, another makes ``1 + --checks``, and
the difference divided by ``--checks`` is what a check costs once the process
is warm, in millions of instructions. It reports the check as a person reads
it (``words``) and the one the purchase plan makes (``no words``).

By default it uses the national database that ``benchmarks/run.py`` leaves in
``benchmarks/work/``. Run it from two checkouts to compare two versions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ON = dt.date(2026, 11, 27)


def _checks(url: str, request_path: str, count: int, words: bool) -> None:
    """The measured process: ``count`` checks in a row."""
    sys.path.insert(0, str(ROOT))
    from capacity.check import run_check
    from capacity.request import read_request
    from dcim.db import get_engine, read_session

    engine = get_engine(url)
    request = read_request(Path(request_path))
    for _ in range(count):
        with read_session(engine) as session:
            run_check(session, request, on=ON, words=words)


def _instructions(url: str, request_path: str, count: int, words: bool) -> int:
    """Instructions of a whole process making ``count`` checks."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        __file__,
        "--run",
        str(count),
        "--db",
        url,
        "--request",
        request_path,
        *([] if words else ["--no-words"]),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(done.stderr[-2000:])
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=f"sqlite:///{HERE / 'work' / 'national.db'}")
    parser.add_argument("--request", default=str(HERE / "work" / "national-request.yaml"))
    parser.add_argument("--checks", type=int, default=5)
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-words", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run is not None:
        _checks(args.db, args.request, args.run, not args.no_words)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    for words in (True, False):
        one = _instructions(args.db, args.request, 1, words)
        more = _instructions(args.db, args.request, 1 + args.checks, words)
        per_check = (more - one) / args.checks / 1e6
        label = "words" if words else "no words"
        print(f"check ({label}): {per_check:.0f} million instructions", flush=True)


if __name__ == "__main__":
    main()
