"""The app in a real Chromium against the app as ``dcim app`` serves it: sign in, open the racks, check, hold.

Screenshots of every page go to ``test-artifacts/browser/`` for a person to read;
the time each page took to show its content goes to ``browser-render-times.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from apptest_support import ARTIFACTS, DEMO_PASSWORD, REPO

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "browser"
START_TIMEOUT_S = 60
VIEWPORT = {"width": 1440, "height": 1400}
TIMES: dict[str, float] = {}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(database_url: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The app with its session cookie, started as ``dcim app`` starts it (the shipped launcher
    and settings), on a free port over the given database; waits until it answers."""
    import urllib.request

    from dcim_ui.launch import streamlit_command

    port = _free_port()
    env = {**os.environ, "DCIM_DATABASE_URL": database_url}
    log = (folder / f"streamlit-{port}.log").open("w")
    process = subprocess.Popen(
        streamlit_command(port, "127.0.0.1"),
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.terminate()
            pytest.fail(
                f"streamlit did not start: {(folder / f'streamlit-{port}.log').read_text()[-2000:]}"
            )
        time.sleep(0.3)


def stop_app(process: subprocess.Popen[bytes]) -> None:
    """Stop an app started by :func:`start_app`."""
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a copy of the demo database."""
    folder = tmp_path_factory.mktemp("browser")
    database = folder / "demo.db"
    shutil.copy(demo_template, database)
    process, url = start_app(f"sqlite:///{database}", folder)
    try:
        yield url
    finally:
        stop_app(process)


@pytest.fixture(scope="module", autouse=True)
def _render_times() -> Iterator[None]:
    """Keep the time each page took in the browser, beside the screenshots."""
    yield
    if TIMES:
        SHOTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "browser-render-times.json").write_text(
            json.dumps({k: round(v, 2) for k, v in TIMES.items()}, indent=2)
        )


def _settled(page: object) -> None:
    """Wait until the script run has finished and the page has drawn."""
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    page.wait_for_timeout(600)  # type: ignore[attr-defined]


def _shot(page: object, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))  # type: ignore[attr-defined]
    return path


def _sign_in(browser: object, server: str, username: str, lang_en: bool = False) -> object:
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(server)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    wait_for_session_cookie(context)
    page.get_by_text("Keluar").wait_for(timeout=30_000)
    _settled(page)
    return page


def wait_for_session_cookie(context: object, timeout_s: float = 30) -> dict[str, object]:
    """The session cookie once the browser has been handed it (sign-in sends it to the server)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for cookie in context.cookies():  # type: ignore[attr-defined]
            if cookie["name"] == "dcim_session":
                return cookie
        time.sleep(0.2)
    pytest.fail("the browser was never given the session cookie")


def _open(page: object, title: str, ready_text: str, name: str) -> None:
    started = time.perf_counter()
    nav = page.get_by_test_id("stSidebarNavItems")  # type: ignore[attr-defined]
    nav.get_by_role("link", name=title, exact=True).click()
    page.get_by_text(ready_text).first.wait_for(timeout=30_000)  # type: ignore[attr-defined]
    _settled(page)
    TIMES[name] = time.perf_counter() - started
    _shot(page, name)


def test_sign_in_and_every_page_in_a_real_browser(browser: object, server: str) -> None:
    page = _sign_in(browser, server, "admin")
    _shot(page, "01-ringkasan")
    assert page.get_by_text("Ruang rak").first.is_visible()  # type: ignore[attr-defined]
    _open(page, "Rak", "Depan", "02-rak")
    _open(page, "Daya", "Simulasi gangguan", "03-daya")
    page.get_by_role("combobox", name="UPS padam").click()  # type: ignore[attr-defined]
    page.get_by_role("option", name="UPS-1").click()  # type: ignore[attr-defined]
    page.keyboard.press("Escape")  # type: ignore[attr-defined]
    page.get_by_text("Server mati").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    _settled(page)
    _shot(page, "03b-daya-simulasi")
    _open(page, "IP", "Peta alamat", "04-ip")
    _open(page, "Domain", "Cek ketersediaan nama", "05-domain")
    _open(page, "Inventaris", "Simpan perubahan", "06-inventaris")
    _open(page, "Log audit", "Rincian perubahan", "07-audit")
    _open(page, "Pengguna", "Tambah pengguna", "08-pengguna")
    for name, seconds in TIMES.items():
        assert seconds < 10, f"{name} took {seconds:.1f} s in the browser"


def test_a_rack_elevation_shows_a_device_when_clicked(browser: object, server: str) -> None:
    page = _sign_in(browser, server, "timdc")
    _open(page, "Rak", "Depan", "10-rak-timdc")
    chart = page.locator('[data-testid="stVegaLiteChart"]').nth(1)  # type: ignore[attr-defined]
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    # Rack R02 is full: any point in its front face is a device.
    page.mouse.click(box["x"] + box["width"] * 0.30, box["y"] + box["height"] * 0.55)  # type: ignore[attr-defined]
    # Exactly the detail panel's heading: the hint shown before a click also mentions
    # "daya per jalur", inside its sentence.
    page.get_by_text("Daya per jalur", exact=True).wait_for(timeout=30_000)  # type: ignore[attr-defined]
    _settled(page)
    _shot(page, "11-rak-detail")


def test_a_capacity_check_and_a_hold_in_a_real_browser(browser: object, server: str) -> None:
    page = _sign_in(browser, server, "timdc")
    _open(page, "Cek kapasitas", "Surat permohonan", "20-cek-form")
    page.get_by_label("Nomor surat").fill("800/131/BKPSDM/2026")  # type: ignore[attr-defined]
    _choose(page, "OPD pemohon", "bkpsdm")
    _choose(page, "Model (katalog)", "Dell PowerEdge R640")
    page.get_by_label("IPv4 server").fill("1")  # type: ignore[attr-defined]
    page.get_by_label("Nama domain (satu per baris)").fill("simpeg-backup.sumbawakab.go.id")  # type: ignore[attr-defined]
    started = time.perf_counter()
    page.get_by_role("button", name="Periksa kapasitas").click()  # type: ignore[attr-defined]
    page.get_by_text("Usulan penempatan").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    _settled(page)
    TIMES["21-cek-result"] = time.perf_counter() - started
    assert page.get_by_text("Layak: ").first.is_visible()  # type: ignore[attr-defined]
    _shot(page, "21-cek-result")
    page.get_by_role("button", name="Hold kapasitas ini").click()  # type: ignore[attr-defined]
    page.get_by_text("Kapasitas di-hold dengan kode").wait_for(timeout=30_000)  # type: ignore[attr-defined]
    _settled(page)
    _shot(page, "22-cek-held")
    held = page.get_by_text("Kapasitas di-hold dengan kode").inner_text()  # type: ignore[attr-defined]
    assert "RSV-" in held


def test_the_app_in_english(browser: object, server: str) -> None:
    page = _sign_in(browser, server, "kabid")
    page.get_by_text("English").click()  # type: ignore[attr-defined]
    page.get_by_text("Rack space").first.wait_for(timeout=30_000)  # type: ignore[attr-defined]
    _settled(page)
    _shot(page, "30-summary-en")


def _choose(page: object, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label)  # type: ignore[attr-defined]
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option).first.click()  # type: ignore[attr-defined]
