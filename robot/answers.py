"""A unit answering the robot's notice with just the missing figures ("05: 755") in its reply.

The notice names each figure it could not take by "code — label" (a field missing, invalid or not
read for certain from a scan) and says the unit may answer with those lines only. Such a reply,
in the robot's thread, becomes the next version of the unit's report for the period of the mail
it answers: the current version's figures with the answered ones in their place.
"""

from __future__ import annotations

from sqlmodel import Session

from parsers.report import FoundValue, ParsedReport
from robot.config import Config, Unit
from robot.periods import Period, period_by_id
from store import queries


def completed_report(config: Config, session: Session, unit: Unit, answers: dict[str, FoundValue],
                     thread: list[str]) -> tuple[ParsedReport, Period] | None:
    """The unit's current report for the answered period with the answers in it, or None when
    the reply answers no mail of the robot about a period the unit has filed."""
    mailbox = config.mailbox.address
    period_id = queries.thread_period(session, mailbox, thread)
    period = period_by_id(config, period_id) if period_id else None
    current = queries.current_submission(session, mailbox, unit.code, period_id) if period_id else None
    if period is None or current is None:
        return None
    report = ParsedReport(filename=f"{current.filename} + (trả lời trong thư)")
    for stored in queries.values_of(session, [current.id])[current.id]:
        report.values[stored.key] = FoundValue(stored.key, stored.raw, stored.value, stored.source, stored.error)
    report.values.update(answers)
    return report, period
