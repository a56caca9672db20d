"""The SOP's documents opened with python-docx: each carries the request's number, the OPD, the
proposal and the signatures; letter numbers follow the pattern and restart each year; the
Berita Acara writes its date in words."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import Engine
from workflow_support import (
    CCTV,
    HAPPY_PATH,
    SIMPEG,
    SUBMITTED_ON,
    act,
    load_demo,
    submit_file,
    walk,
)

from colocation.documents import available_documents, render_document
from colocation.numbering import NUMBERING_SETTING, letter_number, request_code
from colocation.queries import request_detail
from colocation.sop import current_sop
from colocation.terbilang import date_in_words, roman_month, terbilang
from dcim import documents as kit
from dcim.accounts import operator
from dcim.db import ensure_schema, get_engine, read_session, write_session
from dcim.errors import InputError
from dcim.letterhead import read_letterhead_settings, write_letterhead_settings, write_logo
from dcim.models import Setting
from dcim.workdays import today
from dcim_demo import letterhead as demo_letterhead

LOGO = Path(__file__).resolve().parents[1] / "fixtures" / "logo.png"


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One request walked through all fifteen steps (with a failed test) and one rejected."""
    url = f"sqlite:///{tmp_path_factory.mktemp('documents') / 'dcim.db'}"
    engine = get_engine(url)
    ensure_schema(engine)
    load_demo(engine)
    demo_letterhead.load(engine, operator())  # the kop surat `dcim init --demo` stores
    done = submit_file(engine, SIMPEG)
    walk(engine, done, HAPPY_PATH[:9])
    act(engine, done, "test", "timdc", {"tests": _tests("fail")})
    walk(engine, done, HAPPY_PATH[8:])
    rejected = submit_file(engine, CCTV, username="opd.dishub")
    walk(engine, rejected, [*HAPPY_PATH[:5], ("report", "timdc", None), ("reply", "kasi", None)])
    yield {"engine": engine, "done": done, "rejected": rejected}
    engine.dispose()


def _tests(failover: str) -> dict[str, Any]:
    return {
        "usability": {"result": "pass", "detail": "dapat diakses"},
        "uptime_downtime": {"result": "pass", "detail": "8 jam"},
        "resource_utilization": {"result": "pass", "detail": "CPU 40 %"},
        "failover": {"result": failover, "detail": "cabut kabel bonding A, 5 % paket hilang"},
    }


def _text(walked: dict[str, Any], code_key: str, kind: str, lang: str = "id") -> str:
    engine: Engine = walked["engine"]
    with read_session(engine) as session:
        content = render_document(session, walked[code_key], kind, None, lang)
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _detail(walked: dict[str, Any], code_key: str) -> dict[str, Any]:
    from colocation.queries import request_detail

    with read_session(walked["engine"]) as session:
        return request_detail(session, walked[code_key], None, on=SUBMITTED_ON).to_json()


KOP = ("PEMERINTAH KABUPATEN SUMBAWA", "DINAS KOMUNIKASI INFORMATIKA STATISTIK DAN PERSANDIAN")


def test_every_document_of_the_accepted_path_is_issued_and_opens(walked: dict[str, Any]) -> None:
    with read_session(walked["engine"]) as session:
        infos = available_documents(session, walked["done"], None)
    assert [info.kind for info in infos] == [
        "lembar_disposisi",
        "laporan_pemeriksaan",
        "surat_balasan_penerimaan",
        "laporan_pelaksanaan",
        "berita_acara",
    ]
    for info in infos:
        text = _text(walked, "done", info.kind)
        assert all(line in text for line in KOP), info.kind
        assert "800/131/BKPSDM/2026" in text, info.kind


def test_the_lembar_disposisi_records_every_hop_with_its_instruction(
    walked: dict[str, Any],
) -> None:
    text = _text(walked, "done", "lembar_disposisi")
    detail = _detail(walked, "done")
    assert "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia" in text
    assert detail["agenda_number"] in text
    assert "Segera" in text  # the sifat registered at step 1
    for hop in detail["dispositions"]:
        assert hop["instruction"] in text and hop["to"] in text
    assert "Drs. Lalu Muhammad Saleh, M.Si." in text and "Syamsul Hadi, S.Kom." in text


