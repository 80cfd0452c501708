"""The robot's tables. Datetimes are aware UTC (sqlmodel stores them portably on SQLite and PostgreSQL).

Several robots, one per mailbox, may share a database: what a robot files, sends and reminds
carries its mailbox address, and every question it asks is scoped to it. A change here needs a
revision in ``store/migrations/versions``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


class PollState(SQLModel, table=True):
    """Where polling of one folder of one mailbox stopped: last processed UID under a UIDVALIDITY."""

    __tablename__ = "poll_state"
    mailbox: str = Field(primary_key=True)
    folder: str = Field(primary_key=True)
    uidvalidity: int
    last_uid: int = 0
    last_poll_at: dt.datetime | None = None
    last_error: str | None = None


class Message(SQLModel, table=True):
    """Every mail the robot looked at, with what it decided — skipped ones too.

    The unique key on (mailbox, folder, uidvalidity, uid) is the claim on a message: two workers
    cannot both record it, so it is processed once.
    """

    __tablename__ = "message"
    __table_args__ = (UniqueConstraint("mailbox", "folder", "uidvalidity", "uid"),)
    id: int | None = Field(default=None, primary_key=True)
    mailbox: str = Field(index=True)
    folder: str
    uidvalidity: int
    uid: int
    message_id: str = Field(default="", index=True)
    sha256: str = Field(index=True)
    archive_path: str
    sender: str = Field(default="", index=True)
    subject: str = ""
    received_at: dt.datetime
    processed_at: dt.datetime
    outcome: str = Field(index=True)
    detail: str = ""
    unit_code: str | None = Field(default=None, index=True)
    programme: str | None = None  # with period_id: the report programme the mail was about
    period_id: str | None = Field(default=None, index=True)
    attachments: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Submission(SQLModel, table=True):
    """One report of a unit for a period; a resubmission adds a version and supersedes the last.

    ``state`` is complete, incomplete or unverified. Unverified submissions (unknown or
    unauthenticated sender) are kept for staff and never become the unit's current report.
    """

    __tablename__ = "submission"
    __table_args__ = (Index("ix_submission_scope", "mailbox", "programme", "period_id", "unit_code"),)
    id: int | None = Field(default=None, primary_key=True)
    mailbox: str  # the robot that filed it
    unit_code: str = Field(index=True)
    programme: str  # the report programme (config programme id)
    period_id: str = Field(index=True)
    version: int
    state: str
    is_current: bool = Field(default=False, index=True)
    on_time: bool
    received_at: dt.datetime
    message_pk: int = Field(foreign_key="message.id")
    filename: str = ""
    missing: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    invalid: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    problems: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Set when staff accepted an unverified report with `robot accept` (who, and when).
    accepted_by: str | None = None
    accepted_at: dt.datetime | None = None
    # The digital signature of a signed PDF as validated (signer_cn, signer_org, signer_email,
    # signed_at, intact, trusted, modified_after_signing, changed); None for an unsigned report.
    signature: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The staff action ("Sửa", "Nộp thay") that made this version on a staff member's word.
    staff_action_id: int | None = Field(default=None, foreign_key="staff_action.id")


class SubmissionValue(SQLModel, table=True):
    """One figure as read, with the text the sender wrote and where it was found."""

    __tablename__ = "submission_value"
    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    key: str
    value: int | bool | str | None = Field(default=None, sa_column=Column(JSON))
    raw: str = ""
    source: str = ""
    error: str | None = None


class Outbox(SQLModel, table=True):
    """A composed mail waiting for (or done with) SMTP delivery. Only the flush sends mail.

    ``status``: pending (due at ``next_attempt_at``), deferred (held back by a rate cap until
    ``next_attempt_at``, then sent when the cap allows), sending (taken by a flush until
    ``next_attempt_at``, its lease), sent, failed (given up), superseded (a held-back reply a newer
    one of the same kind to the same address replaced), suppressed (held back by a cap in
    releases before deferral; never sent).
    """

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "mailbox", "status", "next_attempt_at"),
        # The rate caps count the replies of the last day or hour, to one address or to anyone,
        # from these alone: the row holds the whole mail, and its later columns lie past it.
        Index("ix_outbox_created", "mailbox", "created_at", "kind", "status"),
        Index("ix_outbox_address", "mailbox", "to_addr", "created_at", "kind", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    mailbox: str  # the robot that sends it
    kind: str = Field(index=True)
    to_addr: str = Field(index=True)
    recipients: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    subject: str = ""
    message_id: str = Field(default="", index=True)  # replies in a robot thread name it
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    message_pk: int | None = Field(default=None, foreign_key="message.id")
    created_at: dt.datetime
    status: str = Field(default="pending", index=True)
    attempts: int = 0
    next_attempt_at: dt.datetime
    sent_at: dt.datetime | None = None
    last_error: str | None = None


class ReminderSent(SQLModel, table=True):
    """A reminder step sent to a unit for a period; the unique key makes each step happen once."""

    __tablename__ = "reminder_sent"
    __table_args__ = (
        UniqueConstraint("mailbox", "programme", "unit_code", "period_id", "step", name="uq_reminder_sent_step"),
        Index("ix_reminder_sent_period_id", "mailbox", "programme", "period_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    mailbox: str
    unit_code: str
    programme: str  # the report programme (config programme id)
    period_id: str
    step: str  # before-7, overdue-2, escalation …
    kind: str  # reminder | overdue | escalation (the X-Report-Robot value)
    sent_at: dt.datetime
    outbox_id: int = Field(foreign_key="outbox.id")


class IntakeAttempt(SQLModel, table=True):
    """A message whose intake failed for a passing reason (database busy, disk full, unfetchable).

    The poll stops at it and tries again next time; after ``limits.intake_attempts`` tries it is
    quarantined (recorded for staff) so the mail behind it is not held up for ever.
    """

    __tablename__ = "intake_attempt"
    mailbox: str = Field(primary_key=True)
    folder: str = Field(primary_key=True)
    uidvalidity: int = Field(primary_key=True)
    uid: int = Field(primary_key=True)
    attempts: int = 0
    first_failed_at: dt.datetime
    last_failed_at: dt.datetime
    last_error: str = ""
    alerted: bool = False  # staff were told it is stuck


class Excusal(SQLModel, table=True):
    """A unit excused by staff from reporting for a period (closed, merged …): not reminded,
    counted apart in completeness. Undoing keeps the row and sets ``undone_at``."""

    __tablename__ = "excusal"
    __table_args__ = (Index("ix_excusal_scope", "mailbox", "programme", "period_id", "unit_code"),)
    id: int | None = Field(default=None, primary_key=True)
    mailbox: str
    unit_code: str
    programme: str  # the report programme (config programme id)
    period_id: str
    reason: str = ""
    by: str  # the staff member's name (a mail command) or the admin's (`robot excuse --by`)
    at: dt.datetime
    message_pk: int | None = Field(default=None, foreign_key="message.id")  # the staff mail, if any
    undone_at: dt.datetime | None = None


class StaffAction(SQLModel, table=True):
    """Every staff command, read-only ones too: who, when, what, and the mail it came from."""

    __tablename__ = "staff_action"
    __table_args__ = (Index("ix_staff_action_at", "mailbox", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    mailbox: str
    staff_email: str  # the sender of the command, or "cli:<name>" for `robot excuse`
    action: str  # help, situation, unit, excuse, undo
    args: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: dt.datetime
    message_pk: int | None = Field(default=None, foreign_key="message.id")
    undone_at: dt.datetime | None = None
