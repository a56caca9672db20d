"""``dcim request``: the colocation request workflow of the SOP, step by step, on the command line.

Each command is a thin layer over :mod:`colocation`: it resolves ``--as
USER``, reads the files it is given, calls the service and prints the
answer. A wrong role or a wrong step exits with code 2 and the reason on
stderr; nothing is changed then.

Acting as a person (``act``, ``submit --as``) needs proof: a token
(``--token`` / ``$DCIM_TOKEN``) or the password (see :mod:`cli.identity`).
``submit`` without ``--as`` or a token registers a paper letter as the
operator. Looking as a person (``list``, ``show``, ``documents``,
``monitoring`` with ``--as``) is a read and needs no proof: it shows no
more than the operator, who has the database, may see anyway.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from dcim import i18n
from dcim.errors import InputError, Problem
from dcim.i18n import t

from . import context
from .context import read_session, write_session
from .identity import PasswordStdinOption, TokenOption, operator_actor, proven_person

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from dcim.models import User

request_app = typer.Typer(
    rich_markup_mode=None,
    help="Permohonan colocation server: the SOP's 15 steps (submit, list, show, act, documents).",
    no_args_is_help=True,
)


@request_app.callback()
def _workflow_words() -> None:
    # Every request command speaks the workflow's words, some before it opens the database.
    context.load_layers()


AsOption = Annotated[
    str | None, typer.Option("--as", help="Act or look as this user (their role decides).")
]
OnOption = Annotated[
    str | None, typer.Option("--on", help="The date it counts for, YYYY-MM-DD (default: today).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print exactly one JSON document.")]
LangOption = Annotated[str | None, typer.Option("--lang", help="Language of messages: id or en.")]


def _user(session: Session, name: str | None, lang: str) -> User | None:
    """The active user ``--as`` names, for reading (no proof needed); None when it names nobody."""
    if name is None:
        return None
    from dcim.accounts import find_user

    user = find_user(session, name)
    if user is None:
        raise InputError([Problem("--as", t("workflow.unknown_user", lang, user=name))])
    return user


def _due_text(due: dt.date | None, lang: str) -> str:
    return i18n.date(due, lang) if due else "-"


# --- submit -------------------------------------------------------------------------------------


@request_app.command("submit")
def submit(
    file: Annotated[
        Path, typer.Argument(help="The request as YAML (the contract's request format).")
    ],
    attach: Annotated[
        Path | None,
        typer.Option("--attach", help="The scanned letter (PDF, JPEG or PNG)."),
    ] = None,
    as_user: AsOption = None,
    token: TokenOption = None,
    password_stdin: PasswordStdinOption = False,
    on: OnOption = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Register a request letter (SOP step 1); prints its code.

    As a person (``--as`` or a token) with proof; else the operator registers a paper letter.
    """
    from colocation.queries import request_detail
    from colocation.sop import current_sop
    from colocation.workflow import ScannedLetter
    from colocation.workflow import submit as submit_request
    from dcim.inventory.yamlio import read_yaml_file

    language = context.language(lang)
    engine = context.engine()
    data = read_yaml_file(file)
    letter = None
    if attach is not None:
        try:
            # One byte over the SOP's limit is enough to refuse it; an endless file is not read whole.
            with attach.open("rb") as handle:
                content = handle.read(current_sop().attachment.max_bytes + 1)
            letter = ScannedLetter(attach.name, content)
        except OSError as exc:
            raise InputError(
                [Problem("--attach", t("workflow.cli.cannot_read", language, reason=exc.strerror))],
                str(attach),
            ) from exc
    person = proven_person(engine, as_user, token, password_stdin, language)
    with context.as_options({"on": "--on"}):
        code = submit_request(
            engine,
            data,
            person if person is not None else operator_actor(),
            source=str(file),
            letter=letter,
            on=context.parse_date(on, "--on", language),
            lang=language,
        )
    _announce(engine, language)
    with read_session(engine) as session:
        detail = request_detail(session, code, person, lang=language)
    if json_out:
        context.print_json(detail.to_json())
        return
    row = detail.row
    typer.echo(
        t(
            "workflow.submitted",
            language,
            code=code,
            opd=row.tenant,
            number=row.letter_number,
            step=row.step,
            state=row.state_title,
        )
    )
    typer.echo(t("workflow.due", language, date=_due_text(row.due_on, language)))