def test_the_lembar_disposisi_is_received_the_day_the_letter_arrived_and_logged_by_the_desk(
    demo: Engine,
) -> None:
    """A letter submitted on Friday 27 and numbered on Monday 30 November was received on the
    27th, as the timeline says; the Kepala Dinas disposes it but does not log the mail, so his
    name is not on the agenda line; each hop has a Paraf column to initial by hand."""
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:2], on=dt.date(2026, 11, 30))
    with read_session(demo) as session:
        detail = request_detail(session, code, None, on=dt.date(2026, 11, 30)).to_json()
        content = render_document(session, code, "lembar_disposisi", None)
    assert detail["received_on"] == "2026-11-27"
    document = docx.Document(io.BytesIO(content))
    fields = {row.cells[0].text: row.cells[-1].text for row in document.tables[1].rows}
    assert fields["Diterima tanggal"] == "27 November 2026"
    hops = document.tables[2]
    assert hops.rows[0].cells[-1].text == "Paraf"
    assert [cell.text for cell in hops.rows[1].cells][-1] == ""
    # Seven columns still fit between the margins.
    assert sum(column.width.cm for column in hops.columns) <= kit.TEXT_WIDTH_CM + 0.01
    logged = [p.text for p in document.paragraphs if p.text.startswith("Dicatat dalam agenda")]
    assert logged == ["Dicatat dalam agenda surat masuk pada 30 November 2026."]
    assert "Drs. Lalu Muhammad Saleh" in hops.rows[1].cells[1].text  # he disposed it


def test_the_examination_report_gives_the_six_checks_the_proposal_and_the_signature(
    walked: dict[str, Any],
) -> None:
    text = _text(walked, "done", "laporan_pemeriksaan")
    detail = _detail(walked, "done")
    number = next(d["number"] for d in detail["documents"] if d["kind"] == "laporan_pemeriksaan")
    assert number.endswith("/DKISS/2026") and number in text
    for resource in ("Tempat", "Listrik", "UPS", "Bandwidth", "IP address", "Domain"):
        assert resource in text
    proposal = detail["check"]["proposal"]
    assert proposal["rack"] in text
    for address in proposal["ipv4"]["server"] + proposal["ipv4"]["management"]:
        assert address in text
    assert "simpeg-backup.sumbawakab.go.id" in text
    assert detail["reservation"]["id"] in text
    assert "Rizky Ananda Putra, S.T." in text and "NIP. 199201182019031006" in text


def test_the_acceptance_letter_asks_the_opd_to_deliver_its_server_by_a_date(
    walked: dict[str, Any],
) -> None:
    text = _text(walked, "done", "surat_balasan_penerimaan")
    detail = _detail(walked, "done")
    assert "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia" in text
    # Tata Naskah Dinas: "Yth." alone, and "di Tempat" without a hyphen.
    lines = text.split("\n")
    addressed = lines.index("Yth. Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia")
    assert lines[addressed + 1] == "di Tempat"
    assert "Kepada" not in text and "di -" not in text
    assert "Dell PowerEdge R640" in text
    deliver_by = dt.date.fromisoformat(detail["reservation"]["expires_at"])
    assert f"{deliver_by.day} " in text and str(deliver_by.year) in text
    assert detail["check"]["proposal"]["rack"] in text
    # The Kasi signs two levels below the head: a.n. the Kepala Dinas, the Kepala Bidang, u.b.,
    # then his own jabatan, which ends with a comma like every jabatan line above it.
    lines = text.split("\n")
    head = next(i for i, line in enumerate(lines) if line.startswith("a.n. Kepala Dinas"))
    assert lines[head + 1 : head + 4] == [
        "Kepala Bidang Teknologi Informasi,",
        "u.b.",
        "Kepala Seksi Aplikasi dan E-Government,",
    ]
    assert "Syamsul Hadi, S.Kom." in text and "NIP. 198405102010011015" in text
    assert "Penata Tingkat I (III/d)" in text  # pangkat/golongan under the name


def _letter_and_attachment(content: bytes) -> tuple[str, str]:
    """The text of a letter up to its page break, and of what follows it, in reading order."""
    from docx.oxml.ns import qn

    parts: list[list[str]] = [[]]
    for element in docx.Document(io.BytesIO(content)).element.body:
        breaks = [b for b in element.iter(qn("w:br")) if b.get(qn("w:type")) == "page"]
        if element.tag == qn("w:p") and breaks:
            parts.append([])
            continue
        parts[-1].append("".join(node.text or "" for node in element.iter(qn("w:t"))))
    assert len(parts) == 2, "one page break, before the attachment"
    return "\n".join(parts[0]), "\n".join(parts[1])


