"""`robot run`: poll, flush, remind and digest on a schedule, as the one daemon of its mailbox.

Jobs run one at a time on one worker thread (max_instances=1, coalesced: a late job runs once);
the lock is checked on a thread of its own. SIGTERM/SIGINT stop it cleanly: the poll stops
between messages, a parse in flight is abandoned and its message left for the next start, the
running job finishes, the parse worker is killed and the lock released.
"""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import signal
import threading
from collections.abc import Callable
from pathlib import Path

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import Engine

from mailer.errors import MailboxError
from robot.config import Config, digest_day_and_time
from robot.digest.build import make_digest, queue_digest
from robot.lock import InstanceLock
from robot.outbox import enqueue, flush
from robot.parsing import shared_worker
from robot.poll import poll
from robot.reminders import send_reminders
from robot.templating import text_templates
from store.db import session as open_session

log = logging.getLogger(__name__)

LOG_FILE_BYTES = 5_000_000
LOG_FILE_COUNT = 5


def add_log_file(path: Path) -> None:
    """Also log to a rotating file (the stderr handler stays)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=LOG_FILE_BYTES,
                                                   backupCount=LOG_FILE_COUNT, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # no line per job run


def digest_trigger(schedule: str, tz) -> CronTrigger:
    """digest.schedule ("mon 07:30" or a 5-field cron expression) as a trigger in the config's zone."""
    day_and_time = digest_day_and_time(schedule)
    if day_and_time is not None:
        days, hour, minute = day_and_time
        return CronTrigger(day_of_week=days, hour=hour, minute=minute, timezone=tz)
    return CronTrigger.from_crontab(schedule, timezone=tz)


class MailboxWatch:
    """Backoff while the mailbox is unreachable, and one alert to staff per outage."""

    def __init__(self, config: Config, engine: Engine, now: Callable[[], dt.datetime]) -> None:
        self.config, self.engine, self.now = config, engine, now
        self.failures = 0
        self.retry_at: dt.datetime | None = None
        self.down_since: dt.datetime | None = None
        self.alerted = False

    def may_poll(self) -> bool:
        return self.retry_at is None or self.now() >= self.retry_at

    def reached(self) -> None:
        if self.down_since is not None:
            log.info("mailbox reachable again after %d failed polls", self.failures)
        self.failures, self.retry_at, self.down_since, self.alerted = 0, None, None, False

    def unreachable(self, error: MailboxError) -> None:
        daemon = self.config.daemon
        now = self.now()
        self.failures += 1
        self.down_since = self.down_since or now
        delay = min(daemon.poll_minutes * 2 ** (self.failures - 1), daemon.max_backoff_minutes)
        self.retry_at = now + dt.timedelta(minutes=delay)
        log.warning("mailbox unreachable (%d in a row), next try in %.1f min: %s", self.failures, delay, error)
        if not self.alerted and now - self.down_since >= dt.timedelta(minutes=daemon.mailbox_alert_minutes):
            self._alert(error, now)
            self.alerted = True

    def _alert(self, error: MailboxError, now: dt.datetime) -> None:
        recipients = list(self.config.digest.recipients)
        if not recipients:
            log.error("mailbox down since %s and no digest.recipients to tell", self.down_since)
            return
        text = text_templates.get_template("alert_mailbox.txt.j2").render(
            mailbox=self.config.mailbox.address, error=str(error)[:500],
            since=self.down_since.astimezone(self.config.tz).strftime("%H:%M ngày %d/%m/%Y"),
            minutes=f"{self.config.daemon.mailbox_alert_minutes:g}",
        )
        with open_session(self.engine) as session:
            # DESIGN §4 has a closed list of kinds: an outage that needs a person is an escalation.
            enqueue(session, self.config, kind="escalation", to=recipients, now=now, text=text,
                    subject=f"Không kết nối được hộp thư {self.config.mailbox.address}",
                    auto_submitted="auto-generated")
            session.commit()
        flush(self.config, self.engine, now)
        log.error("mailbox down since %s: staff alerted", self.down_since)


class Daemon:
    """The scheduled robot. ``run`` blocks until a signal or a lost lock; returns the exit code."""

    def __init__(self, config: Config, engine: Engine, lock: InstanceLock,
                 now: Callable[[], dt.datetime] | None = None) -> None:
        self.config, self.engine, self.lock = config, engine, lock
        self.now = now or (lambda: dt.datetime.now(config.tz))
        self.stopping = threading.Event()
        self.exit_code = 0
        self.watch = MailboxWatch(config, engine, self.now)
        self.scheduler = BlockingScheduler(
            timezone=config.tz,
            executors={"default": ThreadPoolExecutor(1), "lock": ThreadPoolExecutor(1)},
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )

    def poll_job(self) -> None:
        if self.stopping.is_set() or not self.watch.may_poll():
            return
        try:
            result = poll(self.config, self.engine, self.now, should_stop=self.stopping.is_set)
        except MailboxError as exc:
            self.watch.unreachable(exc)
            return
        self.watch.reached()
        if result.processed:
            log.info("poll: %s", dict(result.outcomes))

    def flush_job(self) -> None:
        flush(self.config, self.engine, self.now())

    def remind_job(self) -> None:
        queued = send_reminders(self.config, self.engine, self.now())
        if queued:
            log.info("queued %d reminders", len(queued))
            flush(self.config, self.engine, self.now())

    def digest_job(self) -> None:
        if not self.config.digest.recipients:
            log.warning("digest skipped: digest.recipients is empty")
            return
        queue_digest(self.config, self.engine, make_digest(self.config, self.engine, self.now()))
        flush(self.config, self.engine, self.now())

    def check_lock(self) -> None:
        if not self.lock.still_held():
            log.error("lost the daemon lock (its database connection or lock file is gone); stopping")
            self.exit_code = 1
            self.stop()

    def stop(self, *_: object) -> None:
        """Ask the scheduler to stop after the running job (safe from a signal handler)."""
        self.stopping.set()
        shared_worker().interrupt()
        if self.scheduler.running:
            threading.Thread(target=self._shutdown, name="shutdown").start()

    def _shutdown(self) -> None:
        try:
            self.scheduler.shutdown(wait=True)
        except SchedulerNotRunningError:
            pass

    def run(self) -> int:
        config, start = self.config, dt.datetime.now(self.config.tz)
        daemon = config.daemon
        add = self.scheduler.add_job
        add(self.poll_job, IntervalTrigger(seconds=daemon.poll_minutes * 60), id="poll", next_run_time=start)
        add(self.flush_job, IntervalTrigger(seconds=daemon.flush_minutes * 60), id="flush")
        add(self.remind_job, CronTrigger(hour=config.reminders.hour, minute=0, timezone=config.tz),
            id="remind", next_run_time=start)  # catch up at start; each step is sent once anyway
        add(self.digest_job, digest_trigger(config.digest.schedule, config.tz), id="digest")
        add(self.check_lock, IntervalTrigger(seconds=self.lock.check_seconds), id="lock", executor="lock")
        # A signal that arrives while the scheduler is starting is honoured once it has started.
        self.scheduler.add_listener(lambda _: self.stopping.is_set() and self.stop(), EVENT_SCHEDULER_STARTED)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self.stop)
        log.info("daemon started as %s: poll every %g min, reminders at %02d:00, digest %r",
                 self.lock.holder, daemon.poll_minutes, config.reminders.hour, config.digest.schedule)
        try:
            self.scheduler.start()
        finally:
            shared_worker().stop()
            self.lock.release()
        log.info("daemon stopped")
        return self.exit_code
