"""Composing outgoing mail as MIME bytes, ready for the outbox and SMTP."""

from __future__ import annotations

import email.utils
import functools
import re
from dataclasses import dataclass, field
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import EmailPolicy

from mailer.incoming import Attachment
from mailer.policies import HEADERS

_ADDRESS_HEADERS = {"from", "to", "cc", "reply-to"}
# What the stdlib folder would change in a line that fits: line breaks, runs of blanks, encoded-words.
_REFOLDED = re.compile(r"[\r\n]|\s\s|=\?")


class _SmtpPolicy(EmailPolicy):
    """CRLF line endings and 7-bit transfer encodings, so the bytes pass any SMTP server unchanged.

    Non-ASCII Subject, X- and address headers are encoded with ``email.header`` instead of the
    policy's own folder: CPython 3.11's folder may put the space between two words *between*
    encoded-words, where RFC 2047 tells readers to drop it ("6 tháng đầu" arrives as "thángđầu").
    """

    def fold(self, name: str, value: str) -> str:
        return self._encoded(name, value) or super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        encoded = self._encoded(name, value)
        if encoded:
            return encoded.encode("ascii")
        line = f"{name}: {value}"
        if (len(line) <= self.max_line_length and line.isascii() and not _REFOLDED.search(line)
                and not getattr(value, "defects", ()) and name.lower() not in _ADDRESS_HEADERS):
            # What the folder would write, at a tenth of its cost (an address header's text is
            # normalised, so it is left to the folder, which writes what was parsed).
            return (line + self.linesep).encode("ascii")
        return super().fold_binary(name, value)

    def _encoded(self, name: str, value: str) -> str | None:
        if str(value).isascii():
            return None
        key = name.lower()
        if key in _ADDRESS_HEADERS and getattr(value, "addresses", None):
            body = ("," + self.linesep + " ").join(
                self._address(address, name) for address in value.addresses)  # type: ignore[attr-defined]
        elif key == "subject" or key.startswith("x-"):
            body = self._words(str(value), name)
        else:
            return None  # MIME parameters (file names) are RFC 2231-encoded by the header itself
        return f"{name}: {body}{self.linesep}"

    def _address(self, address: Address, name: str) -> str:
        if not address.display_name:
            return address.addr_spec
        words = self._words(address.display_name, name)
        last_line = words.rsplit(self.linesep, 1)[-1]
        fits = len(last_line) + len(address.addr_spec) + 3 <= 78
        return f"{words}{' ' if fits else self.linesep + ' '}<{address.addr_spec}>"

    def _words(self, text: str, name: str) -> str:
        """Text as RFC 2047 encoded-words (each within 75 characters), folded between words."""
        if text.isascii():
            return f'"{email.utils.quote(text)}"' if any(c in text for c in '",.<>@:;()[]\\') else text
        return Header(text, "utf-8", header_name=name).encode(linesep=self.linesep)


# Also for anyone building mail to feed the robot (the demo, tests): the stdlib folder is buggy.
SMTP_POLICY = _SmtpPolicy(linesep="\r\n", cte_type="7bit", header_factory=HEADERS)


@dataclass(kw_only=True)
class OutgoingMail:
    """A message the robot sends: reply, reminder or digest."""

    from_addr: str
    from_name: str = ""
    to: list[str]
    subject: str
    text: str
    html: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # e.g. X-Report-Robot, Auto-Submitted
    attachments: list[Attachment] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    inline_images: list[tuple[str, bytes]] = field(default_factory=list)  # (Content-ID, PNG), for the HTML
    message_id: str = ""  # chosen by the caller (who files it beside the mail), or made on ``domain``


@functools.lru_cache(maxsize=16)
def _sender(name: str, address: str) -> str:
    """The From header as text, not an Address: text is parsed once per process (mailer.policies),
    an Address on every mail."""
    return str(Address(display_name=name, addr_spec=address))


def compose(mail: OutgoingMail, domain: str) -> bytes:
    """Build the message: UTF-8, encoded headers, a Message-ID on ``domain``, threading, parts.

    Structure: text (+ HTML as multipart/alternative, + inline images as multipart/related inside
    it), then attachments (multipart/mixed). Every message carries ``X-Auto-Response-Suppress: All``
    (asks Exchange not to auto-reply) and ``X-Loop`` (so the robot recognises its own mail).
    """
    if mail.inline_images and not mail.html:
        raise ValueError("inline images need an HTML body that refers to them by cid:")
    message = EmailMessage(policy=SMTP_POLICY)
    message["From"] = _sender(mail.from_name, mail.from_addr)
    message["To"] = ", ".join(mail.to)
    if mail.cc:
        message["Cc"] = ", ".join(mail.cc)
    message["Subject"] = mail.subject
    message["Date"] = email.utils.format_datetime(email.utils.localtime())
    message["Message-ID"] = mail.message_id or email.utils.make_msgid(domain=domain)
    if mail.in_reply_to:
        message["In-Reply-To"] = mail.in_reply_to
    references = [*mail.references, *([mail.in_reply_to] if mail.in_reply_to else [])]
    if references:
        message["References"] = " ".join(dict.fromkeys(references))  # de-duplicated, order kept
    message["X-Auto-Response-Suppress"] = "All"
    message["X-Loop"] = mail.from_addr
    for name, value in mail.headers.items():
        del message[name]
        message[name] = value

    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
        html_part = message.get_payload()[1]
        for cid, png in mail.inline_images:
            html_part.add_related(png, "image", "png", cid=f"<{cid.strip('<>')}>", disposition="inline")
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(attachment.data, maintype or "application", subtype or "octet-stream",
                               filename=attachment.filename)
    for part in message.walk():
        if part is not message:
            del part["MIME-Version"]  # EmailMessage stamps it on every part it creates; once is right
    return message.as_bytes(policy=SMTP_POLICY)
