"""The digest's figures: completeness and timeliness (DHIS2), counts by state, the plan's targets.

Completeness = complete reports ÷ expected; timeliness = complete reports received on time ÷
expected (the denominator stays *expected*, DESIGN §1). Target figures are read from every filed
current report (complete or not) that holds the fields.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlmodel import Session

from robot.config import Config, TargetsConfig
from robot.periods import Period, all_periods, open_period
from robot.status import StatusRow, period_status


@dataclass
class UnitFigures:
    """One expected unit of a period with its target figures (None: not reported or not applicable)."""

    row: StatusRow
    propaganda: int | None = None
    schools_reached: int | None = None
    schools_total: int | None = None
    students_reached: int | None = None
    students_total: int | None = None
    integrated: bool | None = None
    propaganda_min: int = 1

    @property
    def propaganda_met(self) -> bool | None:
        return None if self.propaganda is None else self.propaganda >= self.propaganda_min

    @property
    def students_share(self) -> float | None:
        return share(self.students_reached, self.students_total)

    @property
    def late(self) -> bool:
        return self.row.on_time is False


@dataclass
class GroupFigures:
    """Figures summed over a group of units: one unit type (``key``), or all of them (key "")."""

    key: str
    label: str
    expected: int = 0
    states: Counter = field(default_factory=Counter)
    on_time: int = 0
    propaganda_reported: int = 0
    propaganda_met: int = 0
    schools_reached: int = 0
    schools_total: int = 0
    students_reached: int = 0
    students_total: int = 0
    integration_reported: int = 0
    integrated: int = 0

    @property
    def completeness(self) -> float | None:
        return share(self.states["complete"], self.expected)

    @property
    def timeliness(self) -> float | None:
        return share(self.on_time, self.expected)

    @property
    def students_share(self) -> float | None:
        return share(self.students_reached, self.students_total)

    @property
    def schools_share(self) -> float | None:
        return share(self.schools_reached, self.schools_total)

    def add(self, unit: UnitFigures) -> None:
        self.expected += 1
        self.states[unit.row.state] += 1
        self.on_time += unit.row.state == "complete" and unit.row.on_time is True
        if unit.propaganda is not None:
            self.propaganda_reported += 1
            self.propaganda_met += bool(unit.propaganda_met)
        if unit.schools_reached is not None and unit.schools_total is not None:
            self.schools_reached += unit.schools_reached
            self.schools_total += unit.schools_total
        if unit.students_reached is not None and unit.students_total is not None:
            self.students_reached += unit.students_reached
            self.students_total += unit.students_total
        if unit.integrated is not None:
            self.integration_reported += 1
            self.integrated += unit.integrated


@dataclass
class PeriodFigures:
    """Everything the digest says about one period."""

    period: Period
    units: list[UnitFigures]
    by_type: list[GroupFigures]
    total: GroupFigures
    student_types: list[str]

    def with_state(self, state: str) -> list[UnitFigures]:
        return [u for u in self.units if u.row.state == state]

    @property
    def late(self) -> list[UnitFigures]:
        return [u for u in self.units if u.late]


def share(part: int | None, whole: int | None) -> float | None:
    """part ÷ whole as a percentage, None when it cannot be computed."""
    if part is None or not whole:
        return None
    return 100.0 * part / whole


def digest_periods(config: Config, now: dt.datetime) -> list[Period]:
    """The open period and those closed within ``digest.recent_days``, by deadline."""
    recent = now - dt.timedelta(days=config.digest.recent_days)
    closed = [p for p in all_periods(config, now) if recent <= p.deadline <= now]
    upcoming = open_period(config, now)
    return closed + ([upcoming] if upcoming else [])


def period_figures(config: Config, session: Session, period: Period) -> PeriodFigures:
    targets = config.targets
    rows = period_status(config, session, period, all_mailboxes=config.digest.scope == "all")
    units = [unit_figures(targets, row) for row in rows]
    groups = {key: GroupFigures(key, label) for key, label in config.unit_types.items()}
    total = GroupFigures("", "Tổng cộng")
    for unit in units:
        groups[unit.row.unit.type].add(unit)
        total.add(unit)
    by_type = [group for group in groups.values() if group.expected]
    return PeriodFigures(period, units, by_type, total, list(targets.students_unit_types))


def unit_figures(targets: TargetsConfig, row: StatusRow) -> UnitFigures:
    values = row.values
    figures = UnitFigures(
        row=row,
        propaganda=_int(values.get(targets.propaganda_field)),
        schools_reached=_int(values.get(targets.schools_reached_field)),
        schools_total=_int(values.get(targets.schools_total_field)),
        integrated=values.get(targets.integration_field) if isinstance(
            values.get(targets.integration_field), bool) else None,
        propaganda_min=targets.propaganda_min,
    )
    if row.unit.type in targets.students_unit_types:
        figures.students_reached = _int(values.get(targets.students_reached_field))
        figures.students_total = _int(values.get(targets.students_total_field))
    return figures


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
