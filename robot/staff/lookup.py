"""The unit and period a staff member names: a unit by its code or (part of) its name, a period by its id."""

from __future__ import annotations

from parsers.labels import fold
from robot.config import Config, Unit
from robot.periods import Period, period_by_id
from robot.staff.excusals import Refused
from robot.units import unit_named


def find_unit(config: Config, text: str) -> Unit | None:
    """The unit ``text`` names: its code (any case), its full name, or a part only it has."""
    words = text.split()
    for word in words:
        unit = config.unit_by_code(word.upper())
        if unit is not None:
            return unit
    named = unit_named(config, text)
    if named is not None:
        return named
    wanted = " ".join(fold(text).split())
    if not wanted:
        return None
    matches = [u for u in config.units if f" {wanted} " in f" {' '.join(fold(u.name).split())} "]
    return matches[0] if len(matches) == 1 else None


def required_unit(config: Config, text: str) -> Unit:
    """The unit ``text`` names, or the command is refused saying it found none."""
    unit = find_unit(config, text)
    if unit is None:
        raise Refused(f"Không tìm thấy đơn vị “{text}” (ghi mã đơn vị hoặc tên đơn vị).")
    return unit


def find_period(config: Config, words: tuple[str, ...]) -> tuple[int, Period] | None:
    """The first word that is a period id (annual-2026), with its position. An id that two
    programmes share is taken only with a word naming one of them (its programme id)."""
    named = {word.lower() for word in words}
    for index, word in enumerate(words):
        found = [p for p in (period_by_id(view, word.lower()) for view in config.programme_views) if p is not None]
        if len(found) > 1:
            found = [p for p in found if p.programme in named]
        if len(found) == 1:
            return index, found[0]
    return None
