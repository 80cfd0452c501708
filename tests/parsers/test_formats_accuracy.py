"""Figures read from the office files (.ods, .xlsb, .odt, .rtf) against what their makers typed.

Run with `-s` for the table: `uv run pytest tests/parsers/test_formats_accuracy.py -q -s`.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from parsers.office_convert import converter
from robot.periods import report_named_in
from robot.units import unit_named
from tests.parsers.office_files.reading import EXPECTED, read_saved, shipped_config


def score(name: str, case: dict) -> tuple[int, int, list[str], list[str]]:
    """(right, checked, wrong, missing) over one file's figures, unit and period.

    A figure read with another value than typed is wrong; one not read at all is missing (the
    reply then asks for it, so it can never be filed wrong).
    """
    report, config = read_saved(name), shipped_config()
    got = {key: found.value for key, found in report.values.items()}
    wrong = [f"{key}: read {got[key]!r}, typed {value!r}" for key, value in case["values"].items()
             if key in got and got[key] != value]
    wrong += [f"{key}: read {got[key]!r}, not in the file" for key in got if key not in case["values"]]
    missing = [key for key in case["values"] if key not in got]
    unit = unit_named(config, report.unit_hint)
    if unit is None:
        missing.append("unit")
    elif unit.code != case["unit"]:
        wrong.append(f"unit: {unit.code}, expected {case['unit']}")
    kind, year = report_named_in(config, report.period_hint or "")
    if [kind.id if kind else None, year] != case["period"]:
        wrong.append(f"period: {report.period_hint!r}, expected {case['period']}")
    checked = len(case["values"]) + 2
    return checked - len(wrong) - len(missing), checked, wrong, missing


def test_no_figure_is_read_wrong_and_at_least_95_percent_are_read():
    names = [n for n in sorted(EXPECTED) if converter() is not None or not n.endswith((".odt", ".rtf"))]
    per_format: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    all_wrong = []
    for name in names:
        right, checked, wrong, missing = score(name, EXPECTED[name])
        totals = per_format[Path(name).suffix]
        totals[0] += right
        totals[1] += checked
        notes = "; ".join(wrong + [f"{key} not read" for key in missing])
        print(f"{name:32} {right}/{checked}  {notes}")
        all_wrong += [f"{name}: {item}" for item in wrong]
    for suffix, (right, checked) in sorted(per_format.items()):
        print(f"{suffix:6} {right}/{checked} right = {100 * right / checked:.1f} %")
    right, checked = (sum(t[i] for t in per_format.values()) for i in (0, 1))
    print(f"all    {right}/{checked} right = {100 * right / checked:.1f} %")
    assert not all_wrong, "\n".join(all_wrong)
    assert right / checked >= 0.95