# --- list ---------------------------------------------------------------------------------------


@request_app.command("list")
def list_(
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only open requests past their due date.")
    ] = False,
    mine: Annotated[
        bool, typer.Option("--mine", help="Only requests waiting for the --as user's role.")
    ] = False,
    status: Annotated[
        str | None, typer.Option("--status", help="open, rejected, withdrawn or done.")
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="At most this many, most urgent first.")
    ] = None,
    as_user: AsOption = None,
    on: OnOption = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """The requests the user may see: where each waits, for whom, and by when."""
    from colocation.choices import RequestStatus
    from colocation.queries import list_requests, my_tasks

    language = context.language(lang)
    if status is not None and status not in RequestStatus.values():
        raise InputError(
            [
                Problem(
                    "--status",
                    t(
                        "workflow.cli.one_of",
                        language,
                        allowed=", ".join(RequestStatus.values()),
                        got=status,
                    ),
                )
            ]
        )
    with read_session(context.engine()) as session:
        user = _user(session, as_user, language)
        if mine:
            if user is None:
                raise InputError([Problem("--as", t("workflow.sign_in", language))])
            rows = my_tasks(
                session,
                user,
                on=context.parse_date(on, "--on", language),
                limit=limit,
                lang=language,
            )
        else:
            rows = list_requests(
                session,
                user,
                status=status,
                overdue=overdue,
                on=context.parse_date(on, "--on", language),
                limit=limit,
                lang=language,
            )
    if json_out:
        context.print_json([row.to_json() for row in rows])
        return
    if not rows:
        typer.echo(t("workflow.cli.no_overdue" if overdue else "workflow.cli.none", language))
        return
    header = [
        t(f"workflow.cli.{key}", language) for key in ("code", "opd", "step", "status", "due")
    ] + [t("workflow.cli.purpose", language)]
    table = [
        [
            row.code,
            row.tenant,
            str(row.step),
            row.status_title,
            _due_text(row.due_on, language)
            + (f" {t('workflow.cli.overdue_flag', language)}" if row.overdue else ""),
            row.purpose or "",
        ]
        for row in rows
    ]
    _print_table(header, table)


