"""Cosmetic marking of processed mail: a keyword, or a move to another folder; never a deletion."""

from __future__ import annotations

import logging

import pytest

from mailer.errors import MailboxError
from mailer.imap import Mailbox
from tests.mailer.samples import simple_mail
from tests.servers import DovecotServer


def test_keyword_is_added_without_expunging(mailbox: DovecotServer) -> None:
    """GIVEN three messages, one already flagged \\Deleted by a staff member's client
    WHEN the robot adds its keyword to two of them
    THEN they carry the keyword, nothing is expunged (imap-tools' flag() would), nothing is \\Seen."""
    uids = [mailbox.append(simple_mail(subject=f"m{n}")) for n in range(3)]
    mailbox.append(simple_mail(subject="deleted by staff"), flags="\\Deleted")
    before = mailbox.uids()

    with Mailbox(mailbox.imap_settings()) as box:
        box.post_action("INBOX", uids[:2], "keyword", "RobotProcessed")

    assert mailbox.uids() == before
    assert "RobotProcessed" in mailbox.flags(uids[0])
    assert "RobotProcessed" in mailbox.flags(uids[1])
    assert "RobotProcessed" not in mailbox.flags(uids[2])
    assert all("\\Seen" not in mailbox.flags(uid) for uid in uids)


def test_move_puts_messages_in_the_folder_and_creates_it(mailbox: DovecotServer, caplog) -> None:
    uids = [mailbox.append(simple_mail(subject=f"m{n}")) for n in range(3)]

    with caplog.at_level(logging.WARNING), Mailbox(mailbox.imap_settings()) as box:
        box.post_action("INBOX", uids[:2], "move", "Đã xử lý")

    assert mailbox.uids() == uids[2:]
    assert mailbox.message_count("Đã xử lý") == 2
    assert "Đã xử lý" in mailbox.folders()
    assert "COPY" not in caplog.text  # Dovecot has MOVE; it is only visible after login


def test_move_without_the_move_capability_copies_and_keeps_the_original(mailbox: DovecotServer, caplog) -> None:
    uids = [mailbox.append(simple_mail(subject=f"m{n}")) for n in range(2)]
    mailbox.create_folder("Processed")

    with caplog.at_level(logging.WARNING), Mailbox(mailbox.imap_settings()) as box:
        box._client().capabilities = tuple(c for c in box._client().capabilities if c != "MOVE")
        box.post_action("INBOX", uids, "move", "Processed")

    assert mailbox.uids() == uids
    assert mailbox.message_count("Processed") == 2
    assert all("\\Deleted" not in mailbox.flags(uid) for uid in uids)
    assert "no MOVE" in caplog.text


def test_post_action_none_and_empty_do_nothing(mailbox: DovecotServer) -> None:
    uid = mailbox.append(simple_mail())
    with Mailbox(mailbox.imap_settings()) as box:
        box.post_action("INBOX", [uid], "none", "")
        box.post_action("INBOX", [], "keyword", "RobotProcessed")
    assert mailbox.flags(uid) <= {"\\Recent"}


@pytest.mark.parametrize("kind, value", [("keyword", "two words"), ("keyword", "\\Seen"), ("delete", "")])
def test_bad_post_actions_raise_mailbox_error(mailbox: DovecotServer, kind: str, value: str) -> None:
    uid = mailbox.append(simple_mail())
    with Mailbox(mailbox.imap_settings()) as box, pytest.raises(MailboxError):
        box.post_action("INBOX", [uid], kind, value)
    assert mailbox.uids() == [uid]
