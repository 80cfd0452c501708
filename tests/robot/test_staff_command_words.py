"""Staff command subjects as people type them, and where staff mail sits in the decision table."""

from __future__ import annotations

import pytest

from robot.decide import Facts, decide
from robot.staff.commands import parse_command

SUBJECTS = [
    ("Hướng dẫn", "help", ()),
    ("huong dan", "help", ()),
    ("HƯỚNG DẪN SỬ DỤNG", "help", ("SỬ", "DỤNG")),
    ("Tình hình", "situation", ()),
    ("RE: tinh hinh annual-2026", "situation", ("annual-2026",)),
    ("Nhờ anh gửi giúp tình hình báo cáo", "situation", ("báo", "cáo")),
    ("Đơn vị PGD-TANAN", "unit", ("PGD-TANAN",)),
    ("don vi: THPT Nguyễn Trung Trực", "unit", ("THPT", "Nguyễn", "Trung", "Trực")),
    ("Miễn PGD-TANAN annual-2025 Đã sáp nhập vào tỉnh Tây Ninh", "excuse",
     ("PGD-TANAN", "annual-2025", "Đã", "sáp", "nhập", "vào", "tỉnh", "Tây", "Ninh")),
    ("MIEN pgd-tanan annual-2025 sap nhap", "excuse", ("pgd-tanan", "annual-2025", "sap", "nhap")),
    ("Sửa PGD-TANAN 03=5 nhập nhầm", "correct", ("PGD-TANAN", "03=5", "nhập", "nhầm")),
    ("SUA pgd-tanan annual-2025 05: 755", "correct", ("pgd-tanan", "annual-2025", "05", "755")),
    ("Hoàn tác #12", "undo", ("#12",)),
    ("Fwd: hoan tac 12", "undo", ("12",)),
    # The earliest command word wins: "đơn vị" inside an excusal is the excusal's words.
    ("Miễn đơn vị PGD-TANAN annual-2025 giải thể", "excuse",
     ("đơn", "vị", "PGD-TANAN", "annual-2025", "giải", "thể")),
]


@pytest.mark.parametrize(("subject", "action", "words"), SUBJECTS, ids=[s[0] for s in SUBJECTS])
def test_command_words_with_or_without_marks(subject: str, action: str, words: tuple[str, ...]) -> None:
    command = parse_command(subject)
    assert (command.action, command.words, command.problem) == (action, words, "")


@pytest.mark.parametrize("subject", ["Báo cáo 6 tháng đầu năm 2026", "Góp ý về mẫu báo cáo", "Cảm ơn"])
def test_anything_else_is_help_with_the_reason(subject: str) -> None:
    command = parse_command(subject)
    assert command.action == "help"
    assert subject in command.problem


def test_an_empty_subject_is_help_without_a_reason() -> None:
    assert parse_command("  ") == parse_command("")
    assert parse_command("").action == "help" and parse_command("").problem == ""


def test_a_believed_staff_mail_is_a_staff_command_and_a_copy_is_not_run_twice() -> None:
    assert decide(Facts(staff_command=True, names_report=True)).outcome == "staff-command"
    assert decide(Facts(staff_command=True)).reply is None  # the staff package answers, not decide
    assert decide(Facts(staff_command=True, duplicate_of=3)).outcome == "duplicate"
    own = Facts(staff_command=True, screening_kind="own_mail", fileable=False)
    assert decide(own).outcome == "own_mail"
