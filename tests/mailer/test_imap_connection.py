"""Connecting and logging in: security modes, certificate checks and clear errors."""

from __future__ import annotations

import time

import pytest

from mailer.errors import MailboxError
from mailer.imap import Mailbox, check_login
from tests.mailer.samples import simple_mail
from tests.servers import DovecotServer, free_ports


@pytest.mark.parametrize("security", ["none", "starttls", "ssl"])
def test_each_security_mode_logs_in_and_fetches(mailbox: DovecotServer, security: str) -> None:
    uid = mailbox.append(simple_mail())
    with Mailbox(mailbox.imap_settings(security)) as box:
        assert [mail.uid for mail in box.fetch_new("INBOX", 0)] == [uid]


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_self_signed_certificate_is_refused_without_its_ca_file(mailbox: DovecotServer, security: str) -> None:
    settings = mailbox.imap_settings(security, ca_file=None)
    with pytest.raises(MailboxError, match="(?i)certificate"):
        with Mailbox(settings):
            pass


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_self_signed_certificate_is_accepted_with_verification_off(mailbox: DovecotServer, security: str) -> None:
    assert check_login(mailbox.imap_settings(security, ca_file=None, verify_tls=False)) == "INBOX: 0 messages"


def test_wrong_password_gives_mailbox_error_without_the_password(mailbox: DovecotServer) -> None:
    settings = mailbox.imap_settings(password="Secret-Pa55-xyz")
    with pytest.raises(MailboxError) as caught:
        with Mailbox(settings):
            pass
    assert "Secret-Pa55-xyz" not in str(caught.value)
    assert "logging in" in str(caught.value)
    assert mailbox.user in str(caught.value)


def test_unreachable_port_fails_fast(mailbox: DovecotServer) -> None:
    (closed_port,) = free_ports(1)
    started = time.monotonic()
    with pytest.raises(MailboxError, match="connecting"):
        check_login(mailbox.imap_settings(port=closed_port, timeout=2))
    assert time.monotonic() - started < 1


def test_missing_folder_gives_mailbox_error(mailbox: DovecotServer) -> None:
    with pytest.raises(MailboxError, match="Nowhere"):
        check_login(mailbox.imap_settings(folder="Nowhere"))


def test_check_login_describes_the_folder(mailbox: DovecotServer) -> None:
    mailbox.append(simple_mail())
    mailbox.append(simple_mail())
    assert check_login(mailbox.imap_settings()) == "INBOX: 2 messages"


def test_using_the_mailbox_outside_with_is_an_error() -> None:
    from mailer.settings import ImapSettings

    with pytest.raises(MailboxError, match="not open"):
        Mailbox(ImapSettings(host="127.0.0.1", port=1)).folder_state("INBOX")
