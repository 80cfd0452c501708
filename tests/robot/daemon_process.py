"""`robot run` as a real process in tests: wait until it holds its lock or has polled, find its parse workers."""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from pathlib import Path

from sqlalchemy.engine import Engine

from robot.config import Config
from robot.lock import Holder, lock_holder, lock_name
from store import queries
from store.db import from_db_time, session
from tests.robotenv import RobotEnv

STARTUP_SECONDS = 60  # an upper bound on a daemon's start on a busy test machine


def holder_of(engine: Engine, config: Config) -> Holder | None:
    """Who holds the daemon lock of ``config``'s mailbox, as `robot status` reads it."""
    with session(engine) as db:
        return lock_holder(db, lock_name(config))


def wait_until_locked(env: RobotEnv, daemon: subprocess.Popen) -> None:
    """Wait until ``daemon`` holds its lock; fail if it exits instead."""
    engine, config = env.engine(), env.config
    try:
        _wait(daemon, lambda: (holder := holder_of(engine, config)) is not None and holder.pid == daemon.pid,
              "the daemon did not take its lock")
    finally:
        engine.dispose()


def wait_for_poll(env: RobotEnv, daemon: subprocess.Popen, after: dt.datetime | None = None) -> dt.datetime:
    """Wait until ``daemon`` has finished a poll (one that ended after ``after``); return when it did."""
    engine, config = env.engine(), env.config

    def polled() -> dt.datetime | None:
        with session(engine) as db:
            times = [from_db_time(state.last_poll_at) for state in queries.poll_states(db, config.mailbox.address)
                     if state.last_poll_at is not None]
        return max(times) if times and (after is None or max(times) > after) else None

    try:
        _wait(daemon, lambda: polled() is not None, "the daemon did not poll")
        return polled()
    finally:
        engine.dispose()


def wait_for_parse_worker(daemon: subprocess.Popen) -> int:
    """Wait until ``daemon`` has a parse worker (a process its forkserver forked): a file is being read."""
    workers: list[int] = []

    def started() -> bool:
        parents = _parents()
        workers[:] = [pid for pid, parent in parents.items() if parents.get(parent) == daemon.pid]
        return bool(workers)

    _wait(daemon, started, "no parse worker started", pause=0.01)
    return workers[0]


def _wait(daemon: subprocess.Popen, done, failure: str, pause: float = 0.05) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while not done():
        assert daemon.poll() is None, daemon.stderr.read().decode()
        assert time.monotonic() < deadline, failure
        time.sleep(pause)


def _parents() -> dict[int, int]:
    """Every process's parent process, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # it ended while we looked
                continue
            parents[int(entry.name)] = int(stat.rpartition(")")[2].split()[1])
    return parents
