"""Field-level accuracy over the corpus of real-looking reports: 100 % on every non-stretch file.

Run with `-s` to see the table: `uv run pytest tests/corpus -q -s`.
"""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from mailer.incoming import read_message
from parsers.doc_reader import converter
from parsers.registry import parse_attachment
from parsers.report import ParsedReport, ParseError
from robot.config import Config, load_config
from robot.parsing import parse_limits, read_body
from robot.periods import report_named_in
from robot.units import unit_named
from tests.robotenv import SHIPPED_CONFIG

HERE = Path(__file__).resolve().parent
EXPECTED = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(SHIPPED_CONFIG)


def read_case(config: Config, name: str) -> ParsedReport:
    """The report the robot reads from a corpus file (a mail body for .txt/.html cases)."""
    data = (HERE / "files" / name).read_bytes()
    if name.endswith((".txt", ".html")):
        message = EmailMessage()
        message["From"] = "clerk@school.example"
        subtype = "html" if name.endswith(".html") else "plain"
        message.set_content(data.decode(), subtype=subtype)
        report = read_body(config, read_message(message.as_bytes()))
        assert report is not None, f"{name}: no report found in the mail body"
        return report
    reports = parse_attachment(name, data, config.schema(), parse_limits(config))
    assert len(reports) == 1, f"{name}: {len(reports)} reports"
    return reports[0]


def score(config: Config, name: str, case: dict) -> tuple[int, int, list[str]]:
    """(right, checked, what went wrong) for one file: every value, the unit and the period."""
    if case["error"]:
        with pytest.raises(ParseError) as caught:
            read_case(config, name)
        ok = caught.value.reason == case["error"]
        return int(ok), 1, [] if ok else [f"reason {caught.value.reason}, expected {case['error']}"]
    report = read_case(config, name)
    wrong = []
    got = {key: found.value for key, found in report.values.items()}
    for key, value in case["values"].items():
        if got.get(key) != value:
            wrong.append(f"{key}: {got.get(key)!r} (raw {report.values[key].raw!r})" if key in got
                         else f"{key}: missing, expected {value!r}")
    wrong += [f"{key}: {got[key]!r} read but not in the file" for key in got if key not in case["values"]]
    checked = len(case["values"]) + len([k for k in got if k not in case["values"]])
    if case["unit"] is not None:
        checked += 1
        named = unit_named(config, report.unit_hint)
        if named is None or named.code != case["unit"]:
            wrong.append(f"unit: {report.unit_hint!r}, expected {case['unit']}")
    if case["period"] is not None:
        checked += 1
        kind, year = report_named_in(config, report.period_hint or "")
        if [kind.id if kind else None, year] != case["period"]:
            wrong.append(f"period: {report.period_hint!r}, expected {case['period']}")
    return checked - len(wrong), checked, wrong


def test_corpus_has_at_least_40_files():
    assert len(EXPECTED) >= 40
    assert all((HERE / "files" / name).exists() for name in EXPECTED)


def test_field_accuracy_is_100_percent_on_non_stretch_files(config):
    totals = {False: [0, 0], True: [0, 0]}
    failures = []
    for name, case in sorted(EXPECTED.items()):
        if case["needs"] == "soffice" and converter() is None:
            print(f"{name}: skipped, LibreOffice is not installed")
            continue
        right, checked, wrong = score(config, name, case)
        totals[case["stretch"]][0] += right
        totals[case["stretch"]][1] += checked
        mark = "stretch " if case["stretch"] else ""
        print(f"{name:40} {mark}{right}/{checked}" + ("" if not wrong else "  " + "; ".join(wrong)))
        if wrong and not case["stretch"]:
            failures.append(f"{name}: {'; '.join(wrong)}")
    for stretch, (right, checked) in totals.items():
        if checked:
            label = "stretch files" if stretch else "corpus files"
            print(f"{label}: {right}/{checked} fields right = {100 * right / checked:.1f} %")
    assert not failures, "\n".join(failures)
