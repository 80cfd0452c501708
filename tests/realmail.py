"""Raw messages as real mail clients and mail platforms write them, for end-to-end tests.

Each builder writes the bytes by hand, in the shape the named client produces: its header set and
order, its MIME tree, its transfer encodings, its way of naming files and of quoting the mail it
answers (Outlook's "________________________________ / Từ: … Đã gửi:" block and ``divRplyFwdMsg``,
Gmail's "Vào … đã viết:" line and ``gmail_quote``). Nothing here goes through the robot's own
``mailer`` code, so a robot that misreads a shape cannot hide it by writing the same shape wrongly.
Every message carries the Return-Path and Received lines the department's server adds on delivery.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import hashlib
import html
import quopri
import urllib.parse
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

ROBOT_ADDRESS = "phongcttt.solongan@moet.edu.vn"
ROBOT_SERVER = "mx.moet.edu.vn"
CRLF = "\r\n"

_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".doc": "application/msword",
    ".pdf": "application/pdf",
    ".zip": "application/x-zip-compressed",
}
_OUTLOOK_DAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
_GMAIL_DAYS = ("Th 2", "Th 3", "Th 4", "Th 5", "Th 6", "Th 7", "CN")


@dataclass(frozen=True)
class Person:
    """A display name and an address, as a From or To header names someone."""

    name: str
    address: str


@dataclass(frozen=True)
class File:
    """An attached file."""

    name: str
    data: bytes

    @property
    def content_type(self) -> str:
        suffix = "." + self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""
        return _TYPES.get(suffix, "application/octet-stream")


@dataclass(frozen=True)
class Original:
    """The mail being answered, as the replying client shows it in its quote block."""

    sender: Person
    to: str
    sent: dt.datetime
    subject: str
    text: str
    message_id: str
    references: tuple[str, ...] = ()

    @classmethod
    def of(cls, message: EmailMessage) -> Original:
        """The quote-block facts of a received message (e.g. the robot's acknowledgement)."""
        name, address = email.utils.parseaddr(str(message["From"]))
        part = message.get_body(("plain",))
        sent = email.utils.parsedate_to_datetime(str(message["Date"]))
        return cls(
            sender=Person(name, address), to=str(message["To"]), sent=sent,
            subject=str(message["Subject"]), text=part.get_content() if part else "",
            message_id=str(message["Message-ID"]).strip(),
            references=tuple(str(message.get("References", "")).split()),
        )

    def chain(self) -> str:
        """The References a reply carries: the original's references, then the original."""
        return " ".join(dict.fromkeys([*self.references, self.message_id]))


# --- encoding helpers ---------------------------------------------------------------------------


def encoded_words(text: str, charset: str = "utf-8", codec: str | None = None) -> str:
    """``text`` as RFC 2047 B-words (ASCII stays as it is), split between characters, folded.

    ``codec`` encodes the bytes when it differs from the label, as clients that label GBK text
    "gb2312" do.
    """
    if text.isascii():
        return text
    words, chunk = [], ""
    for char in text:
        if len(base64.b64encode((chunk + char).encode(codec or charset))) > 75 - len(charset) - 7:
            words.append(chunk)
            chunk = ""
        chunk += char
    words.append(chunk)
    return (CRLF + " ").join(
        f"=?{charset}?B?{base64.b64encode(word.encode(codec or charset)).decode()}?=" for word in words)


def _address(person: Person, charset: str = "utf-8") -> str:
    if not person.name:
        return person.address
    if person.name.isascii():
        return f'"{person.name}" <{person.address}>'
    return f"{encoded_words(person.name, charset)} <{person.address}>"


def _base64_lines(data: bytes) -> bytes:
    encoded = base64.b64encode(data)
    return b"\r\n".join(encoded[i:i + 76] for i in range(0, len(encoded), 76)) + b"\r\n"


def _quoted_printable(data: bytes) -> bytes:
    return quopri.encodestring(data.replace(b"\r\n", b"\n")).replace(b"\n", b"\r\n")


def _date(moment: dt.datetime) -> str:
    return email.utils.format_datetime(moment)


def _token(*parts: object) -> str:
    """A hex token made from ``parts``, for the ids and boundaries of one message."""
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()


@dataclass
class Part:
    """One MIME entity: its headers and its already-encoded body (CRLF line ends)."""

    headers: list[tuple[str, str]]
    body: bytes

    def as_bytes(self) -> bytes:
        head = "".join(f"{name}: {value}{CRLF}" for name, value in self.headers)
        return head.encode("ascii", "surrogateescape") + b"\r\n" + self.body


def leaf(content_type: str, data: bytes, encoding: str, *extra: tuple[str, str]) -> Part:
    """A single-part entity; ``encoding`` is base64, quoted-printable, 7bit or 8bit."""
    if encoding == "base64":
        body = _base64_lines(data)
    elif encoding == "quoted-printable":
        body = _quoted_printable(data)
    else:
        body = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return Part([("Content-Type", content_type), *extra, ("Content-Transfer-Encoding", encoding)], body)


def multipart(subtype: str, boundary: str, parts: Sequence[Part], preamble: bytes = b"") -> Part:
    body = preamble
    for part in parts:
        body += f"--{boundary}\r\n".encode() + part.as_bytes()
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return Part([("Content-Type", f'multipart/{subtype};{CRLF}\tboundary="{boundary}"')], body)


def message(headers: Sequence[tuple[str, str]], root: Part, *, delivered_from: str,
            received: dt.datetime) -> bytes:
    """A whole message as it sits in the mailbox: the delivery lines for the envelope sender
    ``delivered_from``, the client's headers, the body."""
    host = delivered_from.rpartition("@")[2] or "unknown.example"
    delivery = [
        ("Return-Path", f"<{delivered_from}>"),
        ("Received", f"from mail.{host} (mail.{host} [203.162.4.{int(_token(host)[:2], 16) % 250 + 1}]){CRLF}"
                     f"\tby {ROBOT_SERVER} with ESMTPS id {_token(received, host)[:12].upper()}{CRLF}"
                     f"\tfor <{ROBOT_ADDRESS}>; {_date(received)}"),
    ]
    top = Part([*delivery, *headers, *root.headers, ("MIME-Version", "1.0")], root.body)
    return top.as_bytes()


def _text_leaf(text: str, encoding: str) -> Part:
    return leaf('text/plain; charset="utf-8"', text.replace("\n", "\r\n").encode("utf-8"), encoding)


def _html_leaf(markup: str, encoding: str) -> Part:
    return leaf('text/html; charset="utf-8"', markup.replace("\n", "\r\n").encode("utf-8"), encoding)


def _html_lines(text: str) -> str:
    return "<br>\n".join(html.escape(line) for line in text.splitlines())


# --- Outlook (Microsoft 365 / Outlook 2016) ------------------------------------------------------


def outlook_date(moment: dt.datetime) -> str:
    """How Vietnamese Outlook writes "Sent:" in a quote block: "Thứ Sáu, 20 tháng 11, 2026 10:00 SA"."""
    local = moment.astimezone(dt.timezone(dt.timedelta(hours=7)))
    half = "SA" if local.hour < 12 else "CH"
    hour = local.hour % 12 or 12
    return f"{_OUTLOOK_DAYS[local.weekday()]}, {local.day} tháng {local.month}, {local.year} {hour}:{local:%M} {half}"


def _outlook_ids(sender: Person, sent: dt.datetime) -> tuple[str, str]:
    token = _token(sender.address, sent, uuid.uuid4()).upper()
    host = f"SEZPR06MB{int(token[:4], 16) % 9000 + 1000}"
    message_id = f"<{host}{token[:24]}@{host}.apcprd06.prod.outlook.com>"
    # Thread-Index: 6 bytes of FILETIME + a 16-byte GUID for a new conversation.
    thread_index = base64.b64encode(bytes.fromhex(token[:12]) + uuid.UUID(token[8:40]).bytes).decode()
    return message_id, thread_index


def _outlook_attachment(file: File, sent: dt.datetime) -> Part:
    name = encoded_words(file.name)
    stamp = sent.astimezone(dt.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")
    return leaf(
        f'{file.content_type};{CRLF}\tname="{name}"', file.data, "base64",
        ("Content-Description", name),
        ("Content-Disposition", f'attachment;{CRLF}\tfilename="{name}"; size={len(file.data)};{CRLF}'
                                f'\tcreation-date="{stamp}";{CRLF}\tmodification-date="{stamp}"'),
    )


def _outlook_quote_text(original: Original) -> str:
    return (
        "________________________________\n"
        f"Từ: {original.sender.name} <{original.sender.address}>\n"
        f"Đã gửi: {outlook_date(original.sent)}\n"
        f"Đến: {original.to}\n"
        f"Chủ đề: {original.subject}\n\n"
        f"{original.text}"
    )


def _outlook_html(text: str, original: Original | None) -> str:
    quote = ""
    if original is not None:
        quote = (
            '<div id="appendonsend"></div>\n'
            '<hr style="display:inline-block;width:98%" tabindex="-1">\n'
            '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" '
            'color="#000000"><b>Từ:</b> '
            f"{html.escape(original.sender.name)} &lt;{html.escape(original.sender.address)}&gt;<br>\n"
            f"<b>Đã gửi:</b> {outlook_date(original.sent)}<br>\n"
            f"<b>Đến:</b> {html.escape(original.to)}<br>\n"
            f"<b>Chủ đề:</b> {html.escape(original.subject)}</font>\n<div>&nbsp;</div>\n</div>\n"
            '<div class="BodyFragment"><font size="2"><span style="font-size:11pt;">\n'
            f'<div class="PlainText">{_html_lines(original.text)}</div>\n</span></font></div>\n'
        )
    paragraphs = "\n".join(
        '<div class="elementToProof" style="font-family: Calibri, Arial, Helvetica, sans-serif; '
        f'font-size: 12pt; color: rgb(0, 0, 0);">{html.escape(line) or "<br>"}</div>'
        for line in text.splitlines())
    return (
        "<html>\n<head>\n"
        '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
        '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>\n'
        f'</head>\n<body dir="ltr">\n{paragraphs}\n{quote}</body>\n</html>\n'
    )


def outlook(sender: Person, subject: str, text: str, *, sent: dt.datetime, files: Sequence[File] = (),
            html_body: bool = True, to: str = ROBOT_ADDRESS, original: Original | None = None,
            extra_headers: Sequence[tuple[str, str]] = (), envelope_from: str | None = None) -> bytes:
    """A mail from Outlook for Microsoft 365 / Outlook 2016 (HTML with its plain alternative,
    or plain text only), answering ``original`` when given, in Vietnamese Outlook's words.
    ``envelope_from`` is the bounce address when a relay (a list) delivered it."""
    message_id, thread_index = _outlook_ids(sender, sent)
    plain = text if original is None else f"{text}\n\n{_outlook_quote_text(original)}"
    if html_body:
        boundary = f"_000_{message_id[1:30]}_"
        body = multipart("alternative", boundary, [_text_leaf(plain, "base64"),
                                                   _html_leaf(_outlook_html(text, original), "base64")])
    else:
        body = _text_leaf(plain, "base64")
    if files:
        parts = [body, *(_outlook_attachment(f, sent) for f in files)]
        body = multipart("mixed", f"_004_{message_id[1:30]}_", parts)
    headers = [
        ("From", _address(sender)),
        ("To", f'"{to}" <{to}>'),
        ("Subject", encoded_words(subject)),
        ("Thread-Topic", encoded_words(subject.removeprefix("RE: "))),
        ("Thread-Index", thread_index),
        ("Date", _date(sent.astimezone(dt.timezone.utc))),
        ("Message-ID", message_id),
    ]
    if original is not None:
        headers += [("References", original.chain()), ("In-Reply-To", original.message_id)]
    headers += [
        ("Accept-Language", "vi-VN, en-US"),
        ("Content-Language", "vi-VN"),
        ("X-MS-Has-Attach", "yes" if files else ""),
        ("X-MS-TNEF-Correlator", ""),
        *extra_headers,
    ]
    return message(headers, body, delivered_from=envelope_from or sender.address, received=sent)


def outlook_reply(sender: Person, text: str, original: Original, *, sent: dt.datetime,
                  files: Sequence[File] = (), html_body: bool = True) -> bytes:
    """Outlook's "Trả lời" to ``original``: "RE: " subject, the quote block under the new text."""
    subject = original.subject if original.subject.upper().startswith("RE:") else f"RE: {original.subject}"
    return outlook(sender, subject, text, sent=sent, files=files, html_body=html_body,
                   to=original.sender.address, original=original)


# --- Gmail (also Google Workspace on a school's own domain) --------------------------------------


def gmail_attribution(original: Original) -> str:
    """Vietnamese Gmail's line above a quote: "Vào Th 6, 20 thg 11, 2026 lúc 10:00 Tên <a@b> đã viết:"."""
    local = original.sent.astimezone(dt.timezone(dt.timedelta(hours=7)))
    return (f"Vào {_GMAIL_DAYS[local.weekday()]}, {local.day} thg {local.month}, {local.year} lúc "
            f"{local:%H:%M} {original.sender.name} <{original.sender.address}> đã viết:")


def _gmail_ids(sender: Person, sent: dt.datetime) -> tuple[str, str]:
    token = _token(sender.address, sent, uuid.uuid4())
    raw = base64.b64encode(bytes.fromhex(token)).decode().replace("/", "_").rstrip("=")
    return f"<CA+{raw}{token[:6]}@mail.gmail.com>", f"000000000000{token[:16]}"


def _gmail_html(text: str, original: Original | None) -> str:
    own = "".join(f"<div>{html.escape(line) or '<br>'}</div>" for line in text.splitlines())
    markup = f'<div dir="ltr">{own}</div>'
    if original is not None:
        attribution = html.escape(gmail_attribution(original)).replace(
            html.escape(f"<{original.sender.address}>"),
            f'&lt;<a href="mailto:{original.sender.address}">{original.sender.address}</a>&gt;')
        markup += (
            '<br><div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">'
            f"{attribution}<br></div>"
            '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid '
            f'rgb(204,204,204);padding-left:1ex">{_html_lines(original.text)}</blockquote></div>'
        )
    return markup + "\n"


def gmail(sender: Person, subject: str, text: str, *, sent: dt.datetime, files: Sequence[File] = (),
          html_body: bool = True, to: Person = Person("", ROBOT_ADDRESS),
          original: Original | None = None) -> bytes:
    """A mail from Gmail: multipart/alternative (or plain text mode), quoted-printable, files after."""
    message_id, boundary = _gmail_ids(sender, sent)
    plain = text
    if original is not None:
        quoted = "\n".join(f"> {line}" if line else ">" for line in original.text.splitlines())
        plain = f"{text}\n\n{gmail_attribution(original)}\n\n{quoted}\n"
    if html_body:
        body = multipart("alternative", boundary + "a1", [
            _text_leaf(plain, "quoted-printable"), _html_leaf(_gmail_html(text, original), "quoted-printable")])
    else:
        body = _text_leaf(plain, "quoted-printable")
    if files:
        attachments = []
        for index, file in enumerate(files):
            name = encoded_words(file.name, "UTF-8")
            attachments.append(leaf(
                f'{file.content_type}; {CRLF}\tname="{name}"', file.data, "base64",
                ("Content-Disposition", f'attachment; {CRLF}\tfilename="{name}"'),
                ("Content-ID", f"<f_m{_token(file.name)[:8]}{index}>"),
                ("X-Attachment-Id", f"f_m{_token(file.name)[:8]}{index}"),
            ))
        body = multipart("mixed", boundary + "b2", [body, *attachments])
    headers: list[tuple[str, str]] = []
    if original is not None:
        headers += [("References", original.chain()), ("In-Reply-To", original.message_id)]
    headers += [
        ("From", _address(sender, "UTF-8")),
        ("Date", _date(sent.astimezone(dt.timezone(dt.timedelta(hours=7))))),
        ("Message-ID", message_id),
        ("Subject", encoded_words(subject, "UTF-8")),
        ("To", _address(to, "UTF-8")),
    ]
    return message(headers, body, delivered_from=sender.address, received=sent)


def gmail_reply(sender: Person, text: str, original: Original, *, sent: dt.datetime,
                files: Sequence[File] = (), html_body: bool = True) -> bytes:
    """Gmail's "Trả lời": "Re: " subject, the attribution line and the quote under the new text."""
    subject = original.subject if original.subject.lower().startswith("re:") else f"Re: {original.subject}"
    return gmail(sender, subject, text, sent=sent, files=files, html_body=html_body,
                 to=original.sender, original=original)


# --- other clients ---------------------------------------------------------------------------


def apple_mail(sender: Person, subject: str, text: str, *, sent: dt.datetime,
               files: Sequence[File] = ()) -> bytes:
    """A mail from Apple Mail on macOS: text as typed (macOS file names are decomposed, NFD),
    file names as RFC 2231 parameters."""
    token = _token(sender.address, sent, uuid.uuid4()).upper()
    boundary = f"Apple-Mail={token[:8]}-{token[8:12]}-{token[12:16]}-{token[16:20]}-{token[20:32]}"
    parts = [leaf('text/plain;\r\n\tcharset=utf-8', text.encode("utf-8"), "quoted-printable")]
    for file in files:
        quoted = urllib.parse.quote(file.name, safe="")
        parts.append(leaf(
            f"{file.content_type};{CRLF}\tname*=utf-8''{quoted}", file.data, "base64",
            ("Content-Disposition", f"attachment;{CRLF}\tfilename*=utf-8''{quoted}"),
        ))
    body = multipart("mixed", boundary, parts) if files else parts[0]
    headers = [
        ("From", _address(sender)),
        ("Subject", encoded_words(subject)),
        ("Message-Id", f"<{token[:8]}-{token[8:12]}-{token[12:16]}-{token[16:20]}-{token[20:32]}@"
                       f"{sender.address.rpartition('@')[2]}>"),
        ("Date", _date(sent.astimezone(dt.timezone(dt.timedelta(hours=7))))),
        ("To", ROBOT_ADDRESS),
        ("X-Mailer", "Apple Mail (2.3826.400.131.1.6)"),
    ]
    return message(headers, body, delivered_from=sender.address, received=sent)


def foxmail(sender: Person, subject: str, text: str, *, sent: dt.datetime, files: Sequence[File] = ()) -> bytes:
    """A mail from Foxmail on a Chinese-locale Windows: subject and body labelled gb2312 though
    written in GBK, its superset (what Chinese clients commonly do)."""
    token = _token(sender.address, sent, uuid.uuid4())
    boundary = f"----=_NextPart_{token[:12].upper()}_{token[12:20].upper()}"
    label = "gb2312"
    parts = [leaf(f'text/plain;{CRLF}\tcharset="{label}"', text.replace("\n", "\r\n").encode("gbk"), "base64")]
    for file in files:
        try:
            name = encoded_words(file.name, label, codec="gbk")
        except UnicodeEncodeError:  # a Vietnamese file name: Foxmail falls back to UTF-8
            name = encoded_words(file.name)
        parts.append(leaf(f'{file.content_type};{CRLF}\tname="{name}"', file.data, "base64",
                          ("Content-Disposition", f'attachment;{CRLF}\tfilename="{name}"')))
    headers = [
        ("Date", sent.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%a, %d %b %Y %H:%M:%S +0700")),
        ("From", f"{encoded_words(sender.name, label, codec='gbk')} <{sender.address}>"),
        ("To", f'"{ROBOT_ADDRESS}" <{ROBOT_ADDRESS}>'),
        ("Subject", encoded_words(subject, label, codec="gbk")),
        ("X-Priority", "3"),
        ("X-GUID", str(uuid.UUID(token[:32])).upper()),
        ("X-Has-Attach", "yes" if files else "no"),
        ("X-Mailer", "Foxmail 7.2.25.375[cn]"),
        ("Message-ID", f"<{sent:%Y%m%d%H%M%S}{int(token[:6], 16) % 10**6:06d}@{sender.address.rpartition('@')[2]}>"),
    ]
    return message(headers, multipart("mixed", boundary, parts, b"This is a multi-part message in MIME format.\r\n\r\n"),
                   delivered_from=sender.address, received=sent)


def legacy_8bit(sender: Person, subject: str, text: str, *, sent: dt.datetime, charset: str = "iso-8859-1",
                files: Sequence[File] = ()) -> bytes:
    """A mail from an old webmail (SquirrelMail 1.4) on a Western-locale server: the subject goes
    out as raw 8-bit bytes in ``charset`` with no label at all; only the body declares it."""
    token = _token(sender.address, sent, uuid.uuid4())
    boundary = f"----=_{token[:20]}"
    parts = [leaf(f"text/plain;charset={charset}", text.encode(charset), "8bit")]
    for file in files:
        name = _raw_8bit(file.name, charset)
        parts.append(leaf(f'{file.content_type}; name="{name}"', file.data, "base64",
                          ("Content-Disposition", f'attachment; filename="{name}"')))
    headers = [
        ("Message-ID", f"<{token[:16]}.{token[16:24]}@webmail.{sender.address.rpartition('@')[2]}>"),
        ("Date", sent.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%a, %d %b %Y %H:%M:%S +0700")),
        ("Subject", _raw_8bit(subject, charset)),
        ("From", sender.address),
        ("To", ROBOT_ADDRESS),
        ("User-Agent", "SquirrelMail/1.4.22"),
        ("X-Priority", "3 (Normal)"),
        ("Importance", "Normal"),
    ]
    return message(headers, multipart("mixed", boundary, parts), delivered_from=sender.address, received=sent)


def _raw_8bit(text: str, charset: str) -> str:
    """Text whose bytes in ``charset`` go into a header unencoded (kept as surrogates until written)."""
    return text.encode(charset).decode("ascii", "surrogateescape")


# --- lists and platforms ---------------------------------------------------------------------


def mailman2_digest(list_name: str, domain: str, posts: Sequence[tuple[Person, str, str]], *,
                    sent: dt.datetime, volume: int = 12, issue: int = 3) -> bytes:
    """A Mailman 2.1 MIME digest: From ``<list>-request@``, ``X-Mailman-Version``, no List-Id."""
    title = list_name.capitalize()
    posting = f"{list_name}@{domain}"
    boundary = f"==============={int(_token(posting, sent)[:12], 16)}=="
    masthead = (
        f"Send {title} mailing list submissions to\n\t{posting}\n\n"
        "To subscribe or unsubscribe via the World Wide Web, visit\n"
        f"\thttps://{domain}/mailman/listinfo/{list_name}\n"
        "or, via email, send a message with subject or body 'help' to\n"
        f"\t{list_name}-request@{domain}\n\n"
        "You can reach the person managing the list at\n"
        f"\t{list_name}-owner@{domain}\n\n"
        f'When replying, please edit your Subject line so it is more specific\nthan "Re: Contents of {title} digest..."\n'
    )
    topics = "Today's Topics:\n\n" + "".join(
        f"   {i}. {subject} ({person.name})\n" for i, (person, subject, _) in enumerate(posts, 1))
    inner = []
    for i, (person, subject, text) in enumerate(posts):
        posted = sent - dt.timedelta(hours=len(posts) - i)
        post = Part([
            ("Date", _date(posted)), ("From", _address(person)), ("To", posting),
            ("Subject", encoded_words(subject)),
            ("Message-ID", f"<{_token(subject, i)[:20]}@{person.address.rpartition('@')[2]}>"),
            ("Content-Type", 'text/plain; charset="utf-8"'), ("Content-Transfer-Encoding", "8bit"),
            ("MIME-Version", "1.0"),
        ], text.replace("\n", "\r\n").encode("utf-8"))
        inner.append(Part([("Content-Type", "message/rfc822")], post.as_bytes()))
    parts = [
        leaf('text/plain; charset="us-ascii"', masthead.encode(), "7bit",
             ("Content-Description", f"{title} Digest, Vol {volume}, Issue {issue}")),
        leaf('text/plain; charset="utf-8"', topics.encode("utf-8"), "8bit", ("Content-Description", "Today's Topics")),
        multipart("digest", boundary + "1", inner),
        leaf('text/plain; charset="us-ascii"', (
            f"_______________________________________________\n{title} mailing list\n{posting}\n"
            f"https://{domain}/mailman/listinfo/{list_name}\n").encode(), "7bit",
            ("Content-Description", "Digest Footer")),
    ]
    headers = [
        ("From", f"{list_name}-request@{domain}"),
        ("Subject", f"{title} Digest, Vol {volume}, Issue {issue}"),
        ("To", posting),
        ("Reply-To", posting),
        ("Date", _date(sent)),
        ("Message-ID", f"<mailman.{issue}.{int(sent.timestamp())}.{volume}.{posting}>"),
        ("X-BeenThere", posting),
        ("X-Mailman-Version", "2.1.29"),
    ]
    return message(headers, multipart("mixed", boundary, parts), delivered_from=f"{list_name}-bounces@{domain}",
                   received=sent)


def ezmlm_post(list_address: str, poster: Person, subject: str, text: str, *, sent: dt.datetime) -> bytes:
    """A post a list server relays with the poster's From kept, marked only by ``Mailing-List``
    and ``List-Subscribe`` (old ezmlm and Yahoo-Groups-style servers)."""
    local, _, domain = list_address.partition("@")
    headers = [
        ("Mailing-List", f"contact {local}-help@{domain}; run by ezmlm"),
        ("List-Subscribe", f"<mailto:{local}-subscribe@{domain}>"),
        ("Delivered-To", f"mailing list {list_address}"),
        ("From", _address(poster)),
        ("To", list_address),
        ("Subject", encoded_words(f"[{local}] {subject}")),
        ("Date", _date(sent)),
        ("Message-ID", f"<{_token(poster.address, sent)[:24]}@{poster.address.rpartition('@')[2]}>"),
    ]
    return message(headers, _text_leaf(text, "quoted-printable"), delivered_from=f"{local}-return-417@{domain}",
                   received=sent)


def mailman3_relay(list_address: str, poster: Person, subject: str, text: str, *, sent: dt.datetime,
                   files: Sequence[File] = ()) -> bytes:
    """A poster's Outlook mail as a Mailman 3 list delivers it: From kept, List-* headers,
    Precedence: list, the list's bounce address as Sender and Return-Path."""
    local, _, domain = list_address.partition("@")
    list_headers = [
        ("X-Mailman-Version", "3.3.9"),
        ("Precedence", "list"),
        ("List-Id", f"<{local}.{domain}>"),
        ("List-Archive", f"<https://{domain}/archives/list/{list_address}/>"),
        ("List-Help", f"<mailto:{local}-request@{domain}?subject=help>"),
        ("List-Post", f"<mailto:{list_address}>"),
        ("List-Subscribe", f"<mailto:{local}-join@{domain}>"),
        ("List-Unsubscribe", f"<mailto:{local}-leave@{domain}>"),
        ("Sender", f"{local}-bounces@{domain}"),
    ]
    return outlook(poster, subject, text, sent=sent, files=files, to=list_address,
                   extra_headers=list_headers, envelope_from=f"{local}-bounces@{domain}")


def platform_notice(sender: Person, subject: str, markup: str, *, sent: dt.datetime) -> bytes:
    """A notification from a government e-office platform's ``no-reply@`` address (HTML only)."""
    headers = [
        ("Date", _date(sent)),
        ("From", _address(sender)),
        ("To", ROBOT_ADDRESS),
        ("Message-ID", f"<{_token(sender.address, sent)[:32]}@{sender.address.rpartition('@')[2]}>"),
        ("Subject", encoded_words(subject)),
        ("X-Mailer", "PHPMailer 6.8.1 (https://github.com/PHPMailer/PHPMailer)"),
    ]
    return message(headers, _html_leaf(markup, "base64"), delivered_from=sender.address, received=sent)


def google_calendar_invitation(organizer: Person, title: str, start: dt.datetime, end: dt.datetime, *,
                               sent: dt.datetime, location: str, description: str) -> bytes:
    """A Google Calendar invitation (Vietnamese UI): text, HTML and text/calendar METHOD:REQUEST,
    plus invite.ics; sent by calendar-notification@google.com on the organiser's behalf."""
    uid = f"{_token(title, start)[:26]}@google.com"
    when = f"{_GMAIL_DAYS[start.weekday()]} {start.day} thg {start.month}, {start.year} {start:%H:%M} - {end:%H:%M} (GMT+07:00)"
    stamp = "%Y%m%dT%H%M%SZ"
    ics = "\r\n".join([
        "BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0",
        "CALSCALE:GREGORIAN", "METHOD:REQUEST", "BEGIN:VEVENT",
        f"DTSTART:{start.astimezone(dt.timezone.utc):{stamp}}", f"DTEND:{end.astimezone(dt.timezone.utc):{stamp}}",
        f"DTSTAMP:{sent.astimezone(dt.timezone.utc):{stamp}}",
        f"ORGANIZER;CN={organizer.name}:mailto:{organizer.address}", f"UID:{uid}",
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;"
        f"CN={ROBOT_ADDRESS};X-NUM-GUESTS=0:mailto:{ROBOT_ADDRESS}",
        f"DESCRIPTION:{description}", f"LOCATION:{location}", "SEQUENCE:0", "STATUS:CONFIRMED",
        f"SUMMARY:{title}", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR", "",
    ]).encode("utf-8")
    text = (f"{organizer.name} đã mời bạn tham gia một sự kiện\n\n{title}\n{when}\n{location}\n\n"
            f"{description}\n\nLời mời từ Google Lịch\n")
    markup = (f'<div style="font-family:Roboto,sans-serif"><h2>{html.escape(title)}</h2>'
              f"<p>{html.escape(when)}</p><p>{html.escape(location)}</p><p>{html.escape(description)}</p>"
              "<p>Lời mời từ Google Lịch</p></div>\n")
    token = _token(uid)
    alternative = multipart("alternative", f"000000000000{token[:12]}", [
        _text_leaf(text, "base64"), _html_leaf(markup, "quoted-printable"),
        leaf('text/calendar; charset="UTF-8"; method=REQUEST', ics, "7bit"),
    ])
    attachment = leaf('application/ics; name="invite.ics"', ics, "base64",
                      ("Content-Disposition", 'attachment; filename="invite.ics"'))
    headers = [
        ("Reply-To", _address(organizer, "UTF-8")),
        ("Sender", "Google Calendar <calendar-notification@google.com>"),
        ("Message-ID", f"<calendar-{uuid.UUID(token[:32])}@google.com>"),
        ("Date", _date(sent)),
        ("Subject", encoded_words(f"Lời mời: {title} @ {when} ({ROBOT_ADDRESS})", "UTF-8")),
        ("From", _address(organizer, "UTF-8")),
        ("To", ROBOT_ADDRESS),
    ]
    return message(headers, multipart("mixed", f"000000000000{token[12:24]}", [alternative, attachment]),
                   delivered_from=organizer.address, received=sent)


def spamassassin_flagged(sender: Person, subject: str, markup: str, *, sent: dt.datetime,
                         score: float = 8.4) -> bytes:
    """A phishing mail as the department's gateway delivers it after SpamAssassin marked it."""
    headers = [
        ("X-Spam-Checker-Version", f"SpamAssassin 3.4.6 (2021-04-09) on {ROBOT_SERVER}"),
        ("X-Spam-Flag", "YES"),
        ("X-Spam-Level", "*" * int(score)),
        ("X-Spam-Status", f"Yes, score={score} required=5.0 tests=FREEMAIL_FORGED_REPLYTO,{CRLF}"
                          "\tHTML_MESSAGE,MIME_HTML_ONLY,RDNS_NONE,SPF_SOFTFAIL,URIBL_ABUSE_SURBL autolearn=no"),
        ("From", _address(sender)),
        ("Reply-To", "hotro.baocao.moet@gmail.com"),
        ("To", ROBOT_ADDRESS),
        ("Subject", encoded_words(subject)),
        ("Date", _date(sent)),
        ("Message-ID", f"<{_token(sender.address, sent)[:20]}@{sender.address.rpartition('@')[2]}>"),
    ]
    return message(headers, _html_leaf(markup, "base64"), delivered_from=sender.address, received=sent)