def test_the_acceptance_letter_keeps_the_data_center_s_codes_for_its_attachment(
    walked: dict[str, Any],
) -> None:
    """Another office reads where, which addresses and names, and by when; the rack, units,
    feeds, uplink and hold code go to the one-sheet attachment the letter announces."""
    with read_session(walked["engine"]) as session:
        content = render_document(session, walked["done"], "surat_balasan_penerimaan", None)
    letter, attachment = _letter_and_attachment(content)
    proposal = _detail(walked, "done")["check"]["proposal"]
    hold = _detail(walked, "done")["reservation"]["id"]
    assert "Lampiran:1 (satu) lembar" in letter  # the heading's cells, read in a row
    for address in proposal["ipv4"]["server"]:
        assert f"{address} (server)" in letter
    for address in proposal["ipv4"]["management"]:
        assert f"{address} (manajemen)" in letter
    assert "simpeg-backup.sumbawakab.go.id" in letter
    internal = [proposal["site"], "PDU-", proposal["uplink"], hold, "management", "Hold"]
    assert [code for code in internal if code in letter] == []
    assert "Lampiran Surat Kepala Dinas Komunikasi Informatika Statistik dan Persandian" in (
        attachment
    )
    for code in (f"{proposal['rack']} ({proposal['site']})", "PDU-", proposal["uplink"], hold):
        assert code in attachment, code
    assert "Syamsul Hadi, S.Kom." in attachment  # the attachment is signed as the letter is


def test_the_examination_report_is_written_in_formal_indonesian_and_lists_every_rack(
    walked: dict[str, Any],
) -> None:
    """A naskah dinas says "memiliki" and "menjadi", not "punya" and an arrow, and a report does
    not cut a list short with "dan 4 lainnya": every overloaded feed is in a table."""
    accepted = _text(walked, "done", "laporan_pemeriksaan")
    rejected = _text(walked, "rejected", "laporan_pemeriksaan")
    for text in (accepted, rejected):
        assert "→" not in text and "punya" not in text and "Tidak bisa" not in text
        assert "lainnya" not in text
    assert "rak memiliki 1U kosong berurutan" in accepted
    assert re.search(r"UPS-1: beban [\d.]+ W menjadi [\d.]+ W dari [\d.]+ W", accepted)
    assert "Tidak dapat digunakan: R02" in rejected
    power = _detail(walked, "rejected")["check"]["checks"]["power"]
    overloaded = [(rack["rack"], feed["feed"]) for rack in power["racks"] for feed in rack["feeds"]]
    assert len(overloaded) > 8  # more than the check's own sentence names
    with read_session(walked["engine"]) as session:
        content = render_document(session, walked["rejected"], "laporan_pemeriksaan", None)
    document = docx.Document(io.BytesIO(content))
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Jalur daya")
    assert [(row.cells[0].text, row.cells[1].text) for row in table.rows[1:]] == overloaded
    assert sum(column.width.cm for column in table.columns) <= kit.TEXT_WIDTH_CM + 0.01
    assert "Rincian per rak tercantum pada tabel berikut." in rejected


def test_the_rejection_letter_gives_plain_reasons_and_leaves_the_arithmetic_to_the_report(
    walked: dict[str, Any],
) -> None:
    text = _text(walked, "rejected", "surat_balasan_penolakan")
    detail = _detail(walked, "rejected")
    assert "550/214/DISHUB/2026" in text and "Kepala Dinas Perhubungan" in text
    assert "belum dapat kami penuhi" in text
    # One reason is no list: no number, and a full stop rather than ";".
    assert "\ndaya listrik yang tersedia pada rak tidak mencukupi kebutuhan server.\n" in text
    assert "1. daya" not in text
    # Another office reads no watts, feed names or internal addresses: those are in the report.
    assert detail["check"]["checks"]["power"]["message"] not in text
    assert "PDU-" not in text and " W " not in text
    assert "Laporan Hasil Pemeriksaan terlampir" in text
    assert "Syamsul Hadi, S.Kom." in text
    # The tembusan names officials only: no "Arsip" line.
    assert "1. Kepala Dinas Komunikasi Informatika Statistik dan Persandian" in text
    assert "2. Kepala Bidang Teknologi Informasi" in text
    assert "Arsip" not in text


@pytest.mark.parametrize(
    ("code_key", "kind"),
    [
        ("done", "surat_balasan_penerimaan"),
        ("rejected", "surat_balasan_penolakan"),
        ("done", "berita_acara"),
    ],
)
def test_a_letter_to_another_office_says_it_in_indonesian_and_italicises_the_foreign_word(
    walked: dict[str, Any], code_key: str, kind: str
) -> None:
    """EYD: another office reads "penempatan server (*colocation*)", "catu daya" and "uji
    kinerja"; the one foreign word kept is printed in italics, wherever it stands."""
    with read_session(walked["engine"]) as session:
        content = render_document(session, walked[code_key], kind, None)
    document = docx.Document(io.BytesIO(content))
    paragraphs = list(document.paragraphs) + [
        paragraph
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
    ]
    text = "\n".join(paragraph.text for paragraph in paragraphs)
    for jargon in ("colocation server", "power supply", "performance testing"):
        assert jargon not in text.lower().replace("berita acara pekerjaan colocation server", "")
    assert "penempatan server (colocation)" in text.lower()
    runs = [run for paragraph in paragraphs for run in paragraph.runs]
    foreign = [run for run in runs if "colocation" in run.text.lower()]
    title = "BERITA ACARA PEKERJAAN COLOCATION SERVER"  # the SOP's own name for the document
    assert foreign and all(run.italic for run in foreign if run.text != title)
    assert all(run.text.lower() == "colocation" for run in foreign if run.text != title)
    if kind == "surat_balasan_penerimaan":
        assert "1U, 2 catu daya)" in text
    if kind == "berita_acara":
        assert "lulus uji kinerja" in text


