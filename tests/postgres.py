"""A throw-away PostgreSQL cluster for tests: initdb into a temp dir, pg_ctl start on a free loopback port.

Debian's `postgresql` package puts the server binaries under /usr/lib/postgresql/<version>/bin.
As root the cluster runs as the `postgres` OS user (PostgreSQL refuses to run as root).
Durability is switched off (fsync, synchronous_commit): a test cluster is never worth an fsync.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.servers import free_ports

# The engine the robots under test use: sqlite (the default) or postgresql.
TEST_DB = os.environ.get("ROBOT_TEST_DB", "sqlite")
if TEST_DB not in ("sqlite", "postgresql"):
    raise ValueError(f"ROBOT_TEST_DB={TEST_DB!r}: use sqlite or postgresql")


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None when the server is not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


class PostgresCluster:
    """One cluster on 127.0.0.1 (trust auth for the `postgres` role); ``new_database`` per test."""

    host = "127.0.0.1"

    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        (self.port,) = free_ports(1)
        self.root = Path(tempfile.mkdtemp(prefix="postgres-", dir="/tmp"))
        self.data = self.root / "data"
        self._names = itertools.count(1)
        self._user = "postgres" if os.geteuid() == 0 else None

    def start(self) -> None:
        if self._user:
            entry = pwd.getpwnam(self._user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses={self.host} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "start", "-w", "-D", str(self.data), "-l", str(self.root / "server.log"),
                  "-o", options)

    def stop(self) -> None:
        if self.data.exists():
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@{self.host}:{self.port}/{database}"

    def new_database(self, template: str | None = None) -> str:
        """Create an empty database (or a copy of ``template``) and return its name."""
        name = f"robot_test_{next(self._names)}"
        clause = f" TEMPLATE {template}" if template else ""
        self._admin(f"CREATE DATABASE {name}{clause}")
        return name

    def drop_database(self, name: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def _admin(self, statement: str) -> None:
        with psycopg.connect(host=self.host, port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as connection:
            connection.execute(statement)

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        subprocess.run([str(self.binaries / program), *args], check=check, capture_output=True,
                       user=self._user, cwd=self.root)
