"""A unit's report as validated, made ready for the store: one Filing, for the intake and for staff."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from parsers.report import FoundValue, ParsedReport
from robot.config import Config, Unit
from robot.periods import Period, pick_period
from robot.validate import Validation
from store import queries
from store.db import to_db_time
from store.filing import Figure, Filing
from store.tables import Submission


def stored_report(session: Session, submission: Submission, filename: str) -> ParsedReport:
    """A filed version as a report again (its figures as they were read), to build the next one on."""
    report = ParsedReport(filename=filename)
    for stored in queries.values_of(session, [submission.id])[submission.id]:
        report.values[stored.key] = FoundValue(stored.key, stored.raw, stored.value, stored.source, stored.error)
    return report


def report_period(config: Config, session: Session, unit: Unit, report: ParsedReport | None,
                  received_at: dt.datetime, named_in: str) -> tuple[Period, bool]:
    """The period of a unit's report in ``config``'s programme: the report's own words first, then
    ``named_in`` (the subject, a file name), then the received date; and whether a period it
    names does not exist (then the received date chose)."""
    filed = queries.filed_periods(session, config.mailbox.address, unit.code, config.programme_id)
    hints = [hint for hint in (report.period_hint if report else None, named_in) if hint]
    titles = [report.title] if report and report.title else []
    period = pick_period(config, received_at, hints, filed, titles)
    if period is not None:
        return period, False
    period = pick_period(config, received_at, [], filed)
    assert period is not None, "config has no report periods"
    return period, True


def filing_of(unit: Unit, report: ParsedReport, period: Period, check: Validation,
              received_at: dt.datetime, state: str, staff_action_id: int | None = None) -> Filing:
    """What to file for a unit's report as validated: its state, lateness, problems and figures."""
    applicable = {spec.key for spec in check.fields}
    return Filing(
        unit_code=unit.code, programme=period.programme, period_id=period.id, state=state, on_time=period.is_on_time(received_at),
        received_at=to_db_time(received_at), filename=report.filename, missing=check.missing,
        invalid=check.invalid,
        problems=[{"keys": list(p.keys), "reason": p.reason} for p in check.problems],
        figures=[Figure(key, found.value, found.raw, found.source, found.error)
                 for key, found in report.values.items() if key in applicable],
        signature=report.signature.as_json() if report.signature else None,
        staff_action_id=staff_action_id,
    )
