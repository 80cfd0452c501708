"""One intake cycle: fetch what is new in the mailbox, take in each message, flush the outbox.

A mailbox the robot has never polled is *baselined*: with ``mailbox.first_poll: new-only`` the
first poll only notes where the mailbox stands, so years of old mail are never answered (they
are taken in, silently, only by ``robot backfill``). A message whose intake fails for a passing
reason (the database busy, the disk full, a message the server will not hand over) stops the
poll *at* it, to be tried again next time; after ``limits.intake_attempts`` tries it is
quarantined for staff so the mail behind it moves on.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from mailer.errors import MailboxError, UnfetchableMessage
from mailer.imap import Mailbox, RawMail
from robot.config import Config
from robot.errors import StopRequested
from robot.memory import peak_rss_mib
from robot.outbox import FlushResult, enqueue, flush
from robot.wording import show_time, stuck_message_subject
from store import queries
from store.db import session as open_session
from store.db import to_db_time

if TYPE_CHECKING:
    from robot.intake import Intake, Mode, Outcome

log = logging.getLogger(__name__)

STUCK_ALERT_AFTER = dt.timedelta(hours=1)  # staff are told about a message stuck this long
# Messages read (archived, parsed) ahead of the one being recorded: while one reader waits for
# the parse worker, the other archives and reads the next mail's MIME.
READ_AHEAD = 2
READ_AHEAD_BYTES = 8 * 1024 * 1024  # past this, the mails read ahead are recorded first


@dataclass
class PollResult:
    outcomes: Counter = field(default_factory=Counter)
    flushed: FlushResult = field(default_factory=FlushResult)
    mailbox_error: str | None = None
    baselined_at: int | None = None  # first contact: the robot takes in mail after this UID
    stopped_at: int | None = None  # a passing failure stopped the poll at this UID
    taken: list[Outcome] = field(default_factory=list)  # what became of each message

    @property
    def processed(self) -> int:
        return sum(n for outcome, n in self.outcomes.items() if outcome != "already-processed")


def poll(config: Config, engine: Engine, now: Callable[[], dt.datetime],
         should_stop: Callable[[], bool] = lambda: False, dry_run: bool = False) -> PollResult:
    """Take in every new message, then send what the outbox holds.

    ``now`` is a clock (the real one, or a fixed instant for tests and backfills).
    ``should_stop`` is asked between messages so a daemon can stop cleanly. A dry run decides
    what it would do with each new message and changes nothing, sends nothing.
    Raises MailboxError when the mailbox cannot be reached; the outbox is flushed anyway.
    """
    result = PollResult()
    mailbox = config.mailbox.address
    settings = config.imap_settings()
    folder = settings.folder
    taken_uids: list[int] = []
    try:
        with Mailbox(settings) as box:
            state = box.folder_state(folder)
            with open_session(engine) as session:
                polled = queries.has_polled(session, mailbox, folder)
                last_uid = queries.poll_position(session, mailbox, folder, state.uidvalidity)
                first_seen = queries.first_received(session, mailbox)
            if not polled and config.mailbox.first_poll == "new-only":
                result.baselined_at = baseline(engine, box, mailbox, folder, state.uidvalidity, now(), dry_run)
            elif polled and last_uid == 0 and first_seen is not None:
                # UIDVALIDITY changed: old UIDs mean nothing. Re-read only what came since the
                # robot started (the rest was never its business); copies already taken in are
                # recognised by their content and Message-ID.
                uids = box.received_between(folder, first_seen.date(), None)
                messages = (m for m in box.fetch_uids(folder, uids) if m.internaldate >= first_seen)
                taken_uids = _take_in_sending(config, engine, messages, mailbox, now, dry_run, result, should_stop)
            elif state.uidnext is None or state.uidnext > last_uid + 1:
                messages = box.fetch_new(folder, last_uid, settings.batch_size)
                taken_uids = _take_in_sending(config, engine, messages, mailbox, now, dry_run, result, should_stop)
            if not dry_run:
                _post_action(config, box, folder, taken_uids)
        if not dry_run:
            _heartbeat(engine, mailbox, folder, now(), None)
    except MailboxError as exc:
        result.mailbox_error = str(exc)
        if not dry_run:
            _heartbeat(engine, mailbox, folder, now(), str(exc))
            result.flushed.add(flush(config, engine, now()))
        raise
    if not dry_run:
        result.flushed.add(flush(config, engine, now()))
    log.info("poll finished: %d messages, %d replies sent, peak RSS %d MiB, CPU %.1f s",
             result.processed, result.flushed.sent, peak_rss_mib(), time.process_time())
    return result


def _take_in_sending(config: Config, engine: Engine, messages: Iterable[RawMail], mailbox: str,
                     now: Callable[[], dt.datetime], dry_run: bool, result: PollResult,
                     should_stop: Callable[[], bool]) -> list[int]:
    """take_in, with the replies of the messages already recorded sent meanwhile (robot.sending).

    The sender stops before the poll's closing flush sends what is left: one reply on the wire
    at a time, so a kill -9 can resend at most that one."""
    if dry_run:
        return take_in(config, engine, messages, mailbox, now, _mode(dry_run), result, should_stop)
    from robot.sending import Sender

    sender = Sender(config, engine, now)
    try:
        with sender:
            return take_in(config, engine, messages, mailbox, now, _mode(dry_run), result, should_stop)
    finally:
        result.flushed.add(sender.result)


def _mode(dry_run: bool) -> Mode:
    # The intake (and with it Jinja2, the parse worker's plumbing) is imported only when there is
    # mail to take in: an idle poll from cron never loads it.
    from robot.intake import LIVE, Mode

    return Mode(dry_run=True) if dry_run else LIVE


def take_in(config: Config, engine: Engine, messages: Iterable[RawMail], mailbox: str,
            now: Callable[[], dt.datetime], mode: Mode, result: PollResult,
            should_stop: Callable[[], bool] = lambda: False) -> list[int]:
    """Process messages in UID order until done, told to stop, or stopped by a passing failure;
    the UIDs recorded. One bad message never stops the others.

    Two cores at work: while a message is decided and recorded here, the next ones (up to
    READ_AHEAD, fewer when they are large) are read on reader threads, their files parsed in the
    parse worker one at a time. Messages are still recorded, and answered, in UID order, each in
    its own transaction, so crash safety is as before.
    """
    from robot.intake import read

    start = len(result.taken)
    unfetchable: UnfetchableMessage | None = None
    with ThreadPoolExecutor(max_workers=READ_AHEAD, thread_name_prefix="reader") as reader:
        pending: deque[tuple[RawMail, Future[Intake]]] = deque()
        stopped = False
        try:
            for raw in messages:
                pending.append((raw, reader.submit(read, config, raw, mode)))
                while not stopped and (len(pending) > READ_AHEAD or _too_large(pending)):
                    stopped = not _take_one(config, engine, *pending.popleft(), mailbox, now, mode, result,
                                            should_stop)
                if stopped:
                    break
        except UnfetchableMessage as exc:  # the messages before it are still taken in
            unfetchable = exc
        while pending and not stopped:
            stopped = not _take_one(config, engine, *pending.popleft(), mailbox, now, mode, result, should_stop)
        if stopped:
            unfetchable = None  # stopped before it: the poll ends there
            for _, reading in pending:  # read ahead, archived, not recorded: read again next time
                reading.cancel()
    if unfetchable is not None:
        placeholder = RawMail(folder=config.imap_settings().folder, uid=unfetchable.uid,
                              uidvalidity=unfetchable.uidvalidity,
                              internaldate=now(), raw=b"")
        if mode.dry_run or not _passing_failure(config, engine, placeholder, mailbox, now(), unfetchable):
            result.stopped_at = unfetchable.uid
        else:
            result.outcomes["quarantined"] += 1
    return [outcome.uid for outcome in result.taken[start:]]


def _too_large(pending: deque[tuple[RawMail, Future[Intake]]]) -> bool:
    """Several large mails are not read at once: each read holds a few copies of its mail."""
    return len(pending) > 1 and sum(len(raw.raw) for raw, _ in pending) > READ_AHEAD_BYTES


def _take_one(config: Config, engine: Engine, raw: RawMail, reading: Future[Intake], mailbox: str,
              now: Callable[[], dt.datetime], mode: Mode, result: PollResult,
              should_stop: Callable[[], bool]) -> bool:
    """Record one message whose reading was started; False when the poll must stop after it."""
    from robot.intake import Outcome, decide_and_record, record_failure

    try:
        outcome = decide_and_record(config, engine, reading.result(), mailbox, now(), mode)
    except StopRequested as stop:  # the daemon is stopping
        log.info("stopped while reading uid %s (%s): it is read again at the next start", raw.uid, stop)
        return False
    except Exception as exc:
        if mode.dry_run:
            log.exception("dry run: intake of uid %s failed", raw.uid)
            outcome = Outcome("error", uid=raw.uid, notes=[f"{type(exc).__name__}: {exc}"])
        elif is_passing(exc):
            if not _passing_failure(config, engine, raw, mailbox, now(), exc):
                result.stopped_at = raw.uid
                return False
            outcome = Outcome("quarantined", uid=raw.uid)
        else:  # the message itself is bad: recorded, and the poll moves on
            log.exception("intake of uid %s failed", raw.uid)
            record_failure(config, engine, raw, mailbox, now(), exc)
            outcome = Outcome("error", uid=raw.uid)
    result.outcomes[outcome.outcome] += 1
    result.taken.append(outcome)
    return not should_stop()


def is_passing(error: BaseException) -> bool:
    """A failure that is not the message's fault and should pass: the database busy or gone for a
    moment, the disk full, a message the server would not hand over this time."""
    if isinstance(error, (OperationalError, InterfaceError, UnfetchableMessage, OSError)):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _passing_failure(config: Config, engine: Engine, raw: RawMail, mailbox: str, now: dt.datetime,
                     error: BaseException) -> bool:
    """Count a failed try; True when the message has now been quarantined (the poll goes on),
    False when the poll should stop here and try again next time."""
    log.warning("intake of uid %s failed for a passing reason, will retry: %s", raw.uid, error)
    try:
        with open_session(engine) as session:
            attempt = queries.count_intake_attempt(session, mailbox, raw.folder, raw.uidvalidity, raw.uid,
                                                   to_db_time(now), f"{type(error).__name__}: {error}")
            stuck_for = now - attempt.first_failed_at
            if not attempt.alerted and stuck_for >= STUCK_ALERT_AFTER:
                _alert_stuck(config, session, attempt, now)
                attempt.alerted = True
            session.commit()
    except Exception:  # the store itself is what fails: nothing to count now, try next poll
        log.warning("could not count the failed try at uid %s", raw.uid, exc_info=True)
        return False
    if attempt.attempts < config.limits.intake_attempts or stuck_for < STUCK_ALERT_AFTER / 4:
        return False
    log.error("uid %s quarantined after %d tries: %s", raw.uid, attempt.attempts, error)
    from robot.intake import record_failure

    record_failure(config, engine, raw, mailbox, now, error, outcome="quarantined")
    return True


def _alert_stuck(config: Config, session, attempt, now: dt.datetime) -> None:
    recipients = list(config.digest.recipients)
    if not recipients:
        log.error("uid %s stuck since %s and no digest.recipients to tell", attempt.uid, attempt.first_failed_at)
        return
    from robot.templating import text_templates

    text = text_templates.get_template("alert_stuck.txt.j2").render(
        mailbox=config.mailbox.address, folder=attempt.folder, uid=attempt.uid,
        since=show_time(attempt.first_failed_at, config.tz),
        attempts=attempt.attempts, error=attempt.last_error[:500],
    )
    # DESIGN §4 has a closed list of kinds: a stuck message that needs a person is an escalation.
    enqueue(session, config, kind="escalation", to=recipients, now=now, text=text,
            subject=stuck_message_subject(config.mailbox.address),
            auto_submitted="auto-generated")


def baseline(engine: Engine, box: Mailbox, mailbox: str, folder: str, uidvalidity: int,
              now: dt.datetime, dry_run: bool) -> int:
    """First contact: remember where the mailbox stands; what is there is left to backfill."""
    start = box.last_uid(folder)
    log.info("first poll of %s/%s: baselined after UID %d; older mail is left to 'robot backfill'",
             mailbox, folder, start)
    if not dry_run:
        with open_session(engine) as session:
            queries.advance_poll(session, mailbox, folder, uidvalidity, start, to_db_time(now))
            session.commit()
    return start


def _post_action(config: Config, box: Mailbox, folder: str, uids: list[int]) -> None:
    action = config.mailbox.imap.post_action
    if action.kind == "none" or not uids:
        return
    try:
        box.post_action(folder, uids, action.kind, action.value)
    except MailboxError as exc:  # cosmetic only: the database already knows
        log.warning("post-action %s failed: %s", action.kind, exc)


def _heartbeat(engine: Engine, mailbox: str, folder: str, at: dt.datetime, error: str | None) -> None:
    with open_session(engine) as session:
        queries.record_poll(session, mailbox, folder, to_db_time(at), error)
        session.commit()
