"""The demo's department staff member: she asks where things stand and files a paper report, by mail.

Her mails carry the Authentication-Results of the demo's trusted receiving server, as the
department's own mail server would stamp them: only then does the robot believe a staff command.
"""

from __future__ import annotations

import datetime as dt

from robot.config import Config, Unit
from robot.demo import forms
from robot.demo.figures import report_values
from robot.demo.school_mail import XLSX, SeedMail, _mail
from robot.periods import Period

TRUSTED_SERVER = "mx.demo.local"
STAFF = {"name": "Nguyễn Thị Lan", "email": "lan.nt.cttt@demo.local", "role": "editor"}


def staff_config() -> dict:
    """The demo config's ``staff`` and trusted server (merged into the shipped config's sections)."""
    return {"staff": [{"name": STAFF["name"], "emails": [STAFF["email"]], "role": STAFF["role"]}],
            "trusted_authserv_ids": [TRUSTED_SERVER]}


def staff_mail(config: Config, period: Period, paper_from: Unit, now: dt.datetime) -> list[SeedMail]:
    """"Tình hình", then "Nộp thay <unit>" with the unit's paper report typed into the template."""
    domain = STAFF["email"].rpartition("@")[2]
    passed = {"Authentication-Results": f"{TRUSTED_SERVER}; spf=pass smtp.mailfrom={domain}; "
                                        f"dkim=pass header.d={domain}; dmarc=pass header.from={domain}"}
    asked = now - dt.timedelta(minutes=20)
    situation = _mail(config, STAFF["email"], STAFF["name"], "Tình hình", asked,
                      body="Nhờ hệ thống gửi tình hình nộp báo cáo.\n\nLan", headers=passed)
    paper = forms.filled_xlsx(config.schema(), paper_from.type, report_values(config, paper_from, period.id),
                              paper_from.name, period.title)
    filed = now - dt.timedelta(minutes=10)
    file_for = _mail(config, STAFF["email"], STAFF["name"], f"Nộp thay {paper_from.code}", filed,
                     body=f"{paper_from.name} nộp bản giấy; tôi đã nhập vào mẫu.\n\nLan", headers=passed,
                     attachments=[(f"bao-cao-giay-{paper_from.code.lower()}.xlsx", XLSX, paper)])
    return [
        SeedMail("Cán bộ hỏi tình hình bằng thư (được gửi ngay báo cáo tổng hợp)", STAFF["email"], asked, situation),
        SeedMail(f"Cán bộ nộp thay bản giấy của {paper_from.name} (đơn vị nhận thư xác nhận)", STAFF["email"],
                 filed, file_for),
    ]
