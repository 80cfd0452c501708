"""The digest's figures: completeness and timeliness (DHIS2), counts by state, the plan's targets.

Completeness = complete reports ÷ expected; timeliness = complete reports received on time ÷
expected (the denominator stays *expected*, DESIGN §1). The plan's targets are summed over
complete reports only: a report that breaks a rule ("129 of 126 schools") or lacks figures must
not move them, and each target figure carries how many complete reports it stands on; a
programme without the plan's targets has completeness and timeliness only. Computed with pandas
over the frame of ``robot.digest.frames`` (one row per period and expected unit of a programme).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from robot.config import Config
from robot.digest.frames import map_distinct
from robot.periods import Period, all_periods, open_period
from robot.status import STATES

# The mail lists at most this many units under each heading; the workbook holds them all.
LISTED_UNITS = 30


@dataclass
class GroupFigures:
    """Figures summed over a group of units: one unit type (``key``), or all of them (key "")."""

    key: str
    label: str
    expected: int = 0
    states: dict[str, int] = field(default_factory=dict)
    on_time: int = 0
    # Target figures: from complete reports only; *_reported = how many complete reports gave them.
    propaganda_reported: int = 0
    propaganda_met: int = 0
    schools_reported: int = 0
    schools_reached: int = 0
    schools_total: int = 0
    students_reported: int = 0
    students_reached: int = 0
    students_total: int = 0
    integration_reported: int = 0
    integrated: int = 0

    @property
    def complete(self) -> int:
        return self.states.get("complete", 0)

    @property
    def completeness(self) -> float | None:
        return share(self.complete, self.expected)

    @property
    def timeliness(self) -> float | None:
        return share(self.on_time, self.expected)

    @property
    def students_share(self) -> float | None:
        return share(self.students_reached, self.students_total)

    @property
    def schools_share(self) -> float | None:
        return share(self.schools_reached, self.schools_total)


@dataclass(frozen=True)
class UnitLine:
    """One unit as the mail lists it."""

    code: str
    name: str
    contact_name: str
    contact_phone: str
    emails: str
    received: str  # "dd/mm/YYYY HH:MM" or ""
    gaps: str  # "05 — label; 06 — label" for an incomplete report
    students_share: float | None


@dataclass
class UnitList:
    """The first ``LISTED_UNITS`` units of a kind, and how many there are in all."""

    units: list[UnitLine]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.units)


@dataclass
class PeriodFigures:
    """Everything the digest says about one period; ``units`` holds every expected unit."""

    period: Period
    units: pd.DataFrame
    by_type: list[GroupFigures]
    total: GroupFigures
    student_types: list[str]
    lists: dict[str, UnitList]  # missing, incomplete, unreadable, unverified, late, below_target (with targets)
    excused: list[str] = field(default_factory=list)  # units staff excused: not expected, counted apart

    @property
    def not_complete_names(self) -> list[str]:
        return self.units.loc[self.units["state"] != "complete", "name"].tolist()


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


def period_figures(config: Config, frame: pd.DataFrame, periods: list[Period]) -> list[PeriodFigures]:
    """The figures of each period from the digest frame, adding the per-unit target columns to it."""
    excused = frame.attrs.get("excused", {})
    units = with_targets(config, frame)
    sums = {name: (name, "sum") for name in _SUMMED}
    by_type = units.groupby(["period_id", "type"], sort=False).agg(expected=("code", "size"), **sums)
    totals = units.groupby("period_id", sort=False).agg(expected=("code", "size"), **sums)
    result = []
    for period in periods:
        rows = units[units["period_id"] == period.id]
        groups = [_group(key, label, by_type.loc[(period.id, key)])
                  for key, label in config.unit_types.items() if (period.id, key) in by_type.index]
        total = (_group("", "Tổng cộng", totals.loc[period.id]) if period.id in totals.index
                 else GroupFigures("", "Tổng cộng", states={state: 0 for state in STATES}))
        student_types = list(config.targets.students_unit_types) if config.targets else []
        result.append(PeriodFigures(period, rows, groups, total, student_types, _lists(config, rows),
                                    excused.get(period.id, [])))
    return result


# Per-unit columns of the plan's targets, summed into a group's figures (0 for a programme without).
_TARGET_COLUMNS = [
    "propaganda_reported", "propaganda_met", "schools_reported", "schools_reached", "schools_total",
    "students_reported", "students_reached", "students_total", "integration_reported", "integrated",
]
# Per-unit columns summed into a group's figures.
_SUMMED = [f"is_{state}" for state in STATES] + ["on_time_complete", *_TARGET_COLUMNS]


def with_targets(config: Config, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with, per unit, the state flags and the target figures of a complete report (else 0/NA)."""
    targets = config.targets
    units = frame.copy()
    for state in STATES:
        units[f"is_{state}"] = units["state"] == state
    complete = units["is_complete"]
    units["on_time_complete"] = complete & units["on_time"].isin([True])
    units["late"] = units["on_time"].isin([False])
    if targets is None:
        return units.assign(**dict.fromkeys(_TARGET_COLUMNS, 0), students_share=float("nan"))
    propaganda = _ints(units, targets.propaganda_field).where(complete)
    units["propaganda_reported"] = propaganda.notna()
    units["propaganda_met"] = propaganda >= targets.propaganda_min
    reached, total = _ints(units, targets.schools_reached_field), _ints(units, targets.schools_total_field)
    schools = complete & reached.notna() & total.notna()
    units["schools_reported"] = schools
    units["schools_reached"], units["schools_total"] = reached.where(schools, 0), total.where(schools, 0)
    reached, total = _ints(units, targets.students_reached_field), _ints(units, targets.students_total_field)
    students = complete & units["type"].isin(targets.students_unit_types) & reached.notna() & total.notna()
    units["students_reported"] = students
    units["students_reached"], units["students_total"] = reached.where(students, 0), total.where(students, 0)
    units["students_share"] = (100 * reached / total.where(total > 0)).where(students)
    integration = units.get(targets.integration_field, pd.Series(None, index=units.index, dtype=object))
    said = complete & map_distinct(integration, lambda value: isinstance(value, bool), empty=False).astype(bool)
    units["integration_reported"] = said
    units["integrated"] = said & integration.isin([True])
    return units


