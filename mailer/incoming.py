"""Reading a received message into plain fields, tolerant of whatever real mail clients send.

Nothing here raises on junk input: a header that will not decode falls back to its raw text, a
body in an unknown charset is decoded with the next best guess, a missing header is "". Every
text that leaves here (headers, bodies, file names) is decoded as mail clients decode it and in
NFC (mailer.charsets), and the sender's own words are set apart from quoted mail (mailer.quotes).
"""

from __future__ import annotations

import base64
import binascii
import email.message
import email.utils
import logging
import mimetypes
import quopri
import re
from dataclasses import dataclass, field
from email.parser import BytesParser

from tnefparse import TNEF

from mailer.charsets import decode, decode_undeclared
from mailer.encoded_words import decode_encoded_words
from mailer.html_text import html_to_text
from mailer.policies import READ_POLICY
from mailer.quotes import OwnText, own_html_text, own_plain_text
from mailer.text import nfc

log = logging.getLogger(__name__)

# Detached signatures are not documents; answering "unreadable file" about them would only confuse.
_SIGNATURE_TYPES = {"application/pgp-signature", "application/pkcs7-signature",
                    "application/x-pkcs7-signature", "application/pgp-keys"}
_MAX_DEPTH = 10  # forwarded-in-forwarded nesting we follow
_MSG_ID = re.compile(r"<[^<>\s]+>")
# An HTML part's own charset declaration, read when the MIME header names none.
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Attachment:
    """A file carried by a message (received or to be sent)."""

    filename: str
    content_type: str
    data: bytes
    # A picture shown inside the HTML body (Content-ID, not disposition "attachment"): the logo
    # of an Outlook signature, a pasted screenshot — part of the text, not a file sent.
    inline: bool = False


@dataclass(frozen=True)
class IncomingMail:
    """The parts of a received message the robot works with."""

    message_id: str
    sender: str  # lower-case bare address from From, "" when there is none
    sender_name: str
    reply_to: str
    return_path: str | None  # raw header value; "<>" marks bounces and many auto-replies
    subject: str
    date_header: str  # the sender's claim only; lateness uses INTERNALDATE
    in_reply_to: str
    references: list[str]
    text_body: str  # the plain part, else the HTML part as text; quotes included
    html_body: str
    own_text: str  # what the sender wrote: the plain part (else the HTML) without quotes and signature
    quoted: bool  # a quote of earlier mail was found (and left out of own_text)
    attachments: list[Attachment]
    raw: bytes = field(repr=False)  # the message as received
    auth_results: list[str] = field(default_factory=list)
    # The parsed message, kept by the reader; not sent across processes (the parse worker reads
    # mail for the robot): parsed again from ``raw`` if asked for there.
    _parsed: email.message.EmailMessage | None = field(default=None, repr=False, compare=False)

    @property
    def headers(self) -> email.message.EmailMessage:
        """The whole parsed message: its headers and its MIME parts."""
        if self._parsed is None:
            object.__setattr__(self, "_parsed", BytesParser(policy=READ_POLICY).parsebytes(self.raw))
        return self._parsed  # type: ignore[return-value]

    def __getstate__(self) -> dict:
        return self.__dict__ | {"_parsed": None}


def read_message(raw: bytes) -> IncomingMail:
    """Parse raw RFC 822 bytes into an IncomingMail; never raises, whatever the bytes."""
    message = BytesParser(policy=READ_POLICY).parsebytes(raw)
    sender_name, sender = _first_address(message, "From")
    _, reply_to = _first_address(message, "Reply-To")
    return_path = header_text(message, "Return-Path") if "Return-Path" in message else None
    plain, html = _bodies(message)
    own = (own_plain_text(plain) if plain.strip() else own_html_text(html) if html.strip()
           else OwnText("", quoted=False))
    attachments: list[Attachment] = []
    _collect_attachments(message, attachments, depth=0)
    return IncomingMail(
        message_id=header_text(message, "Message-ID"),
        sender=sender.lower(),
        sender_name=sender_name,
        reply_to=reply_to.lower(),
        return_path=return_path,
        subject=header_text(message, "Subject"),
        date_header=header_text(message, "Date"),
        in_reply_to=header_text(message, "In-Reply-To"),
        references=_MSG_ID.findall(header_text(message, "References")),
        text_body=plain if plain.strip() else nfc(html_to_text(html)),
        html_body=html,
        own_text=own.text,
        quoted=own.quoted,
        attachments=attachments,
        raw=raw,
        auth_results=header_values(message, "Authentication-Results"),
        _parsed=message,
    )


def header_values(message: email.message.Message, name: str) -> list[str]:
    """Every value of a header, decoded to NFC text (broken encoded-words as written), unfolded."""
    return [decode_encoded_words(value).strip() for value in _raw_values(message, name)]


def header_text(message: email.message.Message, name: str) -> str:
    """The first value of a header as decoded text, "" when absent."""
    values = header_values(message, name)
    return values[0] if values else ""


def _raw_values(message: email.message.Message, name: str) -> list[str]:
    """A header's values as written (encoded-words kept), 8-bit text restored, unfolded."""
    values = []
    for key, value in message.raw_items():
        if key.lower() != name.lower():
            continue
        # The parser keeps raw 8-bit bytes (unencoded UTF-8 headers) as surrogates: decode them.
        if any("\udc80" <= char <= "\udcff" for char in value):
            value = decode_undeclared(value.encode("utf-8", "surrogateescape"))
        values.append(re.sub(r"\r?\n(?=[ \t])", "", value).strip())
    return values


