"""Where every expected unit stands for a period: the rows of `status`, `export` and the digest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from robot.periods import Period, last_closed_period, open_period
from store import queries
from store.db import from_db_time
from store.staff import excused_units
from store.tables import StaffAction

if TYPE_CHECKING:
    from sqlmodel import Session

    from robot.config import Config, Unit
    from store.tables import Submission

STATES = ("complete", "incomplete", "unreadable", "unverified", "missing")
# What `status --json` shows of a filed report's signature (DESIGN §4).
SIGNATURE_KEYS = ("signer_cn", "signer_org", "signed_at", "intact", "trusted", "modified_after_signing")


@dataclass
class StatusRow:
    """One (period, unit) pair, exactly the `status --json` object of the contract."""

    period: Period
    unit: Unit
    state: str
    on_time: bool | None = None
    received_at: dt.datetime | None = None
    version: int | None = None
    values: dict = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    undeliverable: list[dict] = field(default_factory=list)  # mail to the unit given up on
    filed: bool = False  # a submission stands behind the row (complete, incomplete or unverified)
    signature: dict | None = None  # its digital signature (SIGNATURE_KEYS), None when unsigned
    excused: bool = False  # staff excused the unit for the period (not reminded, counted apart)
    correction: dict | None = None  # the staff correction that made the current version ("Sửa")

    def as_json(self, programme: bool = False) -> dict:
        """The contract's object; ``programme`` adds the row's programme id (several configured)."""
        row = {"programme": self.period.programme} if programme else {}
        row |= {
            "period": self.period.id,
            "unit_code": self.unit.code,
            "state": self.state,
            "on_time": self.on_time,
            "received_at": self.received_at.isoformat() if self.received_at else None,
            "version": self.version,
            "values": self.values,
            "missing": self.missing,
            "invalid": self.invalid,
        }
        if self.undeliverable:  # only when there is some: the contract's rows stay as they were
            row["undeliverable"] = self.undeliverable
        if self.filed:  # rows of a filed report say whether it was signed; missing rows do not
            row["signature"] = self.signature
        if self.excused:  # only for excused rows; the state stays what was (or was not) filed
            row["excused"] = True
        if self.correction:  # only when staff corrected the report that stands
            row["correction"] = self.correction
        return row


def expected_units(config: Config, period: Period) -> list[Unit]:
    """Units that must report for a period: those active on its due day."""
    return [u for u in config.units if u.active_on(period.due_day)]


def default_periods(config: Config, now: dt.datetime) -> list[Period]:
    """The periods people care about now: the last closed one and the open one."""
    return [p for p in (last_closed_period(config, now), open_period(config, now)) if p]


def period_status(config: Config, session: Session, period: Period,
                  all_mailboxes: bool = False) -> list[StatusRow]:
    """A row for every expected unit, in config order, from this robot's mailbox or from every one."""
    mailbox = None if all_mailboxes else config.mailbox.address
    current = queries.current_submissions(session, mailbox, period.programme, period.id)
    unverified = queries.unverified_submissions(session, mailbox, period.programme, period.id)
    unreadable = {m.unit_code for m in queries.messages_with_outcome(session, mailbox, "unreadable", (period.programme, period.id))}
    figures = queries.current_figures(session, mailbox, period.programme, period.id)
    failed = queries.undeliverable(session, mailbox, period.programme, period.id)
    excused = excused_units(session, mailbox, period.programme, period.id)
    rows = []
    for unit in expected_units(config, period):
        submission = current.get(unit.code)
        if submission is not None:
            rows.append(_filed_row(config, period, unit, submission, figures.get(submission.id, {})))
            rows[-1].correction = _correction(config, session, submission)
        elif unit.code in unverified:
            row = _filed_row(config, period, unit, unverified[unit.code], {})
            row.version, row.on_time = None, None
            rows.append(row)
        elif unit.code in unreadable:
            rows.append(StatusRow(period, unit, "unreadable"))
        else:
            rows.append(StatusRow(period, unit, "missing"))
        rows[-1].undeliverable = [
            {"kind": mail.kind, "to": mail.to_addr, "subject": mail.subject, "error": mail.last_error,
             "created_at": from_db_time(mail.created_at).isoformat()}
            for mail in failed.get(unit.code, [])
        ]
        rows[-1].excused = unit.code in excused
    return rows


def _filed_row(config: Config, period: Period, unit: Unit, submission: Submission,
               stored: dict[str, object]) -> StatusRow:
    return StatusRow(
        period=period, unit=unit, state=submission.state, on_time=submission.on_time,
        received_at=from_db_time(submission.received_at).astimezone(config.tz),
        version=submission.version,
        values={f.key: stored[f.key] for f in config.fields if f.key in stored},
        missing=list(submission.missing), invalid=list(submission.invalid), filed=True,
        signature={key: submission.signature.get(key) for key in SIGNATURE_KEYS} if submission.signature else None,
    )


def _correction(config: Config, session: Session, submission: Submission) -> dict | None:
    """Who corrected the version, when, which figures (code: [before, after]) and why."""
    action = session.get(StaffAction, submission.staff_action_id) if submission.staff_action_id else None
    if action is None or action.action != "correct":
        return None
    return {"by": action.staff_email, "at": from_db_time(action.at).astimezone(config.tz).isoformat(),
            "changes": action.args.get("changes", {}), "reason": action.args.get("reason", "")}