def _print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for line in [header, *rows]:
        typer.echo("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())


# --- show ---------------------------------------------------------------------------------------


@request_app.command("show")
def show(
    request_id: Annotated[str, typer.Argument(metavar="ID", help="Request code or number.")],
    as_user: AsOption = None,
    on: OnOption = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """One request: its SOP step, status, due date, timeline, history and the user's actions now."""
    from colocation.queries import request_detail

    language = context.language(lang)
    with read_session(context.engine()) as session:
        user = _user(session, as_user, language)
        detail = request_detail(
            session, request_id, user, on=context.parse_date(on, "--on", language), lang=language
        )
    if json_out:
        context.print_json(detail.to_json())
        return
    _print_detail(detail.to_json(), language)


def _print_detail(doc: dict[str, Any], lang: str) -> None:
    def day(value: str | None) -> str:
        return i18n.date(dt.date.fromisoformat(value), lang) if value else "-"

    def label(key: str) -> str:
        return t(f"workflow.cli.{key}", lang)

    typer.echo(f"{doc['code']}  {doc['tenant_name']} — {doc['purpose'] or ''}")
    typer.echo(
        f"{label('letter')}: {doc['letter_number'] or '-'} ({day(doc['letter_date'])})"
        + (
            f"   {label('agenda')}: {doc['agenda_number']} "
            f"({t('workflow.urgency.' + str(doc['urgency']), lang)})"
            if doc["agenda_number"]
            else ""
        )
    )
    if doc["status"] == "open":
        typer.echo(
            label("waiting_at").format(
                step=doc["step"], state=doc["state_title"], role=doc["role_title"]
            )
        )
        overdue = f"  [{label('overdue_flag')}]" if doc["overdue"] else ""
        typer.echo(t("workflow.due", lang, date=day(doc["due_on"])) + overdue)
    else:
        typer.echo(
            label("ended").format(
                status=doc["status_title"], date=day(doc["closed_on"]), step=doc["step"]
            )
        )
    actions = ", ".join(f"{a['name']} ({a['title']})" for a in doc["actions"])
    typer.echo(f"{label('your_actions')}: {actions or label('no_actions')}")
    if doc["reservation"]:
        hold = doc["reservation"]
        typer.echo(
            f"{label('reservation')}: {hold['id']} ({hold['status']}) → {day(hold['expires_at'])}"
        )
    if doc["device"]:
        typer.echo(f"{label('device')}: {doc['device']}")
    _print_check(doc.get("check"), lang)
    typer.echo(f"\n{label('timeline')}:")
    for entry in doc["timeline"]:
        late = (
            f"  ! {label('late').format(days=entry['working_days_late'])}" if entry["late"] else ""
        )
        by = f"  {entry['by']}" if entry["by"] else ""
        typer.echo(
            f"  {entry['step']:>2}  {entry['title']}\n"
            f"      {label('entered')} {day(entry['entered_on'])}"
            f"  {label('deadline')} {day(entry['due_on'])}"
            f"  {label('done_on')} {day(entry['done_on'])}{by}{late}"
        )
    if doc["upcoming"]:
        typer.echo(f"\n{label('upcoming')}:")
        for step in doc["upcoming"]:
            standard = (
                f" ({label('working_days').format(days=step['working_days'])})"
                if step["working_days"] is not None
                else ""
            )
            typer.echo(f"  {step['step']:>2}  {step['title']}{standard}")
    typer.echo(f"\n{label('history')}:")
    for event in doc["history"]:
        note = f" — {event['note']}" if event["note"] else ""
        outcome = f" [{event['outcome']}]" if event["outcome"] else ""
        typer.echo(
            f"  #{event['seq']} {day(event['on'])} {event['user'] or '-'} ({event['role'] or '-'}) "
            f"{event['action']}: {event['from_step'] or '·'} → {event['to_step']}{outcome}{note}"
        )
    if doc["documents"]:
        typer.echo(f"\n{label('documents')}:")
        for document in doc["documents"]:
            number = f" {document['number']}" if document["number"] else ""
            typer.echo(f"  {document['title']}{number} ({day(document['issued_on'])})")
    if doc["attachments"]:
        typer.echo(f"\n{label('attachments')}:")
        for attachment in doc["attachments"]:
            typer.echo(
                f"  {attachment['filename']} ({attachment['media_type']}, "
                f"{attachment['size_bytes']} B)"
            )


# --- act ----------------------------------------------------------------------------------------


@request_app.command("act")
def act(
    request_id: Annotated[str, typer.Argument(metavar="ID", help="Request code or number.")],
    action: Annotated[str, typer.Argument(help="The action, as `show` lists it.")],
    as_user: Annotated[
        str | None,
        typer.Option("--as", help="The user who acts (their role decides); proven by --token."),
    ] = None,
    token: TokenOption = None,
    password_stdin: PasswordStdinOption = False,
    note: Annotated[
        str | None, typer.Option("--note", help="A note (for a disposition: its instruction).")
    ] = None,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="The action's data as YAML or JSON (checklist, tests, ...)."),
    ] = None,
    on: OnOption = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Perform the SOP action of the request's current step, as the user (proven: token or password)."""
    from colocation.action_document import action_document
    from colocation.workflow import perform
    from dcim.inventory.yamlio import read_yaml_file

    language = context.language(lang)
    engine = context.engine()
    if as_user is None and not token:
        raise InputError([Problem("--as", t("workflow.sign_in", language))])
    payload = read_yaml_file(data) if data is not None else None
    user = proven_person(engine, as_user, token, password_stdin, language)
    with context.as_options({"on": "--on", "note": "--note"}):
        result = perform(
            engine,
            request_id,
            action,
            user,
            note=note,
            data=payload,
            data_source=str(data) if data is not None else None,
            on=context.parse_date(on, "--on", language),
            lang=language,
        )
    _announce(engine, language)
    if json_out:
        context.print_json(action_document(result))
        return
    typer.echo(result.message)
    if result.outcome is not None:
        typer.echo(_outcome_text(result, language))
    if result.outcome in ("available", "unavailable"):
        # The step-5 answer in the words `show` uses: the verdict naming the resource(s).
        from colocation.queries import request_detail

        with read_session(engine) as session:
            check = request_detail(session, result.code, user, lang=language).check
        _print_check(check, language)
    if result.status == "open":
        typer.echo(
            t("workflow.due", language, date=_due_text(result.due_on, language))
            if result.due_on
            else t("workflow.no_due", language)
        )


def _announce(engine: Engine, lang: str) -> None:
    """E-mail the people the request now waits for (when mail is set up; see ``dcim notify``).

    The action is already recorded: a notice that cannot go out stays in the outbox for
    ``dcim notify run`` and is reported on stderr, never as the action's failure.
    """
    from colocation.notifications import dispatch

    result = dispatch(engine, lang=lang, after_action=True)
    if result.failed:
        context.err(t("workflow.cli.notice_failed", lang, count=result.failed))


def _print_check(check: dict[str, Any] | None, lang: str) -> None:
    """The recorded step-5 check: its summary, then each failed resource with its one sentence."""
    if not check:
        return
    from capacity.messages import explanation

    lines = explanation(check, lang)
    typer.echo(f"{t('workflow.cli.check', lang)}: {lines[0]}")
    for line in lines[1:]:
        typer.echo(f"  {line}")


def _outcome_text(result: Any, lang: str) -> str:
    if result.outcome == "available":
        return t(
            "workflow.outcome.available",
            lang,
            hold=result.reservation_code or "-",
            date=_due_text(result.hold_expires_on, lang),
        )
    if result.outcome == "failed":
        return t("workflow.outcome.failed", lang, failed=", ".join(result.failed_tests))
    return t(f"workflow.outcome.{result.outcome}", lang)


# --- documents and exports ---------------------------------------------------------------------


@request_app.command("documents")
def documents(
    request_id: Annotated[str, typer.Argument(metavar="ID", help="Request code or number.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder to write the files to.")],
    fmt: Annotated[
        str, typer.Option("--format", help="docx, or pdf (converted by LibreOffice).")
    ] = "docx",
    as_user: AsOption = None,
    lang: LangOption = None,
) -> None:
    """Write the request's documents (DOCX or PDF), its monitoring exports and its scanned letter to DIR."""
    from colocation.documents.pdf import (
        DocumentFormat,
        DocumentPdfUnavailable,
        filename_as,
        render_document_as,
    )
    from colocation.monitoring import prometheus_json, request_targets, zabbix_yaml
    from colocation.queries import attachment_content, request_detail

    language = context.language(lang)
    formats = [f.value for f in DocumentFormat]
    if fmt not in formats:
        allowed = ", ".join(formats)
        raise InputError(
            [Problem("--format", t("workflow.cli.one_of", language, allowed=allowed, got=fmt))]
        )
    if output.exists() and not output.is_dir():
        raise InputError([Problem("-o", t("workflow.cli.not_a_folder", language))], str(output))
    written: list[Path] = []
    with read_session(context.engine()) as session:
        user = _user(session, as_user, language)
        detail = request_detail(session, request_id, user, lang=language)
        code = detail.row.code
        try:
            files: list[tuple[str, bytes]] = [
                (
                    filename_as(info.filename, fmt),
                    render_document_as(session, code, info.kind, user, fmt, language),
                )
                for info in detail.downloads
            ]
        except DocumentPdfUnavailable as exc:
            # Nothing is written: a folder with half the documents would look complete.
            raise InputError([Problem("--format", str(exc))]) from exc
        targets = request_targets(session, code, user, language)
        if targets:
            version = targets[0]["zabbix"]["version"]
            files.append((f"{code}-prometheus-file-sd.json", prometheus_json(targets).encode()))
            files.append((f"{code}-zabbix-hosts.yaml", zabbix_yaml(targets, version).encode()))
        for attachment in detail.attachments:
            name, _, content = attachment_content(session, code, attachment["id"], user, language)
            files.append((f"{code}-lampiran-{name}", content))
    if not files:
        typer.echo(t("workflow.cli.nothing_written", language, code=code))
        return
    output.mkdir(parents=True, exist_ok=True)
    for name, content in files:
        path = output / name
        path.write_bytes(content)
        written.append(path)
    for path in written:
        typer.echo(t("workflow.cli.written", language, path=path))


@request_app.command("monitoring")
def monitoring(
    fmt: Annotated[
        str,
        typer.Option("--format", help="prometheus (file_sd JSON) or zabbix (host import YAML)."),
    ] = "prometheus",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write to this file instead of stdout.")
    ] = None,
    as_user: AsOption = None,
    lang: LangOption = None,
) -> None:
    """Every monitored server (SOP step 12) in a format the monitoring system imports."""
    from colocation.monitoring import monitored_targets, prometheus_json, zabbix_yaml
    from colocation.sop import current_sop

    language = context.language(lang)
    if fmt not in ("prometheus", "zabbix"):
        raise InputError(
            [
                Problem(
                    "--format",
                    t("workflow.cli.one_of", language, allowed="prometheus, zabbix", got=fmt),
                )
            ]
        )
    with read_session(context.engine()) as session:
        user = _user(session, as_user, language)
        targets = monitored_targets(session, user)
    text = (
        prometheus_json(targets)
        if fmt == "prometheus"
        else zabbix_yaml(targets, current_sop().monitoring.zabbix.version)
    )
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    context.err(t("workflow.cli.monitoring_written", language, count=len(targets), path=output))


