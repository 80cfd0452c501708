"""The demo's config.yaml: a copy of the shipped one pointed at the embedded servers and the out folder."""

from __future__ import annotations

import os
from pathlib import Path

import yaml

import robot
from robot.demo.imap_server import HOST, DemoImapServer
from robot.demo.smtp_server import DemoSmtpServer
from robot.demo.staff_mail import staff_config

IMAP_PASSWORD_ENV = "ROBOT_DEMO_IMAP_PASSWORD"


def shipped_config_path() -> Path:
    """config.yaml as shipped: inside the installed package, or at the root of a checkout."""
    package = Path(robot.__file__).resolve().parent
    for candidate in (package / "config.yaml", package.parent / "config.yaml"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("the shipped config.yaml is neither in the package nor in the checkout")


def write_demo_config(source: Path, out_dir: Path, imap: DemoImapServer, smtp: DemoSmtpServer) -> Path:
    """``source`` with its mailbox on the embedded servers and its store and archive under ``out_dir``.

    The IMAP password goes into the environment, as in production (``password_env``).
    """
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["mailbox"]["imap"] = {
        "host": HOST, "port": imap.port, "security": "none", "username": imap.user,
        "password_env": IMAP_PASSWORD_ENV, "folder": "INBOX", "timeout_seconds": 10,
    }
    data["mailbox"]["smtp"] = {"host": HOST, "port": smtp.port, "security": "none", "username": "",
                               "timeout_seconds": 10}
    data["store"] = {**data.get("store", {}), "url": "sqlite:///robot.db", "archive_dir": "archive"}
    data["daemon"] = {**data.get("daemon", {}), "log_file": "robot.log"}
    staff = staff_config()
    data["staff"] = staff["staff"]
    data["security"] = {**data.get("security", {}), "trusted_authserv_ids": staff["trusted_authserv_ids"]}
    os.environ[IMAP_PASSWORD_ENV] = imap.password
    path = out_dir / "config.yaml"
    header = (f"# Cấu hình chạy thử do `robot demo` tạo từ {source}: hộp thư là máy chủ nhúng trên máy này,\n"
              f"# cơ sở dữ liệu và thư lưu trữ nằm trong {out_dir}.\n")
    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
