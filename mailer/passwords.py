"""Where the robot's mail passwords come from: never config.yaml, which only names their place.

A module of its own, with nothing but the standard library's ``os``: the idle poll reads the
IMAP password through it and must not pay for the settings' dataclasses (``dataclasses`` and
``typing`` cost a cron start ~20 ms, a third of what the idle poll adds to a bare login).
"""

from __future__ import annotations

import os
from pathlib import Path


def read_secret(env_name: str, file: Path | None) -> str:
    """A password from the environment variable, else from the file; "" when neither gives one.
    (Never from config.yaml: it names only the variable or the file.)"""
    if env_name and os.environ.get(env_name):
        return os.environ[env_name]
    if file is not None:
        try:
            return file.read_text(encoding="utf-8").strip()
        except OSError:
            return ""
    return ""
