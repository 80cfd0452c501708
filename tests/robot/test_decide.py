"""The intake's policy as a table: the facts of a message in, what the robot does out."""

from __future__ import annotations

import pytest

from robot.decide import Decision, Facts, decide

UNIT = dict(registered=True)
REPORT = dict(registered=True, own_report=True, own_report_complete=True, files=1)
LIST = dict(screening_kind="list", screening_reason="List-Id header")
AUTO = dict(screening_kind="auto_reply", screening_reason="Auto-Submitted: auto-replied")

CASES = [
    # (case, facts, outcome, reply, file, keep_foreign)
    ("robot's own mail", Facts(screening_kind="own_mail", fileable=False, **REPORT), "own_mail", None, None, False),
    ("delivery report", Facts(screening_kind="bounce", fileable=False), "bounce", None, None, False),
    ("same mail twice", Facts(duplicate_of=7, **REPORT), "duplicate", None, None, False),
    ("complete report", Facts(**REPORT), "accepted", "ack", "report", False),
    ("incomplete report", Facts(**REPORT | {"own_report_complete": False}), "incomplete", "incomplete", "report", False),
    ("report through a list relay", Facts(**REPORT, **LIST), "accepted", None, "report", False),
    ("report with Auto-Submitted", Facts(**REPORT, **AUTO), "accepted", None, "report", False),
    ("out-of-office from a unit", Facts(**UNIT, **AUTO), "auto_reply", None, None, False),
    ("list mail from a unit", Facts(**UNIT, **LIST), "list", None, None, False),
    ("forged unit address with report", Facts(**REPORT, authentication_failed=True), "unverified", None, "unverified", False),
    ("forged unit address, no report", Facts(**UNIT, authentication_failed=True), "unverified", None, None, False),
    ("thanks in the robot's thread", Facts(**UNIT, in_robot_thread=True, names_report=True), "reply-to-robot", None, None, False),
    ("thanks with a signature logo", Facts(**UNIT, in_robot_thread=True, files=0), "reply-to-robot", None, None, False),
    ("corrected file unreadable in thread", Facts(**UNIT, in_robot_thread=True, files=1, unreadable_files=1), "unreadable", "unreadable", None, False),
    ("names the report, no file", Facts(**UNIT, names_report=True), "no_attachment", "no-attachment", None, False),
    ("names the report, file without figures", Facts(**UNIT, names_report=True, files=1), "unreadable", "unreadable", None, False),
    ("invitation PDF from a unit", Facts(**UNIT, files=1), "not-for-robot", None, None, False),
    ("question without attachment", Facts(**UNIT), "not-for-robot", None, None, False),
    ("another unit's report only", Facts(**UNIT, files=1, foreign_reports=True), "unreadable", "unreadable", None, True),
    ("report plus a neighbour's", Facts(**REPORT, foreign_reports=True), "accepted", "ack", "report", True),
    ("stranger about the report", Facts(names_report=True), "unknown_sender", "unknown-sender", None, False),
    ("stranger with a report naming a unit", Facts(own_report=True, foreign_reports=True, files=1), "unknown_sender", "unknown-sender", None, True),
    ("stranger answered today", Facts(names_report=True, answered_today=True), "unknown_sender", None, None, False),
    ("stranger, newsletter", Facts(files=1), "not-for-robot", None, None, False),
    ("spam about the report", Facts(names_report=True, screening_kind="spam", screening_reason="X-Spam-Flag: YES"), "spam", None, None, False),
    ("no-reply platform mail", Facts(names_report=True, screening_kind="machine_sender", screening_reason="From no-reply@"), "machine_sender", None, None, False),
    ("stranger's report via a list", Facts(own_report=True, foreign_reports=True, files=1, **LIST), "list", None, None, True),
    ("policy never", Facts(names_report=True, unknown_sender_policy="never"), "unknown_sender", None, None, False),
    ("policy authenticated, not authenticated", Facts(names_report=True, unknown_sender_policy="authenticated"), "unknown_sender", None, None, False),
    ("policy authenticated, authenticated", Facts(names_report=True, unknown_sender_policy="authenticated", domain_authenticated=True), "unknown_sender", "unknown-sender", None, False),
]


@pytest.mark.parametrize(("facts", "outcome", "reply", "file", "keep_foreign"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_decision_table(facts: Facts, outcome: str, reply: str | None, file: str | None, keep_foreign: bool):
    decision = decide(facts)
    assert (decision.outcome, decision.reply, decision.file, decision.keep_foreign) == (outcome, reply, file, keep_foreign)


def test_every_quiet_decision_says_why():
    """GIVEN any screened or left-for-people mail WHEN decided THEN a reason is recorded for staff."""
    for _, facts, _, reply, *_ in CASES:
        decision: Decision = decide(facts)
        if reply is None and decision.outcome not in ("accepted", "incomplete") or facts.screening_kind:
            assert decision.reasons, decision
