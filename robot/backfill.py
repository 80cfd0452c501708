"""`robot backfill`: take in mail the mailbox received before the robot started, on purpose.

The first poll of a mailbox only notes where it stands (``mailbox.first_poll: new-only``); the
reports already in it — this period's, sent before the robot was switched on — are taken in by
a backfill over a range of received dates (INTERNALDATE). It goes through the same intake as a
poll, so a message is never taken twice, and it files silently: nobody is answered about old
mail unless ``reply`` is asked for. It covers only mail up to the poll position (later mail is
the poll's, which answers it), so a backfill of a never-polled mailbox first baselines it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy.engine import Engine

from mailer.imap import Mailbox
from robot.config import Config
from robot.intake import Mode
from robot.outbox import flush
from robot.poll import PollResult, baseline, take_in
from store import queries
from store.db import session as open_session

log = logging.getLogger(__name__)


def backfill(config: Config, engine: Engine, since: dt.date, until: dt.date | None,
             now: Callable[[], dt.datetime], *, reply: bool = False, dry_run: bool = False) -> PollResult:
    """File the mail received from ``since`` to ``until`` (inclusive, local dates); answer only
    when ``reply``; change nothing when ``dry_run``."""
    result = PollResult()
    mailbox, settings = config.mailbox.address, config.imap_settings()
    folder = settings.folder
    start = dt.datetime.combine(since, dt.time(), config.tz)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), config.tz) if until else None
    with Mailbox(settings) as box:
        state = box.folder_state(folder)
        with open_session(engine) as session:
            polled = queries.has_polled(session, mailbox, folder)
            position = queries.poll_position(session, mailbox, folder, state.uidvalidity)
        if not polled:
            position = baseline(engine, box, mailbox, folder, state.uidvalidity, now(), dry_run)
            result.baselined_at = position
        uids = [uid for uid in box.received_between(folder, since, until) if uid <= position]
        messages = (m for m in box.fetch_uids(folder, uids)
                    if m.internaldate >= start and (end is None or m.internaldate < end))
        take_in(config, engine, messages, mailbox, now, Mode(reply=reply, advance=False, dry_run=dry_run),
                result)
    log.info("backfill %s..%s: %s", since, until or "now", dict(result.outcomes))
    if reply and not dry_run:
        result.flushed = flush(config, engine, now())
    return result
