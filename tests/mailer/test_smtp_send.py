"""Sending through a real SMTP server (aiosmtpd): exact bytes, TLS, AUTH, and errors sorted for retry."""

from __future__ import annotations

import time

import pytest

from mailer.compose import OutgoingMail, compose
from mailer.errors import DeliveryError
from mailer.smtp import check_login, send
from tests.mailer.samples import simple_mail
from tests.servers import DovecotServer, SmtpServer, free_ports

SENDER = "robot@school.example"


def composed() -> bytes:
    return compose(OutgoingMail(from_addr=SENDER, from_name="Hệ thống tiếp nhận báo cáo", to=["thpt.a@school.example"],
                                subject="Xác nhận đã nhận báo cáo", text="Kính gửi Trường THPT A,\n.\nĐã nhận."),
                   domain="school.example")


def test_send_round_trips_the_bytes_exactly(smtp_server: SmtpServer) -> None:
    """GIVEN a composed message (with a line holding a single dot, which SMTP must escape)
    WHEN it is sent twice
    THEN the server received exactly those bytes both times."""
    raw = composed()
    send(smtp_server.smtp_settings(), SENDER, ["thpt.a@school.example", "staff@school.example"], raw)
    send(smtp_server.smtp_settings(), SENDER, ["thpt.a@school.example"], raw)

    first, second = smtp_server.wait_for(2)
    assert first.raw == raw and second.raw == raw
    assert first.mail_from == SENDER
    assert first.rcpt_tos == ["thpt.a@school.example", "staff@school.example"]
    assert first.parsed["Subject"] == "Xác nhận đã nhận báo cáo"


def test_bare_lf_line_endings_are_sent_as_crlf(smtp_server: SmtpServer) -> None:
    raw = b"From: robot@school.example\nSubject: hi\n\nline one\nline two\n"
    send(smtp_server.smtp_settings(), SENDER, ["a@school.example"], raw)
    (received,) = smtp_server.wait_for(1)
    assert received.raw == raw.replace(b"\n", b"\r\n")


def test_starttls_with_the_test_ca(smtp_server: SmtpServer) -> None:
    send(smtp_server.smtp_settings("starttls"), SENDER, ["a@school.example"], composed())
    assert len(smtp_server.wait_for(1)) == 1


def test_starttls_refuses_an_unknown_certificate(smtp_server: SmtpServer) -> None:
    settings = smtp_server.smtp_settings("starttls", ca_file=None)
    with pytest.raises(DeliveryError, match="(?i)certificate") as caught:
        send(settings, SENDER, ["a@school.example"], composed())
    assert caught.value.unreachable and not caught.value.permanent
    assert smtp_server.messages == []


def test_auth_with_the_right_password(smtp_server: SmtpServer) -> None:
    settings = smtp_server.smtp_settings(username=SENDER, password="smtp-pass")
    assert check_login(settings) == f"SMTP 127.0.0.1:{smtp_server.port}: connected (no TLS, authenticated as {SENDER})"
    send(settings, SENDER, ["a@school.example"], composed())
    assert len(smtp_server.wait_for(1)) == 1


def test_wrong_smtp_password_is_retryable_and_unreachable_without_the_password(smtp_server: SmtpServer) -> None:
    settings = smtp_server.smtp_settings(username=SENDER, password="Wrong-Pa55")
    with pytest.raises(DeliveryError) as caught:
        send(settings, SENDER, ["a@school.example"], composed())
    assert "535" in str(caught.value) and "Wrong-Pa55" not in str(caught.value)
    assert not caught.value.permanent and caught.value.unreachable


def test_temporary_refusal_is_not_permanent(smtp_server: SmtpServer) -> None:
    smtp_server.fail_next(1, code=451, text="Greylisted, try again")
    with pytest.raises(DeliveryError, match="451") as caught:
        send(smtp_server.smtp_settings(), SENDER, ["a@school.example"], composed())
    assert not caught.value.permanent and not caught.value.unreachable

    send(smtp_server.smtp_settings(), SENDER, ["a@school.example"], composed())  # the retry goes through
    assert len(smtp_server.wait_for(1)) == 1


def test_permanent_refusal_is_permanent(smtp_server: SmtpServer) -> None:
    smtp_server.fail_next(1, code=554, text="Message rejected as spam")
    with pytest.raises(DeliveryError, match="554") as caught:
        send(smtp_server.smtp_settings(), SENDER, ["a@school.example"], composed())
    assert caught.value.permanent


def test_no_server_listening_is_unreachable_and_fast() -> None:
    from mailer.settings import SmtpSettings

    (port,) = free_ports(1)
    started = time.monotonic()
    with pytest.raises(DeliveryError) as caught:
        send(SmtpSettings(host="127.0.0.1", port=port, security="none", timeout=2), SENDER, ["a@x.example"], b"x\r\n")
    assert caught.value.unreachable and not caught.value.permanent
    assert time.monotonic() - started < 1


def test_smtp_relay_to_dovecot_delivers_end_to_end(smtp_server: SmtpServer, mailbox: DovecotServer) -> None:
    """The full path the robot's replies take in end-to-end tests: SMTP → IMAP APPEND into the recipient's INBOX."""
    smtp_server.relay_to(mailbox)
    raw = simple_mail(subject="Nhắc nộp báo cáo")
    send(smtp_server.smtp_settings(), SENDER, ["other@school.example"], raw)

    (uid,) = mailbox.uids(user="other@school.example")
    assert mailbox.fetch_raw(uid, user="other@school.example").endswith(raw)


def test_relay_to_an_unknown_dovecot_user_is_refused_permanently(smtp_server: SmtpServer,
                                                                mailbox: DovecotServer) -> None:
    smtp_server.relay_to(mailbox)
    with pytest.raises(DeliveryError) as caught:
        send(smtp_server.smtp_settings(), SENDER, ["nobody@school.example"], simple_mail())
    assert caught.value.permanent
