"""Incremental, read-only fetching from a real Dovecot."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from mailer.imap import Mailbox
from tests.mailer.samples import simple_mail
from tests.servers import DovecotServer

VN = timezone(timedelta(hours=7))


def test_fetch_new_returns_only_later_uids_in_order_with_internaldate_and_exact_bytes(mailbox: DovecotServer) -> None:
    """GIVEN five messages appended with chosen INTERNALDATEs
    WHEN fetching after the second UID
    THEN the last three come back ascending, with the server's date and the stored bytes."""
    raws = [simple_mail(subject=f"Báo cáo số {n}") for n in range(5)]
    dates = [datetime(2026, 5, 31, 23, 59, n, tzinfo=VN) for n in range(5)]
    uids = [mailbox.append(raw, internaldate=date) for raw, date in zip(raws, dates, strict=True)]

    with Mailbox(mailbox.imap_settings()) as box:
        state = box.folder_state("INBOX")
        fetched = list(box.fetch_new("INBOX", after_uid=uids[1]))

    assert [mail.uid for mail in fetched] == uids[2:]
    assert [mail.raw for mail in fetched] == raws[2:]
    assert [mail.internaldate for mail in fetched] == dates[2:]
    assert all(mail.internaldate.tzinfo is not None for mail in fetched)
    assert {mail.uidvalidity for mail in fetched} == {state.uidvalidity}
    assert {mail.folder for mail in fetched} == {"INBOX"}


def test_internaldate_is_the_servers_not_the_date_header(mailbox: DovecotServer) -> None:
    received = datetime(2026, 6, 1, 0, 0, 5, tzinfo=VN)  # late, though the Date header says 31 May
    mailbox.append(simple_mail(Date="Sun, 31 May 2026 20:00:00 +0700"), internaldate=received)

    with Mailbox(mailbox.imap_settings()) as box:
        (mail,) = box.fetch_new("INBOX", after_uid=0)

    assert mail.internaldate == received


def test_fetching_never_sets_seen_and_never_deletes(mailbox: DovecotServer) -> None:
    uids = [mailbox.append(simple_mail(subject=f"m{n}")) for n in range(3)]

    with Mailbox(mailbox.imap_settings()) as box:
        assert len(list(box.fetch_new("INBOX", after_uid=0))) == 3

    assert mailbox.uids() == uids
    for uid in uids:
        assert "\\Seen" not in mailbox.flags(uid)
        assert "\\Deleted" not in mailbox.flags(uid)


def test_second_poll_from_the_last_uid_returns_nothing(mailbox: DovecotServer) -> None:
    """The IMAP trap: UID SEARCH UID n:* still matches the highest UID when n is past it."""
    for n in range(3):
        mailbox.append(simple_mail(subject=f"m{n}"))

    with Mailbox(mailbox.imap_settings()) as box:
        last = max(mail.uid for mail in box.fetch_new("INBOX", after_uid=0))
        assert list(box.fetch_new("INBOX", after_uid=last)) == []  # SEARCH path
    with Mailbox(mailbox.imap_settings()) as box:
        box.folder_state("INBOX")
        assert list(box.fetch_new("INBOX", after_uid=last)) == []  # UIDNEXT shortcut
        assert list(box.fetch_new("INBOX", after_uid=last + 5)) == []


def test_mail_arriving_between_polls_is_found_on_the_same_connection(mailbox: DovecotServer) -> None:
    first = mailbox.append(simple_mail(subject="first"))
    with Mailbox(mailbox.imap_settings()) as box:
        box.folder_state("INBOX")
        assert [mail.uid for mail in box.fetch_new("INBOX", after_uid=0)] == [first]
        second = mailbox.append(simple_mail(subject="second"))
        assert [mail.uid for mail in box.fetch_new("INBOX", after_uid=first)] == [second]


def test_folder_state_reports_uidvalidity_uidnext_and_count(mailbox: DovecotServer) -> None:
    mailbox.append(simple_mail())
    mailbox.set_uidvalidity(424242)
    uid = mailbox.append(simple_mail())

    with Mailbox(mailbox.imap_settings()) as box:
        state = box.folder_state("INBOX")

    assert state.uidvalidity == 424242
    assert state.uidnext == uid + 1
    assert state.message_count == 2


def test_batches_lose_nothing(mailbox: DovecotServer) -> None:
    uids = [mailbox.append(simple_mail(subject=f"m{n}")) for n in range(10)]

    with Mailbox(mailbox.imap_settings()) as box:
        fetched = [mail.uid for mail in box.fetch_new("INBOX", after_uid=0, batch_size=3)]

    assert fetched == uids


def test_fetch_from_another_folder(mailbox: DovecotServer) -> None:
    inbox_uid = mailbox.append(simple_mail(subject="inbox"))
    other_uid = mailbox.append(simple_mail(subject="archived"), folder="Báo cáo")

    with Mailbox(mailbox.imap_settings()) as box:
        archived = list(box.fetch_new("Báo cáo", after_uid=0))
        inbox = list(box.fetch_new("INBOX", after_uid=0))

    assert [(m.folder, m.uid) for m in archived] == [("Báo cáo", other_uid)]
    assert [(m.folder, m.uid) for m in inbox] == [("INBOX", inbox_uid)]


def test_fetch_is_lazy_one_batch_at_a_time(mailbox: DovecotServer, monkeypatch) -> None:
    """Memory stays flat: the first message comes after one FETCH of one batch, not the whole mailbox."""
    uids = [mailbox.append(simple_mail(subject=f"m{n}")) for n in range(4)]
    fetches: list[list[int]] = []
    original = Mailbox._fetch
    monkeypatch.setattr(Mailbox, "_fetch", lambda self, uids: fetches.append(uids) or original(self, uids))

    with Mailbox(mailbox.imap_settings()) as box:
        messages = box.fetch_new("INBOX", after_uid=0, batch_size=2)
        assert next(messages).uid == uids[0]
        assert fetches == [uids[:2]]
        assert [mail.uid for mail in messages] == uids[1:]
        assert fetches == [uids[:2], uids[2:]]
