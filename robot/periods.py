"""Reporting periods: which exist, their deadlines, and which one a received mail is about.

A period is one occurrence of a report of a programme: ``semiannual-2026`` (due before 01/06),
``monthly-2026-03``, ``quarterly-2026-Q1``, ``weekly-2026-W14`` (ISO weeks). Ids are unique
within a programme; the store keys everything by (programme, period id).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.labels import fold
from robot.config import Config, ReportConfig

_YEAR = re.compile(r"\b(20\d\d)\b")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# "tháng 3", "tháng 03/2026", "tháng 3 năm 2026" (folded: "thang 3")
_MONTH = re.compile(r"\bthang\s+(0?[1-9]|1[0-2])\b")
_QUARTER = re.compile(r"\bquy\s+(i{1,3}|iv|[1-4])\b")
_WEEK = re.compile(r"\btuan\s+(?:thu\s+)?(0?[1-9]|[1-4]\d|5[0-3])\b")


@dataclass(frozen=True)
class Period:
    """One occurrence of a report: its deadline and the days its figures cover."""

    report: ReportConfig
    year: int
    number: int  # the month, quarter or ISO week; 0 for a semiannual or annual report
    deadline: dt.datetime  # aware; 00:00 local time of the due day: "before 1 June"
    data_end: dt.date | None  # the last day the figures cover (None: up to the deadline)
    programme: str

    @property
    def id(self) -> str:
        suffix = {"monthly": f"-{self.number:02d}", "quarterly": f"-Q{self.number}",
                  "weekly": f"-W{self.number:02d}"}.get(self.report.period, "")
        return f"{self.report.id}-{self.year}{suffix}"

    @property
    def title(self) -> str:
        kind = self.report.period
        if kind == "monthly":
            return f"{self.report.title} tháng {self.number}/{self.year}"
        if kind == "quarterly":
            return f"{self.report.title} quý {'I II III IV'.split()[self.number - 1]}/{self.year}"
        if kind == "weekly":
            return f"{self.report.title} tuần {self.number}/{self.year}"
        return f"{self.report.title} {self.year}"

    @property
    def due_day(self) -> dt.date:
        return self.deadline.date()

    def is_on_time(self, received_at: dt.datetime) -> bool:
        return received_at < self.deadline


def make_period(config: Config, report: ReportConfig, year: int, number: int = 0) -> Period:
    """The period ``number`` (month, quarter, ISO week; 0 for half-year and year) of ``year``."""
    if report.period in ("semiannual", "annual"):
        assert report.due is not None
        month, day = (int(part) for part in report.due.split("-"))
        due, data_end = dt.date(year, month, day), None
    elif report.period == "weekly":
        assert report.due_weekday is not None
        sunday = dt.date.fromisocalendar(year, number, 7)
        due, data_end = sunday + dt.timedelta(days=report.due_weekday), sunday
    else:
        assert report.due_day is not None
        last_month = number if report.period == "monthly" else 3 * number
        data_end = _month_day(year, last_month, report.cutoff_day)
        due = _next_day_numbered(data_end, report.due_day)
    deadline = dt.datetime(due.year, due.month, due.day, tzinfo=config.tz)
    return Period(report=report, year=year, number=number, deadline=deadline, data_end=data_end,
                  programme=config.programme_id)


def _month_day(year: int, month: int, day: int | None) -> dt.date:
    """Day ``day`` of the month, or its last day."""
    return dt.date(year, month, day or calendar.monthrange(year, month)[1])


def _next_day_numbered(after: dt.date, day: int) -> dt.date:
    """The first date after ``after`` that is day ``day`` of its month."""
    if after.day < day:
        return after.replace(day=day)
    following = after.replace(day=1) + dt.timedelta(days=32)
    return following.replace(day=day)


def _numbers(report: ReportConfig, year: int) -> list[int]:
    if report.period == "monthly":
        return list(range(1, 13))
    if report.period == "quarterly":
        return [1, 2, 3, 4]
    if report.period == "weekly":
        return list(range(1, dt.date(year, 12, 28).isocalendar()[1] + 1))
    return [0]


def all_periods(config: Config, until: dt.datetime) -> list[Period]:
    """Every period from each report's first year up to the year after ``until``, by deadline."""
    periods = []
    for report in config.reports:
        last = min(report.last_year or until.year + 1, until.year + 1)
        periods += [make_period(config, report, y, n)
                    for y in range(report.first_year, last + 1) for n in _numbers(report, y)]
    return sorted(periods, key=lambda p: p.deadline)


_ID = re.compile(r"^(?P<report>[a-z][a-z0-9_]*)-(?P<year>\d{4})(?:-(?:Q(?P<q>[1-4])|W(?P<w>\d{2})|(?P<m>\d{2})))?$")


