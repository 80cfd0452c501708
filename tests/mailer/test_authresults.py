"""Authentication-Results are believed only from trusted servers, topmost first."""

from __future__ import annotations

import pytest

from mailer.authresults import parse, verdict

TRUSTED = ["mx.moet.edu.vn"]


def test_parse_ignores_comments_and_versions():
    header = ("mx.moet.edu.vn 1; spf=pass (sender IP is 203.0.113.5) smtp.mailfrom=a.example;\r\n"
              " dkim=pass (2048-bit key) header.d=a.example; dmarc=pass (p=none dis=none) header.from=a.example")
    assert parse(header) == ("mx.moet.edu.vn", {"spf": "pass", "dkim": "pass", "dmarc": "pass"})


@pytest.mark.parametrize(("header", "failed"), [
    ("mx.moet.edu.vn; dmarc=fail (p=reject) header.from=thpt.example", True),
    ("mx.moet.edu.vn; spf=pass; dkim=pass; dmarc=pass header.from=thpt.example", False),
    ("mx.moet.edu.vn; spf=fail smtp.mailfrom=x; dkim=none", True),
    ("mx.moet.edu.vn; spf=softfail smtp.mailfrom=x", True),
    ("mx.moet.edu.vn; spf=fail smtp.mailfrom=x; dkim=pass header.d=x", False),  # DKIM saves it
    ("mx.moet.edu.vn; spf=none; dkim=none", False),  # nothing to judge by
    ("MX.MOET.EDU.VN; dmarc=FAIL", True),
])
def test_verdict_from_the_trusted_server(header, failed):
    result = verdict([header], TRUSTED)
    assert result.believed and result.failed is failed


def test_untrusted_or_forged_headers_are_not_believed():
    forged = "mx.moet.edu.vn.attacker.example; dmarc=pass"
    assert not verdict([forged], TRUSTED).believed
    assert not verdict(["mx.moet.edu.vn; dmarc=fail"], []).believed  # empty list believes none


def test_only_the_topmost_trusted_header_counts():
    # The receiving server prepends its header; a copy further down came with the message.
    received = "mx.moet.edu.vn; dmarc=fail header.from=thpt.example"
    smuggled = "mx.moet.edu.vn; dmarc=pass header.from=thpt.example"
    assert verdict([received, smuggled], TRUSTED).failed
