"""The robot's notion of "now": the real clock, or a fixed instant given with --now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo


def parse_now(text: str, tz: ZoneInfo) -> dt.datetime:
    """An ISO-8601 instant; without an offset it is read in the config's time zone."""
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def make_clock(now: str | None, tz: ZoneInfo) -> Callable[[], dt.datetime]:
    if now is None:
        return lambda: dt.datetime.now(tz)
    fixed = parse_now(now, tz)
    return lambda: fixed
