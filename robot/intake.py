"""The intake of one message: archive → read → gather the facts → decide → record → reply.

Reading (archive, parse) happens before the database transaction; everything the robot decides
about a message — its record, the reports it files, the reply in the outbox and the poll
position — is committed together, so a crash before the commit leaves the message to be
processed again and a crash after it leaves nothing to redo but sending. What to do is decided
by ``robot.decide.decide`` from the facts gathered here; the store files it in one call.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from mailer.authresults import Verdict, verdict
from mailer.imap import RawMail
from mailer.incoming import Attachment, IncomingMail
from mailer.screening import Screening
from parsers.report import ParsedReport
from robot.archive import archive_raw, content_hash
from robot.config import Config, StaffMember, Unit
from robot.decide import Decision, Facts, decide
from robot.outbox import Thread, enqueue
from robot.answers import completed_report
from robot.parsing import FileRead, read_attachments, read_body, read_mail
from robot.periods import Period
from robot.relevance import keyword_pattern, names_report, reads_as_report
from robot.report_filing import filing_of, report_period
from robot.routing import route
from robot.replies import (
    Reply,
    acknowledgement,
    incomplete_notice,
    no_attachment_notice,
    unknown_sender_notice,
    unreadable_notice,
)
from robot.units import unit_named
from robot.validate import Validation, validate
from robot.wording import (
    foreign_report_remark,
    other_files_remark,
    unit_mismatch_remark,
    unread_file_remark,
)
from store import queries
from store.db import session as open_session
from store.db import to_db_time
from store.filing import Filing, record_message
from store.tables import Message

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mode:
    """How a message is taken in: a live poll answers and moves the poll position; a backfill
    files old mail without answering (unless asked) and leaves the position alone; a dry run
    decides and changes nothing."""

    reply: bool = True
    advance: bool = True
    dry_run: bool = False


LIVE = Mode()


@dataclass
class Outcome:
    """What became of one message: its recorded outcome, the decision and what was filed."""

    outcome: str
    decision: Decision | None = None
    uid: int = 0
    sender: str = ""
    subject: str = ""
    received_at: dt.datetime | None = None
    unit_code: str | None = None
    period_id: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class Intake:
    """What is known about one message as it moves through the steps."""

    raw: RawMail
    mail: IncomingMail
    archive_path: Path | None
    sha256: str
    screening: Screening | None = None
    authentication: Verdict | None = None
    staff: StaffMember | None = None  # a staff member commanding by this mail (believed)
    unit: Unit | None = None
    reports: list[ParsedReport] = field(default_factory=list)  # documents that read as the report
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason code)
    # What the worker read of the files with the mail (the only programme's indicators), by id().
    files_read: dict[int, FileRead] = field(default_factory=dict)
    names_report: bool = False
    may_answer: bool = False  # a reply without documents: perhaps "05: 755" lines a notice asked for
    programme: Config | None = None  # the config view of the programme the mail is about
    ambiguous: tuple[str, ...] = ()  # programmes its report fits equally (left for staff)
    report: ParsedReport | None = None  # the one filed for the sender's unit
    foreign: list[tuple[ParsedReport, Unit]] = field(default_factory=list)  # kept for other units
    period: Period | None = None
    check: Validation | None = None
    notes: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)  # told to the sender below the figures

    @property
    def received_at(self) -> dt.datetime:
        return self.raw.internaldate


def process(config: Config, engine: Engine, raw: RawMail, mailbox: str, now: dt.datetime,
            mode: Mode = LIVE) -> Outcome:
    """Handle one fetched message end to end and return what became of it."""
    return decide_and_record(config, engine, read(config, raw, mode), mailbox, now, mode)


def read(config: Config, raw: RawMail, mode: Mode = LIVE) -> Intake:
    """Archive the message and read it (screening, sender, documents): no store, no network.

    Separate from the rest so a poll can read the next message (a mail that carries files, and
    its files, in the parse worker on the other core) while it records this one.
    """
    if mode.dry_run:
        path, digest = None, content_hash(raw.raw)
    else:
        path, digest = archive_raw(config.archive_dir, raw.raw)
    mail, screening, too_large, files = read_mail(config, raw.raw)
    intake = Intake(raw=raw, mail=mail, archive_path=path, sha256=digest, screening=screening,
                    unreadable=too_large, files_read=files)
    _read(config, intake)
    return intake


def decide_and_record(config: Config, engine: Engine, intake: Intake, mailbox: str, now: dt.datetime,
                      mode: Mode = LIVE) -> Outcome:
    """Gather the facts, decide, and record the decision in one transaction (the claim)."""
    raw, mail = intake.raw, intake.mail
    with open_session(engine) as session:
        if queries.is_claimed(session, mailbox, raw.folder, raw.uidvalidity, raw.uid):
            return _outcome(intake, "already-processed", None)
        decision = decide(_facts(config, session, intake, mailbox, now))
        try:
            _record(config, session, intake, decision, mailbox, now, mode)
            if mode.dry_run:
                session.rollback()
            else:
                session.commit()
        except IntegrityError:
            session.rollback()
            if not queries.is_claimed(session, mailbox, raw.folder, raw.uidvalidity, raw.uid):
                raise  # not the claim: a real failure, recorded by the caller
            return _outcome(intake, "already-processed", None)  # another worker recorded it first
    result = _outcome(intake, decision.outcome, decision)
    log.info("uid %s from %s: %s%s %s", raw.uid, mail.sender or "?", decision.outcome,
             f" → {decision.reply}" if decision.reply and mode.reply else "", "; ".join(result.notes))
    return result


def record_failure(config: Config, engine: Engine, raw: RawMail, mailbox: str,
                   now: dt.datetime, error: BaseException, outcome: str = "error") -> None:
    """Record a message that cannot be taken in (``error``: the message itself is bad;
    ``quarantined``: it kept failing for a reason that should have passed), so staff see it
    and the poll moves on."""
    path, digest = archive_raw(config.archive_dir, raw.raw) if raw.raw else (Path(""), "")
    with open_session(engine) as session:
        if queries.is_claimed(session, mailbox, raw.folder, raw.uidvalidity, raw.uid):
            return
        session.add(Message(
            mailbox=mailbox, folder=raw.folder, uidvalidity=raw.uidvalidity, uid=raw.uid,
            sha256=digest, archive_path=str(path), received_at=to_db_time(raw.internaldate),
            processed_at=to_db_time(now), outcome=outcome,
            detail=f"{type(error).__name__}: {error}"[:1000],
        ))
        queries.advance_poll(session, mailbox, raw.folder, raw.uidvalidity, raw.uid, to_db_time(now))
        session.commit()


def _outcome(intake: Intake, outcome: str, decision: Decision | None) -> Outcome:
    return Outcome(
        outcome=outcome, decision=decision, uid=intake.raw.uid, sender=intake.mail.sender,
        subject=intake.mail.subject, received_at=intake.received_at,
        unit_code=intake.unit.code if intake.unit else (intake.foreign[0][1].code if intake.foreign else None),
        period_id=intake.period.id if intake.period else None,
        notes=intake.notes + list(decision.reasons if decision else ()),
    )


# --- reading ---------------------------------------------------------------------------------------


def _read(config: Config, intake: Intake) -> None:
    """Steps without side effects in the store: screening, the unit, the documents."""
    mail = intake.mail
    if intake.screening is not None and not intake.screening.fileable:
        return
    intake.unit = config.unit_by_email(mail.sender)
    intake.authentication = verdict(mail.auth_results, config.security.trusted_authserv_ids)
    intake.staff = _commanding_staff(config, intake)
    if intake.staff is not None:
        # A staff command's files are read only when it files them for a unit ("Nộp thay <unit>").
        intake.unit = filed_for(config, mail.subject)
        if intake.unit is None:
            return
    refused = dict(intake.unreadable)
    files = [a for a in _files(mail) if a.filename not in refused]

    def read_with(view: Config) -> tuple[list[ParsedReport], list[tuple[str, str]]]:
        found, failures = read_attachments(view, files, intake.files_read if view is config.programme_views[0] else None)
        if not found:
            body = read_body(view, mail)
            found = [body] if body is not None else []
        return found, failures

    unit_type = intake.unit.type if intake.unit else None
    texts = [mail.subject, mail.own_text, *(a.filename for a in _files(mail))]
    routed = route(config, texts, unit_type, read_with)
    view, found = routed.programme, routed.documents
    intake.programme, intake.ambiguous = view, routed.ambiguous
    intake.unreadable = intake.unreadable + routed.unreadable
    intake.may_answer = not found and bool(mail.in_reply_to)
    pattern = keyword_pattern(view.keywords)
    intake.names_report = names_report(pattern, [*texts, *(report.title for report in found)])
    fields = view.schema().for_unit_type(unit_type)
    for document in found:
        # Filed on a staff member's word ("Nộp thay"): the figures it holds are enough.
        if reads_as_report(document, fields, pattern, intake.names_report, vouched=intake.staff is not None):
            intake.reports.append(document)
        else:
            intake.notes.append(f"{document.filename}: not this report ({len(document.values)} rows alike)")
    _choose_report(config, intake)


def filed_for(config: Config, subject: str) -> Unit | None:
    """The unit a staff mail files a report for ("Nộp thay <unit>"), or None."""
    from robot.staff.commands import parse_command
    from robot.staff.lookup import find_unit

    command = parse_command(subject)
    return find_unit(config, " ".join(command.words)) if command.action == "file-for" else None


def _commanding_staff(config: Config, intake: Intake) -> StaffMember | None:
    """The staff member whose command this mail is: a staff From that a trusted server
    authenticated, on a mail nothing screened out. Anything less is ordinary mail."""
    member = config.staff_by_email(intake.mail.sender)
    authentication = intake.authentication
    if member is None or intake.screening is not None or authentication is None:
        return None
    return member if authentication.passed and not authentication.failed else None


def _files(mail: IncomingMail) -> list[Attachment]:
    """The files the sender attached: pictures shown inside the body (a signature logo) are not."""
    return [a for a in mail.attachments if not a.inline]


def _choose_report(config: Config, intake: Intake) -> None:
    """Which document is the sender's report and which belong to other units.

    A sender files only for its own unit: the fullest document naming that unit (or no
    registered unit) is filed. Documents naming another registered unit are kept as unverified
    for that unit and shown to staff. A lone document naming another unit is still filed for
    the sender (most often a neighbour's template reused), with the mismatch flagged.
    """
    # A digitally signed report wins over the same report unsigned; a typed file over its scan.
    ranked = sorted(intake.reports, key=lambda r: (bool(r.signature and r.signature.intact), not r.from_scan,
                                                   len(r.values)), reverse=True)
    named = [(report, unit_named(config, report.unit_hint)) for report in ranked]
    if intake.unit is None:  # nothing is filed for a stranger; its document makes the mail relevant
        intake.report = ranked[0] if ranked else None
        intake.foreign = [(report, unit) for report, unit in named if unit is not None]
        return
    own = [report for report, unit in named if unit is None or unit.code == intake.unit.code]
    foreign = [(report, unit) for report, unit in named if unit is not None and unit.code != intake.unit.code]
    if not own and len(foreign) == 1:
        own, foreign = [foreign[0][0]], []
    intake.report = own[0] if own else None
    intake.foreign = foreign
    others = [r for r in own[1:] if not r.from_scan]  # the signed scan beside the file is expected
    if others:
        intake.notes.append(f"{len(own)} documents with figures; filed {own[0].filename}")
        intake.remarks.append(other_files_remark(own[0].filename, [r.filename for r in others],
                                                 signed=bool(own[0].signature and own[0].signature.intact)))


# --- facts and decision ----------------------------------------------------------------------------


def _facts(config: Config, session: Session, intake: Intake, mailbox: str, now: dt.datetime) -> Facts:
    mail, unit = intake.mail, intake.unit
    screening = intake.screening
    earlier = queries.earlier_copy(session, mailbox, intake.sha256, mail.message_id, mail.sender)
    thread = [mail.in_reply_to, *mail.references]
    in_thread = queries.sent_by_robot(session, mailbox, thread)
    if unit is not None and intake.report is None and intake.may_answer and in_thread and intake.staff is None:
        completed = completed_report(config, session, unit, mail, thread)
        if completed is not None:
            intake.programme, intake.report, intake.period = completed.programme, completed.report, completed.period
            intake.notes.append(f"answered {', '.join(completed.answered)} in the reply")
    view = _programme(config, intake)
    if unit is not None and intake.report is not None:
        intake.period = intake.period or _period_for(view, session, intake, unit, intake.report)
        intake.check = validate(view, intake.report, unit.type)
    authentication = intake.authentication
    if authentication is not None and authentication.failed:
        intake.notes.append(f"sender not authenticated ({authentication.reason})")
    return Facts(
        screening_kind=screening.kind if screening else None,
        screening_reason=screening.reason if screening else "",
        fileable=screening.fileable if screening else True,
        duplicate_of=earlier,
        registered=unit is not None,
        authentication_failed=bool(authentication and authentication.failed),
        domain_authenticated=bool(authentication and authentication.passed),
        in_robot_thread=in_thread,
        names_report=intake.names_report,
        own_report=intake.report is not None,
        own_report_complete=bool(intake.check and intake.check.complete),
        foreign_reports=bool(intake.foreign),
        files=len(_files(mail)),
        unreadable_files=len(intake.unreadable),
        # Asked only about a stranger: the unknown-sender answer is the only one it limits.
        answered_today=unit is None and bool(mail.sender) and queries.answered_since(
            session, mailbox, ("unknown-sender",), to_db_time(now - dt.timedelta(days=1)), mail.sender),
        unknown_sender_policy=config.replies.unknown_sender,
        staff_command=intake.staff is not None,
        ambiguous_programmes=intake.ambiguous,
    )


def _programme(config: Config, intake: Intake) -> Config:
    """The config view of the programme the mail is about (the first when it is about none)."""
    return intake.programme or config.programme_views[0]


# --- recording -------------------------------------------------------------------------------------


def _record(config: Config, session: Session, intake: Intake, decision: Decision, mailbox: str,
            now: dt.datetime, mode: Mode) -> None:
    """Persist the decision: the message, its filings, the reply and the poll position."""
    filings: list[Filing] = []
    if decision.file is not None:
        filings.append(_own_filing(config, session, intake, decision.file))
    if decision.keep_foreign:
        filings += [_foreign_filing(config, session, intake, report, unit) for report, unit in intake.foreign]
    view = _programme(config, intake)
    if intake.period is None and intake.unit is not None and decision.outcome in ("unreadable", "no_attachment"):
        intake.period = _period_for(view, session, intake, intake.unit, None)  # shown in status
    message = _message_row(intake, decision, mailbox, now)
    submissions = record_message(session, message, filings)
    if decision.outcome == "staff-command":
        _staff_command(config, session, intake, message, now, mode)
    reply = _reply(view, intake, decision, submissions[0].version if decision.file == "report" else 0)
    if reply is not None and mode.reply:
        _queue_reply(config, view, session, intake, reply, message, now)
    elif reply is not None:
        intake.notes.append(f"{reply.kind} reply not sent (backfill)")
    if mode.advance:
        queries.advance_poll(session, mailbox, intake.raw.folder, intake.raw.uidvalidity,
                             intake.raw.uid, to_db_time(now))


def _staff_command(config: Config, session: Session, intake: Intake, message: Message,
                   now: dt.datetime, mode: Mode) -> None:
    """Run the command and queue its answer; a backfill (no replies) runs no old commands."""
    from robot.staff.filing_for import FiledFor  # the digest a command may send loads pandas
    from robot.staff.mail import run_command

    if not mode.reply:
        intake.notes.append("staff command not run (backfill)")
        return
    assert intake.staff is not None
    filed = None
    if intake.unit is not None and intake.report is not None:
        assert intake.period is not None and intake.check is not None
        filed = FiledFor(intake.unit, _programme(config, intake), intake.period, intake.report, intake.check,
                         intake.received_at)
    intake.notes.append(run_command(config, session, intake.staff, intake.mail.sender, intake.mail.subject,
                                    Thread(intake.mail.message_id, tuple(intake.mail.references)),
                                    message.id, now, filed, intake.mail, intake.ambiguous))


def _own_filing(config: Config, session: Session, intake: Intake, how: str) -> Filing:
    unit, report = intake.unit, intake.report
    assert unit is not None and report is not None and intake.period is not None and intake.check is not None
    named = unit_named(config, report.unit_hint)
    if named is not None and named.code != unit.code:
        intake.notes.append(f"document names {named.code}, sender is {unit.code}")
        intake.remarks.append(unit_mismatch_remark(report.filename, named.name, unit.name))
    for name, reason in intake.unreadable:
        # A signed scan beside the report is expected: it stays in the archived mail.
        intake.notes.append(f"{name}: {'archived scan' if reason == 'scanned' else reason}")
        if reason != "scanned":
            intake.remarks.append(unread_file_remark(name, reason))
    if how == "unverified":
        state = "unverified"
    else:
        state = "complete" if intake.check.complete else "incomplete"
    return filing_of(unit, report, intake.period, intake.check, intake.received_at, state)


def _foreign_filing(config: Config, session: Session, intake: Intake, report: ParsedReport,
                    unit: Unit) -> Filing:
    """A document naming another registered unit: kept as unverified for it, never filed."""
    view = _programme(config, intake)
    period = _period_for(view, session, intake, unit, report)
    if intake.period is None:
        intake.period = period
    intake.notes.append(f"{report.filename} names {unit.code}; kept as unverified")
    if intake.unit is not None:
        intake.remarks.append(foreign_report_remark(report.filename, unit.name))
    return filing_of(unit, report, period, validate(view, report, unit.type), intake.received_at,
                   "unverified")


def _message_row(intake: Intake, decision: Decision, mailbox: str, now: dt.datetime) -> Message:
    unit = intake.unit or (intake.foreign[0][1] if intake.foreign else None)
    return Message(
        mailbox=mailbox, folder=intake.raw.folder, uidvalidity=intake.raw.uidvalidity,
        uid=intake.raw.uid, message_id=intake.mail.message_id[:500], sha256=intake.sha256,
        archive_path=str(intake.archive_path or ""), sender=intake.mail.sender[:320],
        subject=intake.mail.subject[:500], received_at=to_db_time(intake.received_at),
        processed_at=to_db_time(now), outcome=decision.outcome,
        detail="; ".join(intake.notes + list(decision.reasons))[:1000],
        unit_code=unit.code if unit else None,
        programme=intake.period.programme if intake.period else None,
        period_id=intake.period.id if intake.period else None,
        attachments=[a.filename for a in intake.mail.attachments],
    )


def _reply(config: Config, intake: Intake, decision: Decision, version: int) -> Reply | None:
    """The answer the decision calls for, worded for the sender."""
    kind, unit, mail = decision.reply, intake.unit, intake.mail
    if kind is None:
        return None
    if kind == "unknown-sender":
        return unknown_sender_notice(config, mail.sender, intake.received_at, mail.subject)
    assert unit is not None
    if kind == "ack":
        assert intake.report and intake.period and intake.check
        return acknowledgement(config, unit, intake.period, intake.report, intake.check,
                               intake.received_at, version, mail.subject, remarks=intake.remarks)
    if kind == "incomplete":
        assert intake.report and intake.period and intake.check
        return incomplete_notice(config, unit, intake.period, intake.report, intake.check,
                                 intake.received_at, mail.subject, remarks=intake.remarks)
    if kind == "no-attachment":
        return no_attachment_notice(config, unit, intake.received_at, mail.subject)
    return unreadable_notice(config, unit, _unread_files(intake), intake.received_at, mail.subject)


def _unread_files(intake: Intake) -> list[tuple[str, str]]:
    """Each file of the mail that was not filed, with why: unreadable, another unit's, no figures."""
    failed = {name for name, _ in intake.unreadable}
    foreign = {report.filename for report, _ in intake.foreign}
    files = list(intake.unreadable) + [(name, "other_unit") for name in sorted(foreign)] + [
        (a.filename, "no_figures") for a in _files(intake.mail)
        if a.filename not in failed and not any(name.startswith(a.filename) for name in foreign)
    ]
    intake.notes.append(", ".join(f"{name}: {reason}" for name, reason in files))
    return files


def _period_for(config: Config, session: Session, intake: Intake, unit: Unit,
                report: ParsedReport | None) -> Period:
    """The period of a report, in ``config``'s programme: its own words first, then the subject,
    then the received date."""
    period, unnamed = report_period(config, session, unit, report, intake.received_at, intake.mail.subject)
    if unnamed:
        intake.notes.append("named period does not exist; picked from the received date")
    return period


def _queue_reply(config: Config, view: Config, session: Session, intake: Intake, reply: Reply,
                 message: Message, now: dt.datetime) -> None:
    attachments = []
    if reply.attach_template:
        from robot.blank_template import blank_template  # openpyxl/docx: only when a notice needs it

        unit_type = intake.unit.type if intake.unit else None
        attachments.append(blank_template(view, unit_type, intake.period))
    enqueue(
        session, config, kind=reply.kind, to=[intake.mail.sender],
        subject=reply.subject, text=reply.text, now=now,
        thread=Thread(intake.mail.message_id, tuple(intake.mail.references)),
        fields=reply.fields, attachments=attachments, message_pk=message.id,
    )
