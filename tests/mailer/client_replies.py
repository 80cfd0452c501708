"""Replies to the robot's acknowledgement as real mail clients write them, quote blocks and all.

Each builder returns the raw bytes a client puts on the wire when a school answers the robot's
acknowledgement (which lists the figures the robot read): Outlook desktop, Outlook on the web in
Vietnamese, Gmail in Vietnamese and English, Thunderbird, Apple Mail on iPhone, Yahoo, Zimbra and
mutt. The MIME shapes (boundaries, transfer encodings, Outlook's Thread-Index and X-MS-Has-Attach,
Gmail's gmail_quote, Apple's blockquote type=cite, Yahoo's yahoo_quoted, Zimbra's zwchr) follow
mail those clients sent. `own` is what the school typed; its lines become the client's paragraphs.
"""

from __future__ import annotations

import base64
import html
import quopri
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr


@dataclass(frozen=True)
class Ack:
    """The robot's acknowledgement being answered."""

    from_name: str = "Phòng CTTT - Sở GD&ĐT Long An"
    from_addr: str = "phongcttt.solongan@moet.edu.vn"
    to_name: str = "Trường THPT Cần Giuộc"
    to_addr: str = "thpt.cangiuoc@longan.edu.vn"
    subject: str = "Xác nhận đã nhận Báo cáo năm 2026"
    message_id: str = "<176449872041.3121.8842@moet.edu.vn>"
    body: str = (
        "Kính gửi Trường THPT Cần Giuộc,\n\n"
        "Hệ thống đã nhận Báo cáo năm 2026 của đơn vị (tệp “BC PCMD 2026 - THPT Can Giuoc.xlsx”), "
        "thư đến lúc 30/11/2026 09:11.\n"
        "Báo cáo được ghi nhận ĐÚNG HẠN (hạn chót: trước ngày 01/12/2026).\n\n"
        "Số liệu hệ thống đã đọc được từ báo cáo — xin đơn vị kiểm tra lại:\n"
        "  01 — Đơn vị đã ban hành kế hoạch thực hiện Chương trình phòng, chống mại dâm: Có\n"
        "  03 — Số hình thức tuyên truyền về phòng, chống mại dâm đã tổ chức: 4\n"
        "  04 — Số buổi (hoạt động) tuyên truyền, giáo dục đã tổ chức: 12\n"
        "  05 — Số học sinh, sinh viên được tuyên truyền: 1.250\n"
        "  06 — Tổng số học sinh, sinh viên của đơn vị: 1.312\n"
        "  07 — Số lượt cán bộ, công chức, viên chức, nhân viên được tuyên truyền: 86\n\n"
        "Nếu có số liệu đọc chưa đúng, xin gửi lại báo cáo đã sửa; bản gửi sau sẽ thay thế bản trước.\n\n"
        "--\n"
        "Đây là thư trả lời tự động của hệ thống tiếp nhận báo cáo tại phongcttt.solongan@moet.edu.vn.\n"
    )


ACK = Ack()
SCHOOL = ("Nguyễn Thị Lan", "lan.nt@thptcangiuoc.edu.vn")
# Every figure the acknowledgement lists: none of them may come back as the sender's own text.
ACK_FIGURES = ("1.250", "1.312", "86", "12")
PLAIN = 'text/plain; charset="utf-8"'
HTML = 'text/html; charset="utf-8"'


