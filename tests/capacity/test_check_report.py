"""The step-5 examination report of ``dcim check --report``, opened and read back."""

from __future__ import annotations

import json
from pathlib import Path

import docx

EXAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "spec-example"


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_a_feasible_checks_report_names_the_request_the_six_verdicts_and_the_placement(
    run_cli, db_url: str, tmp_path: Path
) -> None:
    assert run_cli("--db", db_url, "load", EXAMPLES / "inventory.yaml").exit_code == 0
    report = tmp_path / "laporan.docx"
    result = run_cli(
        "--db",
        db_url,
        "check",
        EXAMPLES / "request-simpeg.yaml",
        "--on",
        "2026-11-27",
        "--report",
        report,
    )
    assert result.exit_code == 0, result.stderr
    text = _text(report)
    assert "PEMERINTAH KABUPATEN SUMBAWA" in text
    assert "LAPORAN HASIL PEMERIKSAAN KETERSEDIAAN KAPASITAS DATA CENTER" in text
    assert "800/112/BKPSDM/2026" in text
    for resource in ("Tempat", "Listrik", "UPS", "Bandwidth", "IP address", "Domain"):
        assert resource in text
    assert "203.0.113.7" in text and "10.10.1.2" in text
    assert "simpeg-dr.sumbawakab.go.id" in text
    assert "U13–U14" in text
    assert "Kepala Seksi Aplikasi dan E-Government" in text


def test_an_infeasible_checks_report_says_why_in_english(
    run_cli, db_url: str, tmp_path: Path
) -> None:
    assert run_cli("--db", db_url, "load", EXAMPLES / "inventory.yaml").exit_code == 0
    report = tmp_path / "report.docx"
    result = run_cli(
        "--db",
        db_url,
        "check",
        EXAMPLES / "request-too-big.yaml",
        "--on",
        "2026-11-27",
        "--lang",
        "en",
        "--report",
        report,
    )
    assert result.exit_code == 1
    text = _text(report)
    assert "Capacity is NOT AVAILABLE" in text
    assert "Not evaluated" in text  # UPS, after power failed
    assert "206 W" in text  # what would make R01 fit
    assert "reserved" in text  # the domain's reason


def test_the_apps_report_is_signed_by_the_person_who_ran_the_check_and_names_the_hold(
    run_cli, db_url: str
) -> None:
    import io

    from capacity.report import examination_report, examiner_signer
    from dcim.db import get_engine, read_session
    from dcim.documents import to_bytes

    assert run_cli("--db", db_url, "load", EXAMPLES / "inventory.yaml").exit_code == 0
    checked = run_cli(
        "--db", db_url, "check", EXAMPLES / "request-simpeg.yaml", "--on", "2026-11-27", "--json"
    )
    result = json.loads(checked.stdout)
    examiner = examiner_signer("Rizky Ananda Putra, S.T.", "199201182019031006", None, "id")
    with read_session(get_engine(db_url)) as session:
        content = to_bytes(
            examination_report(
                session,
                result,
                {"number": "800/1/X/2026"},
                "id",
                examiner=examiner,
                hold=("RSV-2026-0002", "2026-12-11"),
            )
        )
    document = docx.Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "Rizky Ananda Putra, S.T." in text and "NIP. 199201182019031006" in text
    assert "RSV-2026-0002, berlaku sampai 11 Desember 2026" in text
    assert "800/1/X/2026" in text