def _first_address(message: email.message.Message, name: str) -> tuple[str, str]:
    """(display name, bare address) of the first address in a header, ("", "") when there is none."""
    raw = _raw_values(message, name)
    if not raw:
        return "", ""
    # Split the addresses before decoding encoded-words: a decoded name may hold commas or "<".
    for display_name, address in email.utils.getaddresses([raw[0]]):
        if "@" in address:
            return decode_encoded_words(display_name).strip(), nfc(address)
    return "", ""


def _bodies(message: email.message.EmailMessage) -> tuple[str, str]:
    """(plain, html) bodies as text, "" for a part the message does not have."""
    try:
        plain = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
    except Exception:
        log.debug("could not find the body parts of a message", exc_info=True)
        return "", ""
    return (_part_text(plain) if plain is not None else "",
            _part_text(html) if html is not None else "")


def _part_text(part: email.message.Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset()
    if charset is None and part.get_content_subtype() == "html":
        declared = _META_CHARSET.search(payload[:4096])
        charset = declared.group(1).decode("ascii", "replace") if declared else None
    return decode(payload, charset).replace("\r\n", "\n")


def _collect_attachments(part: email.message.Message, out: list[Attachment], depth: int) -> None:
    """Walk the MIME tree, adding files; forwarded messages (message/rfc822) give their files too."""
    if depth > _MAX_DEPTH:
        return
    content_type = part.get_content_type()
    if content_type == "message/rfc822":
        for inner in _forwarded_messages(part):
            _collect_attachments(inner, out, depth + 1)
        return
    if part.is_multipart():
        for sub in part.get_payload():
            if isinstance(sub, email.message.Message):
                _collect_attachments(sub, out, depth + 1)
        return
    if content_type in _SIGNATURE_TYPES:
        return
    filename = _filename(part)
    if not filename:
        if part.get_content_maintype() != "application":
            return  # body text, inline images without a name, delivery reports
        filename = f"attachment-{len(out) + 1}{mimetypes.guess_extension(content_type) or '.bin'}"
    data = part.get_payload(decode=True)
    data = data if isinstance(data, bytes) else b""
    if content_type == "application/ms-tnef" or filename.lower() == "winmail.dat":
        unpacked = _tnef_files(data)
        if unpacked:
            out.extend(unpacked)
            return
    inline = (part.get_content_maintype() == "image" and "Content-ID" in part
              and part.get_content_disposition() != "attachment")
    out.append(Attachment(filename=filename, content_type=content_type, data=data, inline=inline))


def _tnef_files(data: bytes) -> list[Attachment]:
    """The files Outlook wrapped in a winmail.dat (TNEF) part; empty when there are none."""
    try:
        files = TNEF(data).attachments
    except Exception:  # tnefparse raises assorted errors on damaged input
        log.info("winmail.dat could not be unpacked", exc_info=True)
        return []
    found = []
    for item in files:
        try:
            name = item.long_filename() or item.name
        except Exception:
            name = ""
        name = re.split(r"[\\/]", str(name).strip("\x00"))[-1].strip() or f"winmail-{len(found) + 1}.bin"
        found.append(Attachment(filename=name, content_type="application/octet-stream",
                                data=bytes(item.data or b"")))
    return found


def _forwarded_messages(part: email.message.Message) -> list[email.message.Message]:
    payload = part.get_payload()
    if not isinstance(payload, list):
        return []
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding not in ("base64", "quoted-printable"):
        return [inner for inner in payload if isinstance(inner, email.message.Message)]
    # Some clients encode the forwarded message (RFC 2046 forbids it); the parser then took the
    # encoded text for a message body. Decode it and parse again.
    text = payload[0].get_payload() if payload else ""
    if not isinstance(text, str):
        return []
    encoded = text.encode("utf-8", "surrogateescape")
    try:
        data = base64.b64decode(encoded) if encoding == "base64" else quopri.decodestring(encoded)
    except binascii.Error:
        return []
    return [BytesParser(policy=READ_POLICY).parsebytes(data)]


def _filename(part: email.message.Message) -> str:
    """The part's file name: RFC 2231 parameters, encoded-words, raw 8-bit, or the Content-Type name=.

    Parameters are read from the header bytes as written, one Latin-1 character per byte, in a
    compat32 view: the default policy decodes RFC 2231 names by their label alone and turns raw
    8-bit names into U+FFFD.
    """
    written = email.message.Message()
    for key, value in part.raw_items():
        if key.lower() in ("content-disposition", "content-type"):
            written[key] = value.encode("utf-8", "surrogateescape").decode("latin-1")
    try:
        name = (written.get_param("filename", header="content-disposition")
                or written.get_param("name", header="content-type") or "")
        if isinstance(name, tuple):  # RFC 2231: (charset, language, the bytes as Latin-1 text)
            charset, _, text = name
            name = decode(str(text).encode("latin-1", "replace"), charset)
        else:
            name = decode_undeclared(name.encode("latin-1", "replace"))
    except Exception:  # junk parameters: no name rather than a crash
        log.debug("unreadable file name parameter", exc_info=True)
        return ""
    name = decode_encoded_words(str(name))
    # Keep just the base name: some clients send a full path, and a name must never climb out of a folder.
    return re.split(r"[\\/]", name)[-1].strip()
