"""Reading a mail and its files in a worker process that is killed when it overruns.

The worker also reads (MIME-parses and screens) each mail that carries a file, on the core the
robot's process does not use while it records the mail before; the robot keeps the bytes.

A hostile file (zip bomb, XML bomb, a million rows) must cost one "unreadable" reply, never the
poll: every attachment is parsed in a child process with a time limit and an address-space
limit. The child is forked from a forkserver that has the parsers imported, and it is kept for
the next file, so the cost is one small round trip per file; only a kill starts a new one
(tens of milliseconds from the forkserver, against a second or more for a spawned interpreter
importing the parsers; a plain fork is unsafe in the daemon, which runs threads).

Only the robot stops its worker: the worker and the forkserver are deaf to SIGINT and SIGTERM,
which Ctrl-C and systemd send to the whole process group, so a stop never kills a parse and
blames the file. A robot that is stopping interrupts the parse itself and leaves the message
for its next start.
"""

from __future__ import annotations

import atexit
import dataclasses
import email
import functools
import logging
import multiprocessing
import resource
import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection
from pathlib import Path
from typing import NamedTuple

from mailer.incoming import Attachment, IncomingMail, read_message
from mailer.screening import Screening, screen
from mailer.policies import READ_POLICY
from parsers.limits import ParseLimits
from parsers.report import FoundValue, ParsedReport, ParseError
from parsers.schema import Schema
from parsers.text_reader import numbered_lines, read_answers, read_text
from robot.config import Config
from robot.errors import StopRequested
from robot.memory import peak_rss_mib

log = logging.getLogger(__name__)

WORKER_ADDRESS_SPACE = 1024 * 1024 * 1024  # past this a parse fails with MemoryError: "limits"
# What Ctrl-C and systemd send to the whole process group; only the robot stops its worker.
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
# A report typed into the mail body has several figures; a cover letter may name one by chance.
MIN_BODY_FIELDS = 3
MAIL_FILES_TIMED = 4  # a mail read with its files has the time of this many files at most
# Base64 makes an attachment a third larger; a mail past this holds a file past the limit.
_MIME_OVERHEAD = 1.4
_PART_HEADER = re.compile(rb"^Content-(?:Disposition|Type):[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*",
                          re.IGNORECASE | re.MULTILINE)
# A part header that names a file (name=, filename=, filename*=): the mail carries a file.
_NAMED_PART = re.compile(rb"^Content-(?:Disposition|Type):[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*?[;\s]\s*(?:file)?name\*?",
                         re.IGNORECASE | re.MULTILINE)


def parse_limits(config: Config) -> ParseLimits:
    return ParseLimits(max_bytes=int(config.limits.max_attachment_mb * 1024 * 1024),
                       trust_roots=signature_trust_roots(config))


def signature_trust_roots(config: Config) -> tuple[bytes, ...]:
    """The certificates of ``security.signature_trust_roots``, read again only when a file changes
    (a root the admin replaces is heeded at the next mail, without a restart). A file that cannot
    be read is left out, with one warning; `robot check` names it."""
    files = []
    for path in map(config.path, config.security.signature_trust_roots):
        try:
            stat = path.stat()
            files.append((path, stat.st_mtime_ns, stat.st_size))
        except OSError:
            files.append((path, None, None))
    return _read_roots(tuple(files))


@functools.lru_cache(maxsize=4)
def _read_roots(files: tuple[tuple[Path, int | None, int | None], ...]) -> tuple[bytes, ...]:
    roots = []
    for path, _, _ in files:
        try:
            roots.append(path.read_bytes())
        except OSError as exc:
            log.warning("signature trust root left out: %s", exc)
    return tuple(roots)


# What the worker made of one file: ("ok", the documents read) or ("error", (reason, detail)).
FileRead = tuple[str, object]


class MailRead(NamedTuple):
    """A mail as read: the message, what screening makes of it, its files refused as too large
    (a mail past the limit), and what the worker already read of its files (by ``id()`` of the
    attachment in ``mail.attachments``) with the indicators of the only programme, when there is one."""

    mail: IncomingMail
    screening: Screening | None
    refused: list[tuple[str, str]]
    files: dict[int, FileRead]