def outlook_desktop_reply(own: str, ack: Ack = ACK) -> bytes:
    """Outlook for Microsoft 365 (Windows, English UI): Word HTML with the border-top header div."""
    boundary = "_000_SEZPR04MB68267F3A1C9E4B2D8A5F0C7E3B9D1A64SEZPR04MB6826apcp_"
    plain = (f"{own}\n\nFrom: {ack.from_name} <{ack.from_addr}>\n"
             "Sent: Monday, November 30, 2026 9:12 AM\n"
             f"To: {ack.to_name} <{ack.to_addr}>\nSubject: {ack.subject}\n\n{ack.body}")
    paragraphs = "".join(f'<p class="MsoNormal">{_h(line)}<o:p></o:p></p>\n' for line in own.split("\n"))
    quoted = "".join(f'<p class="MsoNormal">{_h(line) or "&nbsp;"}<o:p></o:p></p>\n' for line in ack.body.split("\n"))
    body = (
        '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">\n'
        '<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
        '<meta name="Generator" content="Microsoft Word 15 (filtered medium)">\n'
        "<style><!--\n@font-face\n\t{font-family:Aptos;}\np.MsoNormal, li.MsoNormal, div.MsoNormal\n"
        "\t{margin:0in;\n\tfont-size:12.0pt;\n\tfont-family:\"Aptos\",sans-serif;}\n--></style>\n</head>\n"
        '<body lang="EN-US" link="#467886" vlink="#96607D" style="word-wrap:break-word">\n'
        '<div class="WordSection1">\n' + paragraphs
        + '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n'
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in">\n'
        f'<p class="MsoNormal"><b>From:</b> {_h(ack.from_name)} &lt;{ack.from_addr}&gt; <br>\n'
        "<b>Sent:</b> Monday, November 30, 2026 9:12 AM<br>\n"
        f"<b>To:</b> {_h(ack.to_name)} &lt;{ack.to_addr}&gt;<br>\n"
        f"<b>Subject:</b> {_h(ack.subject)}<o:p></o:p></p>\n</div>\n"
        '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>\n' + quoted + "</div>\n</body>\n</html>\n")
    headers = _outlook_headers(ack, f"RE: {ack.subject}", boundary, "en-US")
    return _message(headers, boundary, (PLAIN, plain, "base64"), (HTML, body, "base64"))


def outlook_web_reply(own: str, ack: Ack = ACK) -> bytes:
    """Outlook on the web / new Outlook, Vietnamese UI: "TL:", divRplyFwdMsg, appendonsend."""
    boundary = "_000_TYZPR03MB71458E2B6D0F4A9C3E1B7D5A2F8C6E40TYZPR03MB7145apcp_"
    plain = (f"{own}\n\n________________________________\n"
             f"Từ: {ack.from_name} <{ack.from_addr}>\n"
             "Đã gửi: Thứ Hai, ngày 30 tháng 11 năm 2026 09:12\n"
             f"Đến: {ack.to_name} <{ack.to_addr}>\nChủ đề: {ack.subject}\n\n{ack.body}")
    own_html = "".join(
        '<div class="elementToProof" style="font-family: Aptos, Aptos_EmbeddedFont, Aptos_MSFontService, '
        f'Calibri, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">{_h(line) or "<br>"}</div>\n'
        for line in own.split("\n"))
    body = (
        '<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
        '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>\n'
        '</head>\n<body dir="ltr">\n' + own_html
        + '<div id="appendonsend"></div>\n'
        '<hr style="display:inline-block;width:98%" tabindex="-1">\n'
        '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" '
        f'color="#000000"><b>Từ:</b> {_h(ack.from_name)} &lt;{ack.from_addr}&gt;<br>\n'
        "<b>Đã gửi:</b> Thứ Hai, ngày 30 tháng 11 năm 2026 09:12<br>\n"
        f"<b>Đến:</b> {_h(ack.to_name)} &lt;{ack.to_addr}&gt;<br>\n"
        f"<b>Chủ đề:</b> {_h(ack.subject)}</font>\n<div>&nbsp;</div>\n</div>\n"
        '<div class="BodyFragment"><font size="2"><span style="font-size:11pt;">\n'
        f'<div class="PlainText">{_br(ack.body)}</div>\n</span></font></div>\n</body>\n</html>\n')
    headers = _outlook_headers(ack, f"TL: {ack.subject}", boundary, "vi-VN")
    return _message(headers, boundary, (PLAIN, plain, "base64"), (HTML, body, "base64"))


