"""Finding a registered unit from the name a document gives."""

from __future__ import annotations

import re

from parsers.labels import fold
from robot.config import Config, Unit

# Words people add or drop in front of a unit's name ("Trường THPT …", "Phòng GD&ĐT …").
_NOISE = re.compile(r"\b(truong|don vi|ten don vi)\b")


def _plain(text: str) -> str:
    return " ".join(_NOISE.sub(" ", fold(text)).split())


def unit_named(config: Config, text: str | None) -> Unit | None:
    """The registered unit whose name appears in ``text``; the longest name wins."""
    if not text:
        return None
    plain = f" {_plain(text)} "
    best: Unit | None = None
    for unit in config.units:
        name = _plain(unit.name)
        if name and f" {name} " in plain and (best is None or len(name) > len(_plain(best.name))):
            best = unit
    return best
