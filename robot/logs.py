"""Logging to stderr, English, one line per event, no secrets (passwords never reach a logger)."""

from __future__ import annotations

import logging


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,  # each CLI invocation logs to the stderr of its own time (tests swap it)
    )
    for noisy in ("imap_tools", "aiosmtpd", "mail.log"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
