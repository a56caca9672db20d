"""The program's own files are found inside its packages, wherever the packages are installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from colocation.sop import DEFAULT_SOP_FILE
from dcim.catalog import BUILTIN_DIR
from dcim.package_data import MissingPackageData, shipped_path
from dcim_demo import DEMO_DIR, DEMO_PLAN


@pytest.mark.parametrize(
    ("path", "package"),
    [
        (DEFAULT_SOP_FILE, "colocation"),
        (BUILTIN_DIR, "dcim"),
        (DEMO_DIR, "dcim_demo"),
        (DEMO_PLAN, "dcim_demo"),
    ],
    ids=["sop", "device-types", "demo", "demo-plan"],
)
def test_the_programs_files_live_inside_the_package_that_reads_them(
    path: Path, package: str
) -> None:
    # Outside the package folder (a top-level data/) a wheel would not carry them.
    root = shipped_path(package)
    assert root in path.parents and path.exists()


def test_a_file_missing_from_the_installation_is_named_not_left_for_a_later_no_such_file() -> None:
    with pytest.raises(MissingPackageData, match=r"dcim_demo: data/nothing\.yaml is missing"):
        shipped_path("dcim_demo", "data", "nothing.yaml")
