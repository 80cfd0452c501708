"""Handing composed messages to the SMTP server, byte for byte, with errors sorted into retry / give up."""

from __future__ import annotations

import contextlib
import logging
import re
import smtplib
from collections.abc import Iterator

from mailer.errors import DeliveryError
from mailer.settings import SmtpSettings
from mailer.tls import ssl_context

log = logging.getLogger(__name__)

_BARE_LF = re.compile(rb"(?<!\r)\n")


def send(settings: SmtpSettings, sender: str, recipients: list[str], raw: bytes) -> None:
    """Deliver one message on a session of its own (see ``SmtpConnection.send``)."""
    with SmtpConnection(settings) as connection:
        connection.send(sender, recipients, raw)


class _SessionLost(Exception):
    """The server closed the session (idle timeout, or its limit of mails per connection)."""


class SmtpConnection:
    """One SMTP session reused for several messages (an outbox flush); QUIT when the block ends.

    Connecting, STARTTLS and AUTH cost several round trips, more than a small mail itself. A
    session the server dropped between messages is opened again once; a failed message closes
    the session so the next one starts clean.
    """

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._stack = contextlib.ExitStack()
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpConnection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._smtp = None
        self._stack.close()

    def send(self, sender: str, recipients: list[str], raw: bytes) -> None:
        """Deliver ``raw`` unchanged to ``recipients`` (envelope from ``sender``).

        The outbox resends the very bytes it stored, so nothing here rewrites the message; only
        bare LF line endings are turned into CRLF, as SMTP requires (compose already writes CRLF).
        Raises DeliveryError, ``permanent`` when the server refused for good (5xx).
        """
        if not recipients:
            raise DeliveryError("no recipients", permanent=True)
        data = _BARE_LF.sub(b"\r\n", raw)
        reused = self._smtp is not None
        try:
            try:
                refused = self._sendmail(sender, recipients, data)
            except _SessionLost:
                if not reused:
                    raise
                self.close()
                refused = self._sendmail(sender, recipients, data)
        except _SessionLost:
            self.close()
            raise DeliveryError(f"SMTP {_where(self.settings)}: the server closed the session") from None
        except DeliveryError:
            self.close()
            raise
        if refused:
            # Delivered to the others: raising would make the outbox send them a second copy.
            log.warning("SMTP %s accepted the message but refused %s", _where(self.settings),
                        ", ".join(f"{rcpt} ({code} {_text(reply)})" for rcpt, (code, reply) in refused.items()))

    def _sendmail(self, sender: str, recipients: list[str], data: bytes) -> dict:
        if self._smtp is None:
            self._smtp = self._stack.enter_context(_session(self.settings))
        with _errors(self.settings, "sending"):
            try:
                return self._smtp.sendmail(sender, recipients, data)
            except smtplib.SMTPServerDisconnected:
                raise _SessionLost from None
            except smtplib.SMTPResponseException as error:
                if error.smtp_code == 421:  # "service closing transmission channel"
                    raise _SessionLost from None
                raise


def check_login(settings: SmtpSettings) -> str:
    """Connect, start TLS and log in as configured; describe the session (for ``robot check``)."""
    with _session(settings) as smtp, _errors(settings, "checking"):
        smtp.noop()
    tls = {"ssl": "TLS", "starttls": "STARTTLS", "none": "no TLS"}[settings.security]
    who = f"authenticated as {settings.username}" if settings.username else "no AUTH"
    return f"SMTP {_where(settings)}: connected ({tls}, {who})"


@contextlib.contextmanager
def _session(settings: SmtpSettings) -> Iterator[smtplib.SMTP]:
    """An SMTP connection with TLS and AUTH done as the settings say; QUIT on the way out."""
    with _errors(settings, "connecting", setup=True):
        if settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout,
                context=ssl_context(settings.verify_tls, settings.ca_file))
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        with _errors(settings, "starting the session", setup=True):
            smtp.ehlo()
            if settings.security == "starttls":
                smtp.starttls(context=ssl_context(settings.verify_tls, settings.ca_file))
                smtp.ehlo()
        if settings.username:
            with _errors(settings, f"logging in as {settings.username!r}", setup=True):
                smtp.login(settings.username, settings.password)
        yield smtp
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


@contextlib.contextmanager
def _errors(settings: SmtpSettings, action: str, setup: bool = False) -> Iterator[None]:
    """Turn smtplib and socket errors into DeliveryError.

    A failure while connecting, starting TLS or logging in says nothing about the message: it is
    ``unreachable`` (stop sending for now) and never ``permanent`` — once an admin fixes the server
    or password, the outbox delivers it. Afterwards a 5xx refusal is permanent, anything else not.
    """
    where = _where(settings)
    try:
        yield
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        detail = "; ".join(f"{rcpt}: {code} {_text(reply)}" for rcpt, (code, reply) in error.recipients.items())
        raise DeliveryError(f"SMTP {where}: every recipient refused: {detail}",
                            permanent=all(code >= 500 for code in codes)) from None
    except smtplib.SMTPResponseException as error:
        raise DeliveryError(f"SMTP {where}: {action} failed: {error.smtp_code} {_text(error.smtp_error)}",
                            permanent=error.smtp_code >= 500 and not setup, unreachable=setup) from None
    except (smtplib.SMTPException, OSError) as error:
        detail = str(error) or type(error).__name__
        if settings.password:
            detail = detail.replace(settings.password, "***")
        raise DeliveryError(f"SMTP {where}: {action} failed: {detail}", unreachable=setup) from None


def _where(settings: SmtpSettings) -> str:
    return f"{settings.host}:{settings.port}"


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply
