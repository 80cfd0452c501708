"""The `robot` command: an idle `robot poll` answered without loading the robot, else the CLI."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    config = plain_poll(sys.argv[1:])
    if config is not None:
        from robot.idle_poll import try_idle_poll

        if try_idle_poll(config):
            return
    from robot.cli import app

    app(prog_name="robot")


def plain_poll(argv: list[str]) -> Path | None:
    """The config of a plain `robot [--config PATH] poll` (cron's line); None for any other
    command or option (--now, --dry-run, --verbose, --help: the full CLI)."""
    path = os.environ.get("ROBOT_CONFIG", "config.yaml")
    args = list(argv)
    while args and args[0] != "poll":
        if args[0] == "--config" and len(args) > 1:
            path, args = args[1], args[2:]
        elif args[0].startswith("--config="):
            path, args = args[0].partition("=")[2], args[1:]
        else:
            return None
    return Path(path) if args == ["poll"] else None
