"""Connection settings the robot hands to the mailer (built from config.yaml, password resolved)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Security = Literal["ssl", "starttls", "none"]


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    security: Security = "ssl"
    username: str = ""
    password: str = ""
    folder: str = "INBOX"
    verify_tls: bool = True
    ca_file: Path | None = None
    timeout: float = 30.0  # seconds, for connect and every socket operation
    batch_size: int = 50  # messages per FETCH


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: Security = "starttls"
    username: str = ""
    password: str = ""
    verify_tls: bool = True
    ca_file: Path | None = None
    timeout: float = 30.0


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
