"""The SSL context for IMAP and SMTP connections, from the verify_tls / ca_file settings."""

from __future__ import annotations

import logging
import ssl
from pathlib import Path

log = logging.getLogger(__name__)


def ssl_context(verify_tls: bool, ca_file: Path | None) -> ssl.SSLContext:
    """A client context that verifies the server (system CAs plus ``ca_file``) unless told not to.

    ``verify_tls=False`` is for a school's own server with a self-signed certificate when nobody can
    hand over its CA file; the connection is then encrypted but not authenticated.
    """
    context = ssl.create_default_context()
    if ca_file is not None:
        context.load_verify_locations(cafile=str(ca_file))
    if not verify_tls:
        log.warning("TLS certificate verification is OFF (verify_tls: false): the server is not authenticated")
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context