def test_only_the_foreign_word_is_set_in_italics() -> None:
    """The word is its own italic run; the text around it, and a text without it, stay upright."""
    document = docx.Document()
    runs = kit.add_text(document.add_paragraph(), "server (Colocation)", ["colocation"])
    assert [(run.text, run.italic) for run in runs] == [
        ("server (", None),
        ("Colocation", True),
        (")", None),
    ]
    plain = kit.add_text(document.add_paragraph(), "Data Center", ["colocation"])
    assert [(run.text, run.italic) for run in plain] == [("Data Center", None)]


def test_the_implementation_report_records_the_checklist_the_tests_and_monitoring(
    walked: dict[str, Any],
) -> None:
    text = _text(walked, "done", "laporan_pelaksanaan")
    detail = _detail(walked, "done")
    assert detail["device"] in text and "CN7R640BKP01" in text
    assert "Rocky Linux 9.4" in text and "Tidak diperlukan" in text  # load balancing n/a
    assert "Failover" in text and "Berhasil" in text
    assert "dilakukan dua kali" in text  # the failed test and the retest, in words
    # Which test failed the first time, and why.
    assert "Pengujian ke-1" in text
    # Recorded as "5 %"; written as EYD writes a percentage.
    assert "Failover (cabut kabel bonding A, 5% paket hilang)" in text and " %" not in text
    assert "CPU puncak 43%" in text  # the demo's own record, written the same way
    assert "Prometheus" in text and "Zabbix" in text
    assert "Rizky Ananda Putra, S.T." in text


def test_the_implementation_report_times_each_sop_step_once_in_step_order(
    walked: dict[str, Any],
) -> None:
    """Table E is the SOP's steps, not the workflow's log: a test run twice (10, 11, 10, 11) is
    one row for step 10 and one for step 11 with how each ended, the two states of step 8 are
    one row, and the rejection's steps 6 and 7, which an accepted request never passes, read
    "-"; the table stops at step 13, the report's own."""
    with read_session(walked["engine"]) as session:
        content = render_document(session, walked["done"], "laporan_pelaksanaan", None)
    document = docx.Document(io.BytesIO(content))
    timeline = document.tables[-2]
    rows = [[cell.text for cell in row.cells] for row in timeline.rows[1:]]
    assert [row[0] for row in rows] == [str(step) for step in range(1, 14)]
    by_step = {int(row[0]): row for row in rows}
    assert by_step[6][2:] == ["-", "-", "-"] and by_step[7][2:] == ["-", "-", "-"]
    assert by_step[7][1] == "Kepala Seksi bersurat kepada OPD pemohon (penolakan)"
    assert by_step[8][1].startswith("Kepala Seksi bersurat kepada OPD pemohon untuk mengirimkan")
    assert by_step[11][1].startswith("Performance testing")
    assert all(row[3] != "-" for step, row in by_step.items() if step not in (6, 7))


def test_the_implementation_report_lists_only_what_happened_by_its_own_date(demo: Engine) -> None:
    """A report dated 27 November, downloaded after the request closed, still ends with
    its own writing: the receipt and the Berita Acara came later and are not in it."""
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:12])
    for day, step in zip((1, 2, 3, 3, 4), HAPPY_PATH[12:], strict=True):
        walk(demo, code, [step], on=dt.date(2026, 12, day))
    with read_session(demo) as session:
        content = render_document(session, code, "laporan_pelaksanaan", None)
    document = docx.Document(io.BytesIO(content))
    timeline = document.tables[-2]  # the activities table, above the signature
    activities = [row.cells[1].text for row in timeline.rows[1:]]
    done = [row.cells[3].text for row in timeline.rows[1:]]
    assert activities[-1].startswith("Tim Data Center membuat laporan hasil pelaksanaan")
    assert set(done) == {"27 November 2026", "-"}  # "-": the rejection's steps 6 and 7
    signed = "\n".join(cell.text for row in document.tables[-1].rows for cell in row.cells)
    assert "Sumbawa Besar, 27 November 2026" in signed
    assert not any("Berita Acara" in activity for activity in activities)


