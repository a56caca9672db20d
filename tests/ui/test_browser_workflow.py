"""A request walked in a real Chromium: from the OPD's letter through the disposition chain and the
capacity check to the acceptance letter, each official signing in with their own account.

Screenshots of every step go to ``test-artifacts/browser/`` (``50-...``); the time each
step took, from the click to the page showing its result, to ``browser-workflow-times.json``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import test_browser as tb
from apptest_support import ARTIFACTS, DEMO_PASSWORD
from docx import Document

from dcim_demo import DEMO_DIR

pytestmark = pytest.mark.browser
SCAN = DEMO_DIR / "requests-workflow" / "surat-permohonan-bkpsdm.pdf"
LETTER_NUMBER = "800/140/BKPSDM/2026"
TIMES: dict[str, float] = {}


@pytest.fixture(scope="module")
def workflow_server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a copy of the demo database of its own."""
    folder = tmp_path_factory.mktemp("browser-workflow")
    database = folder / "demo.db"
    shutil.copy(demo_template, database)
    process, url = tb.start_app(f"sqlite:///{database}", folder)
    try:
        yield url
    finally:
        tb.stop_app(process)
    if TIMES:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "browser-workflow-times.json").write_text(
            json.dumps({k: round(v, 2) for k, v in TIMES.items()}, indent=2)
        )


def sign_in(browser: object, server: str, username: str) -> object:
    """A fresh browser window signed in as the user, on the Permohonan page."""
    context = browser.new_context(viewport=tb.VIEWPORT, locale="id-ID", accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(server)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_text("Keluar").wait_for(timeout=30_000)
    tb._settled(page)
    return page


def open_from_inbox(page: object, code: str, shot: str) -> None:
    """Open the Permohonan page, then the request from the inbox "Tugas saya"."""
    started = time.perf_counter()
    nav = page.get_by_test_id("stSidebarNavItems")  # type: ignore[attr-defined]
    nav.get_by_role("link", name="Permohonan", exact=True).click()
    button = page.locator(f".st-key-wf_open_{code} button")  # type: ignore[attr-defined]
    button.wait_for(timeout=30_000)
    tb._settled(page)
    TIMES[f"{shot} inbox"] = time.perf_counter() - started
    tb._shot(page, f"{shot}-inbox")
    started = time.perf_counter()
    button.click()
    page.get_by_text("Tindakan Anda").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    tb._settled(page)
    TIMES[f"{shot} request"] = time.perf_counter() - started


def act(page: object, button: str, moved: str, shot: str) -> str:
    """Submit the action's form; wait for the message that the request moved on."""
    started = time.perf_counter()
    page.get_by_role("button", name=button, exact=True).click()  # type: ignore[attr-defined]
    message = page.get_by_test_id("stAlertContentSuccess").filter(has_text=moved)  # type: ignore[attr-defined]
    message.wait_for(timeout=60_000)
    tb._settled(page)
    TIMES[f"{shot} action"] = time.perf_counter() - started
    message.scroll_into_view_if_needed()
    tb._shot(page, shot)
    return message.inner_text()


def register_letter(browser: object, server: str) -> str:
    """The OPD fills in the letter, the server and the scan, and submits; the new request's code."""
    page = sign_in(browser, server, "opd.bkpsdm")
    nav = page.get_by_test_id("stSidebarNavItems")  # type: ignore[attr-defined]
    nav.get_by_role("link", name="Ajukan permohonan", exact=True).click()
    page.get_by_label("Nomor surat *").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    tb._settled(page)
    yesterday = dt.datetime.now(ZoneInfo("Asia/Makassar")).date() - dt.timedelta(days=1)
    page.get_by_label("Nomor surat *").fill(LETTER_NUMBER)  # type: ignore[attr-defined]
    # The date field is three segments (day, month, year); typing moves from one to the next.
    page.get_by_role("spinbutton", name="day, Tanggal surat *").click()  # type: ignore[attr-defined]
    page.keyboard.type(yesterday.strftime("%d%m%Y"))  # type: ignore[attr-defined]
    page.get_by_label("Keperluan").fill("Server cadangan (backup) aplikasi SIMPEG")  # type: ignore[attr-defined]
    tb._choose(page, "Model (katalog)", "Dell PowerEdge R640")
    page.get_by_label("IPv4 server").fill("1")  # type: ignore[attr-defined]
    page.get_by_label("IPv4 management").fill("1")  # type: ignore[attr-defined]
    page.get_by_label("Nama domain (satu per baris)").fill("simpeg-backup.sumbawakab.go.id")  # type: ignore[attr-defined]
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(SCAN))  # type: ignore[attr-defined]
    uploader = page.get_by_test_id("stFileUploader")  # type: ignore[attr-defined]
    uploader.get_by_text(re.compile(r"\d(\.\d)?\s?KB")).wait_for(timeout=30_000)  # the file's size
    tb._settled(page)
    tb._shot(page, "50-opd-surat-permohonan")
    started = time.perf_counter()
    page.get_by_role("button", name="Ajukan permohonan", exact=True).click()  # type: ignore[attr-defined]
    message = page.get_by_text(re.compile(r"Permohonan REQ-\d{4}-\d{4} didaftarkan"))  # type: ignore[attr-defined]
    message.wait_for(timeout=60_000)
    tb._settled(page)
    TIMES["50 register"] = time.perf_counter() - started
    tb._shot(page, "51-opd-terdaftar")
    found = re.search(r"REQ-\d{4}-\d{4}", message.inner_text())
    assert found is not None
    page.context.close()  # type: ignore[attr-defined]
    return found.group(0)


