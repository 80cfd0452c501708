"""Connection settings the robot hands to the mailer (built from config.yaml, password resolved)."""

from __future__ import annotations

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