def gmail_reply_vi(own: str, ack: Ack = ACK) -> bytes:
    """Gmail, Vietnamese UI: "Vào … lúc … đã viết:" wrapped in the plain part, gmail_quote in HTML."""
    attribution = (f"Vào Th 2, 30 thg 11, 2026 lúc 09:12 {ack.from_name} <\n{ack.from_addr}> đã viết:")
    html_attribution = (f"Vào Th 2, 30 thg 11, 2026 lúc 09:12 {_h(ack.from_name)} &lt;<a "
                        f'href="mailto:{ack.from_addr}">{ack.from_addr}</a>&gt; đã viết:')
    return _gmail(own, ack, attribution, html_attribution)


def gmail_reply_en(own: str, ack: Ack = ACK) -> bytes:
    """Gmail, English UI: "On Mon, Nov 30, 2026 at 9:12 AM … wrote:" wrapped over two lines."""
    attribution = f"On Mon, Nov 30, 2026 at 9:12 AM {ack.from_name} <\n{ack.from_addr}> wrote:"
    html_attribution = (f"On Mon, Nov 30, 2026 at 9:12 AM {_h(ack.from_name)} &lt;<a "
                        f'href="mailto:{ack.from_addr}">{ack.from_addr}</a>&gt; wrote:')
    return _gmail(own, ack, attribution, html_attribution)


