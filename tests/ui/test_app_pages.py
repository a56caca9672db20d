"""Every page on the demo data: it renders, its main interaction works, and it is quick."""

from __future__ import annotations

import time

import pytest
from apptest_support import APP, DEMO_PASSWORD, TIMEOUT_S, sign_in
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from dcim.db import get_engine, read_session
from dcim.models import AuditEntry, Rack, Reservation, UtilizationSnapshot
from dcim.workdays import today
from dcim_demo import DEMO_DIR

REQUESTS = DEMO_DIR / "requests"
# A page's own cost: this process's CPU time (AppTest draws the page in a thread here), so the
# other workers sharing the two cores do not count against it.
RENDER_BUDGET_S = 2.0


def texts(at: AppTest) -> str:
    """Everything the page wrote, as one text to search in."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += (
        [e.value for e in at.error] + [s.value for s in at.success] + [i.value for i in at.info]
    )
    parts += (
        [w.value for w in at.warning]
        + [h.value for h in at.header]
        + [s.value for s in at.subheader]
    )
    parts += [str(h.proto.body) for h in at.get("html")]
    return "\n".join(str(p) for p in parts)


def test_the_sign_in_page_comes_first(demo_url: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert at.text_input(key="sign_in_username").label == "Nama pengguna"
    assert "timdc" in texts(at)  # the demo says how to sign in


def test_a_wrong_password_is_refused(demo_url: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    sign_in(at, "timdc", "salah-sekali")
    assert "Nama pengguna atau kata sandi salah." in [e.value for e in at.error]
    assert at.text_input(key="sign_in_username") is not None


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("ringkasan", "Ruang rak"),
        ("rak", "R01"),
        ("daya", "UPS-1"),
        ("ip", "103.10.20.0/27"),
        ("domain", "sumbawakab.go.id"),
        ("cek", "Surat permohonan"),
        ("inventaris", "Simpan perubahan"),
        ("audit", "Menambah pengguna"),
        ("pengguna", "timdc"),
        ("akun", "Ganti kata sandi"),
    ],
)
def test_every_page_renders_on_the_demo_data_within_two_seconds(
    app, page: str, expected: str
) -> None:
    at = app("admin", page)
    assert not at.exception, at.exception
    started = time.process_time()
    at.run()
    elapsed = time.process_time() - started
    assert not at.exception
    shown = texts(at) + "".join(str(df.value.to_dict()) for df in at.dataframe)
    shown += "".join(str(s.options) for s in at.selectbox) + "".join(b.label for b in at.button)
    assert expected in shown
    assert elapsed <= RENDER_BUDGET_S, f"{page} took {elapsed:.2f} s"


def test_the_dashboard_takes_the_daily_snapshot(app, demo_url: str) -> None:
    at = app("kabid", "ringkasan")
    assert not at.exception
    engine = get_engine(demo_url)
    with read_session(engine) as session:
        day = today(session)
        count = session.scalar(
            select(func.count())
            .select_from(UtilizationSnapshot)
            .where(UtilizationSnapshot.day == day)
        )
    assert count and count > 0
    assert "Prakiraan" in texts(at)


def test_the_kepala_bidang_sees_when_the_demo_is_full_and_the_trend_carried_to_penuh(app) -> None:
    at = app("kabid", "ringkasan")
    shown = texts(at)
    assert "Prakiraan belum tersedia" not in shown  # the demo brings months of history
    assert "Prakiraan penuh:" in shown
    # Under the trend chart, the resources that fill within two years, each with its date.
    projected = [m.value for m in at.markdown if "penuh " in m.value and "**" in m.value]
    assert projected and "**UPS**: penuh" in " ".join(projected)


def test_picking_a_device_shows_its_power_addresses_and_names(app) -> None:
    at = app("timdc", "rak")
    at.session_state["rak_picked"] = ("device", "SRV-BKPSDM-01")
    at.run()
    shown = texts(at)
    assert "SRV-BKPSDM-01" in shown
    assert "103.10.20.14" in shown
    assert "simpeg.sumbawakab.go.id" in shown
    feeds = at.table[0].value
    assert len(feeds) == 2 and all(name.startswith("PDU-") for name in feeds.index)


def test_filtering_racks_by_free_space(app) -> None:
    at = app("timdc", "rak")
    at.number_input(key="rak_min_free").set_value(35).run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "blok terbesar" in captions
    assert "R02" not in [c.value.split()[0] for c in at.caption]


def test_losing_a_ups_shows_what_overloads_and_what_goes_dark(app) -> None:
    at = app("timdc", "daya")
    at.multiselect(key="daya_lose_ups").set_value(["UPS-1"]).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert "Server mati" in metrics
    assert "UPS kelebihan beban" in metrics


def _percent(text: str) -> float:
    """``93,4%`` as 93.4."""
    return float(text.rstrip("%").replace(".", "").replace(",", "."))


def test_after_a_ups_fails_no_feed_past_the_warning_level_is_called_safe(app) -> None:
    at = app("timdc", "daya")
    at.multiselect(key="daya_lose_ups").set_value(["UPS-1"]).run()
    assert not at.exception
    after = at.dataframe[1].value  # the feeds after the failure
    states = dict(zip(after["% batas"].map(_percent), after["Keadaan"], strict=True))
    assert any(p >= 60 for p in states), states  # the demo does push a feed past 60 %
    for percent, state in states.items():
        if percent >= 80:
            assert state.startswith(("Kritis", "Melewati")), (percent, state)
        elif percent >= 60:
            assert state.startswith("Waspada"), (percent, state)


def test_the_feed_table_formats_watts_the_indonesian_way_whatever_the_browser(app) -> None:
    at = app("timdc", "daya")
    table = at.dataframe[0].value
    # Strings made by the app: 230 V x 16 A x 80 % = 2.944 W, never the browser's "2,944".
    assert "2.944" in set(table["Batas (W)"])
    assert table["Keadaan"].str.match(r"^(Aman|Waspada \(≥60%\)|Kritis \(≥80%\))$").all()


def test_the_administrator_moves_the_warning_level_and_the_legend_follows(app) -> None:
    at = app("admin", "daya")
    at.number_input[0].set_value(50.0)
    at.number_input[1].set_value(70.0)
    next(b for b in at.button if b.label == "Simpan batas").click().run()
    assert not at.exception
    legend = " ".join(h.proto.body for h in at.get("html"))
    assert "Waspada (≥50%)" in legend and "Kritis (≥70%)" in legend


def test_a_warning_level_above_the_alert_level_is_refused_in_indonesian(app) -> None:
    at = app("admin", "daya")
    at.number_input[0].set_value(90.0)
    at.number_input[1].set_value(80.0)
    next(b for b in at.button if b.label == "Simpan batas").click().run()
    assert any("Batas waspada harus lebih kecil dari batas kritis" in e.value for e in at.error)


def test_searching_addresses_by_tenant(app) -> None:
    at = app("timdc", "ip")
    at.text_input(key="ip_search").input("bkpsdm").run()
    found = at.dataframe[1].value
    assert "103.10.20.14" in set(found.iloc[:, 0])


def test_a_taken_name_is_refused_with_the_engines_reason(app) -> None:
    at = app("timdc", "domain")
    at.text_area[0].input("jdih.sumbawakab.go.id\nsiskeudes.sumbawakab.go.id")
    at.button[0].click().run()
    assert any("jdih.sumbawakab.go.id" in e.value for e in at.error)
    assert any("siskeudes.sumbawakab.go.id" in s.value for s in at.success)
    assert any(b.label == "Unduh berkas zona" for b in at.get("download_button"))


def _fill_request(at: AppTest) -> None:
    boxes = {box.label: box for box in at.selectbox}
    boxes["OPD pemohon"].set_value("bkpsdm")
    boxes["Model (katalog)"].set_value("dell-poweredge-r640")
    at.number_input(key="cek_ip_4_server").set_value(1)
    at.text_area[0].input("simpeg-backup.sumbawakab.go.id")


def test_a_capacity_check_then_a_hold(app, demo_url: str) -> None:
    at = app("timdc", "cek")
    _fill_request(at)
    at.button[0].click().run()
    assert not at.exception
    assert any("Layak: " in s.value for s in at.success)
    assert "USULAN" not in texts(at)  # the proposal is drawn, not written
    assert any(b.label.startswith("Unduh laporan pemeriksaan") for b in at.get("download_button"))
    hold = next(b for b in at.button if b.key == "cek_hold_button")
    hold.click().run()
    message = next(s.value for s in at.success if "RSV-" in s.value)
    code = message.split("**")[1]
    with read_session(get_engine(demo_url)) as session:
        held = session.scalar(select(Reservation).where(Reservation.code == code))
        assert held is not None and held.status == "held"
        entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_key == code))
        assert entry is not None and entry.username == "timdc"


def test_only_tim_dc_gets_the_hold_button(app) -> None:
    at = app("kasi", "cek")
    _fill_request(at)
    at.button[0].click().run()
    assert any("Layak: " in s.value for s in at.success)
    assert not [b for b in at.button if b.key == "cek_hold_button"]
    assert "Hanya Tim Data Center" in texts(at)


def test_an_uploaded_request_file_is_checked(app) -> None:
    at = app("timdc", "cek")
    content = (REQUESTS / "04-sik-dinkes-ip-publik.yaml").read_bytes()
    at.get("file_uploader")[0].set_value(("04.yaml", content, "application/yaml")).run()
    next(b for b in at.button if b.key == "cek_run_file").click().run()
    assert any("Tidak layak: alamat IP." in e.value for e in at.error)
    assert not any("Tidak layak. Tidak layak" in e.value for e in at.error)


def test_a_failed_check_leads_with_one_sentence_and_keeps_the_sums_behind_an_expander(app) -> None:
    at = app("timdc", "cek")
    content = (REQUESTS / "02-analitik-cctv-dishub.yaml").read_bytes()
    at.get("file_uploader")[0].set_value(("02.yaml", content, "application/yaml")).run()
    next(b for b in at.button if b.key == "cek_run_file").click().run()
    error = next(e.value for e in at.error if "Tidak layak" in e.value)
    # The headline names the resource once, then the sentence saying what would make it fit.
    assert error.startswith("**Tidak layak: listrik.**")
    assert "Listrik tidak cukup untuk 2.400 W" in error and "muat jika" in error
    assert "2.400 W =" not in error  # no per-feed sum in the headline
    cards = " ".join(h.proto.body for h in at.get("html") if "dcim-verdict" in h.proto.body)
    assert "melebihi" not in cards  # the sums are not on the cards either...
    sums = [c.value for x in at.expander if x.label == "Rincian perhitungan" for c in x.caption]
    assert any(
        "PDU-R01-A 1.114 W + 2.400 W = 3.514 W melebihi 2.944 W" in v.replace("\\", "")
        for v in sums
    )  # ...but behind the expander


def test_a_bad_request_file_names_the_field(app) -> None:
    at = app("timdc", "cek")
    bad = b"server:\n  power_w: 300\n  psu: 3\n"
    at.get("file_uploader")[0].set_value(("salah.yaml", bad, "application/yaml")).run()
    next(b for b in at.button if b.key == "cek_run_file").click().run()
    # Named as the form names it, not by its path in the file.
    assert any("salah.yaml: Jumlah catu daya (PSU)" in e.value for e in at.error)
    assert not any("server.psu" in e.value for e in at.error)


def _editor_key(at: AppTest) -> str:
    return next(df.key for df in at.data_editor)


def test_a_bad_inventory_edit_is_refused_and_saves_nothing(app, demo_url: str) -> None:
    at = app("timdc", "inventaris")
    key = _editor_key(at)
    at.session_state[key] = {
        "edited_rows": {0: {"u_height": 500}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    next(b for b in at.button if b.key == "inv_save").click().run()
    refused = " ".join(e.value for e in at.error)
    # The row and column as the table shows them, in Indonesian; not the file's path.
    assert "Rak baris 1, Tinggi (U)" in refused and "paling banyak 100" in refused
    assert "racks[0]" not in refused
    with read_session(get_engine(demo_url)) as session:
        assert session.scalar(select(Rack.u_height).where(Rack.name == "R01")) == 42


def test_a_good_inventory_edit_is_saved_and_audited(app, demo_url: str) -> None:
    at = app("timdc", "inventaris")
    key = _editor_key(at)
    at.session_state[key] = {
        "edited_rows": {0: {"max_weight_kg": 950}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    next(b for b in at.button if b.key == "inv_save").click().run()
    assert not at.exception
    assert any("Tersimpan" in s.value for s in at.success)
    with read_session(get_engine(demo_url)) as session:
        assert session.scalar(select(Rack.max_weight_kg).where(Rack.name == "R01")) == 950
        assert (
            session.scalar(select(AuditEntry).where(AuditEntry.action == "inventory.edit"))
            is not None
        )


def test_others_see_the_inventory_read_only(app) -> None:
    at = app("kabid", "inventaris")
    assert not [b for b in at.button if b.key == "inv_save"]
    assert "Hanya Tim Data Center" in texts(at)


def test_english_is_a_switch_away(app) -> None:
    at = app("timdc", "ringkasan", lang="en")
    assert not at.exception
    shown = texts(at)
    assert "Rack space" in shown and "Ruang rak" not in shown


def test_changing_ones_own_password(app, demo_url: str) -> None:
    at = app("pemantau", "akun")
    inputs = [t for t in at.text_input if t.label != "Nama pengguna"]
    inputs[0].input(DEMO_PASSWORD)
    inputs[1].input("rahasia-baru-2026")
    inputs[2].input("rahasia-baru-2026")
    at.button[0].click().run()
    assert any("sudah diganti" in s.value for s in at.success)
