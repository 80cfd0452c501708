"""The `robot` command: an idle `robot poll` answered without loading the robot, else the CLI."""

from __future__ import annotations

import sys


def main() -> None:
    if "poll" in sys.argv[1:]:
        from robot.idle_poll import try_idle_poll

        if try_idle_poll(sys.argv[1:]):
            return
    from robot.cli import app

    app(prog_name="robot")