def period_by_id(config: Config, period_id: str) -> Period | None:
    found = _ID.match(period_id)
    report = next((r for r in config.reports if found and r.id == found["report"]), None)
    if found is None or report is None:
        return None
    year = int(found["year"])
    number = int(found["m"] or found["q"] or found["w"] or 0)
    if year < report.first_year or (report.last_year and year > report.last_year):
        return None
    if number not in _numbers(report, year) or (number == 0) != (report.period in ("semiannual", "annual")):
        return None
    return make_period(config, report, year, number)


def period_of(config: Config, programme: str | None, period_id: str) -> Period | None:
    """A stored period (its programme's id and its own) of any programme of the config."""
    view = config.programme(programme or config.programme_views[0].programme_id)
    return period_by_id(view, period_id) if view is not None else None


def open_period(config: Config, now: dt.datetime) -> Period | None:
    """The period whose deadline is the next one after ``now``."""
    return next((p for p in all_periods(config, now) if p.deadline > now), None)


def last_closed_period(config: Config, now: dt.datetime) -> Period | None:
    """The period whose deadline passed most recently."""
    closed = [p for p in all_periods(config, now) if p.deadline <= now]
    return closed[-1] if closed else None


def report_named_in(config: Config, text: str) -> tuple[ReportConfig | None, int | None]:
    """The report kind and year a text names ("Báo cáo 6 tháng đầu năm 2026"), if any."""
    plain = fold(text)
    best: tuple[int, ReportConfig] | None = None
    for report in config.reports:
        for keyword in report.keywords:
            word = fold(keyword)
            if word and re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", plain):
                if best is None or len(word) > best[0]:
                    best = (len(word), report)
    years = _YEAR.findall(text)
    return (best[1] if best else None), (int(years[-1]) if years else None)


def number_named_in(report: ReportConfig, text: str) -> int | None:
    """The month, quarter or week a text names for a report of that period type ("tháng 3",
    "quý II", "tuần 14"); None when it names none or the report has no numbered periods."""
    pattern = {"monthly": _MONTH, "quarterly": _QUARTER, "weekly": _WEEK}.get(report.period)
    found = pattern.search(fold(text)) if pattern else None
    if found is None:
        return None
    value = found.group(1)
    return _ROMAN.get(value) or int(value)


def pick_period(
    config: Config, received_at: dt.datetime, texts: list[str], filed: set[str], titles: Sequence[str] = ()
) -> Period | None:
    """The period a mail is about.

    ``texts`` are the places the sender may have named it, most trusted first (the document's
    own "Kỳ báo cáo" or title, then the subject). Without an explicit kind, the most recent
    overdue period the unit has not filed (``filed`` holds the ids it has filed completely)
    wins, else the open one. ``titles`` (the documents' title blocks, which may also quote a
    plan's years) are read only for the month, quarter or week of a numbered report.
    """
    report, year = None, None
    for text in texts:
        found_report, found_year = report_named_in(config, text or "")
        report = report or found_report
        year = year or found_year
    if report is None and len(config.reports) == 1 and config.reports[0].period not in ("semiannual", "annual"):
        report = config.reports[0]  # a programme's only numbered report: its month, quarter or week
    if report is None:
        chosen = _by_received_date(config, received_at, filed)
        if year is None or chosen is None or chosen.year == year:
            return chosen
        return _nearest([p for p in all_periods(config, received_at) if p.year == year], received_at)
    if report.period in ("semiannual", "annual"):
        if year is not None:
            return period_by_id(config, f"{report.id}-{year}")
        return _nearest([p for p in all_periods(config, received_at) if p.report.id == report.id], received_at)
    number = next((n for n in (number_named_in(report, text or "") for text in [*texts, *titles]) if n), None)
    periods = [p for p in all_periods(config, received_at) if p.report.id == report.id]
    if number is not None:
        return _nearest([p for p in periods if p.number == number and (year is None or p.year == year)], received_at)
    chosen = _by_received_date(config, received_at, filed, report)
    if year is None or chosen is None or chosen.year == year:
        return chosen
    return _nearest([p for p in periods if p.year == year], received_at)


def _nearest(periods: list[Period], received_at: dt.datetime) -> Period | None:
    if not periods:
        return None
    return min(periods, key=lambda p: abs((p.deadline - received_at).total_seconds()))


def _by_received_date(config: Config, received_at: dt.datetime, filed: set[str],
                      report: ReportConfig | None = None) -> Period | None:
    """The most recent overdue period the unit has not filed, else the open one."""
    periods = [p for p in all_periods(config, received_at) if report is None or p.report.id == report.id]
    closed = [p for p in periods if p.deadline <= received_at]
    recent = closed[-1] if closed else None
    upcoming = next((p for p in periods if p.deadline > received_at), None)
    if recent is not None and recent.id not in filed:
        if upcoming is not None and upcoming.data_end is not None and received_at.date() <= upcoming.data_end:
            return recent  # the open period's figures are not all in yet: the late report it is
        # A late report is expected until halfway to the next deadline; after that an
        # unlabelled report is more likely the next one.
        if upcoming is None or received_at - recent.deadline < (upcoming.deadline - received_at):
            return recent
    return upcoming
