"""Raw messages for the mailer tests, built the way real clients write them."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import make_msgid


def simple_mail(subject: str = "Báo cáo 6 tháng", sender: str = "thpt.a@school.example",
                body: str = "Kính gửi Sở, đơn vị gửi báo cáo.", **headers: str) -> bytes:
    """A plain UTF-8 text message with CRLF line endings; extra headers as keyword arguments."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = "robot@school.example"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="school.example")
    message["Date"] = "Mon, 1 Jun 2026 08:00:00 +0700"
    for name, value in headers.items():
        del message[name.replace("_", "-")]
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()