# Each official in turn: who, the form's button, the move it makes, and the screenshot's name.
CHAIN = [
    ("kadis", "Catat surat masuk", "langkah 1 → 2", "52-kadis-catat"),
    ("kadis", "Disposisikan ke Kepala Bidang TI", "langkah 2 → 3", "53-kadis-disposisi"),
    ("kabid", "Verifikasi dan disposisikan", "langkah 3 → 4", "54-kabid-verifikasi"),
    ("kasi", "Tunjuk Tim Data Center", "langkah 4 → 5", "55-kasi-tunjuk"),
    ("timdc", "Periksa ketersediaan kapasitas", "langkah 5 → 8", "56-timdc-cek"),
    ("timdc", "Kirim laporan hasil pemeriksaan", "langkah 8 → 8", "57-timdc-laporan"),
    ("kasi", "Kirim surat balasan penerimaan", "langkah 8 → 9", "58-kasi-surat-balasan"),
]


def test_a_request_from_the_opds_letter_to_the_acceptance_letter(
    browser: object, workflow_server: str
) -> None:
    code = register_letter(browser, workflow_server)
    page: object | None = None
    current = None
    for username, button, moved, shot in CHAIN:
        if username != current:
            if page is not None:
                page.context.close()  # type: ignore[attr-defined]
            page = sign_in(browser, workflow_server, username)
            current = username
            open_from_inbox(page, code, shot)
        act(page, button, moved, shot)
        if button == "Periksa ketersediaan kapasitas":
            page.get_by_role("tab", name="Pemeriksaan kapasitas").click()  # type: ignore[attr-defined]
            page.get_by_text("Usulan penempatan").wait_for(timeout=30_000)  # type: ignore[attr-defined]
            tb._settled(page)
            tb._shot(page, "56b-timdc-hasil-cek")
            assert page.get_by_text("Layak: ").first.is_visible()  # type: ignore[attr-defined]
    assert page is not None
    page.get_by_role("tab", name="Dokumen").click()  # type: ignore[attr-defined]
    row = page.locator(f".st-key-wf_doc_{code}_surat_balasan_penerimaan button")  # type: ignore[attr-defined]
    row.wait_for(timeout=30_000)
    tb._settled(page)
    tb._shot(page, "59-dokumen")
    with page.expect_download() as download:  # type: ignore[attr-defined]
        row.click()
    letter = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(p.text for p in letter.paragraphs)
    text += "\n".join(cell.text for table in letter.tables for r in table.rows for cell in r.cells)
    assert LETTER_NUMBER in text
    assert "paling lambat" in text
    page.context.close()  # type: ignore[attr-defined]
    for name, seconds in TIMES.items():
        assert seconds < 10, f"{name} took {seconds:.1f} s in the browser"
