"""Reports that cannot be accepted as they are get a notice naming exactly what is wrong."""

from __future__ import annotations

import json

from sqlmodel import select

from store.db import session
from store.tables import Message
from tests.filling import filled_docx, filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, mail, text_of

NOW = "2026-11-20T10:00:00+07:00"
RECEIVED = local(2026, 11, 20, 9, 0)


def _status(robot_env, unit_code: str, period: str = "annual-2026") -> dict:
    rows = json.loads(robot_env.cli("status", "--period", period, "--json").stdout)
    return next(r for r in rows if r["unit_code"] == unit_code)


def test_missing_fields_are_named_with_code_and_label(robot_env, mailbox, smtp_server, school):
    values = {k: v for k, v in COMPLETE.items() if k not in ("so_buoi_tt", "long_ghep")}
    data = filled_xlsx(robot_env.config.schema(), "thpt", values)
    mailbox.append(mail(school.emails[0], "Báo cáo năm 2026", [("bc.xlsx", data)]), internaldate=RECEIVED)
    assert robot_env.cli("poll", "--now", NOW).exit_code == 0

    (reply,) = smtp_server.wait_for(1)
    message = reply.parsed
    assert message["X-Report-Robot"] == "incomplete"
    assert message["X-Report-Robot-Fields"] == "so_buoi_tt,long_ghep"
    body = text_of(message)
    assert "04 — Số buổi (hoạt động) tuyên truyền, giáo dục đã tổ chức" in body
    assert "08 — Có lồng ghép phòng, chống mại dâm" in body
    # Optional fields left blank are not asked for.
    attachments = [part.get_filename() for part in message.iter_attachments()]
    assert attachments == ["mau-bao-cao-annual-2026.xlsx"]

    row = _status(robot_env, school.code)
    assert row["state"] == "incomplete"
    assert row["missing"] == ["so_buoi_tt", "long_ghep"]


def test_optional_fields_may_be_blank(robot_env, mailbox, smtp_server, school):
    values = {k: v for k, v in COMPLETE.items() if k not in ("so_cuoc_kiem_tra", "kien_nghi")}
    data = filled_docx(robot_env.config.schema(), "thpt", values)
    mailbox.append(mail(school.emails[0], "Báo cáo năm 2026", [("bc.docx", data)]), internaldate=RECEIVED)
    assert robot_env.cli("poll", "--now", NOW).exit_code == 0
    assert smtp_server.wait_for(1)[0].parsed["X-Report-Robot"] == "ack"
    assert _status(robot_env, school.code)["state"] == "complete"


def test_consistency_breach_names_both_fields(robot_env, mailbox, smtp_server, school):
    values = COMPLETE | {"so_hssv_duoc_tt": 1500, "tong_so_hssv": 1400}
    data = filled_xlsx(robot_env.config.schema(), "thpt", values)
    mailbox.append(mail(school.emails[0], "Báo cáo năm 2026", [("bc.xlsx", data)]), internaldate=RECEIVED)
    assert robot_env.cli("poll", "--now", NOW).exit_code == 0

    message = smtp_server.wait_for(1)[0].parsed
    assert message["X-Report-Robot"] == "incomplete"
    assert message["X-Report-Robot-Fields"] == "so_hssv_duoc_tt,tong_so_hssv"
    body = text_of(message)
    assert "05 — Số học sinh, sinh viên được tuyên truyền, 06 — Tổng số học sinh, sinh viên của đơn vị" in body
    assert "05 (1.500) không được lớn hơn 06 (1.400)" in body or "05 (1500) không được lớn hơn 06 (1400)" in body
    assert _status(robot_env, school.code)["invalid"] == ["so_hssv_duoc_tt", "tong_so_hssv"]


