"""Accepting an unverified report by mail ("Chấp nhận"), as `robot accept` does from the shell.

Which mail is meant, in the order staff naturally say it: a Message-ID or the record number in
the subject ("Chấp nhận 42"); the unverified mail forwarded as an attachment (its Message-ID) or
inline (the sender and subject of Outlook's or Gmail's forward block); and, replying to the
robot's listing, the one unverified mail waiting — several waiting are listed, never guessed.
"""

from __future__ import annotations

import email.message
import re

from sqlmodel import Session

from mailer.incoming import IncomingMail
from parsers.labels import fold
from robot.accept import Accepted, accept_message
from robot.errors import RobotError
from robot.staff.excusals import Refused
from store import staff as store
from store.tables import Message

_MESSAGE_ID = re.compile(r"<?([^<>\s@]+@[^<>\s@]+)>?")
_NUMBER = re.compile(r"^#?(\d+)$")
# The sender line of a forward block: Outlook "Từ:"/"From:", Gmail "Từ:"/"From:" with the address in <>.
_FORWARD_FROM = re.compile(r"^\s*\**(?:từ|from)\**\s*:\s*.*?<?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)>?", re.I | re.M)
_FORWARD_SUBJECT = re.compile(r"^\s*\**(?:chủ đề|tiêu đề|subject)\**\s*:\s*(.+)$", re.I | re.M)


def accept_by_mail(session: Session, mailbox: str, words: tuple[str, ...], mail: IncomingMail,
                   by: str, now) -> tuple[Message, list[Accepted]]:
    """Accept the unverified mail the staff mail points at; (that mail's record, what was filed)."""
    target = _named(session, mailbox, words) or _forwarded(session, mailbox, mail) or _only_waiting(session, mailbox)
    try:
        return target, accept_message(session, mailbox, target.message_id, by, now)
    except RobotError:
        raise Refused(f"Thư số {target.id} ({target.sender}, “{target.subject}”) không có báo cáo chưa xác thực "
                      "nào để chấp nhận.") from None


def _named(session: Session, mailbox: str, words: tuple[str, ...]) -> Message | None:
    """A Message-ID anywhere after the command, or a record number right after it ("Chấp nhận 42",
    "Chấp nhận số 42"): other numbers are the forwarded subject's ("FW: Báo cáo năm 2026")."""
    first = words[1:2] if words[:1] and fold(words[0]) == "so" else words[:1]
    for word in words:
        number = _NUMBER.match(word) if word in first else None
        if number:
            found = store.message(session, mailbox, int(number.group(1)))
            if found is None:
                raise Refused(f"Không có thư số {number.group(1)}.")
            return found
        message_id = _MESSAGE_ID.fullmatch(word)
        if message_id:
            found = store.message_by_id(session, mailbox, f"<{message_id.group(1)}>")
            if found is None:
                raise Refused(f"Không có thư có Message-ID <{message_id.group(1)}>.")
            return found
    return None


def _forwarded(session: Session, mailbox: str, mail: IncomingMail) -> Message | None:
    """The mail forwarded as an attachment (by its Message-ID), else inline (its sender and subject)."""
    for part in mail.headers.walk():
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()[0] if part.is_multipart() else None
            if isinstance(inner, email.message.Message) and inner.get("Message-ID"):
                found = store.message_by_id(session, mailbox, str(inner["Message-ID"]).strip())
                if found is not None:
                    return found
    sender = _FORWARD_FROM.search(mail.text_body)
    if sender is None:
        return None
    subject = _FORWARD_SUBJECT.search(mail.text_body)
    waiting = store.unverified_messages(session, mailbox, sender=sender.group(1).lower())
    if subject is not None:
        wanted = " ".join(fold(subject.group(1)).split())
        waiting = [m for m in waiting if " ".join(fold(m.subject).split()) == wanted] or waiting
    return waiting[-1] if waiting else None


def _only_waiting(session: Session, mailbox: str) -> Message:
    waiting = store.unverified_messages(session, mailbox)
    if len(waiting) == 1:
        return waiting[0]
    if not waiting:
        raise Refused("Không có báo cáo nào đang chờ cán bộ chấp nhận.")
    listed = "\n".join(f"  Chấp nhận {m.id}   — {m.sender}, “{m.subject}”" for m in waiting[-10:])
    raise Refused("Có nhiều báo cáo chưa xác thực đang chờ; gửi lại với số của thư cần chấp nhận, "
                  f"hoặc chuyển tiếp đúng thư đó kèm tiêu đề “Chấp nhận”:\n{listed}")
