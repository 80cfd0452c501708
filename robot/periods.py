"""Reporting periods: which exist, their deadlines, and which one a received mail is about."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from parsers.labels import fold
from robot.config import Config, ReportConfig

_YEAR = re.compile(r"\b(20\d\d)\b")


@dataclass(frozen=True)
class Period:
    """One occurrence of a report, e.g. ``semiannual-2026`` due before 01/06/2026."""

    report: ReportConfig
    year: int
    deadline: dt.datetime  # aware; 00:00 local time of the due day: "before 1 June"

    @property
    def id(self) -> str:
        return f"{self.report.id}-{self.year}"

    @property
    def title(self) -> str:
        return f"{self.report.title} {self.year}"

    @property
    def due_day(self) -> dt.date:
        return self.deadline.date()

    def is_on_time(self, received_at: dt.datetime) -> bool:
        return received_at < self.deadline


def make_period(config: Config, report: ReportConfig, year: int) -> Period:
    month, day = (int(part) for part in report.due.split("-"))
    deadline = dt.datetime(year, month, day, tzinfo=config.tz)
    return Period(report=report, year=year, deadline=deadline)


def all_periods(config: Config, until: dt.datetime) -> list[Period]:
    """Every period from each report's first year up to the year after ``until``, by deadline."""
    periods = []
    for report in config.reports:
        last = min(report.last_year or until.year + 1, until.year + 1)
        periods += [make_period(config, report, y) for y in range(report.first_year, last + 1)]
    return sorted(periods, key=lambda p: p.deadline)


def period_by_id(config: Config, period_id: str) -> Period | None:
    report_id, _, year = period_id.rpartition("-")
    report = next((r for r in config.reports if r.id == report_id), None)
    if report is None or not year.isdigit():
        return None
    year_n = int(year)
    if year_n < report.first_year or (report.last_year and year_n > report.last_year):
        return None
    return make_period(config, report, year_n)


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


def pick_period(
    config: Config, received_at: dt.datetime, texts: list[str], filed: set[str]
) -> Period | None:
    """The period a mail is about.

    ``texts`` are the places the sender may have named it, most trusted first (the document's
    own "Kỳ báo cáo" or title, then the subject). Without an explicit kind, the most recent
    overdue period the unit has not filed (``filed`` holds the ids it has filed completely)
    wins, else the open one.
    """
    report, year = None, None
    for text in texts:
        found_report, found_year = report_named_in(config, text or "")
        report = report or found_report
        year = year or found_year
    if report is not None:
        if year is not None:
            return period_by_id(config, f"{report.id}-{year}")
        candidates = [p for p in all_periods(config, received_at) if p.report.id == report.id]
        if not candidates:
            return None
        return min(candidates, key=lambda p: abs((p.deadline - received_at).total_seconds()))
    chosen = _by_received_date(config, received_at, filed)
    if year is None or chosen is None or chosen.year == year:
        return chosen
    same_year = [p for p in all_periods(config, received_at) if p.year == year]
    if not same_year:
        return None
    return min(same_year, key=lambda p: abs((p.deadline - received_at).total_seconds()))


def _by_received_date(config: Config, received_at: dt.datetime, filed: set[str]) -> Period | None:
    """The most recent overdue period the unit has not filed, else the open one."""
    recent = last_closed_period(config, received_at)
    upcoming = open_period(config, received_at)
    if recent is not None and recent.id not in filed:
        # A late report is expected until halfway to the next deadline; after that an
        # unlabelled report is more likely the next one.
        if upcoming is None or received_at - recent.deadline < (upcoming.deadline - received_at):
            return recent
    return upcoming
