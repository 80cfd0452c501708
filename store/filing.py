"""Filing what the intake decided about a message: its record, and the reports it carries.

One call persists a decision: the message row (whose unique key is the claim on the mailbox
message) and each report filed from it, versioned per (mailbox, unit, programme, period): a new filed report
supersedes the unit's current one and keeps the history; an unverified one (unknown or
unauthenticated sender, another unit's document) is kept beside it and never becomes current.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlmodel import Session

from store import queries
from store.prepared import connection, insert_row, prepared
from store.tables import Message, Submission, SubmissionValue


@dataclass
class Figure:
    """One value as read, with the sender's text and where it was found."""

    key: str
    value: int | bool | str | None
    raw: str
    source: str
    error: str | None = None


@dataclass
class Filing:
    """A report to file for a unit and period from the message being recorded."""

    unit_code: str
    programme: str
    period_id: str
    state: str  # complete | incomplete | unverified
    on_time: bool
    received_at: dt.datetime
    filename: str
    missing: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    signature: dict | None = None  # a signed PDF's signature, as JSON-ready data
    staff_action_id: int | None = None  # a version made on a staff member's word ("Sửa", "Nộp thay")


def record_message(session: Session, message: Message, filings: list[Filing]) -> list[Submission]:
    """Add the message (claiming it: IntegrityError when another worker recorded it) and file its
    reports, in the caller's transaction. Returns the submissions in the order of ``filings``."""
    message.id = insert_row(session, message)
    return [file_report(session, message.mailbox, message.id, filing) for filing in filings]


def file_report(session: Session, mailbox: str, message_pk: int, filing: Filing) -> Submission:
    """File one report read from (or, for a staff correction, first read from) a recorded message:
    a filed one becomes the unit's current version, an unverified one is kept beside it."""
    if filing.state == "unverified":
        version = 0
    else:
        scope = (mailbox, filing.unit_code, filing.programme, filing.period_id)
        version = queries.next_version(session, *scope)
        queries.supersede(session, *scope)
    submission = Submission(
        mailbox=mailbox, unit_code=filing.unit_code, programme=filing.programme,
        period_id=filing.period_id,
        version=version, state=filing.state, is_current=filing.state != "unverified",
        on_time=filing.on_time, received_at=filing.received_at, message_pk=message_pk,
        filename=filing.filename, missing=filing.missing, invalid=filing.invalid,
        problems=filing.problems, signature=filing.signature, staff_action_id=filing.staff_action_id,
    )
    submission.id = insert_row(session, submission)
    rows = [dict(submission_id=submission.id, key=f.key, value=f.value, raw=f.raw[:2000],
                 source=f.source[:200], error=f.error) for f in filing.figures]
    if rows:  # one executemany: building an ORM object per figure cost ~5 ms a report
        connection(session).execute(_values(), rows)
    return submission


@prepared
def _values():
    return insert(SubmissionValue.__table__)