def test_unreadable_value_is_reported_as_invalid(robot_env, mailbox, smtp_server, school):
    values = COMPLETE | {"so_buoi_tt": "khoảng mười"}
    data = filled_xlsx(robot_env.config.schema(), "thpt", values)
    mailbox.append(mail(school.emails[0], "Báo cáo năm 2026", [("bc.xlsx", data)]), internaldate=RECEIVED)
    assert robot_env.cli("poll", "--now", NOW).exit_code == 0
    message = smtp_server.wait_for(1)[0].parsed
    assert message["X-Report-Robot-Fields"] == "so_buoi_tt"
    assert "khoảng mười" in text_of(message)


def test_corrupt_file_gets_the_unreadable_notice(robot_env, mailbox, smtp_server, school):
    mailbox.append(mail(school.emails[0], "Báo cáo công tác phòng, chống mại dâm năm 2026",
                        [("bao-cao.xlsx", b"PK\x03\x04 not really a zip")]),
                   internaldate=RECEIVED)
    assert robot_env.cli("poll", "--now", NOW).exit_code == 0
    message = smtp_server.wait_for(1)[0].parsed
    assert message["X-Report-Robot"] == "unreadable"
    assert "“bao-cao.xlsx”: tệp bị hỏng" in text_of(message)
    assert _status(robot_env, school.code)["state"] == "unreadable"


def test_mail_without_attachment_gets_the_no_attachment_notice(robot_env, mailbox, smtp_server, school):
    mailbox.append(mail(school.emails[0], "Báo cáo PCMD năm 2026", []), internaldate=RECEIVED)
    assert robot_env.cli("poll", "--now", NOW).exit_code == 0
    message = smtp_server.wait_for(1)[0].parsed
    assert message["X-Report-Robot"] == "no-attachment"
    assert _status(robot_env, school.code)["state"] == "missing"


def test_unknown_sender_is_answered_once_a_day_and_shown(robot_env, mailbox, smtp_server):
    data = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE)
    for _ in range(3):
        mailbox.append(mail("stranger@gmail.example", "Báo cáo", [("bc.xlsx", data)]), internaldate=RECEIVED)
    assert robot_env.cli("poll", "--now", NOW).exit_code == 0
    (reply,) = smtp_server.wait_for(1)
    assert reply.parsed["X-Report-Robot"] == "unknown-sender"
    assert reply.rcpt_tos == ["stranger@gmail.example"]
    assert not list(reply.parsed.iter_attachments())
    assert "1.250" not in text_of(reply.parsed)  # no figures to a stranger
    shown = robot_env.cli("status", "--now", NOW)
    assert "stranger@gmail.example" in shown.stdout


def test_document_naming_a_unit_from_unknown_address_is_unverified(robot_env, mailbox, smtp_server, school):
    data = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE, unit_name=school.name)
    mailbox.append(mail("clerk.home@gmail.example", "Báo cáo năm 2026", [("bc.xlsx", data)]),
                   internaldate=RECEIVED)
    assert robot_env.cli("poll", "--now", NOW).exit_code == 0
    row = _status(robot_env, school.code)
    assert row["state"] == "unverified"
    assert row["version"] is None


def test_auto_reply_and_bounce_get_no_reply(robot_env, mailbox, smtp_server, school):
    mailbox.append(mail(school.emails[0], "Thư trả lời tự động: Báo cáo", [],
                        headers={"Auto-Submitted": "auto-replied"}), internaldate=RECEIVED)
    mailbox.append(mail("MAILER-DAEMON@mx.longan.edu.example", "Undelivered Mail Returned to Sender", []),
                   internaldate=RECEIVED)
    mailbox.append(mail(school.emails[0], "Out of Office", [], headers={"X-Autoreply": "yes"}),
                   internaldate=RECEIVED)
    result = robot_env.cli("poll", "--now", NOW)
    assert result.exit_code == 0
    assert smtp_server.messages == []
    with session(robot_env.engine()) as db:
        outcomes = sorted(m.outcome for m in db.exec(select(Message)))
    assert outcomes == ["auto_reply", "auto_reply", "bounce"]
