"""Where the files the program ships inside its packages are: found with importlib.resources.

The SOP file, the bundled device types, the demo data center and the message
catalogs travel inside the package that reads them, so an installed wheel
finds them wherever it was installed, and a clone finds the same files in the
same places. Nothing reaches them through ``Path(__file__).parent.parent``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


class MissingPackageData(RuntimeError):
    """A file the program ships is not where it should be: a broken or zipped installation."""


def shipped_path(package: str, *parts: str) -> Path:
    """The file-system path of a file or folder shipped inside ``package``.

    The project's packages are installed as folders (a wheel, an editable
    install, a clone), never imported from a zip file, so the resource is a
    real path; the readers that take it (the bounded YAML reader, the catalog's
    folder walk) need one. A resource that is not a path, or is missing, means
    the installation is broken, and is said so instead of a later "no such file".
    """
    resource = files(package).joinpath(*parts)
    if not isinstance(resource, Path):
        raise MissingPackageData(f"{package}: {'/'.join(parts)} is not on the file system")
    if not resource.exists():
        raise MissingPackageData(f"{package}: {'/'.join(parts)} is missing from the installation")
    return resource
