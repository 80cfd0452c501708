"""What the receiving server says about the sender: Authentication-Results (RFC 8601).

Only headers whose authserv-id is trusted are believed, and of those only the topmost — the one
the receiving server added last. (A sender can write any header it likes, including one that
claims a pass; the receiving server is expected to remove forged copies of its own id, §5.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMENT = re.compile(r"\([^()]*\)")
_RESULT = re.compile(r"^\s*([a-z0-9_.-]+)\s*=\s*([a-z]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    """``failed`` is true when the trusted server says the From domain was not authenticated."""

    failed: bool
    believed: bool  # a header from a trusted authserv-id was found
    reason: str
    passed: bool = False  # the trusted server authenticated the From domain (DMARC, else DKIM/SPF)


def _strip_comments(value: str) -> str:
    previous = None
    while previous != value:
        previous, value = value, _COMMENT.sub(" ", value)
    return value


def parse(header: str) -> tuple[str, dict[str, str]]:
    """(authserv-id, {method: result}) of one header; the first result of a method wins."""
    parts = [p.strip() for p in _strip_comments(header).split(";")]
    authserv_id = parts[0].split()[0].lower() if parts and parts[0].split() else ""
    results: dict[str, str] = {}
    for part in parts[1:]:
        found = _RESULT.match(part)
        if found:
            results.setdefault(found.group(1).lower(), found.group(2).lower())
    return authserv_id, results


def verdict(headers: list[str], trusted_ids: list[str]) -> Verdict:
    """Fail on dmarc=fail, or — with no DMARC result — on an SPF failure with no DKIM pass."""
    trusted = {t.lower() for t in trusted_ids}
    for header in headers:
        authserv_id, results = parse(header)
        if authserv_id not in trusted:
            continue
        dmarc, spf, dkim = results.get("dmarc"), results.get("spf"), results.get("dkim")
        if dmarc is not None:
            return Verdict(dmarc == "fail", True, f"{authserv_id}: dmarc={dmarc}", passed=dmarc == "pass")
        failed = spf in ("fail", "softfail") and dkim != "pass"
        return Verdict(failed, True, f"{authserv_id}: spf={spf or 'none'} dkim={dkim or 'none'}",
                       passed="pass" in (spf, dkim))
    return Verdict(False, False, "no Authentication-Results from a trusted server")
