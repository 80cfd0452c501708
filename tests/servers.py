"""Real mail servers for tests: a throw-away Dovecot (IMAP and IMAPS only) and an aiosmtpd SMTP server.

Both listen on 127.0.0.1 on free ports and are started by the fixtures in ``tests/conftest.py``.
The helpers here talk to Dovecot with imaplib directly, never through ``mailer``, so
a bug in the code under test cannot hide itself.
"""

from __future__ import annotations

import asyncio
import email
import email.message
import email.policy
import grp
import imaplib
import os
import pwd
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from imap_tools import imap_utf7

from mailer.settings import ImapSettings, Security, SmtpSettings

DOVECOT_BINARY = "/usr/sbin/dovecot"
DOVEADM_BINARY = "/usr/bin/doveadm"

ROBOT_USER = "robot@school.example"
DEFAULT_USERS = {
    ROBOT_USER: "robot-pass",
    "other@school.example": "other-pass",
    "staff@school.example": "staff-pass",
}


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 right now (all held open together, so they are distinct)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _wait_for_port(port: int, deadline: float, process: subprocess.Popen | None = None) -> None:
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"server exited with code {process.returncode} before listening") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on 127.0.0.1:{port}") from None
            time.sleep(0.005)


@dataclass(frozen=True)
class TestCertificate:
    """A self-signed certificate for 127.0.0.1 and localhost; ``cert_path`` doubles as the CA file."""

    cert_path: Path
    key_path: Path

    __test__ = False  # not a pytest test class

    @classmethod
    def create(cls, directory: Path) -> TestCertificate:
        """Generate a P-256 key and certificate with openssl (EC keeps it to a few milliseconds)."""
        cert, key = directory / "cert.pem", directory / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-days", "7", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
             "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True,
        )
        return cls(cert_path=cert, key_path=key)

    def server_context(self) -> ssl.SSLContext:
        """An SSL context for a server presenting this certificate."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_path, self.key_path)
        return context


def _process_identity() -> dict[str, str]:
    """Users Dovecot runs as: as root it needs unprivileged ones (mail access as UID 0 is refused)."""
    if os.geteuid() == 0:
        return {"internal": "dovecot", "login": "dovenull", "mail_uid": "nobody", "mail_gid": "nogroup"}
    me = pwd.getpwuid(os.geteuid()).pw_name
    return {"internal": me, "login": me, "mail_uid": me, "mail_gid": grp.getgrgid(os.getegid()).gr_name}


_DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
# No 2 s delay on a failed login (and no per-IP penalty after it: see the anvil socket below).
auth_failure_delay = 0
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u/Maildir
default_internal_user = {internal}
default_login_user = {login}
mail_uid = {mail_uid}
mail_gid = {mail_gid}
first_valid_uid = 0
first_valid_gid = 0
postmaster_address = postmaster@school.example
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
  # Unreachable penalty socket = no auth penalty: otherwise a wrong-password test delays every
  # later login from 127.0.0.1 by 2-15 s.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service ipc {{
  chroot =
}}
"""


