"""Subjects in mislabelled or unlabelled charsets come back right in the reply's subject.

Issue 10, finding 7: a subject labelled gb2312 but holding a GBK-only character, and a raw 8-bit
Latin-1 subject with no label, both fell back to windows-1258 and were echoed as mojibake.
"""

from __future__ import annotations

import pytest

from tests.filling import filled_xlsx
from tests.realmail import File, Person, foxmail, legacy_8bit
from tests.robot.conftest import COMPLETE
from tests.robotenv import local

RECEIVED = local(2026, 11, 19, 10, 15)
NOW = "2026-11-19T11:00:00+07:00"

# 镕 (U+9555) is in GBK but not in GB2312: a strict gb2312 decoder fails on it.
GBK_SUBJECT = "Bao cao ca nam 2026 - nguoi gui: 陈玉镕"
# Every letter is in Latin-1, but ý and ò are other letters in windows-1258 (ư, a combining dot).
LATIN1_SUBJECT = "Báo cáo 12 tháng 2026 - cô Lý Hòa"


def _gbk_labelled_gb2312(school, report: bytes) -> bytes:
    return foxmail(Person("陈玉镕", school.emails[0]), GBK_SUBJECT, "Kinh gui So,\nTruong gui bao cao.\n",
                   sent=RECEIVED, files=[File("BaoCao_2026.xlsx", report)])


def _unlabelled_latin1(school, report: bytes) -> bytes:
    return legacy_8bit(Person("", school.emails[0]), LATIN1_SUBJECT,
                       "Kinh gui So Giao duc,\nTruong gui bao cao 12 thang nam 2026.\nTran trong.\n",
                       sent=RECEIVED, files=[File("bao-cao-2026.xlsx", report)])


CASES = {
    "gb2312-label-gbk-bytes": (_gbk_labelled_gb2312, GBK_SUBJECT),
    "raw-8bit-latin1": (_unlabelled_latin1, LATIN1_SUBJECT),
}


@pytest.mark.parametrize("case", CASES)
def test_reply_subject_repeats_the_subject_as_written(robot_env, mailbox, smtp_server, school, case):
    """GIVEN a registered school's complete report whose subject is GBK text labelled gb2312
    (Foxmail) or raw 8-bit Latin-1 without any label (old webmail)
    WHEN the robot polls
    THEN the acknowledgement's subject, decoded, ends with the subject exactly as the school wrote it."""
    build, subject = CASES[case]
    report = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE, unit_name=school.name, period="Năm 2026")
    assert robot_env.cli("poll", "--now", "2026-11-19T08:00:00+07:00").exit_code == 0  # first contact
    mailbox.append(build(school, report), internaldate=RECEIVED)

    assert robot_env.cli("poll", "--now", NOW).exit_code == 0

    (ack,) = smtp_server.wait_for(1)
    assert ack.parsed["X-Report-Robot"] == "ack"
    assert str(ack.parsed["Subject"]).endswith(subject), str(ack.parsed["Subject"])
