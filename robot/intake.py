"""The intake of one message: archive → screen → identify → parse → period → validate → store → reply.

Reading (archive, parse) happens before the database transaction; everything the robot
decides about a message — its record, the submission, the reply in the outbox and the poll
position — is committed together, so a crash before the commit leaves the message to be
processed again and a crash after it leaves nothing to redo but sending.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from mailer.authresults import Verdict, verdict
from mailer.imap import RawMail
from mailer.incoming import Attachment, IncomingMail
from mailer.screening import Screening, screen
from parsers.report import ParsedReport, ParseError
from robot.archive import archive_raw
from robot.config import Config, Unit
from robot.outbox import Thread, enqueue
from robot.parsing import read_attachments, read_body, read_mail
from robot.periods import Period, period_by_id, pick_period
from robot.replies import (
    Reply,
    acknowledgement,
    incomplete_notice,
    no_attachment_notice,
    unknown_sender_notice,
    unreadable_notice,
)
from robot.blank_template import blank_template
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
from store.tables import Message, Submission, SubmissionValue

log = logging.getLogger(__name__)


@dataclass
class Intake:
    """What is known about one message as it moves through the steps."""

    raw: RawMail
    mail: IncomingMail
    archive_path: Path
    sha256: str
    screening: Screening | None = None
    authentication: Verdict | None = None
    unit: Unit | None = None
    reports: list[ParsedReport] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason code)
    report: ParsedReport | None = None  # the one filed for the sender's unit
    foreign: list[tuple[ParsedReport, Unit]] = field(default_factory=list)  # kept for other units
    period: Period | None = None
    check: Validation | None = None
    outcome: str = ""
    notes: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)  # told to the sender below the figures

    @property
    def received_at(self) -> dt.datetime:
        return self.raw.internaldate


def process(config: Config, engine: Engine, raw: RawMail, mailbox: str, now: dt.datetime) -> str:
    """Handle one fetched message end to end and return its recorded outcome."""
    path, digest = archive_raw(config.archive_dir, raw.raw)
    mail, too_large = read_mail(config, raw.raw)
    intake = Intake(raw=raw, mail=mail, archive_path=path, sha256=digest, unreadable=too_large)
    _read(config, intake)
    with open_session(engine) as session:
        if queries.is_claimed(session, mailbox, raw.folder, raw.uidvalidity, raw.uid):
            return "already-processed"
        try:
            _decide_and_store(config, session, intake, mailbox, now)
            session.commit()
        except IntegrityError:
            # Another worker recorded this message first; its decision stands.
            session.rollback()
            return "already-processed"
    log.info("uid %s from %s: %s %s", raw.uid, intake.mail.sender or "?", intake.outcome,
             "; ".join(intake.notes))
    return intake.outcome


def record_failure(config: Config, engine: Engine, raw: RawMail, mailbox: str,
                   now: dt.datetime, error: BaseException) -> None:
    """Record a message whose intake raised, so staff see it and the poll moves on."""
    path, digest = archive_raw(config.archive_dir, raw.raw)
    with open_session(engine) as session:
        if queries.is_claimed(session, mailbox, raw.folder, raw.uidvalidity, raw.uid):
            return
        session.add(Message(
            mailbox=mailbox, folder=raw.folder, uidvalidity=raw.uidvalidity, uid=raw.uid,
            sha256=digest, archive_path=str(path), received_at=to_db_time(raw.internaldate),
            processed_at=to_db_time(now), outcome="error",
            detail=f"{type(error).__name__}: {error}"[:1000],
        ))
        queries.advance_poll(session, mailbox, raw.folder, raw.uidvalidity, raw.uid, to_db_time(now))
        session.commit()


def _read(config: Config, intake: Intake) -> None:
    """Steps without side effects in the store: screening, the unit, the attachments."""
    mail = intake.mail
    intake.screening = screen(mail, {config.mailbox.address})
    if intake.screening is not None:
        return
    intake.unit = config.unit_by_email(mail.sender)
    intake.authentication = verdict(mail.auth_results, config.security.trusted_authserv_ids)
    readable = [a for a in mail.attachments if a.filename not in dict(intake.unreadable)]
    reports, failures = read_attachments(config, readable)
    failures = intake.unreadable + failures
    if not reports:
        body = read_body(config, mail)
        reports = [body] if body is not None else []
    intake.reports, intake.unreadable = reports, failures
    _choose_report(config, intake)


def _choose_report(config: Config, intake: Intake) -> None:
    """Which document is the sender's report and which belong to other units.

    A sender files only for its own unit: the fullest document naming that unit (or no
    registered unit) is filed. Documents naming another registered unit are kept as unverified
    for that unit and shown to staff. A lone document naming another unit is still filed for
    the sender (most often a neighbour's template reused), with the mismatch flagged.
    """
    ranked = sorted(intake.reports, key=lambda r: len(r.values), reverse=True)
    named = [(report, unit_named(config, report.unit_hint)) for report in ranked]
    if intake.unit is None:
        intake.report = ranked[0] if ranked else None
        intake.foreign = [(report, unit) for report, unit in named if unit is not None]
        return
    own = [report for report, unit in named if unit is None or unit.code == intake.unit.code]
    foreign = [(report, unit) for report, unit in named if unit is not None and unit.code != intake.unit.code]
    if not own and len(foreign) == 1:
        own, foreign = [foreign[0][0]], []
    intake.report = own[0] if own else None
    intake.foreign = foreign
    if len(own) > 1:
        intake.notes.append(f"{len(own)} documents with figures; filed {own[0].filename}")
        intake.remarks.append(other_files_remark(own[0].filename, [r.filename for r in own[1:]]))


def _decide_and_store(config: Config, session: Session, intake: Intake, mailbox: str,
                      now: dt.datetime) -> None:
    """The one place that decides what a message is and what the sender is told."""
    mail = intake.mail
    message = _message_row(intake, mailbox, now)
    reply: Reply | None = None
    earlier = queries.earlier_copy(session, mailbox, intake.sha256, mail.message_id, mail.sender)
    if intake.screening is not None:
        intake.outcome = intake.screening.kind
        intake.notes.append(intake.screening.reason)
    elif earlier is not None:
        intake.outcome = "duplicate"
        intake.notes.append(f"same message as #{earlier.id}")
    elif intake.unit is None:
        intake.outcome = "unknown_sender"
        reply = _unknown_sender(config, session, intake, message, now)
    elif intake.authentication is not None and intake.authentication.failed:
        _unauthenticated(config, session, intake, message)
    elif intake.report is None:
        reply = _no_report(config, session, intake, message)
    else:
        reply = _file_report(config, session, intake, message)
    message.outcome = intake.outcome
    message.detail = "; ".join(intake.notes)[:1000]
    message.unit_code = intake.unit.code if intake.unit else message.unit_code
    message.period_id = intake.period.id if intake.period else message.period_id
    session.add(message)
    session.flush()  # the unique key claims the message here
    if reply is not None:
        _queue_reply(config, session, intake, reply, message, now)
    queries.advance_poll(session, mailbox, intake.raw.folder, intake.raw.uidvalidity,
                         intake.raw.uid, to_db_time(now))


def _message_row(intake: Intake, mailbox: str, now: dt.datetime) -> Message:
    return Message(
        mailbox=mailbox, folder=intake.raw.folder, uidvalidity=intake.raw.uidvalidity,
        uid=intake.raw.uid, message_id=intake.mail.message_id[:500], sha256=intake.sha256,
        archive_path=str(intake.archive_path), sender=intake.mail.sender[:320],
        subject=intake.mail.subject[:500], received_at=to_db_time(intake.received_at),
        processed_at=to_db_time(now), outcome="",
        attachments=[a.filename for a in intake.mail.attachments],
    )


def _unknown_sender(config: Config, session: Session, intake: Intake, message: Message,
                    now: dt.datetime) -> Reply | None:
    """Keep a document that names a registered unit as unverified; answer at most N a day."""
    if intake.foreign:
        report, named = intake.foreign[0]
        message.unit_code = named.code
        intake.period = _period_for(config, session, intake, named, report)
    _keep_foreign(config, session, intake, message)
    since = to_db_time(now - dt.timedelta(days=1))
    sent = queries.replies_queued_since(session, message.mailbox, ("unknown-sender",), since,
                                        intake.mail.sender)
    if not intake.mail.sender or sent >= config.replies.unknown_sender_per_day:
        intake.notes.append("unknown-sender reply suppressed by the daily limit")
        return None
    return unknown_sender_notice(config, intake.mail.sender, intake.received_at, intake.mail.subject)


def _unauthenticated(config: Config, session: Session, intake: Intake, message: Message) -> None:
    """A registered address that failed authentication: kept for staff, never filed, not answered.

    Answering would send the unit's figures (or a notice) to whoever forged the address.
    """
    unit = intake.unit
    assert unit is not None and intake.authentication is not None
    intake.outcome = "unverified"
    intake.notes.append(f"sender not authenticated ({intake.authentication.reason})")
    if intake.report is not None:
        intake.period = _period_for(config, session, intake, unit, intake.report)
        session.add(message)
        session.flush()
        _store_submission(config, session, unit, intake.report, intake.period,
                          validate(config, intake.report, unit.type), intake.received_at, message,
                          state="unverified")


def _no_report(config: Config, session: Session, intake: Intake, message: Message) -> Reply:
    unit = intake.unit
    assert unit is not None
    intake.period = _period_for(config, session, intake, unit, None)
    _keep_foreign(config, session, intake, message)
    if not intake.mail.attachments:
        intake.outcome = "no_attachment"
        return no_attachment_notice(config, unit, intake.received_at, intake.mail.subject)
    intake.outcome = "unreadable"
    failed = {name for name, _ in intake.unreadable}
    foreign = {report.filename for report, _ in intake.foreign}
    files = list(intake.unreadable) + [(name, "other_unit") for name in sorted(foreign)] + [
        (a.filename, "no_figures") for a in intake.mail.attachments
        if a.filename not in failed and not any(name.startswith(a.filename) for name in foreign)
    ]
    intake.notes.append(", ".join(f"{name}: {reason}" for name, reason in files))
    return unreadable_notice(config, unit, files, intake.received_at, intake.mail.subject)


def _file_report(config: Config, session: Session, intake: Intake, message: Message) -> Reply:
    unit, report = intake.unit, intake.report
    assert unit is not None and report is not None
    intake.period = _period_for(config, session, intake, unit, report)
    intake.check = validate(config, report, unit.type)
    named = unit_named(config, report.unit_hint)
    if named is not None and named.code != unit.code:
        intake.notes.append(f"document names {named.code}, sender is {unit.code}")
        intake.remarks.append(unit_mismatch_remark(report.filename, named.name, unit.name))
    for name, reason in intake.unreadable:
        # A signed scan beside the report is expected: it stays in the archived mail.
        intake.notes.append(f"{name}: {'archived scan' if reason == 'scanned' else reason}")
        if reason != "scanned":
            intake.remarks.append(unread_file_remark(name, reason))
    session.add(message)
    session.flush()
    state = "complete" if intake.check.complete else "incomplete"
    submission = _store_submission(config, session, unit, report, intake.period, intake.check,
                                   intake.received_at, message, state=state)
    _keep_foreign(config, session, intake, message)
    intake.outcome = "accepted" if state == "complete" else "incomplete"
    if state == "complete":
        return acknowledgement(config, unit, intake.period, report, intake.check,
                               intake.received_at, submission.version, intake.mail.subject,
                               remarks=intake.remarks)
    return incomplete_notice(config, unit, intake.period, report, intake.check,
                             intake.received_at, intake.mail.subject, remarks=intake.remarks)


def _keep_foreign(config: Config, session: Session, intake: Intake, message: Message) -> None:
    """Documents naming other registered units: kept as unverified for them, never filed."""
    if not intake.foreign:
        return
    session.add(message)
    session.flush()
    for report, unit in intake.foreign:
        period = _period_for(config, session, intake, unit, report)
        _store_submission(config, session, unit, report, period, validate(config, report, unit.type),
                          intake.received_at, message, state="unverified")
        intake.notes.append(f"{report.filename} names {unit.code}; kept as unverified")
        if intake.unit is not None:
            intake.remarks.append(foreign_report_remark(report.filename, unit.name))


def _period_for(config: Config, session: Session, intake: Intake, unit: Unit,
                report: ParsedReport | None) -> Period:
    """The period of a report: its own words first, then the subject, then the received date."""
    filed = queries.filed_periods(session, config.mailbox.address, unit.code)
    hints = [report.period_hint if report else None, intake.mail.subject]
    period = pick_period(config, intake.received_at, [h for h in hints if h], filed)
    if period is None:
        intake.notes.append("named period does not exist; picked from the received date")
        period = pick_period(config, intake.received_at, [], filed)
    assert period is not None, "config has no report periods"
    return period


def _store_submission(config: Config, session: Session, unit: Unit, report: ParsedReport,
                      period: Period, check: Validation, received_at: dt.datetime, message: Message,
                      *, state: str) -> Submission:
    if state == "unverified":
        version = 0
    else:
        version = queries.next_version(session, message.mailbox, unit.code, period.id)
        queries.supersede(session, message.mailbox, unit.code, period.id)
    submission = Submission(
        mailbox=message.mailbox, unit_code=unit.code, period_id=period.id, version=version, state=state,
        is_current=state != "unverified", on_time=period.is_on_time(received_at),
        received_at=to_db_time(received_at), message_pk=message.id,
        filename=report.filename, missing=check.missing, invalid=check.invalid,
        problems=[{"keys": list(p.keys), "reason": p.reason} for p in check.problems],
    )
    session.add(submission)
    session.flush()
    applicable = {spec.key for spec in check.fields}
    figures = [dict(submission_id=submission.id, key=key, value=found.value, raw=found.raw[:2000],
                    source=found.source[:200], error=found.error)
               for key, found in report.values.items() if key in applicable]
    if figures:  # one executemany: building an ORM object per figure cost ~5 ms a report
        session.execute(insert(SubmissionValue), figures)
    return submission


def _queue_reply(config: Config, session: Session, intake: Intake, reply: Reply,
                 message: Message, now: dt.datetime) -> None:
    attachments: list[Attachment] = []
    if reply.attach_template:
        unit_type = intake.unit.type if intake.unit else None
        attachments.append(blank_template(config, unit_type, intake.period))
    enqueue(
        session, config, kind=reply.kind, to=[intake.mail.sender],
        subject=reply.subject, text=reply.text, now=now,
        thread=Thread(intake.mail.message_id, tuple(intake.mail.references)),
        fields=reply.fields, attachments=attachments, message_pk=message.id,
    )