class DovecotServer:
    """A throw-away Dovecot 2.3 on 127.0.0.1: IMAP (plain + STARTTLS) and IMAPS, passwd-file users.

    IMAP only (``dovecot-imapd``, no ``dovecot-lmtpd``): mail goes in by IMAP APPEND, as the
    MTA's delivery would put it there.
    """

    host = "127.0.0.1"

    def __init__(self, certificate: TestCertificate, users: dict[str, str] | None = None) -> None:
        self.certificate = certificate
        self.users = dict(users or DEFAULT_USERS)
        self.user = ROBOT_USER
        self.password = self.users[ROBOT_USER]
        self.imap_port, self.imaps_port = free_ports(2)
        # Not tmp_path/mkdtemp: those are 0700, and Dovecot's unprivileged processes must traverse
        # the root, or login fails with "Temporary authentication failure".
        self.root = Path(tempfile.mkdtemp(prefix="dovecot-", dir="/tmp"))
        self.root.chmod(0o755)
        self.config_path = self.root / "dovecot.conf"
        self._process: subprocess.Popen | None = None
        self._clients: dict[str, imaplib.IMAP4] = {}
        self.start_seconds = 0.0

    @property
    def cert_path(self) -> Path:
        return self.certificate.cert_path

    def start(self) -> None:
        """Write the config and users file, run ``dovecot -F`` and wait until IMAP and IMAPS listen."""
        began = time.monotonic()
        identity = _process_identity()
        self.config_path.write_text(_DOVECOT_CONF.format(
            root=self.root, cert=self.certificate.cert_path, key=self.certificate.key_path,
            imap_port=self.imap_port, imaps_port=self.imaps_port,
            **identity,
        ))
        users_file = self.root / "users"
        # "user:password::::::" — a bare "user:password" gives "missing userdb info".
        users_file.write_text("".join(f"{name}:{password}::::::\n" for name, password in self.users.items()))
        mail_dir = self.root / "mail"
        mail_dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(users_file, group="dovecot")
            shutil.chown(mail_dir, user=identity["mail_uid"], group=identity["mail_gid"])
        users_file.chmod(0o640)
        with open(self.root / "stderr.log", "wb") as stderr:
            self._process = subprocess.Popen([DOVECOT_BINARY, "-F", "-c", str(self.config_path)],
                                             stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = time.monotonic() + 10
        try:
            for port in (self.imap_port, self.imaps_port):
                _wait_for_port(port, deadline, self._process)
        except RuntimeError as error:
            stderr_text = (self.root / "stderr.log").read_text(errors="replace")
            self.stop()
            raise RuntimeError(f"Dovecot did not start: {error}\n{stderr_text}") from None
        self.start_seconds = time.monotonic() - began

    def stop(self) -> None:
        """Stop the server and remove its root directory."""
        self._close_sessions()
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        """Dovecot's log so far (useful in assertion messages)."""
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # --- state -------------------------------------------------------------------------------

    def reset(self) -> None:
        """Delete every user's mail: the next login starts from an empty INBOX with UIDs from 1.

        Removing the maildirs on disk is the fastest clean slate (no doveadm process); it is safe
        because the helper sessions are closed first and tests log out before the next one starts.
        The new UIDVALIDITY is the clock's second, so it may equal the previous one; use
        ``set_uidvalidity`` to force a change.
        """
        self._close_sessions()
        for child in (self.root / "mail").iterdir():
            shutil.rmtree(child, ignore_errors=True)

    def set_uidvalidity(self, value: int, folder: str = "INBOX", user: str | None = None) -> None:
        """Give a folder a new UIDVALIDITY (as after a server migration), via doveadm."""
        self._examine(folder, user)  # the folder must exist (INBOX is created on first access)
        self._close_sessions()  # Dovecot disconnects sessions that have the folder selected
        self.doveadm("mailbox", "update", "-u", user or self.user, "--uid-validity", str(value), folder)

    def doveadm(self, *args: str) -> str:
        """Run a doveadm command against this instance and return its output."""
        result = subprocess.run([DOVEADM_BINARY, "-c", str(self.config_path), *args],
                                capture_output=True, text=True, check=True)
        return result.stdout

    # --- putting mail in ---------------------------------------------------------------------

    def append(self, raw: bytes, internaldate: datetime | None = None, folder: str = "INBOX",
               user: str | None = None, flags: str = "") -> int:
        """IMAP APPEND a message (INTERNALDATE defaults to now) and return its UID."""
        client = self._session(user)
        if folder != "INBOX":
            client.create(_quote(folder))  # NO when it exists, which is fine
        when = internaldate or datetime.now(UTC)
        typ, data = client.append(_quote(folder), f"({flags})" if flags else None, when, raw)
        _check(typ, data, "APPEND")
        # Dovecot answers "OK [APPENDUID <uidvalidity> <uid>] Append completed."
        return int(data[0].decode().split("APPENDUID ")[1].split()[1].rstrip("]"))

    def deliver(self, raw: bytes, rcpt: str) -> int:
        """Put a message into a user's INBOX as final delivery would; returns its UID.

        An IMAP APPEND on a session of its own, so the SMTP relay's thread never shares one
        with the test. ``UnknownRecipient`` for an address that has no mailbox here.
        """
        user = next((name for name in self.users if name.lower() == rcpt.lower()), None)
        if user is None:
            raise UnknownRecipient(rcpt)
        client = imaplib.IMAP4(self.host, self.imap_port, timeout=10)
        client.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            client.login(user, self.users[user])
            typ, data = client.append("INBOX", None, datetime.now(UTC), raw)
            _check(typ, data, "APPEND")
            return int(data[0].decode().split("APPENDUID ")[1].split()[1].rstrip("]"))
        finally:
            client.logout()

    def create_folder(self, folder: str, user: str | None = None) -> None:
        """Create a folder (error if it exists)."""
        _check(*self._session(user).create(_quote(folder)), "CREATE")

    # --- looking at mail ---------------------------------------------------------------------

    def uids(self, folder: str = "INBOX", user: str | None = None) -> list[int]:
        """UIDs of every message in a folder, ascending."""
        typ, data = self._examine(folder, user).uid("SEARCH", "ALL")
        _check(typ, data, "UID SEARCH")
        return sorted(int(uid) for uid in data[0].split())

    def message_count(self, folder: str = "INBOX", user: str | None = None) -> int:
        """How many messages a folder holds."""
        return len(self.uids(folder, user))

    def flags(self, uid: int, folder: str = "INBOX", user: str | None = None) -> set[str]:
        """Flags and keywords of one message, e.g. {"\\Seen", "RobotProcessed"}."""
        typ, data = self._examine(folder, user).uid("FETCH", str(uid), "(FLAGS)")
        _check(typ, data, "UID FETCH")
        for line in data:
            # Skip unsolicited FETCH lines about other messages.
            if isinstance(line, bytes) and re.search(rf"\bUID {uid}\b".encode(), line):
                return {flag.decode() for flag in imaplib.ParseFlags(line)}
        raise LookupError(f"no message with UID {uid} in {folder}")

    def fetch_raw(self, uid: int, folder: str = "INBOX", user: str | None = None) -> bytes:
        """The stored bytes of one message (read-only, does not set \\Seen)."""
        typ, data = self._examine(folder, user).uid("FETCH", str(uid), "(BODY.PEEK[])")
        _check(typ, data, "UID FETCH")
        return next(item[1] for item in data if isinstance(item, tuple))

    def folders(self, user: str | None = None) -> list[str]:
        """Names of the user's folders (decoded from modified UTF-7)."""
        typ, data = self._session(user).list()
        _check(typ, data, "LIST")
        names = (re.sub(rb'^\(.*?\) (?:"."|NIL) ', b"", line).strip(b'"') for line in data)
        return sorted(imap_utf7.utf7_decode(name) for name in names)

    # --- for the code under test -------------------------------------------------------------

    def imap_settings(self, security: Security = "none", **overrides: Any) -> ImapSettings:
        """Settings for the robot's mailbox on this server; TLS verification trusts the test cert."""
        port = self.imaps_port if security == "ssl" else self.imap_port
        values: dict[str, Any] = dict(host=self.host, port=port, security=security, username=self.user,
                                      password=self.password, ca_file=self.cert_path, timeout=5.0)
        values.update(overrides)
        return ImapSettings(**values)

    # --- helper sessions ---------------------------------------------------------------------

    def _session(self, user: str | None) -> imaplib.IMAP4:
        """A logged-in session for the user, kept open: a login costs ~13 ms, a command well under 1."""
        name = user or self.user
        client = self._clients.get(name)
        if client is None:
            client = imaplib.IMAP4(self.host, self.imap_port, timeout=10)
            # Without TCP_NODELAY, APPEND's literal waits on Nagle + delayed ACK (~40 ms a message).
            client.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            client.login(name, self.users[name])
            self._clients[name] = client
        return client

    def _examine(self, folder: str, user: str | None) -> imaplib.IMAP4:
        """The user's session with the folder opened read-only (re-opening it shows new mail)."""
        client = self._session(user)
        typ, data = client.select(_quote(folder), readonly=True)
        if typ != "OK":
            raise LookupError(f"cannot open {folder}: {data}")
        return client

    def _close_sessions(self) -> None:
        clients, self._clients = self._clients, {}
        for client in clients.values():
            try:
                client.logout()
            except (imaplib.IMAP4.error, OSError):
                client.shutdown()


class UnknownRecipient(LookupError):
    """No mailbox on the test Dovecot for this address."""


def _quote(folder: str) -> str:
    """A folder name as an IMAP quoted string, non-ASCII in modified UTF-7."""
    encoded = imap_utf7.utf7_encode(folder).decode("ascii")
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(typ: str, data: list, command: str) -> None:
    if typ != "OK":
        raise RuntimeError(f"{command} failed: {typ} {data}")


# --- SMTP --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    """One message as the SMTP server got it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    parsed: email.message.EmailMessage


@dataclass
class _Failure:
    remaining: int
    reply: str


class _RecordingHandler:
    """aiosmtpd handler: records each message, or rejects it while a failure is armed."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
        server = self.server
        server.in_data += 1
        server.most_in_data = max(server.most_in_data, server.in_data)
        try:
            if server.data_delay:
                await asyncio.sleep(server.data_delay)
            return server._receive(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
        finally:
            server.in_data -= 1


@dataclass
class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 that records messages and can be told to refuse them.

    AUTH is offered without TLS; ``users`` are the accepted logins, but sending without AUTH works
    too. STARTTLS is offered with the test certificate when one is given.
    """

    certificate: TestCertificate | None = None
    users: dict[str, str] = field(default_factory=lambda: {ROBOT_USER: "smtp-pass"})
    host: str = "127.0.0.1"
    port: int = 0
    messages: list[Received] = field(default_factory=list, init=False)
    relay_target: DovecotServer | None = field(default=None, init=False)
    data_delay: float = field(default=0.0, init=False)  # seconds each DATA waits before its answer
    in_data: int = field(default=0, init=False)  # DATA conversations open right now
    most_in_data: int = field(default=0, init=False)  # the most ever open at once
    _failure: _Failure | None = field(default=None, init=False, repr=False)
    _arrived: threading.Condition = field(default_factory=threading.Condition, init=False, repr=False)
    _controller: Controller | None = field(default=None, init=False, repr=False)

    def start(self) -> None:
        """Start listening on a free port."""
        self.port = free_ports(1)[0]
        self._controller = Controller(
            _RecordingHandler(self), hostname=self.host, port=self.port,
            authenticator=self._authenticate, auth_require_tls=False,
            tls_context=self.certificate.server_context() if self.certificate else None,
        )
        self._controller.start()

    def stop(self) -> None:
        """Stop the server."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def clear(self) -> None:
        """Forget the messages received so far and any armed failure."""
        with self._arrived:
            self.messages.clear()
            self._failure = None
            self.data_delay, self.most_in_data = 0.0, 0

    def fail_next(self, count: int = 1, code: int = 451, text: str = "Temporary failure, try again later") -> None:
        """Refuse the next ``count`` messages at DATA with ``code`` (4xx temporary, 5xx permanent)."""
        self._failure = _Failure(remaining=count, reply=f"{code} {text}")

    def relay_to(self, dovecot: DovecotServer | None) -> None:
        """Also deliver every accepted message into Dovecot (SMTP → IMAP end to end)."""
        self.relay_target = dovecot

    def wait_for(self, count: int, timeout: float = 5) -> list[Received]:
        """Block until at least ``count`` messages arrived; return them (AssertionError on timeout)."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                raise AssertionError(f"expected {count} messages, got {len(self.messages)} in {timeout}s")
            return list(self.messages)

    def wait_for_reply_to(self, message_id: str, timeout: float = 5) -> Received:
        """Block until a message answering ``message_id`` (In-Reply-To) arrived; return it.

        Other mail may come first: a daemon started on the real clock sends the reminders due
        that day before it polls.
        """
        def answer() -> Received | None:
            return next((m for m in self.messages if m.parsed["In-Reply-To"] == message_id), None)

        with self._arrived:
            if not self._arrived.wait_for(lambda: answer() is not None, timeout):
                raise AssertionError(f"no reply to {message_id} in {timeout}s; got {len(self.messages)} others")
            return answer()

    def smtp_settings(self, security: Security = "none", **overrides: Any) -> SmtpSettings:
        """Settings pointing at this server (no AUTH unless a username is given in overrides)."""
        values: dict[str, Any] = dict(host=self.host, port=self.port, security=security, timeout=5.0,
                                      ca_file=self.certificate.cert_path if self.certificate else None)
        values.update(overrides)
        return SmtpSettings(**values)

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            login, password = auth_data.login.decode(), auth_data.password.decode()
            if self.users.get(login) == password:
                return AuthResult(success=True)
        # handled=False lets aiosmtpd send the 535 itself; handled=True without a reply hangs the client.
        return AuthResult(success=False, handled=False)

    def _receive(self, mail_from: str, rcpt_tos: list[str], raw: bytes) -> str:
        with self._arrived:
            failure = self._failure
            if failure is not None and failure.remaining > 0:
                failure.remaining -= 1
                return failure.reply
            if self.relay_target is not None:
                for rcpt in rcpt_tos:
                    try:
                        self.relay_target.deliver(raw, rcpt)
                    except UnknownRecipient as error:
                        return f"550 no mailbox for {error} on the test Dovecot"
            parsed = email.message_from_bytes(raw, policy=email.policy.default)
            self.messages.append(Received(mail_from, rcpt_tos, raw, parsed))  # type: ignore[arg-type]
            self._arrived.notify_all()
        return "250 OK"
