"""`robot poll` from cron when there is nothing to do: one IMAP SELECT, one SQLite read, one line.

Most polls find no new mail. Loading the whole robot (typer, pydantic, SQLAlchemy) to learn that
costs ten times the round trip to the server, so `robot poll` first tries this path with only the
standard library and PyYAML's C loader. It answers only when every fact of a full idle poll is
certain; anything else — a config changed since the last full run, a database not at the code's
schema, mail in the outbox, a new UIDVALIDITY, new mail (a stuck message among it), any error — hands over
to the full poll, which does the same work with all its checks. The full poll writes the stamp
this path trusts: the config file's hash and the schema revision it ran with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import imaplib
import logging
import sqlite3
import ssl
import sys
from pathlib import Path

import yaml

from mailer.passwords import read_secret
from mailer.tls import ssl_context

log = logging.getLogger("robot.poll")

IDLE_LINE = "Không có thư mới; không gửi thư nào."
_MIGRATIONS = Path(__file__).resolve().parent.parent / "store" / "migrations" / "versions"


def stamp_path(database: Path) -> Path:
    """The file beside the SQLite database that vouches for the config a full poll accepted."""
    return database.with_name(database.name + ".checked")


def stamp(config_bytes: bytes) -> str:
    return f"{hashlib.sha256(config_bytes).hexdigest()} {schema_head()}\n"


def schema_head() -> str:
    """The newest store revision of this code (as store.migrate.head_revision, without Alembic)."""
    return max(path.name.partition("_")[0] for path in _MIGRATIONS.glob("[0-9]*_*.py"))


def try_idle_poll(config_path: Path) -> bool:
    """Do an idle poll if that is all it takes; True when done (anything else: the full poll)."""
    try:
        return _idle(config_path)
    except Exception:  # noqa: BLE001  (anything unexpected: the full poll will do it, and say why)
        return False


def _idle(config_path: Path) -> bool:
    raw = config_path.read_bytes()
    data = yaml.load(raw, Loader=yaml.CSafeLoader)
    mailbox = str(data["mailbox"]["address"]).strip().lower()
    imap = data["mailbox"]["imap"]
    folder = imap.get("folder", "INBOX")
    url = (data.get("store") or {}).get("url", "sqlite:///var/robot.db")
    if not url.startswith("sqlite:///") or ":memory:" in url or not folder.isascii():
        return False
    base = config_path.resolve().parent
    database = Path(url.removeprefix("sqlite:///"))
    database = database if database.is_absolute() else base / database
    if not database.is_file() or stamp_path(database).read_text(encoding="utf-8") != stamp(raw):
        return False
    with sqlite3.connect(f"file:{database}?mode=rw", uri=True, timeout=5) as db:
        position = _position(db, mailbox, folder)
        if position is None:
            return False
        uidvalidity, last_uid = position
        if not _nothing_new(imap, base, folder, uidvalidity, last_uid):
            return False
        at = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
        db.execute("UPDATE poll_state SET last_poll_at = ?, last_error = NULL WHERE mailbox = ? AND folder = ?",
                   (at, mailbox, folder))
    _log_finished()
    print(IDLE_LINE)
    return True


def _position(db: sqlite3.Connection, mailbox: str, folder: str) -> tuple[int, int] | None:
    """(UIDVALIDITY, last UID) when the store is at this code's schema, the folder was polled and
    no reply waits in the outbox; else None. (A stuck message holds the position before it, so
    UIDNEXT shows it and the full poll retries it.)"""
    (revision,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision != schema_head():
        return None
    waiting = db.execute("SELECT 1 FROM outbox WHERE mailbox = ? AND status IN ('pending', 'deferred', 'sending') "
                         "LIMIT 1", (mailbox,)).fetchone()
    state = db.execute("SELECT uidvalidity, last_uid FROM poll_state WHERE mailbox = ? AND folder = ?",
                       (mailbox, folder)).fetchone()
    if waiting or state is None or not state[0]:
        return None
    return int(state[0]), int(state[1])


def _nothing_new(imap: dict, base: Path, folder: str, uidvalidity: int, last_uid: int) -> bool:
    """Log in, SELECT the folder: the same UIDVALIDITY and UIDNEXT no further than the position."""
    password = read_secret(imap.get("password_env") or "", _beside(base, imap.get("password_file")))
    security, host = imap.get("security", "ssl"), imap["host"]
    port, timeout = int(imap.get("port", 993)), float(imap.get("timeout_seconds", 30))
    if security not in ("ssl", "starttls", "none"):
        return False
    context = _context(imap, base) if security != "none" else None
    if security == "ssl":
        client: imaplib.IMAP4 = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout)
    else:
        client = imaplib.IMAP4(host, port, timeout=timeout)
    try:
        if security == "starttls":
            client.starttls(ssl_context=context)
        client.login(imap.get("username", ""), password)
        typ, _ = client.select(folder)
        responses = client.untagged_responses
        found_validity = int(responses.get("UIDVALIDITY", [b"0"])[-1])
        uidnext = int(responses["UIDNEXT"][-1]) if responses.get("UIDNEXT") else None
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return typ == "OK" and found_validity == uidvalidity and uidnext is not None and uidnext <= last_uid + 1


def _context(imap: dict, base: Path) -> ssl.SSLContext:
    """The full poll's context; an unverified connection is left to the full poll, which warns."""
    if imap.get("verify_tls", True) is not True:
        raise ValueError("verify_tls off: the full poll logs its warning")
    return ssl_context(True, _beside(base, imap.get("ca_file")))


def _beside(base: Path, value: str | None) -> Path | None:
    """A path of config.yaml, relative to its folder (as Config.path)."""
    return None if not value else Path(value) if Path(value).is_absolute() else base / value


def _log_finished() -> None:
    """The full poll's closing log line, in its format (robot.logs.setup_logging)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    log.info("poll finished: 0 messages, 0 replies sent (idle: nothing new)")
