"""A unit answering the robot's notice with just the missing figures ("05: 755") in its reply.

The notice names each figure it could not take by "code — label" (a field missing, invalid or not
read for certain from a scan) and says the unit may answer with those lines only. Such a reply,
in the robot's thread, becomes the next version of the unit's report for the period of the mail
it answers: the current version's figures with the answered ones in their place.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from mailer.incoming import IncomingMail
from parsers.report import FoundValue, ParsedReport
from robot.config import Config, Unit
from robot.parsing import read_answers_in_body
from robot.periods import Period, period_by_id
from robot.report_filing import stored_report
from store import queries


@dataclass(frozen=True)
class Completed:
    """The unit's report completed by a reply: the programme's config view, its period, the
    report (current figures with the answers in place) and the codes answered."""

    programme: Config
    period: Period
    report: ParsedReport
    answered: tuple[str, ...]


def completed_report(config: Config, session: Session, unit: Unit, mail: IncomingMail,
                     thread: list[str]) -> Completed | None:
    """The unit's current report for the answered period with the figures of the reply's lines
    ("05: 755", read with that programme's codes) in it, or None when the reply answers no mail
    of the robot about a period the unit has filed, or holds no such lines."""
    mailbox = config.mailbox.address
    answered = queries.thread_period(session, mailbox, thread)
    view = config.programme(answered[0]) if answered else None
    if answered is None or view is None:
        return None
    period = period_by_id(view, answered[1])
    current = queries.current_submission(session, mailbox, unit.code, *answered)
    answers: dict[str, FoundValue] = read_answers_in_body(view, mail)
    if period is None or current is None or not answers:
        return None
    report = stored_report(session, current, f"{current.filename} + (trả lời trong thư)")
    report.values.update(answers)
    return Completed(view, period, report, tuple(sorted(answers)))