@request_app.command("sop")
def sop(
    file: Annotated[
        Path | None, typer.Argument(help="An SOP file to check (default: the one in use).")
    ] = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Check an SOP file and list its steps: who acts, what they may do, the time standard."""
    from colocation.sop import current_sop, read_sop, sop_path

    language = context.language(lang)
    chosen = read_sop(file) if file is not None else current_sop()
    if json_out:
        context.print_json(chosen.model_dump(mode="json"))
        return
    typer.echo(
        t(
            "workflow.cli.sop_ok",
            language,
            file=file or sop_path(),
            states=len(chosen.states),
            steps=chosen.max_step(),
        )
    )
    for state in chosen.states:
        standard = (
            f" [{t('workflow.cli.working_days', language, days=state.working_days)}]"
            if state.working_days is not None
            else ""
        )
        typer.echo(f"{state.step:>2}  {state.title.get(language)}{standard}")
        typer.echo(f"    {chosen.role_title(state.role, language)}")
        for action in state.actions:
            where = ", ".join(
                f"{name} → {target}" for name, target in (action.outcomes or {}).items()
            ) or str(action.to)
            typer.echo(f"    - {action.name}: {action.title.get(language)} ({where})")


@request_app.command("numbering")
def numbering(
    pattern: Annotated[
        str | None,
        typer.Option(
            "--pattern",
            help="Letter numbers, e.g. '{kode_klasifikasi}/{nomor_urut:03d}/{kode_unit}/{tahun}'.",
        ),
    ] = None,
    kode_unit: Annotated[
        str | None, typer.Option("--kode-unit", help="The office's unit code (DKISS).")
    ] = None,
    agenda_pattern: Annotated[
        str | None,
        typer.Option("--agenda-pattern", help="Agenda numbers, e.g. '{nomor_urut:03d}/{tahun}'."),
    ] = None,
    json_out: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Show the letter numbering in use; with options, change it (checked before it is stored)."""
    from colocation.numbering import format_number, numbering_for, set_numbering
    from colocation.sop import current_sop
    from dcim.workdays import today

    language = context.language(lang)
    sop = current_sop()
    engine = context.engine()
    changes = {"pattern": pattern, "kode_unit": kode_unit, "agenda_pattern": agenda_pattern}
    with write_session(engine) as session:
        if any(value is not None for value in changes.values()):
            chosen = set_numbering(session, operator_actor(), sop, changes)
        else:
            chosen = numbering_for(session, sop)
        day = today(session)
    example = format_number(
        chosen.pattern, on=day, kode_klasifikasi="555", nomor_urut=12, kode_unit=chosen.kode_unit
    )
    if json_out:
        context.print_json(chosen.model_dump() | {"example": example})
        return
    typer.echo(t("workflow.cli.numbering", language, pattern=chosen.pattern, example=example))
    typer.echo(t("workflow.cli.agenda_numbering", language, pattern=chosen.agenda_pattern))


def register(app: typer.Typer) -> None:
    """Add ``dcim request`` to the application."""
    app.add_typer(request_app, name="request")
