"""An embedded IMAP server for the demo: pymap's in-memory backend, on a loopback port, in a thread.

pymap is a real IMAP implementation, so the robot's mailer talks to it exactly as to the
department's server. Its caveats (DESIGN §6): it drops custom keywords and changes UIDVALIDITY on
every start — harmless for a demo that starts from an empty store — and its maildir backend
corrupts mail, so only the ``dict`` backend is used.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import imaplib
import secrets
import socket
import threading
from argparse import Namespace
from concurrent.futures import Future
from contextlib import AsyncExitStack

from pymap.backend.dict import DictBackend
from pymap.imap import IMAPService
from pysasl.hashing import BuiltinHash

HOST = "127.0.0.1"
# pymap hashes passwords with 500k PBKDF2 rounds by default (~170 ms a login); a throw-away
# loopback mailbox needs none of that.
_CHEAP_HASH = BuiltinHash(rounds=1)


def free_port() -> int:
    """A TCP port free on the loopback interface right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class DemoImapServer:
    """One mailbox (``user``/``password``) served over plain IMAP on 127.0.0.1:``port``."""

    def __init__(self, user: str) -> None:
        self.user = user
        self.password = secrets.token_urlsafe(9)
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="demo-imap", daemon=True)
        self._stack: AsyncExitStack | None = None
        self._client: imaplib.IMAP4 | None = None
        self._client_lock = threading.Lock()

    def start(self) -> None:
        """Start the event loop thread and listen."""
        self._thread.start()
        self._run(self._start()).result(timeout=10)

    def stop(self) -> None:
        """Log out the helper session, close the listener and end the thread."""
        with self._client_lock:
            if self._client is not None:
                self._client.logout()
                self._client = None
        if self._stack is not None:
            self._run(self._stack.aclose()).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def append(self, raw: bytes, internaldate: dt.datetime, folder: str = "INBOX") -> None:
        """Put a message in a folder with the given INTERNALDATE, as a mail server's delivery does."""
        with self._client_lock:
            client = self._session()
            if folder != "INBOX":
                client.create(folder)  # NO when it exists already: fine
            typ, data = client.append(folder, None, internaldate, raw)
            if typ != "OK":
                raise RuntimeError(f"APPEND to {folder} failed: {data}")

    def _session(self) -> imaplib.IMAP4:
        if self._client is None:
            client = imaplib.IMAP4(HOST, self.port, timeout=10)
            # pymap answers an APPEND literal slowly unless the client disables Nagle's algorithm.
            client.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            client.login(self.user, self.password)
            self._client = client
        return self._client

    def _run(self, coroutine) -> Future:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    async def _start(self) -> None:
        args = Namespace(
            host=HOST, port=self.port, debug=False, cert=None, key=None, tls=False,
            passlib_cfg=None, proxy_protocol=None, inherited_sockets=None,
            demo_data=False, demo_user=self.user, demo_password=self.password,
        )
        backend, config = await DictBackend.init(args, hash_context=_CHEAP_HASH, invalid_user_sleep=0.0,
                                                 reject_dnsbl=False)
        config.apply_context()
        stack = AsyncExitStack()
        await backend.start(stack)
        await IMAPService(backend, config).start(stack)
        self._stack = stack