def read_mail(config: Config, raw: bytes) -> MailRead:
    """The mail, read in the parse worker with its files when it carries any.

    Python's MIME parser holds several copies of a message while decoding it (a 40 MB mail
    costs about 200 MB), so a mail too large to hold a readable file is read for its headers
    and its file names only, and every file in it is answered as too large.
    """
    own, limits = {config.mailbox.address}, parse_limits(config)
    if len(raw) <= _MIME_OVERHEAD * limits.max_bytes + 1024 * 1024:
        return _read_whole(config, raw, own, limits)
    end = raw.find(b"\r\n\r\n")
    head = raw[: end if end >= 0 else raw.find(b"\n\n")]  # slicing, not partition: no copy of the body
    names = list(dict.fromkeys(name for name in map(_part_filename, _PART_HEADER.findall(raw)) if name))
    log.info("mail of %d bytes: read headers and file names only", len(raw))
    mail = dataclasses.replace(
        read_message(head + b"\r\n\r\n"),
        attachments=[Attachment(name, "application/octet-stream", b"") for name in names],
    )
    return MailRead(mail, screen(mail, own), [(name, "too_large") for name in names], {})


def _read_whole(config: Config, raw: bytes, own: set[str], limits: ParseLimits) -> MailRead:
    """A mail that carries a file is read in the parse worker, and its files with it when the
    robot has one programme (with several, the mail's words choose whose indicators to read
    them with): the MIME parser walks every line of a file's base64 in Python, and the worker
    has a core to spare while this process records the mail before. One exchange a mail keeps
    the worker busy. Other mail is read here."""
    if _NAMED_PART.search(raw) is None:
        return MailRead(*_read_and_screen(raw, own), [], {})
    views = config.programme_views
    schema = views[0].schema() if len(views) == 1 else None
    timeout = config.limits.parse_timeout_seconds
    try:
        mail, screening, files = shared_worker().read_mail(raw, own, schema, limits, timeout)
    except ParseError as exc:  # the worker died or overran on it: read as before, each file on its own
        log.warning("mail read in the robot's process, the parse worker could not: %s", exc)
        return MailRead(*_read_and_screen(raw, own), [], {})
    by_file = {id(mail.attachments[index]): read for index, read in files.items()}  # ids do not travel
    return MailRead(dataclasses.replace(mail, raw=raw), screening, [], by_file)  # the bytes this process holds


def _read_and_screen(raw: bytes, own: set[str]) -> tuple[IncomingMail, Screening | None]:
    mail = read_message(raw)
    return mail, screen(mail, own)


def _read_for_robot(raw: bytes, own: set[str], schema: Schema | None,
                    limits: ParseLimits) -> tuple[IncomingMail, Screening | None, dict[int, FileRead]]:
    """In the worker: the mail without its bytes, which the robot has (the answer is pickled),
    and its files read with ``schema`` unless screening leaves nothing to file, by their
    position in ``mail.attachments``."""
    from parsers.registry import parse_attachment

    mail, screening = _read_and_screen(raw, own)
    files: dict[int, FileRead] = {}
    if schema is not None and (screening is None or screening.fileable):
        for index, attachment in enumerate(mail.attachments):
            if attachment.inline or len(attachment.data) > limits.max_bytes:
                continue
            files[index] = _answer(attachment.filename, parse_attachment, attachment.filename,
                                   attachment.data, schema, limits)
    return dataclasses.replace(mail, raw=b""), screening, files


def _part_filename(header: bytes) -> str | None:
    part = email.message_from_bytes(header + b"\r\n\r\n", policy=READ_POLICY)
    return part.get_filename() or part.get_param("name")


