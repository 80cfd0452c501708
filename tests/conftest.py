"""Shared pytest fixtures: real mail servers on loopback (see tests/servers.py) and PostgreSQL (tests/postgres.py).

``ROBOT_TEST_DB=postgresql`` runs every robot the tests configure on a fresh PostgreSQL database
instead of SQLite (and makes a missing PostgreSQL an error rather than a skip).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.db import open_engine
from tests.postgres import TEST_DB, PostgresCluster, server_binaries
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
        pytest.skip("Dovecot is not installed (apt-get install -y dovecot-imapd)")
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


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """One throw-away PostgreSQL cluster for the session, on a free loopback port."""
    binaries = server_binaries()
    if binaries is None:
        message = "PostgreSQL is not installed (apt-get install -y postgresql)"
        if TEST_DB == "postgresql":
            pytest.fail(message)
        pytest.skip(message)
    cluster = PostgresCluster(binaries)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres: PostgresCluster) -> str:
    """A database migrated to head once, copied for each test (CREATE DATABASE … TEMPLATE)."""
    name = postgres.new_database()
    open_engine(postgres.url(name)).dispose()
    return name


@pytest.fixture
def postgres_url(postgres: PostgresCluster, postgres_template: str) -> Iterator[str]:
    """A fresh PostgreSQL database at the current schema, dropped after the test."""
    name = postgres.new_database(template=postgres_template)
    try:
        yield postgres.url(name)
    finally:
        postgres.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each engine: a SQLite file, or a new PostgreSQL database (no schema yet)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'robot.db'}"
        return
    postgres = request.getfixturevalue("postgres")
    name = postgres.new_database()
    try:
        yield postgres.url(name)
    finally:
        postgres.drop_database(name)
