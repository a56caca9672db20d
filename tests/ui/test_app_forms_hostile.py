"""Issue 9: bad input in every form of the app is answered in Indonesian, without an internal name.

Each case opens one page as the role that may use its form, types or uploads
something hostile (an empty required field, 5,000 characters, control
characters, a number out of range, a bad date, address or domain, a file that
is not YAML, not UTF-8 or nested too deep) and submits. The person must then
see a refusal (an error or a warning, never a traceback) that reads as
Indonesian: no field path such as ``server.power_w`` or ``racks[0]``, no
Python exception name, none of the English words a service's own message
would bring. And nothing is written: every table but the sign-in bookkeeping
reads the same before and after.

The words come from the services' catalogs (every problem carries a key); a
library's own English (the YAML parser, openpyxl) is not passed on in
Indonesian: the sentence says where the file cannot be read instead.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from apptest_support import APP, TIMEOUT_S, sign_in
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest
from workflow_support import FLOW, SIMPEG

from colocation.workflow import perform, submit
from dcim.accounts import acting, operator
from dcim.catalog import import_builtin_catalog
from dcim.db import ensure_schema, get_engine, read_session
from dcim.inventory.yamlio import read_yaml_file
from dcim.mail import read_mail_settings
from dcim.models import Channel, User
from dcim.sessions import start_session
from dcim_demo import load_demo
from dcim_ui.auth import SESSION_KEY

LONG = "x" * 5000
NUL, ESCAPE, RTL = "a\x00b", "\x1b[31m", "\u202e"
HUGE = 10**30
NOT_YAML = b"server: [1, 2\nnomor: : :\n"
NOT_UTF8 = "nomor: 'Sumbawa \u00e9'\n".encode("latin-1")
TOO_DEEP = ("a:\n" + "".join("  " * depth + "a:\n" for depth in range(1, 40))).encode()

# What may not reach the person: a field's path, a row index, a Python name, a service's English.
FIELD_PATH = re.compile(r"\b[a-z_]+\.[a-z_]+\b")
ROW_INDEX = re.compile(r"\[\d+\]")
PYTHON_NAME = re.compile(r"\b(Traceback|[A-Z][A-Za-z]*(Error|Exception|Warning))\b")
ENGLISH = re.compile(
    r"\b(must|required|unknown|invalid|should|field|value|not a|longer than|input should"
    r"|not UTF-8|characters?|got|expected|allowed|empty|missing|at most|at least|mapping)\b",
    re.IGNORECASE,
)
# A service's name of a field, shown bare where the form has a label for it ("username: ...").
BARE_PATH = re.compile(
    r"(?:`|: )(username|full_name|nip|position|password|role|tenant|name|date|note|email|host"
    r"|port|sender|base_url|password_env|address|serial|model|postal_code|phone|fax|website):"
)
# A host name given as an example of what to type ("diskominfo.sumbawakab.go.id") is no field.
EXAMPLE_HOST = re.compile(r"\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(go\.id|id|example)\b")
# Bookkeeping a page visit writes whatever is submitted: who is signed in, and tries to sign in.
BOOKKEEPING = frozenset({"app_sessions", "sign_in_throttle"})


# --- the demo, opened as its people -----------------------------------------------------------


@dataclass
class Demo:
    """The module's demo data center: its database and a session for each person who signs in."""

    url: str
    path: Path
    engine: Engine
    sessions: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """One demo database for the module: a hostile submission writes nothing, so cases share it.

    Two requests are moved along the SOP first, to the installation (step 9) and the
    monitoring (step 12) forms, as the officials before would have.
    """
    path = tmp_path_factory.mktemp("hostile") / "demo.db"
    url = f"sqlite:///{path}"
    engine = get_engine(url)
    ensure_schema(engine)
    import_builtin_catalog(engine, operator())
    load_demo(engine, operator())
    to_install = [
        ("register", "kadis", "register.yaml"),
        ("dispose", "kadis", None),
        ("verify", "kabid", None),
        ("assign", "kasi", None),
        ("check", "timdc", None),
        ("report", "timdc", None),
        ("reply", "kasi", None),
    ]
    to_monitor = [
        *to_install,
        ("install", "timdc", "install-dell-r640.yaml"),
        ("configure", "timdc", "configure.yaml"),
        ("test", "timdc", "test-pass.yaml"),
    ]
    simpeg = read_yaml_file(SIMPEG) | {"number": "800/902/BKPSDM/2026"}
    ekinerja = read_yaml_file(FLOW / "ekinerja-bkpsdm.yaml") | {
        "number": "800/901/BKPSDM/2026",
        "domains": ["ekinerja-dr.sumbawakab.go.id"],
    }
    for document, steps in ((simpeg, to_monitor), (ekinerja, to_install)):
        code = submit(engine, document, _person(engine, "opd.bkpsdm"))
        for action, username, data in steps:
            payload = read_yaml_file(FLOW / data) if data else None
            perform(engine, code, action, _person(engine, username), data=payload)
    yield Demo(url, path, engine)
    engine.dispose()


