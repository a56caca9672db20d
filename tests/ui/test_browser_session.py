"""Signed in once for the day, in a real Chromium (issue 9, item 1), and on a phone (item 8).

A Kepala Bidang opens a request link from a message: signs in on the link
and lands on the request; a reload, a second tab and the link opened again
keep the session; signing out in one tab signs the other out at its next
click. The cookie the browser holds is checked for its flags and for being
out of the page's JavaScript's reach. On a 390 x 844 phone the sign-in form
is not under the sidebar and the SOP's fifteen steps wrap instead of being cut.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from apptest_support import DEMO_PASSWORD
from test_browser import (
    VIEWPORT,
    _settled,
    _shot,
    start_app,
    stop_app,
    wait_for_session_cookie,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CODE = "REQ-2026-0003"
DEEP_LINK = f"/permohonan?kode={CODE}"
TIMEOUT_MS = 30_000


def _signed_in_on(page: object) -> None:
    """The page shows a signed-in person (the sign-out button), not the sign-in form."""
    page.get_by_role("button", name="Keluar").wait_for(timeout=TIMEOUT_MS)  # type: ignore[attr-defined]
    _settled(page)
    assert page.get_by_label("Kata sandi").count() == 0  # type: ignore[attr-defined]


def _request_shown(page: object) -> None:
    page.get_by_text(f"{CODE} ·").first.wait_for(timeout=TIMEOUT_MS)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with its session cookie (as ``dcim app`` serves it) over a copy of the demo."""
    folder = tmp_path_factory.mktemp("session")
    database = folder / "demo.db"
    shutil.copy(demo_template, database)
    process, url = start_app(f"sqlite:///{database}", folder)
    try:
        yield url
    finally:
        stop_app(process)


def test_one_sign_in_lasts_through_reload_tabs_and_links_and_sign_out_ends_it_everywhere(
    browser: object, server: str
) -> None:
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID")  # type: ignore[attr-defined]
    page = context.new_page()
    # The link from a message, opened signed out: the sign-in form, under the link's address.
    page.goto(server + DEEP_LINK)
    page.get_by_label("Nama pengguna").fill("kabid")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    cookie = wait_for_session_cookie(context)
    _request_shown(page)
    _signed_in_on(page)
    assert page.url == server + DEEP_LINK, "signing in keeps the page and the request asked for"
    _shot(page, "session-01-deep-link-after-sign-in")

    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["secure"] is False, "plain http here; Secure is set over https"
    assert "dcim_session" not in page.evaluate("document.cookie"), "out of the page's scripts"

    page.reload()
    _request_shown(page)
    _signed_in_on(page)

    other = context.new_page()
    other.goto(server + "/rak")
    _signed_in_on(other)
    _shot(other, "session-02-new-tab")

    link = context.new_page()
    link.goto(server + DEEP_LINK)
    _request_shown(link)
    _signed_in_on(link)
    link.close()

    page.get_by_role("button", name="Keluar").click()
    page.get_by_label("Kata sandi").wait_for(timeout=TIMEOUT_MS)
    assert all(c["name"] != "dcim_session" for c in context.cookies()), "the cookie is gone"

    # The other tab still shows the racks, until its next click: then it is signed out too.
    other.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Ringkasan").click()
    other.get_by_label("Kata sandi").wait_for(timeout=TIMEOUT_MS)
    _shot(other, "session-03-other-tab-signed-out")
    other.reload()
    other.get_by_label("Kata sandi").wait_for(timeout=TIMEOUT_MS)
    context.close()


def test_a_forged_link_to_the_sign_out_address_does_not_sign_anyone_out(
    browser: object, server: str
) -> None:
    # What an image or a link in a message from elsewhere makes the browser do: a GET.
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(server + "/rak")
    page.get_by_label("Nama pengguna").fill("kabid")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    cookie = wait_for_session_cookie(context)
    _signed_in_on(page)

    forged = context.new_page()
    forged.goto(server + "/_dcim/signout?next=/")
    forged.close()
    assert any(
        c["name"] == "dcim_session" and c["value"] == cookie["value"] for c in context.cookies()
    )
    page.reload()
    _signed_in_on(page)

    # The page's own button still signs out, for good.
    page.get_by_role("button", name="Keluar").click()
    page.get_by_label("Kata sandi").wait_for(timeout=TIMEOUT_MS)
    assert all(c["name"] != "dcim_session" for c in context.cookies())
    page.reload()
    page.get_by_label("Kata sandi").wait_for(timeout=TIMEOUT_MS)
    context.close()


def _on_top(page: object, selector: str) -> bool:
    """Whether the element is what a finger on its centre touches (nothing lies over it)."""
    return page.evaluate(  # type: ignore[attr-defined]
        """(selector) => {
            const element = document.querySelector(selector);
            const box = element.getBoundingClientRect();
            const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return element === hit || element.contains(hit);
        }""",
        selector,
    )


def test_on_a_phone_the_sign_in_form_is_free_and_the_steps_wrap(
    browser: object, server: str
) -> None:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport=PHONE, locale="id-ID", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.goto(server + DEEP_LINK)
    page.get_by_label("Nama pengguna").wait_for(timeout=TIMEOUT_MS)
    _settled(page)
    _shot(page, "phone-01-sign-in")
    assert _on_top(page, "input[aria-label='Nama pengguna']"), "the sidebar covers the form"
    page.get_by_label("Nama pengguna").fill("kabid")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    wait_for_session_cookie(context)
    _request_shown(page)
    _settled(page)
    _shot(page, "phone-02-request")
    boxes = [circle.bounding_box() for circle in page.locator(".wf-steps .wf-step").all()]
    assert len(boxes) == 15
    cut = [
        n
        for n, box in enumerate(boxes, 1)
        if box is None or box["x"] + box["width"] > PHONE["width"]
    ]
    assert cut == [], f"steps cut at the screen's edge: {cut}"
    assert boxes[-1]["y"] > boxes[0]["y"], "the steps wrap onto a second row"  # type: ignore[index]
    context.close()