@pytest.mark.parametrize("kind", ["laporan_pemeriksaan", "laporan_pelaksanaan"])
def test_a_report_is_signed_on_the_right_as_a_letter_is(walked: dict[str, Any], kind: str) -> None:
    with read_session(walked["engine"]) as session:
        content = render_document(session, walked["done"], kind, None)
    left, right = docx.Document(io.BytesIO(content)).tables[-1].rows[0].cells
    assert left.text.strip() == ""
    assert (
        "Rizky Ananda Putra, S.T." in right.text and "Sumbawa Besar, 27 November 2026" in right.text
    )


def test_the_berita_acara_writes_its_date_in_words_and_carries_three_signatures(
    walked: dict[str, Any],
) -> None:
    text = _text(walked, "done", "berita_acara")
    assert (
        "Pada hari ini, Jumat, tanggal dua puluh tujuh, bulan November, tahun dua ribu dua "
        "puluh enam, kami yang bertanda tangan di bawah ini:" in text
    )
    assert "PIHAK PERTAMA" in text and "PIHAK KEDUA" in text and "Mengetahui" in text
    assert "Rizky Ananda Putra, S.T." in text and "NIP. 199201182019031006" in text
    assert "Dewi Kartika Sari, S.Kom." in text and "NIP. 199005262015032004" in text
    assert "Drs. Lalu Muhammad Saleh, M.Si." in text and "NIP. 197003151995031002" in text
    # The second party acts for a named office, its region included, not "the requesting OPD".
    assert (
        "bertindak untuk dan atas nama Badan Kepegawaian dan Pengembangan Sumber Daya Manusia "
        "Kabupaten Sumbawa, selanjutnya disebut PIHAK KEDUA" in text
    )
    assert "OPD pemohon" not in text


def test_a_report_issued_again_after_a_recheck_is_printed_with_its_latest_number(
    demo: Engine,
) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:7])
    late = dt.date(2026, 12, 14)  # the first hold ended on 11 December
    act(demo, code, "recheck", "timdc", on=late)
    walk(demo, code, HAPPY_PATH[4:7], on=late)
    with read_session(demo) as session:
        detail = request_detail(session, code, None, on=late)
        report = render_document(session, code, "laporan_pemeriksaan", None)
        letter = render_document(session, code, "surat_balasan_penerimaan", None)
    numbers = [d["number"] for d in detail.documents if d["kind"] == "laporan_pemeriksaan"]
    assert len(numbers) == 2 and numbers[0] != numbers[1]
    assert [d.number for d in detail.downloads if d.kind == "laporan_pemeriksaan"] == numbers[1:]
    for content in (report, letter):
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
        assert numbers[1] in text and numbers[0] not in text


def test_a_document_is_written_in_the_office_s_language_not_the_reader_s(
    walked: dict[str, Any],
) -> None:
    text = _text(walked, "done", "berita_acara", lang="en")
    assert "PIHAK PERTAMA" in text and "Jumat" in text  # --lang en changes messages, not letters
    engine: Engine = walked["engine"]
    with read_session(engine) as session:
        kept = read_letterhead_settings(session).model_dump(mode="json")
    with write_session(engine) as session:
        write_letterhead_settings(session, operator(), {**kept, "language": "en"})
    try:
        text = _text(walked, "done", "berita_acara")
        assert "FIRST PARTY" in text and "SECOND PARTY" in text and "Friday" in text
    finally:
        with write_session(engine) as session:
            write_letterhead_settings(session, operator(), kept)


def test_the_letterhead_carries_the_office_s_address_contacts_and_logo(demo: Engine) -> None:
    code = submit_file(demo, SIMPEG)
    walk(demo, code, HAPPY_PATH[:7])
    with write_session(demo) as session:
        write_letterhead_settings(
            session,
            operator(),
            {
                "address": "Jalan Garuda Nomor 1, Sumbawa Besar",
                "postal_code": "84311",
                "phone": "(0371) 21234",
                "email": "diskominfo@sumbawakab.example",
                "website": "diskominfo.sumbawakab.example",
            },
        )
        write_logo(session, operator(), LOGO.read_bytes())
    with read_session(demo) as session:
        content = render_document(session, code, "surat_balasan_penerimaan", None)
    document = docx.Document(io.BytesIO(content))
    head = [cell.text for cell in document.tables[0].rows[0].cells][-1]
    assert "Jalan Garuda Nomor 1, Sumbawa Besar, Telepon (0371) 21234, Kode Pos 84311" in head
    assert "Laman diskominfo.sumbawakab.example, Pos-el diskominfo@sumbawakab.example" in head
    assert len(document.inline_shapes) == 1  # the logo, beside the lines


