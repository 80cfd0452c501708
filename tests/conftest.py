"""Shared pytest fixtures: real mail servers on loopback (see tests/servers.py)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import DOVECOT_BINARY, DovecotServer, SmtpServer, TestCertificate


@pytest.fixture(scope="session")
def test_certificate() -> Iterator[TestCertificate]:
    """A self-signed certificate for 127.0.0.1/localhost, made once per session."""
    directory = Path(tempfile.mkdtemp(prefix="test-cert-"))
    try:
        yield TestCertificate.create(directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot(test_certificate: TestCertificate) -> Iterator[DovecotServer]:
    """One Dovecot for the whole session; use ``mailbox`` in tests for an empty one."""
    if not os.path.exists(DOVECOT_BINARY):
        pytest.skip("Dovecot is not installed (apt-get install -y dovecot-imapd dovecot-lmtpd)")
    server = DovecotServer(test_certificate)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def mailbox(dovecot: DovecotServer) -> DovecotServer:
    """The session's Dovecot with every user's mail deleted before the test."""
    dovecot.reset()
    return dovecot


@pytest.fixture
def smtp_server(test_certificate: TestCertificate) -> Iterator[SmtpServer]:
    """A fresh recording aiosmtpd server (STARTTLS and AUTH offered, neither required)."""
    server = SmtpServer(certificate=test_certificate)
    server.start()
    try:
        yield server
    finally:
        server.stop()
