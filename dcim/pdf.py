"""DOCX to PDF with LibreOffice headless, for every office document that needs a PDF copy.

LibreOffice (Debian ``libreoffice-writer-nogui``) renders the DOCX the way the
office's word processor would. Each conversion gets its own user profile
directory: two conversions sharing the default profile would lock each other
out, and the profile of the person running ``dcim`` stays untouched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

#: The binaries tried, in order (Debian installs both names; other systems one of them).
CANDIDATES = ("libreoffice", "soffice")
#: A conversion of a few pages takes 2-5 s on a cold start; a hung office suite is stopped.
TIMEOUT_S = 120


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, or the conversion failed; the message says which."""


def converter() -> str | None:
    """The LibreOffice binary on PATH, or None."""
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def docx_to_pdf(docx: bytes, timeout_s: float = TIMEOUT_S) -> bytes:
    """The PDF of a DOCX document (bytes in, bytes out); :class:`PdfUnavailable` when it cannot."""
    binary = converter()
    if binary is None:
        raise PdfUnavailable(
            "LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui)"
        )
    with tempfile.TemporaryDirectory(prefix="dcim-pdf-") as directory:
        work = Path(directory)
        source = work / "document.docx"
        source.write_bytes(docx)
        profile = (work / "profile").as_uri()
        env = dict(os.environ, HOME=str(work))
        try:
            done = subprocess.run(
                [
                    binary,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work),
                    str(source),
                ],
                capture_output=True,
                text=True,
                timeout=timeout_s,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable(f"LibreOffice did not finish within {timeout_s:.0f} s") from exc
        target = work / "document.pdf"
        if done.returncode != 0 or not target.exists():
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise PdfUnavailable(
                "LibreOffice could not convert the document" + (f": {detail[-1]}" if detail else "")
            )
        return target.read_bytes()