def test_a_demo_letter_carries_the_full_kop_surat_with_a_logo(walked: dict[str, Any]) -> None:
    """Tata Naskah Dinas: the kop names the address, telephone, postal code, website and e-mail,
    beside the regional government's emblem; the demo office's letters are no exception."""
    with read_session(walked["engine"]) as session:
        content = render_document(session, walked["done"], "surat_balasan_penerimaan", None)
    document = docx.Document(io.BytesIO(content))
    head = document.tables[0].rows[0].cells[-1].text
    assert "Jalan Garuda Nomor 1, Sumbawa Besar" in head
    assert "Telepon (0371) 21234" in head and "Faksimile (0371) 21235" in head
    assert "Kode Pos 84311" in head
    assert "Laman diskominfo.sumbawakab.go.id" in head
    assert "Pos-el diskominfo@sumbawakab.go.id" in head
    assert len(document.inline_shapes) == 1  # the emblem shipped in dcim_demo/data


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("postal_code", "8431", "Kode pos"),
        ("phone", "call us", "Telepon"),
        ("website", "not a site", "Laman"),
        ("email", "diskominfo at sumbawa", "Pos-el (surel) kantor"),
        ("language", "fr", "Bahasa surat"),
    ],
)
def test_a_bad_letterhead_line_is_refused_naming_its_field(
    engine: Engine, field: str, value: str, label: str
) -> None:
    with write_session(engine) as session, pytest.raises(InputError) as refused:
        write_letterhead_settings(session, operator(), {field: value})
    assert [problem.path for problem in refused.value.problems] == [label]


def test_a_logo_that_is_not_an_image_is_refused(engine: Engine) -> None:
    with write_session(engine) as session, pytest.raises(InputError) as refused:
        write_logo(session, operator(), b"%PDF-1.7 not an image")
    (problem,) = refused.value.problems
    assert problem.path == "Logo kop surat" and "PNG atau JPEG" in problem.message


def test_a_document_not_yet_issued_is_refused(walked: dict[str, Any]) -> None:
    with read_session(walked["engine"]) as session, pytest.raises(InputError, match="belum"):
        render_document(session, walked["rejected"], "berita_acara", None)


def test_the_documents_command_writes_every_file_of_a_request(
    walked: dict[str, Any], tmp_path: Path, run_cli: Any
) -> None:
    url = walked["engine"].url.render_as_string(hide_password=False)
    result = run_cli("--db", url, "request", "documents", walked["done"], "-o", tmp_path)
    assert result.exit_code == 0, result.stderr
    names = sorted(path.name for path in tmp_path.iterdir())
    assert len([n for n in names if n.endswith(".docx")]) == 5
    assert f"{walked['done']}-prometheus-file-sd.json" in names
    assert f"{walked['done']}-zabbix-hosts.yaml" in names


# --- numbers and dates in words -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "nol"),
        (11, "sebelas"),
        (19, "sembilan belas"),
        (23, "dua puluh tiga"),
        (100, "seratus"),
        (115, "seratus lima belas"),
        (1000, "seribu"),
        (1945, "seribu sembilan ratus empat puluh lima"),
        (2026, "dua ribu dua puluh enam"),
        (1_000_000, "satu juta"),
    ],
)
def test_numbers_are_written_out_in_indonesian(number: int, words: str) -> None:
    assert terbilang(number) == words


def test_the_berita_acara_date_sets_off_each_part_with_a_comma() -> None:
    """Tata Naskah Dinas: "Pada hari ini, Senin, tanggal dua puluh tiga, bulan Maret, ..."."""
    assert date_in_words(dt.date(2026, 3, 23)) == (
        "Senin, tanggal dua puluh tiga, bulan Maret, tahun dua ribu dua puluh enam"
    )


def test_letter_numbers_follow_the_pattern_and_restart_each_year(engine: Engine) -> None:
    sop = current_sop()
    with write_session(engine) as session:
        numbers = [
            letter_number(session, sop, "surat_balasan_penerimaan", dt.date(2026, 12, 30)),
            letter_number(session, sop, "laporan_pemeriksaan", dt.date(2026, 12, 31)),
            letter_number(session, sop, "berita_acara", dt.date(2026, 12, 31)),
            letter_number(session, sop, "surat_balasan_penolakan", dt.date(2027, 1, 4)),
        ]
        codes = [
            request_code(session, dt.date(2026, 12, 31)),
            request_code(session, dt.date(2027, 1, 4)),
        ]
    assert numbers == [
        "555/001/DKISS/2026",
        "555/002/DKISS/2026",
        "027/003/DKISS/2026",
        "555/001/DKISS/2027",
    ]
    assert codes == ["REQ-2026-0001", "REQ-2027-0001"]


def test_the_operator_can_change_the_numbering_pattern(engine: Engine) -> None:
    sop = current_sop()
    with write_session(engine) as session:
        session.add(
            Setting(
                key=NUMBERING_SETTING,
                value={
                    "pattern": "{kode_klasifikasi}/{nomor_urut}/{kode_unit}/{bulan_romawi}/{tahun}",
                    "kode_unit": "DISKOMINFO-SBW",
                },
            )
        )
    with write_session(engine) as session:
        number = letter_number(session, sop, "berita_acara", dt.date(2026, 11, 27))
    assert number == "027/1/DISKOMINFO-SBW/XI/2026"


