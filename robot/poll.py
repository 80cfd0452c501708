"""One intake cycle: fetch what is new in the mailbox, take in each message, flush the outbox."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from mailer.errors import MailboxError
from mailer.imap import Mailbox
from robot.config import Config
from robot.intake import process, record_failure
from robot.memory import peak_rss_mib
from robot.outbox import FlushResult, flush
from store import queries
from store.db import session as open_session
from store.db import to_db_time

log = logging.getLogger(__name__)


@dataclass
class PollResult:
    outcomes: Counter = field(default_factory=Counter)
    flushed: FlushResult = field(default_factory=FlushResult)
    mailbox_error: str | None = None

    @property
    def processed(self) -> int:
        return sum(n for outcome, n in self.outcomes.items() if outcome != "already-processed")


def poll(config: Config, engine: Engine, now: Callable[[], dt.datetime],
         should_stop: Callable[[], bool] = lambda: False) -> PollResult:
    """Take in every new message, then send what the outbox holds.

    ``now`` is a clock (the real one, or a fixed instant for tests and backfills).
    ``should_stop`` is asked between messages so a daemon can stop cleanly.
    Raises MailboxError when the mailbox cannot be reached; the outbox is flushed anyway.
    """
    result = PollResult()
    mailbox = config.mailbox.address
    settings = config.imap_settings()
    folder = settings.folder
    processed_uids: list[int] = []
    try:
        with Mailbox(settings) as box:
            state = box.folder_state(folder)
            with open_session(engine) as session:
                last_uid = queries.poll_position(session, mailbox, folder, state.uidvalidity)
            if state.uidnext is None or state.uidnext > last_uid + 1:
                for raw in box.fetch_new(folder, last_uid, settings.batch_size):
                    try:
                        outcome = process(config, engine, raw, mailbox, now())
                    except Exception as exc:  # one bad message never stops the others
                        log.exception("intake of uid %s failed", raw.uid)
                        record_failure(config, engine, raw, mailbox, now(), exc)
                        outcome = "error"
                    result.outcomes[outcome] += 1
                    processed_uids.append(raw.uid)
                    if should_stop():
                        break
            _post_action(config, box, folder, processed_uids)
        _heartbeat(engine, mailbox, folder, now(), None)
    except MailboxError as exc:
        result.mailbox_error = str(exc)
        _heartbeat(engine, mailbox, folder, now(), str(exc))
        result.flushed = flush(config, engine, now())
        raise
    result.flushed = flush(config, engine, now())
    log.info("poll finished: %d messages, %d replies sent, peak RSS %d MiB",
             result.processed, result.flushed.sent, peak_rss_mib())
    return result


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