class ParseWorker:
    """One child process that parses files; killed and replaced when a file takes too long."""

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("forkserver")
        # Imported once in the forkserver, not in every worker: this module (which imports the
        # parsers) and the main script, which multiprocessing runs in each child otherwise
        # (bin/robot imports the CLI); `python -m robot` has no main script to preload.
        self._context.set_forkserver_preload(["__main__", "robot.parsing", "parsers.registry"])
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None
        # interrupt() comes from another thread (the daemon's signal handler) than parse().
        self._guard = threading.RLock()
        # One file at a time through the pipe: a poll's reader threads take turns.
        self._turn = threading.Lock()
        self._interrupted = False
        self.peak_rss_mib = 0  # the largest peak RSS any worker reported

    def parse(self, filename: str, data: bytes, schema: Schema, limits: ParseLimits,
              timeout: float) -> list[ParsedReport]:
        """The reports in one file, or ParseError (``timeout`` when the worker had to be killed).

        Raises StopRequested when ``interrupt`` was called: no answer is used while stopping.
        """
        with self._turn:
            return self._exchange(filename, ("file", (filename, data, schema, limits)), timeout)

    def read_mail(self, raw: bytes, own_addresses: set[str], schema: Schema | None, limits: ParseLimits,
                  timeout: float) -> tuple[IncomingMail, Screening | None, dict[int, FileRead]]:
        """A mail read and screened (``read_message``, ``screen``), and its files read with
        ``schema`` (each within ``timeout``), or ParseError as ``parse``."""
        with self._turn:
            # The mail and up to MAIL_FILES_TIMED files each get ``timeout``; a mail that needs
            # more is read again file by file (read_mail), each with its own.
            files = min(len(_PART_HEADER.findall(raw)), MAIL_FILES_TIMED) if schema is not None else 0
            return self._exchange("a mail", ("mail", (raw, own_addresses, schema, limits)), timeout * (1 + files))

    def _exchange(self, what: str, request: tuple[str, tuple], timeout: float):
        conn = self._start()
        try:
            conn.send(request)
            if not conn.poll(timeout):
                raise ParseError("timeout", f"{what}: no result after {timeout:g} s")
            status, payload, rss_mib = conn.recv()
        except (EOFError, OSError) as exc:
            self._kill()
            if self._interrupted:
                raise StopRequested(what) from None
            raise ParseError("limits", f"{what}: the parser process died ({exc})") from None
        except BaseException:  # a timeout, or Ctrl-C in `robot poll`: the worker may still be busy
            self._kill()
            raise
        if self._interrupted:
            raise StopRequested(what)
        self.peak_rss_mib = max(self.peak_rss_mib, rss_mib)
        if status == "ok":
            return payload
        raise ParseError(*payload)

    def interrupt(self) -> None:
        """The robot is stopping: kill the parse in flight and refuse new files until ``stop``."""
        self._interrupted = True
        with self._guard:
            if self._process is not None:
                self._process.kill()  # the waiting parse() sees the pipe close

    def stop(self) -> None:
        """Kill the worker and forget any interrupt: the next file starts a new worker."""
        self._kill()
        self._interrupted = False

    def _start(self) -> Connection:
        with self._guard:
            if self._interrupted:
                raise StopRequested("no new file is read while stopping")
            if self._process is None or not self._process.is_alive() or self._conn is None:
                self._kill()
                parent, child = self._context.Pipe()
                process = self._context.Process(target=_serve, args=(child,), daemon=True, name="parse-worker")
                # Starting multiprocessing's resource tracker unblocks SIGINT and SIGTERM in this
                # thread: start it first, so that a new forkserver is spawned with them blocked.
                resource_tracker.ensure_running()
                try:
                    with _stop_signals_blocked():
                        process.start()
                finally:
                    child.close()
                    if process.pid is None:  # never started: nothing to kill next time, no pipe kept
                        parent.close()
                self._process, self._conn = process, parent
            return self._conn

    def _kill(self) -> None:
        with self._guard:
            if self._conn is not None:
                self._conn.close()
            if self._process is not None:
                self._process.kill()
                self._process.join()
            self._process = self._conn = None


