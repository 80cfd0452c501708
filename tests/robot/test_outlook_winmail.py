"""Outlook sometimes wraps attachments in winmail.dat (TNEF); the report inside is read."""

from __future__ import annotations

from email.message import EmailMessage

from mailer.compose import SMTP_POLICY
from mailer.incoming import read_message
from tests.filling import filled_xlsx
from tests.robot.conftest import COMPLETE
from tests.robotenv import local, text_of
from tests.tnef import winmail_dat


def _outlook_mail(sender: str, winmail: bytes) -> bytes:
    message = EmailMessage(policy=SMTP_POLICY)
    message["From"], message["To"], message["Subject"] = sender, "phongcttt.solongan@moet.edu.vn", "Báo cáo năm 2026"
    message.set_content("Kính gửi Sở, đơn vị gửi báo cáo.")
    message.add_attachment(winmail, maintype="application", subtype="ms-tnef", filename="winmail.dat")
    return message.as_bytes(policy=SMTP_POLICY)


def test_files_inside_winmail_dat_are_attachments():
    mail = read_message(_outlook_mail("a@b.example", winmail_dat([("bao-cao.xlsx", b"PK\x03\x04x"), ("ghi-chu.txt", b"ok")])))
    assert [(a.filename, a.data) for a in mail.attachments] == [("bao-cao.xlsx", b"PK\x03\x04x"), ("ghi-chu.txt", b"ok")]


def test_damaged_winmail_dat_stays_one_attachment():
    mail = read_message(_outlook_mail("a@b.example", b"\x78\x9f\x3e\x22 not really tnef"))
    assert [a.filename for a in mail.attachments] == ["winmail.dat"]


def test_report_in_winmail_dat_is_filed_and_acknowledged(robot_env, mailbox, smtp_server, school):
    report = filled_xlsx(robot_env.config.schema(), "thpt", COMPLETE)
    mailbox.append(_outlook_mail(school.emails[0], winmail_dat([("bao-cao.xlsx", report)])),
                   internaldate=local(2026, 11, 20, 9, 0))
    assert robot_env.cli("poll", "--now", "2026-11-20T10:00:00+07:00").exit_code == 0
    reply = smtp_server.wait_for(1)[0].parsed
    assert reply["X-Report-Robot"] == "ack"
    assert "1.250" in text_of(reply)
