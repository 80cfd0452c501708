""""Tình hình [programme] [period]" by mail sends the digest narrowed to what was named (issue 13),
on a real Dovecot and aiosmtpd: a programme's section only, one period only — an old one too."""

from __future__ import annotations

from tests.programmes import DRUGS, write_two_programme_config
from tests.robot.test_staff_by_mail import VIEWER, _actions, _command, _staffed
from tests.robotenv import local, parsed, text_of

NOW = "2026-11-20T10:00:00+07:00"


def _ask(env, mailbox, smtp_server, subjects: list[str]) -> list:
    """Mail the viewer's commands, poll once; each one's answer, in the order asked."""
    raws = [_command(VIEWER, subject) for subject in subjects]
    for raw in raws:
        mailbox.append(raw, internaldate=local(2026, 11, 20, 9, 30))
    assert env.cli("poll", "--now", NOW).exit_code == 0
    answers = {m.parsed["In-Reply-To"]: m for m in smtp_server.wait_for(len(raws))}
    return [answers[parsed(raw)["Message-ID"]].parsed for raw in raws]


def _files(answer) -> list[str]:
    return sorted(p.get_filename() for p in answer.iter_attachments() if p.get_filename().endswith(("xlsx", "docx")))


def _html(answer) -> str:
    return answer.get_body(("html",)).get_content()


def test_a_programme_or_a_period_named_narrows_the_digest(tmp_path, mailbox, smtp_server):
    """GIVEN two programmes WHEN a viewer asks "Tình hình ma túy", "Tình hình annual-2026",
    "Tình hình phong_chong_ma_tuy monthly-2026-03" (a period long closed) and "Tình hình phòng chống"
    (words of both titles) THEN the first gets the drug programme's section and files only, the
    second the plan's annual report only, the third March's drug report only, the last the help
    naming the programmes; each answer is a staff mail and the narrowing is audited."""
    env = _staffed(write_two_programme_config(tmp_path / "robot", mailbox, smtp_server))
    plan, drugs = env.config.programme("default"), env.config.programme(DRUGS)
    by_title, by_period, old, unclear = _ask(env, mailbox, smtp_server, [
        "Tình hình ma túy", "Tình hình annual-2026", f"Tình hình {DRUGS} monthly-2026-03", "Tình hình phòng chống"])
    assert {a["X-Report-Robot"] for a in (by_title, by_period, old, unclear)} == {"staff"}

    assert f"<h2>{drugs.programme_title}</h2>" in _html(by_title) and plan.programme_title not in _html(by_title)
    assert _files(by_title) == [f"du-thao-bao-cao-{DRUGS}-monthly-2026-{month}.docx" for month in ("10", "11", "12")] + [
        f"tong-hop-{DRUGS}-2026-11-20.xlsx"]

    page = _html(by_period)
    assert f"<h2>{plan.programme_title}</h2>" in page and drugs.programme_title not in page
    assert "<h3>Báo cáo năm 2026 — hạn chót trước ngày 01/12/2026 (đang mở)</h3>" in page
    assert page.count("<h3>") == 1
    assert _files(by_period) == ["du-thao-bao-cao-default-annual-2026.docx", "tong-hop-default-2026-11-20.xlsx"]

    assert "tháng 3/2026 — hạn chót trước ngày 18/03/2026 (đã hết hạn)</h3>" in _html(old)
    assert _html(old).count("<h3>") == 1
    assert _files(old) == [f"du-thao-bao-cao-{DRUGS}-monthly-2026-03.docx", f"tong-hop-{DRUGS}-2026-11-20.xlsx"]

    assert unclear["Subject"] == "Lệnh không thực hiện được — hướng dẫn"
    assert f"{DRUGS} — {drugs.programme_title}" in text_of(unclear)

    assert [(a.action, a.args.get("programme"), a.args.get("period")) for a in _actions(env)] == [
        ("situation", DRUGS, None), ("situation", "default", "annual-2026"),
        ("situation", DRUGS, "monthly-2026-03"), ("situation", None, None)]
    assert "phòng chống" in _actions(env)[-1].args["refused"]


def test_one_programme_a_past_period_named_gets_that_period_alone(robot_env, mailbox, smtp_server):
    """GIVEN the shipped single programme WHEN a viewer asks "Tình hình annual-2025" (outside the
    weekly digest's periods) or "tình hình báo cáo" THEN the first digest holds annual-2025 only,
    the second is the whole digest; a period that does not exist is refused as before."""
    env = _staffed(robot_env)
    past, whole, unknown = _ask(env, mailbox, smtp_server,
                                ["Tình hình annual-2025", "tình hình báo cáo", "Tình hình annual-2019"])
    assert "<h2>Báo cáo năm 2025 — hạn chót trước ngày 01/12/2025 (đã hết hạn)</h2>" in _html(past)
    assert _html(past).count("<h2>Báo cáo") == 1
    assert _files(past) == ["du-thao-bao-cao-annual-2025.docx", "tong-hop-2026-11-20.xlsx"]
    assert _files(whole) == ["du-thao-bao-cao-annual-2026.docx", "tong-hop-2026-11-20.xlsx"]
    assert "Không có kỳ báo cáo “annual-2019” (ghi mã kỳ, ví dụ annual-2026)." in text_of(unknown)
    assert [(a.args.get("programme"), a.args.get("period")) for a in _actions(env)] == [
        ("default", "annual-2025"), (None, None), (None, None)]