@contextmanager
def _stop_signals_blocked() -> Iterator[None]:
    """Block the stop signals in this thread while it starts a worker.

    The mask is inherited: the forkserver (spawned by the first start) keeps them blocked for
    life, so a stop sent to the process group cannot kill it, and it forks every worker with
    them blocked, so none can die of one before _serve ignores them (multiprocessing's resource
    tracker is started the same way).
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _serve(conn: Connection) -> None:
    """The worker's loop: parse what the robot sends until the pipe closes."""
    # The parsers (openpyxl, numpy, pypdf, docx…: ~0.5 s, 60 MiB) live in the worker only; the
    # forkserver has them preloaded, so a worker starts with them at no cost.
    from parsers.registry import parse_attachment

    for stop_signal in STOP_SIGNALS:  # the robot stops its worker itself (ParseWorker.interrupt)
        signal.signal(stop_signal, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    resource.setrlimit(resource.RLIMIT_AS, (WORKER_ADDRESS_SPACE, WORKER_ADDRESS_SPACE))
    tasks = {"file": parse_attachment, "mail": _read_for_robot}
    while True:
        try:
            task, arguments = conn.recv()
        except (EOFError, OSError):
            return
        answer = _answer(arguments[0] if task == "file" else "a mail", tasks[task], *arguments)
        del arguments
        conn.send((*answer, peak_rss_mib()))


def _answer(what: str, task, *arguments) -> FileRead:
    """In the worker: ("ok", what the task returned) or ("error", (reason code, detail))."""
    try:
        return "ok", task(*arguments)
    except ParseError as exc:
        return "error", (exc.reason, exc.detail)
    except MemoryError:
        return "error", ("limits", f"{what}: more memory than the worker may use")
    except Exception as exc:  # a parser bug must not lose the message
        logging.getLogger(__name__).exception("parser crashed on %s", what)
        return "error", ("corrupt", f"{type(exc).__name__}: {exc}")


_SHARED: list[ParseWorker] = []
_SHARED_LOCK = threading.Lock()


def shared_worker() -> ParseWorker:
    """The process's parse worker, started on first use and stopped at exit (one, whichever of a
    poll's reader threads asks first)."""
    with _SHARED_LOCK:
        if not _SHARED:
            _SHARED.append(ParseWorker())
            atexit.register(_SHARED[0].stop)
        return _SHARED[0]


def read_attachments(
    config: Config, attachments: list[Attachment], read: dict[int, FileRead] | None = None
) -> tuple[list[ParsedReport], list[tuple[str, str]]]:
    """Reports found in the attachments, and (file name, reason code) for each unreadable file.

    ``read``: what the worker already read of some of them with this programme's indicators,
    by ``id()`` of the attachment (``MailRead.files``).
    """
    schema, limits = config.schema(), parse_limits(config)
    reports: list[ParsedReport] = []
    failures: list[tuple[str, str]] = []
    for attachment in attachments:
        started = time.perf_counter()
        done = (read or {}).get(id(attachment))
        try:
            if len(attachment.data) > limits.max_bytes:  # not worth sending to the worker
                raise ParseError("too_large", f"{len(attachment.data)} bytes")
            if done is None:
                found = shared_worker().parse(attachment.filename, attachment.data, schema, limits,
                                              config.limits.parse_timeout_seconds)
            elif done[0] == "ok":
                found = done[1]
            else:
                raise ParseError(*done[1])
        except ParseError as exc:
            log.info("%s unreadable after %.0f ms: %s", attachment.filename,
                     1000 * (time.perf_counter() - started), exc)
            failures.append((attachment.filename, exc.reason))
            continue
        if done is None:
            log.info("%s parsed in %.0f ms (parse worker peak RSS %d MiB)", attachment.filename,
                     1000 * (time.perf_counter() - started), shared_worker().peak_rss_mib)
        else:
            log.info("%s parsed with its mail (parse worker peak RSS %d MiB)", attachment.filename,
                     shared_worker().peak_rss_mib)
        reports += [report for report in found if report.is_report]
    return reports, failures


def read_answers_in_body(config: Config, mail: IncomingMail) -> dict[str, FoundValue]:
    """Figures a reply gives by code on lines of their own ("05: 755"), from the sender's own words."""
    return read_answers(numbered_lines(mail.own_text, "thân thư"), config.schema()) if mail.own_text else {}


def read_body(config: Config, mail: IncomingMail) -> ParsedReport | None:
    """A report typed into the mail body, if it is one: read from the sender's own words only,
    never from quoted earlier mail (a reply quoting the robot's acknowledgement is not a report)."""
    if not mail.own_text.strip():
        return None
    lines = numbered_lines(mail.own_text, "thân thư")
    report = read_text(lines, config.schema(), parse_limits(config), filename="(nội dung thư)")
    return report if len(report.values) >= MIN_BODY_FIELDS else None
