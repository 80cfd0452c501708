"""Reminders: before the deadline, when overdue, and escalation to supervisors — each step once.

A period has a track of steps for the unit (before-7, before-3, before-1, overdue-1 …) and an
escalation step. A step is due from its day at ``reminders.hour`` (and only after that hour of any day) until the next step of its
track starts (the last one for ``overdue_every_days`` more days), so a robot that was down for a
day catches up, and one started months later does not chase old periods. The unique key of
``ReminderSent`` makes each (unit, programme, period, step) happen once, whatever runs and restarts.
Each programme's periods are chased with its own units; with several programmes configured,
a reminder names its programme beside the period's title. Staff may send a unit the step it is
at now (``current_step``) on their word, through the same record (robot.staff.reminding).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from robot.config import Config, Unit
from robot.outbox import enqueue
from robot.periods import Period, all_periods
from robot.status import StatusRow, period_status
from robot.templating import text_templates
from robot.wording import reminder_subject, show_day
from store import queries
from store.db import session as open_session
from store.db import to_db_time
from store.tables import ReminderSent

log = logging.getLogger(__name__)

TEMPLATES = {
    "reminder": "reminder.txt.j2",
    "overdue": "reminder_overdue.txt.j2",
    "escalation": "reminder_escalation.txt.j2",
}


@dataclass(frozen=True)
class Step:
    """One reminder step of a period, due from ``start`` until ``end`` (local time)."""

    name: str  # before-7, overdue-1, escalation
    kind: str  # reminder | overdue | escalation: the X-Report-Robot value
    start: dt.datetime
    end: dt.datetime


@dataclass
class PlannedReminder:
    """A reminder to send (or, in a dry run, that would be sent)."""

    period: Period
    unit: Unit
    step: Step
    row: StatusRow
    to: list[str]
    subject: str
    text: str


def period_steps(config: Config, period: Period) -> list[Step]:
    """Every reminder step of a period, by the policy in ``config.reminders``."""
    policy = config.reminders
    due = period.due_day
    every = dt.timedelta(days=policy.overdue_every_days)

    def at(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(policy.hour), tzinfo=config.tz)

    track = [(f"before-{n}", "reminder", due - dt.timedelta(days=n))
             for n in sorted(set(policy.before_days), reverse=True)]
    track += [(f"overdue-{k}", "overdue", due + (k - 1) * every) for k in range(1, policy.overdue_max + 1)]
    steps = []
    for i, (name, kind, day) in enumerate(track):
        end = at(track[i + 1][2]) if i + 1 < len(track) else at(day) + every
        if kind == "reminder":
            end = min(end, period.deadline)  # "N days left" is never said after the deadline
        steps.append(Step(name, kind, at(day), end))
    escalation = at(due + dt.timedelta(days=policy.escalate_after_days))
    steps.append(Step("escalation", "escalation", escalation, escalation + every))
    return steps


def due_steps(config: Config, period: Period, now: dt.datetime) -> list[Step]:
    return [step for step in period_steps(config, period) if step.start <= now < step.end]


def plan_reminders(config: Config, session: Session, now: dt.datetime,
                   views: Sequence[Config] | None = None) -> list[PlannedReminder]:
    """Reminders due now for expected units whose report is not complete, not yet sent.

    Every programme's (or only those of ``views``, programme views of ``config``): its periods,
    its units. A unit staff excused for the period is not chased.

    Nothing is due before ``reminders.hour`` of the local day: reminders go out at that hour.
    """
    planned: list[PlannedReminder] = []
    if now.astimezone(config.tz).hour < config.reminders.hour:
        return planned
    for view in config.programme_views if views is None else views:
        for period in all_periods(view, now):
            steps = due_steps(view, period, now)
            if not steps:
                continue
            sent = queries.reminder_steps_sent(session, view.mailbox.address, period.programme, period.id)
            for row in period_status(view, session, period):  # expected units only
                if row.state == "complete" or row.excused:  # excused by staff: not expected
                    continue
                for step in steps:
                    if (row.unit.code, step.name) not in sent:
                        item = compose_reminder(view, period, row, step, now, config.has_programmes)
                        planned += [item] if item else []
    return planned


def send_reminders(config: Config, engine: Engine, now: dt.datetime, dry_run: bool = False,
                   views: Sequence[Config] | None = None) -> list[PlannedReminder]:
    """Queue every due reminder (of every programme, or of ``views``), each with its
    ReminderSent record in one transaction."""
    with open_session(engine) as session:
        planned = plan_reminders(config, session, now, views)
    if dry_run:
        return planned
    queued = []
    for item in planned:
        with open_session(engine) as session:
            if not queue_reminder(config, session, item, now):  # a concurrent run sent this step first
                continue
            session.commit()
        queued.append(item)
    return queued


def current_step(config: Config, period: Period, now: dt.datetime) -> Step | None:
    """The step of the unit's own track (not the escalation) a reminder sent now stands for: the
    last one begun, a "days left" one only before the deadline; None when none has begun."""
    begun = [step for step in period_steps(config, period) if step.kind != "escalation" and step.start <= now
             and (step.kind == "overdue" or now < period.deadline)]
    return begun[-1] if begun else None


def queue_reminder(config: Config, session: Session, item: PlannedReminder, now: dt.datetime) -> bool:
    """Queue a reminder with its ReminderSent record, in a savepoint of the caller's transaction;
    False, leaving nothing behind, when that step of the unit was recorded first."""
    try:
        with session.begin_nested():
            row = enqueue(session, config, kind=item.step.kind, to=item.to, subject=item.subject,
                          text=item.text, now=now, auto_submitted="auto-generated")
            session.flush()
            session.add(ReminderSent(mailbox=config.mailbox.address, unit_code=item.unit.code,
                                     programme=item.period.programme, period_id=item.period.id,
                                     step=item.step.name, kind=item.step.kind,
                                     sent_at=to_db_time(now), outbox_id=row.id))
            session.flush()
    except IntegrityError:
        return False
    log.info("queued %s %s for %s, %s", item.step.kind, item.step.name, item.unit.code, item.period.id)
    return True


def _recipients(config: Config, unit: Unit, step: Step) -> list[str]:
    if step.kind == "escalation":
        return list(dict.fromkeys(config.reminders.escalate_to + unit.supervisor_emails))
    return list(unit.emails)


def compose_reminder(config: Config, period: Period, row: StatusRow, step: Step, now: dt.datetime,
                     named: bool) -> PlannedReminder | None:
    """The reminder of a programme view, None when it has nobody to go to; ``named``: the
    period's title names the programme, for units that report several."""
    unit = row.unit
    to = _recipients(config, unit, step)
    if not to:
        return None
    period_title = f"{period.title} về “{config.programme_title}”" if named else period.title
    labels = {f.key: f for f in config.fields}
    gaps = [{"code": labels[k].code, "label": labels[k].label}
            for k in dict.fromkeys(row.missing + row.invalid) if k in labels]
    today = now.astimezone(config.tz).date()
    text = text_templates.get_template(TEMPLATES[step.kind]).render(
        unit_name=unit.name, unit_code=unit.code, unit_type=config.unit_types.get(unit.type, unit.type),
        unit_emails=", ".join(unit.emails), contact_name=unit.contact.name,
        contact_phone=unit.contact.phone, period_title=period_title, due=show_day(period.due_day),
        days_left=(period.due_day - today).days, days_late=(today - period.due_day).days + 1,
        state=row.state, gaps=gaps, mailbox=config.mailbox.address,
    )
    subject = reminder_subject(step.kind, period_title, show_day(period.due_day), unit.name)
    return PlannedReminder(period, unit, step, row, to, subject, text)
