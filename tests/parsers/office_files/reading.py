"""The office files and how the parsers read them, read once per test session (each .odt/.rtf
costs a LibreOffice conversion of a few seconds)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

from parsers.registry import parse_attachment
from parsers.report import ParsedReport
from robot.config import Config, load_config
from robot.parsing import parse_limits
from tests.robotenv import SHIPPED_CONFIG

FILES = Path(__file__).resolve().parent
EXPECTED: dict[str, dict] = json.loads((FILES / "expected.json").read_text(encoding="utf-8"))


@functools.cache
def shipped_config() -> Config:
    return load_config(SHIPPED_CONFIG)


@functools.cache
def read_saved(name: str) -> ParsedReport:
    """The one report in an office file, read with the shipped config's indicators and limits."""
    config = shipped_config()
    [report] = parse_attachment(name, (FILES / name).read_bytes(), config.schema(), parse_limits(config))
    return report