def _ints(units: pd.DataFrame, key: str) -> pd.Series:
    """A field's whole-number values as floats (NaN where absent, not a number, or a yes/no)."""
    values = units.get(key)
    if values is None:
        return pd.Series(float("nan"), index=units.index)
    whole = map_distinct(values, lambda value: float(value) if type(value) is int else float("nan"), empty=float("nan"))
    return whole.astype(float)


def _group(key: str, label: str, row: pd.Series) -> GroupFigures:
    return GroupFigures(
        key=key, label=label, expected=int(row["expected"]),
        states={state: int(row[f"is_{state}"]) for state in STATES}, on_time=int(row["on_time_complete"]),
        **{name: int(row[name]) for name in _TARGET_COLUMNS},
    )


def _lists(config: Config, rows: pd.DataFrame) -> dict[str, UnitList]:
    """The units the mail names under each heading, capped; below_target: complete, under the students'
    target (none for a programme without the plan's targets)."""
    selections = {state: rows["state"] == state for state in ("missing", "incomplete", "unreadable", "unverified")}
    selections["late"] = rows["late"]
    if config.targets is not None:
        selections["below_target"] = rows["students_share"] < config.targets.students_percent
    labels = {f.key: f"{f.code} — {f.label}" for f in config.fields}
    listed = rows[_LIST_COLUMNS]
    return {name: _unit_list(listed, selected, labels) for name, selected in selections.items()}


_LIST_COLUMNS = ["code", "name", "contact_name", "contact_phone", "emails", "received_at", "missing", "invalid",
                 "students_share"]


def _unit_list(rows: pd.DataFrame, selected: pd.Series, labels: dict[str, str]) -> UnitList:
    shown = rows[selected.to_numpy()].head(LISTED_UNITS)
    lines = [
        UnitLine(
            code=row.code, name=row.name, contact_name=row.contact_name, contact_phone=row.contact_phone,
            emails=row.emails, received="" if pd.isna(row.received_at) else row.received_at.strftime("%d/%m/%Y %H:%M"),
            gaps="; ".join(labels.get(key, key) for key in dict.fromkeys([*row.missing, *row.invalid])),
            students_share=None if pd.isna(row.students_share) else float(row.students_share),
        )
        for row in shown.itertuples(index=False)
    ]
    return UnitList(lines, int(selected.sum()))
