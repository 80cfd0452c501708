"""`robot` as cron runs it: a fresh process that loads only what its command needs, and one line
for staff when the mailbox cannot be reached."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
import typer.main

from robot.cli import app
from tests.robotenv import IMAP_PASSWORD_ENV, REPO, RobotEnv, write_config
from tests.servers import DovecotServer

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
# Each takes from ~50 ms (rich, pydantic) to seconds (SQLAlchemy, openpyxl + numpy) to import.
HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "pydantic", "yaml", "rich", "openpyxl", "docx", "numpy",
         "pandas", "matplotlib", "apscheduler", "jinja2", "imap_tools", "pypdf", "xlsxwriter")

LOADED = """\
import runpy, sys
sys.argv = ["robot", *sys.argv[1:]]
try:
    runpy.run_module("robot", run_name="__main__")
except SystemExit as done:
    code = done.code
print(code, *sorted({name.split(".")[0] for name in sys.modules}))
"""


def _loaded_by(*args: str) -> tuple[int, set[str]]:
    """Run `robot ARGS` in a fresh interpreter; its exit code and the top-level packages it imported."""
    done = subprocess.run([sys.executable, "-c", LOADED, *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    code, *packages = done.stdout.splitlines()[-1].split()
    return int(code), set(packages)


def test_importing_the_cli_loads_nothing_heavy():
    done = subprocess.run([sys.executable, "-c", "import sys, robot.cli; print(*sys.modules)"], cwd=REPO,
                          capture_output=True, text=True, check=True, timeout=120)
    loaded = {name.split(".")[0] for name in done.stdout.split()}
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_robot_help_loads_nothing_heavy():
    code, loaded = _loaded_by("--help")
    assert code == 0
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_loads_only_what_typer_needs(name: str):
    """typer (0.29) coerces every option value, --config's default included, with a pydantic
    TypeAdapter; nothing else heavy may load before the command runs."""
    code, loaded = _loaded_by(name, "--help")
    assert code == 0
    assert loaded.isdisjoint(set(HEAVY) - {"pydantic"}), sorted(loaded & set(HEAVY))


@pytest.fixture
def polled(tmp_path, test_certificate, smtp_server) -> Iterator[tuple[DovecotServer, RobotEnv]]:
    """A robot that has polled a Dovecot of its own once (store made, position taken); the test
    may stop that server."""
    server = DovecotServer(test_certificate)
    server.start()
    try:
        env = write_config(tmp_path / "robot", server, smtp_server)
        assert env.cli("poll").exit_code == 0
        yield server, env
    finally:
        server.stop()


def _poll_process(env: RobotEnv, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "robot", "--config", str(env.path), "poll"], cwd=REPO,
                          capture_output=True, text=True, timeout=120, env=os.environ | environment)


def test_a_stopped_imap_server_gives_staff_one_line(polled):
    """GIVEN a robot that polled its mailbox before
    WHEN the IMAP server is down and cron runs `robot poll`
    THEN it exits 1 and says so in one Vietnamese line naming the mailbox, the server and the reason."""
    server, env = polled
    server.stop()
    done = _poll_process(env)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and done.stderr.endswith("\n"), done.stderr
    line = done.stderr.strip()
    assert line.startswith(f"Không kết nối được hộp thư {env.config.mailbox.address} "
                           f"(máy chủ IMAP 127.0.0.1:{server.imap_port}): ")
    assert "Connection refused" in line
    assert len(line) > 80  # longer than a terminal: it used to wrap onto a second line


def test_a_changed_mailbox_password_gives_staff_one_line(polled):
    """GIVEN a robot that polled its mailbox before
    WHEN the mailbox password was changed on the server but not in the robot's environment
    THEN `robot poll` exits 1 with one line naming the server and the failed login, not the password."""
    server, env = polled
    done = _poll_process(env, **{IMAP_PASSWORD_ENV: "mat-khau-cu-2025"})
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1, done.stderr
    assert f"(máy chủ IMAP 127.0.0.1:{server.imap_port}): logging in as '{server.user}' failed" in done.stderr
    assert "mat-khau-cu-2025" not in done.stderr


def test_an_idle_poll_says_so_in_one_line(robot_env):
    """A poll with no new mail and nothing to send prints one line (cron runs it every few minutes)."""
    assert robot_env.cli("poll").exit_code == 0
    again = robot_env.cli("poll")
    assert again.exit_code == 0
    assert again.stdout == "Không có thư mới; không gửi thư nào.\n"
