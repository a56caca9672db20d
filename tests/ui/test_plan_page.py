"""The Rencana kebutuhan page: the Kepala Bidang plans the demo year and gets the Nota Dinas."""

from __future__ import annotations

from dcim_ui.registry import pages_for


def test_the_kepala_bidang_plans_the_demo_year_and_sees_the_total_and_the_nota_dinas(app) -> None:
    at = app("kabid", "rencana")
    assert not at.exception, at.exception
    at.radio(key="rencana_source").set_value("Contoh demo 2027").run()
    at.button(key="rencana_run").click().run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    # The demo's year needs both UPS at 30 kVA, R07's feeds at 32 A and a /29: Rp 311 million.
    assert metrics["Total anggaran"] == "Rp 311.000.000"
    assert metrics["Pembelian"] == "5"
    table = at.dataframe[0].value
    assert "Jalur PDU-R07-A menjadi 32 A" in set(table["Kebutuhan"])


def test_the_plan_page_is_for_the_kepala_bidang_and_the_administrator() -> None:
    assert "rencana" in {p.spec.key for p in pages_for("kabid_ti")}
    assert "rencana" in {p.spec.key for p in pages_for("admin")}
    assert "rencana" not in {p.spec.key for p in pages_for("tim_dc")}
    assert "rencana" not in {p.spec.key for p in pages_for("opd")}