def thunderbird_reply(own: str, ack: Ack = ACK) -> bytes:
    """Thunderbird 128, Vietnamese UI, reply below the quote, with a "-- " signature."""
    boundary = "------------8kVb3Qw0rT1mXcZyH7pLd2Ne"
    signature = "Nguyễn Thị Lan\nVăn thư Trường THPT Cần Giuộc"
    quoted = "\n".join(f"> {line}".rstrip() for line in ack.body.split("\n"))
    plain = (f"Vào 30/11/2026 09:12, {ack.from_name} đã viết:\n{quoted}\n\n{own}\n\n-- \n{signature}\n")
    body = (
        '<!DOCTYPE html>\n<html>\n  <head>\n    <meta http-equiv="Content-Type" content="text/html; '
        'charset=UTF-8">\n  </head>\n  <body>\n    <div class="moz-cite-prefix">Vào 30/11/2026 09:12, '
        f'{_h(ack.from_name)} đã viết:<br>\n    </div>\n    <blockquote type="cite" '
        f'cite="mid:{ack.message_id.strip("<>")}">\n      <pre class="moz-quote-pre" wrap="">{_h(ack.body)}</pre>\n'
        f"    </blockquote>\n    <p>{_br(own)}</p>\n"
        f'    <pre class="moz-signature" cols="72">-- \n{_h(signature)}</pre>\n  </body>\n</html>\n')
    headers = (
        f"Message-ID: <9f3c1a2e-5b7d-4e8a-b6c4-2d1f0e9a8b7c@thptcangiuoc.edu.vn>\r\n"
        "Date: Mon, 30 Nov 2026 10:02:17 +0700\r\nMIME-Version: 1.0\r\n"
        "User-Agent: Mozilla Thunderbird\r\n"
        f"Subject: {_word('Re: ' + ack.subject)}\r\n"
        f"To: {_address(ack.from_name, ack.from_addr)}\r\n"
        f"References: {ack.message_id}\r\nIn-Reply-To: {ack.message_id}\r\nContent-Language: vi\r\n"
        f"From: {_address(*SCHOOL)}\r\n"
        f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"\r\n')
    return _message(headers, boundary, ("text/plain; charset=UTF-8; format=flowed", plain, "8bit"),
                    ("text/html; charset=UTF-8", body, "8bit"),
                    preamble="This is a multi-part message in MIME format.")


def apple_mail_reply(own: str, ack: Ack = ACK) -> bytes:
    """Mail on iPhone, Vietnamese UI: the attribution inside the quote, "Gửi từ iPhone của tôi"."""
    boundary = "Apple-Mail-5E0F3A7D-9B14-4C2E-8D61-B3A9F7C20E58"
    attribution = f"Vào 09:12, ngày 30 thg 11, 2026, {ack.from_name} <{ack.from_addr}> đã viết:"
    quoted = "\n".join(f"> {line}".rstrip() for line in [attribution, "", *ack.body.split("\n")])
    plain = f"{own}\n\nGửi từ iPhone của tôi\n\n{quoted}\n"
    body = (
        '<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head>'
        f'<body dir="auto"><div dir="ltr">{_br(own)}</div><div dir="ltr"><br></div>'
        '<div dir="ltr">Gửi từ iPhone của tôi</div><div dir="ltr"><br><blockquote type="cite">'
        f"{_h(attribution)}<br><br></blockquote></div><blockquote type=\"cite\"><div dir=\"ltr\">"
        f"{_br(ack.body)}</div></blockquote></body></html>")
    headers = (
        "Content-Type: multipart/alternative;\r\n"
        f"\tboundary={boundary}\r\nContent-Transfer-Encoding: 7bit\r\n"
        "Mime-Version: 1.0 (1.0)\r\n"
        f"Subject: {_word('Re: ' + ack.subject)}\r\n"
        f"From: {_address(*SCHOOL)}\r\n"
        f"In-Reply-To: {ack.message_id}\r\n"
        "Date: Mon, 30 Nov 2026 10:05:44 +0700\r\n"
        f"To: {_address(ack.from_name, ack.from_addr)}\r\n"
        "Message-Id: <3B9D1A64-7F3A-4C9E-B2D8-A5F0C7E3B9D1@thptcangiuoc.edu.vn>\r\n"
        "X-Mailer: iPhone Mail (22B91)\r\n")
    return _message(headers, boundary, (PLAIN, plain, "quoted-printable"), (HTML, body, "quoted-printable"))


def yahoo_reply(own: str, ack: Ack = ACK) -> bytes:
    """Yahoo Mail web: an indented, unmarked "On Monday, … wrote:" in plain, yahoo_quoted in HTML."""
    boundary = "----=_Part_4127733_1953817248.1764471765112"
    attribution = (f"On Monday, November 30, 2026 at 09:12:40 AM GMT+7, {ack.from_name} "
                   f"<{ack.from_addr}> wrote:")
    quoted = "\n".join(f" {line}" for line in ack.body.split("\n"))
    plain = f"{own}\n\n    {attribution}  \n \n{quoted}\n"
    body = (
        '<html><head></head><body><div class="ydp6f1c2a3byahoo-style-wrap" style="font-family:Helvetica '
        f'Neue, Helvetica, Arial, sans-serif;font-size:13px;"><div dir="ltr" data-setdir="false">{_br(own)}'
        '</div></div><div id="ydp2c0a9b1eyahoo_quoted_8421573390" class="ydp2c0a9b1eyahoo_quoted">'
        "<div style=\"font-family:'Helvetica Neue', Helvetica, Arial, sans-serif;font-size:13px;"
        f'color:#26282a;"><div>{_h(attribution)}</div><div><br></div><div><br></div><div>'
        f'<div id="yiv3397486125"><div>{_br(ack.body)}</div></div></div></div></div></body></html>')
    headers = (
        f"Date: Mon, 30 Nov 2026 03:02:45 +0000 (UTC)\r\nFrom: {_address(*SCHOOL)}\r\n"
        f"To: {_address(ack.from_name, ack.from_addr)}\r\n"
        "Message-ID: <1442270537.4127734.1764471765113@mail.yahoo.com>\r\n"
        f"In-Reply-To: {ack.message_id}\r\nReferences: {ack.message_id}\r\n"
        f"Subject: {_word('Re: ' + ack.subject)}\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/alternative; \r\n\tboundary="{boundary}"\r\n'
        "X-Mailer: WebService/1.1.23901 YMailNorrin\r\n")
    return _message(headers, boundary, (PLAIN, plain, "quoted-printable"), (HTML, body, "quoted-printable"))


def zimbra_reply(own: str, ack: Ack = ACK) -> bytes:
    """Zimbra web client: "----- Original Message -----" in plain, hr#zwchr and data-markers in HTML."""
    boundary = "=_a7c3e9f1-2b4d-4f6a-8c0e-1d3b5f7a9c2e"
    block = (f'From: "{ack.from_name}" <{ack.from_addr}>\nTo: "{ack.to_name}" <{ack.to_addr}>\n'
             f"Sent: Monday, November 30, 2026 9:12:40 AM\nSubject: {ack.subject}")
    plain = f"{own}\n\n----- Original Message -----\n{block}\n\n{ack.body}"
    body = (
        '<html><body><div style="font-family: arial, helvetica, sans-serif; font-size: 12pt; color: #000000">'
        f'<div>{_br(own)}</div><div><br></div><hr id="zwchr" data-marker="__DIVIDER__">'
        f'<div data-marker="__HEADERS__"><b>From: </b>"{_h(ack.from_name)}" &lt;{ack.from_addr}&gt;<br>'
        f'<b>To: </b>"{_h(ack.to_name)}" &lt;{ack.to_addr}&gt;<br><b>Sent: </b>Monday, November 30, 2026 '
        f"9:12:40 AM<br><b>Subject: </b>{_h(ack.subject)}<br></div><div><br></div>"
        f'<div data-marker="__QUOTED_TEXT__">{_br(ack.body)}</div></div></body></html>')
    headers = (
        f"Date: Mon, 30 Nov 2026 10:07:12 +0700 (ICT)\r\nFrom: {_address(*SCHOOL)}\r\n"
        f"To: {_address(ack.from_name, ack.from_addr)}\r\n"
        "Message-ID: <1873245590.1142.1764472032871.JavaMail.zimbra@thptcangiuoc.edu.vn>\r\n"
        f"In-Reply-To: {ack.message_id}\r\nReferences: {ack.message_id}\r\n"
        f"Subject: {_word('Re: ' + ack.subject)}\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/alternative; \r\n\tboundary="{boundary}"\r\n'
        "X-Mailer: Zimbra 9.0.0_GA_4583 (ZimbraWebClient - GC119 (Win)/9.0.0_GA_4583)\r\n"
        "Thread-Topic: " + _word(ack.subject) + "\r\nThread-Index: Rk3sPq9X1ZbN0aLc7yTgHv2WmEo4Ig==\r\n")
    return _message(headers, boundary, (PLAIN, plain, "quoted-printable"), (HTML, body, "quoted-printable"))


def mutt_reply(own: str, ack: Ack = ACK) -> bytes:
    """mutt: plain text only, "On … wrote:" over ">" lines, the answer below."""
    quoted = "\n".join(f"> {line}".rstrip() for line in ack.body.split("\n"))
    plain = f"On Mon, Nov 30, 2026 at 09:12:40AM +0700, {ack.from_name} wrote:\n{quoted}\n\n{own}\n"
    headers = (
        "Date: Mon, 30 Nov 2026 10:09:51 +0700\r\n"
        f"From: {_address(*SCHOOL)}\r\nTo: {_address(ack.from_name, ack.from_addr)}\r\n"
        f"Subject: {_word('Re: ' + ack.subject)}\r\n"
        "Message-ID: <aXk3mQ9p2Lr7tWzB@thptcangiuoc.edu.vn>\r\n"
        f"References: {ack.message_id}\r\nIn-Reply-To: {ack.message_id}\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Disposition: inline\r\n"
        "Content-Transfer-Encoding: 8bit\r\n")
    return (headers + "\r\n" + plain.replace("\n", "\r\n")).encode()


def _gmail(own: str, ack: Ack, attribution: str, html_attribution: str) -> bytes:
    boundary = "000000000000b1e0a3062c5f3d81"
    quoted = "\n".join(f"> {line}".rstrip() for line in ack.body.split("\n"))
    plain = f"{own}\n\n{attribution}\n\n{quoted}\n"
    body = (
        f'<div dir="ltr">{_br(own)}</div><br><div class="gmail_quote gmail_quote_container">'
        f'<div dir="ltr" class="gmail_attr">{html_attribution}<br></div><blockquote class="gmail_quote" '
        'style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">'
        f"{_br(ack.body)}</blockquote></div>\n")
    headers = (
        f"MIME-Version: 1.0\r\nReferences: {ack.message_id}\r\nIn-Reply-To: {ack.message_id}\r\n"
        f"From: {_address('Trường THPT Cần Giuộc', 'thptcangiuoc.longan@gmail.com')}\r\n"
        "Date: Mon, 30 Nov 2026 10:03:26 +0700\r\n"
        "Message-ID: <CAJ7q2nY8zVb4kRfQ1x0mWcT5pLs3dH9gE6aU2oNiB7vKr1Zy=A@mail.gmail.com>\r\n"
        f"Subject: {_word('Re: ' + ack.subject)}\r\nTo: {_address(ack.from_name, ack.from_addr)}\r\n"
        f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n')
    return _message(headers, boundary, (PLAIN, plain, "quoted-printable"), (HTML, body, "quoted-printable"))


def _outlook_headers(ack: Ack, subject: str, boundary: str, language: str) -> str:
    return (
        f"From: {_address(*SCHOOL)}\r\nTo: {_address(ack.from_name, ack.from_addr)}\r\n"
        f"Subject: {_word(subject)}\r\nThread-Topic: {_word(ack.subject)}\r\n"
        "Thread-Index: AQHbYl9wC3n0r7u2JkS8mH0b2M2k77Q9eXZw\r\n"
        "Date: Mon, 30 Nov 2026 03:01:05 +0000\r\n"
        "Message-ID:\r\n <SEZPR04MB68267F3A1C9E4B2D8A5F0C7E3B9D1A64@SEZPR04MB6826.apcprd04.prod.outlook.com>\r\n"
        f"References: {ack.message_id}\r\nIn-Reply-To: {ack.message_id}\r\n"
        f"Accept-Language: vi-VN, en-US\r\nContent-Language: {language}\r\n"
        "X-MS-Has-Attach:\r\nX-MS-TNEF-Correlator:\r\nmsip_labels:\r\n"
        f'Content-Type: multipart/alternative;\r\n\tboundary="{boundary}"\r\nMIME-Version: 1.0\r\n')


def _message(headers: str, boundary: str, *parts: tuple[str, str, str], preamble: str = "") -> bytes:
    """A multipart/alternative message: (Content-Type, text, transfer encoding) per part."""
    out = headers + "\r\n" + (preamble + "\r\n" if preamble else "")
    for content_type, text, encoding in parts:
        out += (f"--{boundary}\r\nContent-Type: {content_type}\r\n"
                f"Content-Transfer-Encoding: {encoding}\r\n\r\n{_encode(text, encoding)}\r\n")
    return (out + f"--{boundary}--\r\n").encode()


def _encode(text: str, encoding: str) -> str:
    if encoding == "base64":
        return base64.encodebytes(text.replace("\n", "\r\n").encode()).decode().replace("\n", "\r\n")
    if encoding == "quoted-printable":
        return quopri.encodestring(text.encode()).decode().replace("\n", "\r\n")
    return text.replace("\n", "\r\n")


def _address(name: str, address: str) -> str:
    return formataddr((name, address), charset="utf-8")


def _word(text: str) -> str:
    return Header(text, "utf-8").encode() if not text.isascii() else text


def _h(text: str) -> str:
    return html.escape(text, quote=False)


def _br(text: str) -> str:
    return "<br>\n".join(_h(line) for line in text.split("\n"))