@pytest.fixture
def demo(demo_db: Demo, monkeypatch: pytest.MonkeyPatch) -> Demo:
    """The module's demo, named in ``DCIM_DATABASE_URL`` for the app (each test's environment is
    cleaned)."""
    monkeypatch.setenv("DCIM_DATABASE_URL", demo_db.url)
    return demo_db


def _person(engine: Engine, username: str) -> User:
    with read_session(engine) as session:
        row = session.scalar(select(User).where(User.username == username))
        assert row is not None, username
        session.expunge(row)
    return acting(row, Channel.APP)


def open_page(demo: Demo, username: str, page: str, **query: str) -> AppTest:
    """The page as ``username`` sees it, signed in by a session of theirs (no password typed)."""
    if username not in demo.sessions:
        with read_session(demo.engine) as session:
            user_id = session.scalar(select(User.id).where(User.username == username))
        assert user_id is not None, username
        demo.sessions[username] = start_session(demo.engine, user_id).id
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.session_state["lang"] = "id"
    at.session_state[SESSION_KEY] = demo.sessions[username]
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(f"dcim_ui/pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def stored(demo: Demo) -> dict[str, list[str]]:
    """Every row of every table but the sign-in bookkeeping."""
    with sqlite3.connect(demo.path) as db:
        tables = [
            name
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if name not in BOOKKEEPING
        ]
        return {name: sorted(map(repr, db.execute(f'SELECT * FROM "{name}"'))) for name in tables}


# --- what the person is shown -----------------------------------------------------------------


def refusal(at: AppTest) -> str:
    """The errors and warnings on the page, as one text."""
    return "\n".join(str(block.value) for block in [*at.error, *at.warning])


def assert_answered_in_indonesian(at: AppTest, typed: tuple[str, ...] = ()) -> None:
    """A refusal is shown, no traceback, and it names nothing the way the program does.

    What the person typed may be quoted back to them, so it is taken out first.
    """
    assert not at.exception, [e.message for e in at.exception]
    shown = refusal(at)
    assert shown.strip(), "the page must say the input was refused"
    for text in typed:
        if text:
            shown = shown.replace(text, "«…»")
    shown = EXAMPLE_HOST.sub("«…»", shown)
    assert not FIELD_PATH.search(shown), f"an internal field name: {shown!r}"
    assert not ROW_INDEX.search(shown), f"a row index as the program counts: {shown!r}"
    assert not BARE_PATH.search(shown), f"a field named by the program's name for it: {shown!r}"
    assert not PYTHON_NAME.search(shown), f"a Python name: {shown!r}"
    assert not ENGLISH.search(shown), f"English: {shown!r}"


def press(at: AppTest, label: str) -> AppTest:
    """Click the (form submit) button with this label and run the page."""
    buttons = [b for b in at.button if b.label == label]
    assert buttons, f"no button {label!r}: {[b.label for b in at.button]}"
    buttons[0].click()
    return at.run()


def widget(widgets: Any, label: str | None = None, *, key_end: str | None = None) -> Any:
    """The first widget with this label, or whose key ends so."""
    for w in widgets:
        if (label is not None and w.label == label) or (
            key_end is not None and (w.key or "").endswith(key_end)
        ):
            return w
    raise AssertionError(f"no widget {label or key_end!r}: {[w.label for w in widgets]}")


def upload(at: AppTest, index: int, name: str, content: bytes, mime: str) -> AppTest:
    """Put a file in the page's ``index``-th file uploader."""
    at.get("file_uploader")[index].set_value((name, content, mime))
    return at.run()


#: Fills a form with hostile input and submits it; what the person typed, which may be quoted back.
Fill = Callable[[AppTest], tuple[str, ...]]


def refused_and_unchanged(demo: Demo, at: AppTest, fill: Fill) -> None:
    """Fill and submit the form; the refusal reads as Indonesian and nothing was written."""
    before = stored(demo)
    typed = fill(at)
    assert_answered_in_indonesian(at, typed)
    assert stored(demo) == before, "a refused input must change nothing"


def form(
    button: str,
    texts: dict[str, str] | None = None,
    numbers: dict[str, float] | None = None,
    dates: dict[str, dt.date] | None = None,
    picks: dict[str, Any] | None = None,
) -> Fill:
    """Fill the fields named by their labels (or their keys' ends), then press ``button``."""

    def fill(at: AppTest) -> tuple[str, ...]:
        for name, value in (picks or {}).items():
            widget(at.selectbox, name, key_end=name).set_value(value)
        for name, value in (texts or {}).items():
            widget([*at.text_input, *at.text_area], name, key_end=name).input(value)
        for name, value in (numbers or {}).items():
            widget(at.number_input, name, key_end=name).set_value(value)
        for name, value in (dates or {}).items():
            widget(at.date_input, name, key_end=name).set_value(value)
        press(at, button)
        return tuple((texts or {}).values()) + tuple(str(n) for n in (numbers or {}).values())

    return fill


def file(name: str, content: bytes, mime: str, button: str | None, index: int = 0) -> Fill:
    """Upload ``content`` as ``name`` in the ``index``-th uploader, then press ``button``."""

    def fill(at: AppTest) -> tuple[str, ...]:
        upload(at, index, name, content, mime)
        if button is not None:
            press(at, button)
        return (name,)

    return fill


# --- sign-in ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "password"),
    [
        pytest.param("", "", id="empty"),
        pytest.param(LONG, LONG, id="5000-characters"),
        pytest.param(NUL, NUL, id="nul"),
        pytest.param(ESCAPE, RTL, id="escape-and-rtl"),
    ],
)
def test_the_sign_in_form(demo: Demo, username: str, password: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.session_state["lang"] = "id"
    at.run()
    before = stored(demo)
    sign_in(at, username, password)
    assert_answered_in_indonesian(at, (username, password))
    assert SESSION_KEY not in at.session_state, "nobody is signed in"
    assert stored(demo) == before


# --- Pengguna (administrator) ----------------------------------------------------------------

NEW_USER = {"Nama pengguna": "pegawai.baru", "Kata sandi awal": "rahasia-2026"}


def _add(**texts: str) -> Fill:
    return form("Tambah", NEW_USER | texts)


@pytest.mark.parametrize(
    "fill",
    [
        pytest.param(
            _add(**{"Nama pengguna": ""}),
            id="add-empty-username",
        ),
        pytest.param(
            _add(**{"Nama pengguna": LONG}),
            id="add-5000-characters",
        ),
        pytest.param(
            _add(**{"Nama pengguna": NUL}),
            id="add-nul-username",
        ),
        pytest.param(_add(**{"Kata sandi awal": ""}), id="add-empty-password"),
        pytest.param(
            _add(**{"NIP": RTL + "1990"}),
            id="add-rtl-nip",
        ),
        pytest.param(
            _add(**{"Nama lengkap": ESCAPE + LONG}),
            id="add-escape-long-name",
        ),
        pytest.param(
            form(
                "Reset kata sandi", {"Kata sandi sementara": "", "Ulangi kata sandi sementara": ""}
            ),
            id="reset-empty-password",
        ),
    ],
)
def test_the_people_forms_of_the_administrator(demo: Demo, fill: Fill) -> None:
    refused_and_unchanged(demo, open_page(demo, "admin", "pengguna"), fill)


# --- Surel (administrator) --------------------------------------------------------------------

GOOD_MAIL = {
    "mail_host": "smtp.sumbawakab.example",
    "mail_sender": "dcim@sumbawakab.example",
    "mail_base_url": "https://dc.sumbawakab.example",
}


def _mail(numbers: dict[str, float] | None = None, **texts: str) -> Fill:
    return form("Simpan pengaturan surel", GOOD_MAIL | texts, numbers)


@pytest.mark.parametrize(
    "fill",
    [
        pytest.param(_mail(mail_host=""), id="empty-host"),
        pytest.param(_mail(mail_host=LONG), id="5000-character-host"),
        pytest.param(_mail(mail_host=NUL), id="nul-host"),
        pytest.param(_mail(mail_sender="bukan surel"), id="bad-sender"),
        pytest.param(_mail(mail_base_url=ESCAPE), id="escape-app-address"),
        pytest.param(_mail(mail_password_env=RTL), id="rtl-password-variable"),
    ],
)
def test_the_mail_settings_form(demo: Demo, fill: Fill) -> None:
    refused_and_unchanged(demo, open_page(demo, "admin", "surel"), fill)


@pytest.mark.parametrize("port", [HUGE, -1, 0, 65536])
def test_a_port_out_of_range_never_reaches_the_mail_settings(
    app: Callable[..., AppTest], demo_url: str, port: int
) -> None:
    """The port field keeps to 1-65535 itself: what lies outside is dropped, not stored."""
    at = app("admin", "surel")
    form("Simpan pengaturan surel", GOOD_MAIL, {"mail_port": port})(at)
    assert not at.exception
    with read_session(get_engine(demo_url)) as session:
        settings = read_mail_settings(session)
    assert settings is not None and 1 <= settings.port <= 65535


# --- Akun saya (anyone) -----------------------------------------------------------------------

NEW_PASSWORD = ("Kata sandi saat ini", "Kata sandi baru", "Ulangi kata sandi baru")


def _password(current: str, new: str) -> Fill:
    return form("Simpan kata sandi", dict(zip(NEW_PASSWORD, (current, new, new), strict=True)))


@pytest.mark.parametrize(
    "fill",
    [
        pytest.param(form("Simpan alamat surel", {"own_email": "a@b"}), id="bad-email"),
        pytest.param(form("Simpan alamat surel", {"own_email": RTL + "@x.id"}), id="rtl-email"),
        pytest.param(
            form("Simpan alamat surel", {"own_email": "@sumbawakab.go.id"}), id="no-mailbox"
        ),
        pytest.param(_password("sumbawa2026", ""), id="empty-new-password"),
        pytest.param(_password("", "rahasia-baru-2026"), id="empty-current-password"),
    ],
)
def test_ones_own_password_and_address_forms(demo: Demo, fill: Fill) -> None:
    refused_and_unchanged(demo, open_page(demo, "timdc", "akun"), fill)


# --- Domain (checking names: a read, it writes nothing) ---------------------------------------


@pytest.mark.parametrize(
    "names",
    [
        pytest.param("xn--zz", id="bad-punycode"),
        pytest.param("a..b", id="empty-label"),
        pytest.param(LONG, id="5000-characters"),
        pytest.param(ESCAPE, id="escape"),
        pytest.param(NUL, id="nul"),
    ],
)
def test_the_domain_check_form(demo: Demo, names: str) -> None:
    refused_and_unchanged(
        demo, open_page(demo, "timdc", "domain"), form("Periksa", {"Nama domain": names})
    )


# --- Cek kapasitas: the form and the file (Tim Data Center) ------------------------------------

CHECK = "Periksa kapasitas"
R640 = {"cek_model": "dell-poweredge-r640"}


def _check(texts: dict[str, str] | None = None, numbers: dict[str, float] | None = None) -> Fill:
    """The check form for a catalog model, with the hostile fields."""
    return form(CHECK, texts, numbers, picks=R640)


RUN_FILE = "Periksa berkas ini"


@pytest.mark.parametrize(
    "fill",
    [
        pytest.param(
            _check(numbers={"cek_power": HUGE}),
            id="huge-power",
        ),
        pytest.param(
            _check({"cek_number": LONG}),
            id="5000-character-number",
        ),
        pytest.param(
            _check({"cek_purpose": NUL + ESCAPE + RTL}),
            id="control-purpose",
        ),
        pytest.param(_check({"cek_domains": "a..b"}), id="bad-domain"),
        pytest.param(_check({"cek_domains": "xn--zz"}), id="bad-punycode"),
        pytest.param(
            file("berkas1.yaml", NOT_YAML, "application/yaml", RUN_FILE),
            id="not-yaml",
        ),
        pytest.param(file("berkas1.yaml", NOT_UTF8, "application/yaml", RUN_FILE), id="not-utf8"),
        pytest.param(file("berkas1.yaml", TOO_DEEP, "application/yaml", RUN_FILE), id="too-deep"),
        pytest.param(
            file("berkas1.yaml", b"- 1\n- 2\n", "application/yaml", RUN_FILE), id="a-list"
        ),
    ],
)
def test_the_capacity_check_form_and_file(demo: Demo, fill: Fill) -> None:
    refused_and_unchanged(demo, open_page(demo, "timdc", "cek"), fill)


# --- Kop surat (administrator) ----------------------------------------------------------------

SAVE_LETTERHEAD = "Simpan kop surat"


@pytest.mark.parametrize(
    "fill",
    [
        pytest.param(
            form(SAVE_LETTERHEAD, {"letterhead_postal_code": "abc"}), id="bad-postal-code"
        ),
        pytest.param(form(SAVE_LETTERHEAD, {"letterhead_email": "bukan surel"}), id="bad-email"),
        pytest.param(form(SAVE_LETTERHEAD, {"letterhead_website": ESCAPE}), id="escape-website"),
        pytest.param(form(SAVE_LETTERHEAD, {"letterhead_phone": NUL}), id="nul-phone"),
        pytest.param(form(SAVE_LETTERHEAD, {"letterhead_address": RTL}), id="rtl-address"),
        pytest.param(
            file("logo1.png", b"GIF89a not a picture", "image/png", "Simpan logo"),
            id="not-an-image",
        ),
    ],
)
def test_the_letterhead_form_and_logo(demo: Demo, fill: Fill) -> None:
    refused_and_unchanged(demo, open_page(demo, "admin", "kop_surat"), fill)


# --- Daya: the load thresholds (administrator) -------------------------------------------------

LEVELS = ("Batas waspada (%)", "Batas kritis (%)")


@pytest.mark.parametrize(
    ("warn", "alert"),
    [pytest.param(90.0, 80.0, id="warning-above-alert"), pytest.param(70.0, 70.0, id="equal")],
)
def test_the_power_threshold_form(demo: Demo, warn: float, alert: float) -> None:
    fill = form("Simpan batas", numbers=dict(zip(LEVELS, (warn, alert), strict=True)))
    refused_and_unchanged(demo, open_page(demo, "admin", "daya"), fill)


def test_daya_failure_simulation_takes_only_the_sites_own_ups(demo: Demo) -> None:
    """The simulation's choices are the site's UPS: a name that is none of them is dropped."""
    at = open_page(demo, "timdc", "daya")
    before = stored(demo)
    at.multiselect(key="daya_lose_ups").set_value(["UPS-TIDAK-ADA", RTL]).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.multiselect(key="daya_lose_ups").value == []
    assert stored(demo) == before


# --- Kalender: local holidays (Tim Data Center) ------------------------------------------------

HOLIDAY = "Nama hari libur"


def _holiday(name: str) -> Fill:
    return form("Tambah", {HOLIDAY: name})


@pytest.mark.parametrize(
    "fill",
    [
        pytest.param(
            _holiday(""),
            id="empty-name",
        ),
        pytest.param(
            _holiday(NUL),
            id="nul-name",
        ),
        pytest.param(
            _holiday(ESCAPE + RTL),
            id="escape-rtl-name",
        ),
    ],
)
def test_the_local_holiday_form(demo: Demo, fill: Fill) -> None:
    refused_and_unchanged(demo, open_page(demo, "timdc", "kalender"), fill)


# --- Inventaris: the upload and the editor (Tim Data Center) ----------------------------------


def _edit(row: dict[str, Any]) -> Fill:
    """Change the first row of the editor's table as typed in a cell, then save."""

    def fill(at: AppTest) -> tuple[str, ...]:
        key = next(df.key for df in at.data_editor)
        at.session_state[key] = {"edited_rows": {0: row}, "added_rows": [], "deleted_rows": []}
        at.run()
        next(b for b in at.button if b.key == "inv_save").click()
        at.run()
        return tuple(str(v) for v in row.values())

    return fill


def _import(kind: str, name: str, content: bytes) -> Fill:
    """Choose the kind of file to import, upload it and press Impor."""

    def fill(at: AppTest) -> tuple[str, ...]:
        at.segmented_control(key="inv_import_kind").set_value(kind).run()
        upload(at, 0, name, content, "application/octet-stream")
        press(at, "Impor")
        return (name,)

    return fill


@pytest.mark.parametrize(
    "fill",
    [
        pytest.param(
            _import("excel", "berkas1.xlsx", b"PK\x03\x04 bukan"),
            id="excel-not-a-workbook",
        ),
        pytest.param(
            _import("csv", "berkas1.csv", b"name,u_height\nR99,\xff\xfe\n"),
            id="csv-not-utf8",
        ),
        pytest.param(
            _import("csv", "berkas1.csv", b"name,u_height\n" + b"x" * 5000 + b",-1\n"),
            id="csv-long-name-negative-height",
        ),
        pytest.param(
            file("berkas1.yaml", NOT_YAML, "application/yaml", "Impor"),
            id="not-yaml",
        ),
        pytest.param(file("berkas1.yaml", NOT_UTF8, "application/yaml", "Impor"), id="not-utf8"),
        pytest.param(file("berkas1.yaml", TOO_DEEP, "application/yaml", "Impor"), id="too-deep"),
        pytest.param(
            file("tipe1.yaml", NOT_YAML, "application/yaml", "Impor ke katalog", index=1),
            id="catalog-not-yaml",
        ),
        pytest.param(
            _edit({"u_height": 500}),
            id="edit-500-units",
        ),
        pytest.param(
            _edit({"max_weight_kg": -1}),
            id="edit-negative-weight",
        ),
        pytest.param(
            _edit({"name": NUL}),
            id="edit-nul-name",
        ),
        pytest.param(
            _edit({"name": ""}),
            id="edit-empty-name",
        ),
    ],
)
def test_the_inventory_files_and_editor(demo: Demo, fill: Fill) -> None:
    refused_and_unchanged(demo, open_page(demo, "timdc", "inventaris"), fill)


# --- Rencana kebutuhan: the plan file (Kepala Bidang TI) ---------------------------------------


@pytest.mark.parametrize(
    "fill",
    [
        pytest.param(
            file("rencana1.yaml", NOT_YAML, "application/yaml", None),
            id="not-yaml",
        ),
        pytest.param(file("rencana1.yaml", NOT_UTF8, "application/yaml", None), id="not-utf8"),
        pytest.param(file("rencana1.yaml", TOO_DEEP, "application/yaml", None), id="too-deep"),
        pytest.param(
            file("rencana1.yaml", b"- 1\n", "application/yaml", None),
            id="a-list",
        ),
    ],
)
def test_the_purchase_plan_file(demo: Demo, fill: Fill) -> None:
    refused_and_unchanged(demo, open_page(demo, "kabid", "rencana"), fill)


# --- A new request letter (an OPD) ------------------------------------------------------------

REGISTER = "Ajukan permohonan"
LETTER = {"wf_reg_number": "800/950/BKPSDM/2026", "wf_reg_purpose": "Server cadangan"}


def _letter(texts: dict[str, str], numbers: dict[str, float] | None = None) -> Fill:
    return form(
        REGISTER,
        LETTER | texts,
        numbers,
        {"wf_reg_date": dt.date(2026, 11, 2)},
        {"wf_reg_model": "dell-poweredge-r640"},
    )


@pytest.mark.parametrize(
    "fill",
    [
        pytest.param(_letter({"wf_reg_number": ""}), id="empty-number"),
        pytest.param(
            _letter({"wf_reg_number": LONG}),
            id="5000-character-number",
        ),
        pytest.param(
            _letter({"wf_reg_purpose": NUL + ESCAPE}),
            id="control-purpose",
        ),
        pytest.param(
            _letter({"wf_reg_domains": "a..b"}),
            id="bad-domain",
        ),
        pytest.param(
            _letter({}, {"wf_reg_power": HUGE}),
            id="huge-power",
        ),
        pytest.param(
            form(REGISTER, LETTER, dates={"wf_reg_date": dt.date(2999, 1, 1)}), id="future-date"
        ),
    ],
)
def test_a_new_request_letter(demo: Demo, fill: Fill) -> None:
    refused_and_unchanged(demo, open_page(demo, "opd.bkpsdm", "permohonan_baru"), fill)


def test_a_new_request_letter_with_a_scan_that_is_no_letter(demo: Demo) -> None:
    def fill(at: AppTest) -> tuple[str, ...]:
        for key, value in LETTER.items():
            widget(at.text_input, key_end=key).input(value)
        widget(at.date_input, key_end="wf_reg_date").set_value(dt.date(2026, 11, 2))
        widget(at.selectbox, key_end="wf_reg_model").set_value("dell-poweredge-r640")
        at.get("file_uploader")[0].set_value(("surat1.pdf", b"MZ\x90\x00 bukan", "application/pdf"))
        press(at, REGISTER)
        return ("surat1.pdf",)

    refused_and_unchanged(demo, open_page(demo, "opd.bkpsdm", "permohonan_baru"), fill)


# --- The SOP's action forms on a request (each official at their step) -------------------------

AT_STEP_1, AT_STEP_3 = "REQ-2026-0004", "REQ-2026-0003"
AT_INSTALL, AT_MONITOR = "REQ-2026-0006", "REQ-2026-0005"


@pytest.mark.parametrize(
    ("username", "code", "fill"),
    [
        pytest.param(
            "kabid",
            AT_STEP_3,
            form("Verifikasi dan disposisikan", {"Isi disposisi": LONG}),
            id="disposition-5000-characters",
        ),
        pytest.param(
            "timdc",
            AT_INSTALL,
            form("Verifikasi dan pasang server", {"_serial": ""}),
            id="install-no-serial",
        ),
        pytest.param(
            "timdc",
            AT_INSTALL,
            form("Verifikasi dan pasang server", {"_serial": NUL, "_name": ESCAPE + RTL}),
            id="install-control-characters",
        ),
        pytest.param(
            "timdc",
            AT_INSTALL,
            form("Verifikasi dan pasang server", {"_serial": "SN1", "_model": "Rak Ajaib 9000"}),
            id="install-unknown-model",
        ),
        pytest.param(
            "timdc",
            AT_MONITOR,
            form("Tambahkan ke sistem monitoring", {"_address": "a..b"}),
            id="monitoring-bad-address",
        ),
        pytest.param(
            "timdc",
            AT_MONITOR,
            form("Tambahkan ke sistem monitoring", {"_address": "xn--zz"}),
            id="monitoring-bad-domain",
        ),
        pytest.param(
            "timdc",
            AT_MONITOR,
            form("Tambahkan ke sistem monitoring", {"_job": NUL, "_groups": ESCAPE}),
            id="monitoring-control",
        ),
    ],
)
def test_the_sop_action_forms(demo: Demo, username: str, code: str, fill: Fill) -> None:
    at = open_page(demo, username, "permohonan", kode=code)
    refused_and_unchanged(demo, at, fill)