def test_a_broken_numbering_setting_is_refused_by_name(engine: Engine) -> None:
    sop = current_sop()
    with write_session(engine) as session:
        session.add(Setting(key=NUMBERING_SETTING, value={"pattern": "{nomor}/{tahun}"}))
    with (
        write_session(engine) as session,
        pytest.raises(InputError, match=r"letter_numbering\.pattern"),
    ):
        letter_number(session, sop, "berita_acara", dt.date(2026, 11, 27))


def test_the_numbering_command_changes_the_pattern_and_shows_an_example_for_today(
    engine: Engine, run_cli: Any
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    pattern = "{kode_klasifikasi}/{nomor_urut}/{kode_unit}/{bulan_romawi}/{tahun}"
    result = run_cli(
        "--db",
        url,
        "request",
        "numbering",
        "--pattern",
        pattern,
        "--kode-unit",
        "DISKOMINFO-SBW",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    with read_session(engine) as session:
        day = today(session)
    shown = json.loads(result.stdout)
    assert shown["pattern"] == pattern
    assert shown["example"] == f"555/12/DISKOMINFO-SBW/{roman_month(day.month)}/{day.year}"


def test_a_numbering_option_that_breaks_a_rule_is_refused_by_name_and_not_stored(
    engine: Engine, run_cli: Any
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    result = run_cli("--db", url, "request", "numbering", "--pattern", "{nomor}/{tahun}")
    assert result.exit_code == 2
    # The operator reads it in Bahasa Indonesia, at the option they typed.
    assert "--pattern: isian nomor tidak dikenal" in result.stderr
    with read_session(engine) as session:
        assert session.get(Setting, NUMBERING_SETTING) is None


# --- the documents as PDF, as an office sends them -------------------------------------------


def _pdf_pages(pdf: bytes, folder: Path) -> list[bytes]:
    """Each page of the PDF drawn by poppler's pdftoppm (grey, 40 dpi), as PGM bytes."""
    import subprocess

    source = folder / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", str(source), str(folder / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return [page.read_bytes() for page in sorted(folder.glob("page*.pgm"))]


def _pdf_text(pdf: bytes, folder: Path) -> str:
    import subprocess

    source = folder / "document.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return " ".join(done.stdout.split())


@pytest.mark.slow
def test_every_document_is_ready_to_send_as_a_pdf_that_renders_and_reads_back(
    walked: dict[str, Any], tmp_path: Path
) -> None:
    from colocation.documents.pdf import render_document_pdf

    engine: Engine = walked["engine"]
    expected = {
        ("done", "lembar_disposisi"): ["LEMBAR DISPOSISI", "Drs. Lalu Muhammad Saleh, M.Si."],
        ("done", "laporan_pemeriksaan"): ["LAPORAN HASIL PEMERIKSAAN", "Rizky Ananda Putra, S.T."],
        ("done", "surat_balasan_penerimaan"): ["a.n. Kepala Dinas", "u.b.", "Syamsul Hadi, S.Kom."],
        ("done", "laporan_pelaksanaan"): ["Pengujian ke-1", "Failover"],
        ("done", "berita_acara"): ["PIHAK PERTAMA", "PIHAK KEDUA", "Pembina Utama Muda (IV/c)"],
        ("rejected", "surat_balasan_penolakan"): ["daya listrik yang tersedia", "terlampir"],
    }
    with read_session(engine) as session:
        for (key, kind), words in expected.items():
            folder = tmp_path / kind
            folder.mkdir()
            pdf = render_document_pdf(session, walked[key], kind, None)
            assert pdf.startswith(b"%PDF"), kind
            pages = _pdf_pages(pdf, folder)
            assert pages, f"{kind}: pdftoppm drew no page"
            # A drawn page is not blank: some of its pixels are dark (text, rules, tables).
            # PGM: "P5", width height, maximum, then one byte per pixel.
            pixels = [page.split(b"\n", 3)[3] for page in pages]
            assert all(min(data) < 128 for data in pixels), f"{kind}: a blank page"
            text = _pdf_text(pdf, folder)
            assert "PEMERINTAH KABUPATEN SUMBAWA" in text, kind  # the kop surat
            for word in words:
                assert word in text, (kind, word)


def _pdf_pages_text(pdf: bytes, folder: Path) -> list[str]:
    """The text of each page of the PDF (pdftotext, one entry per page, lines kept)."""
    import subprocess

    source = folder / "document.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", "-layout", str(source), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return [page for page in done.stdout.split("\f") if page.strip()]


def _pages_with(pages: list[str], text: str) -> frozenset[int]:
    found = frozenset(index for index, page in enumerate(pages) if text in page)
    assert found, text
    return found


@pytest.mark.slow
def test_a_signature_block_and_its_tembusan_are_never_split_across_pages(
    walked: dict[str, Any], tmp_path: Path
) -> None:
    """Tata Naskah Dinas: who signs (a.n., jabatan), the name and the NIP are read on one
    page, with the tembusan under them; pages are numbered from the second, at the foot."""
    from colocation.documents.pdf import render_document_pdf

    kasi = ("a.n. Kepala Dinas", "Kepala Seksi Aplikasi", "Syamsul Hadi, S.Kom.")
    expected = {
        ("done", "surat_balasan_penerimaan"): (*kasi, "NIP. 198405102010011015", "Tembusan:"),
        ("rejected", "surat_balasan_penolakan"): (*kasi, "NIP. 198405102010011015", "Tembusan:"),
        ("done", "laporan_pelaksanaan"): (
            "Sumbawa Besar, 27 November 2026",
            "Rizky Ananda Putra, S.T.",
            "NIP. 199201182019031006",
        ),
        ("done", "berita_acara"): (
            "Mengetahui,",
            "Drs. Lalu Muhammad Saleh, M.Si.",
            "197003151995031002",
        ),
    }
    engine: Engine = walked["engine"]
    longest = 0
    with read_session(engine) as session:
        for (key, kind), lines in expected.items():
            folder = tmp_path / kind
            folder.mkdir()
            pages = _pdf_pages_text(render_document_pdf(session, walked[key], kind, None), folder)
            # Each line on the same pages as the others (an attachment is signed again),
            # and the tembusan on a page of the signature.
            on = {line: _pages_with(pages, line) for line in lines if line != "Tembusan:"}
            assert len(set(on.values())) == 1, (kind, on)
            if "Tembusan:" in lines:
                assert _pages_with(pages, "Tembusan:") <= next(iter(on.values())), kind
            # The foot of page 2 on carries its number; the first page has none.
            feet = [page.strip().splitlines()[-1].strip() for page in pages]
            assert feet[1:] == [str(n) for n in range(2, len(pages) + 1)], (kind, feet)
            assert feet[0] != "1", kind
            longest = max(longest, len(pages))
    assert longest >= 3  # the page numbers were seen on more than one page


def test_key_value_tables_give_their_grid_the_widths_of_their_cells(
    walked: dict[str, Any],
) -> None:
    """LibreOffice lays a table out by its grid: three equal columns wrapped every value."""
    from docx.oxml.ns import qn

    with read_session(walked["engine"]) as session:
        content = render_document(session, walked["done"], "surat_balasan_penerimaan", None)
    document = docx.Document(io.BytesIO(content))
    heading = document.tables[1]  # Nomor, Sifat, Lampiran, Hal, under the kop
    assert heading.rows[0].cells[0].text == "Nomor"
    grid = [int(col.get(qn("w:w"))) for col in heading._tbl.tblGrid.findall(qn("w:gridCol"))]
    cells = [cell.width.twips for cell in heading.rows[0].cells]
    assert grid == cells
    assert grid[1] < grid[0] < grid[2]  # the colon's column is narrow, the value's wide


def test_a_list_of_reasons_reads_as_one_sentence() -> None:
    """Each reason ends with ';' and the last with '.'; a lone reason is one sentence."""
    from dcim.documents import list_punctuated

    assert list_punctuated(["ruang rak tidak cukup;", "daya tidak cukup;"]) == [
        "ruang rak tidak cukup;",
        "daya tidak cukup.",
    ]
    assert list_punctuated(["alamat IP belum tersedia;"]) == ["alamat IP belum tersedia."]


def test_a_document_s_text_is_marked_as_indonesian(walked: dict[str, Any]) -> None:
    """Word checks spelling in the language the text is marked with: en-US flagged every word."""
    from docx.oxml.ns import qn

    with read_session(walked["engine"]) as session:
        content = render_document(session, walked["done"], "berita_acara", None)
    document = docx.Document(io.BytesIO(content))
    styles = document.styles.element
    marks = [mark.get(qn("w:val")) for mark in styles.iter(qn("w:lang"))]
    assert marks and set(marks) == {"id-ID"}
    assert document.core_properties.language == "id-ID"


def test_a_refusal_for_space_writes_the_height_as_the_letter_does_elsewhere() -> None:
    """'1U' throughout a letter (as in the server's description), never '1 U' beside it."""
    from dcim.i18n import t

    assert "setinggi 2U;" in t("workflow.doc.plain_reason.space", "id", u=2)
    assert "a 2U server" in t("workflow.doc.plain_reason.space", "en", u=2)
