"""Quote stripping: each client's quote block, in plain text and in HTML, leaves only the sender's words."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailer.quotes import own_html_text, own_plain_text

QUOTED_ACK = "Kính gửi Trường THPT Cần Giuộc,\n  05 — Số học sinh, sinh viên được tuyên truyền: 1.250"
QUOTED_ACK_HTML = "Kính gửi Trường THPT Cần Giuộc,<br>\n  05 — Số học sinh, sinh viên được tuyên truyền: 1.250"


PLAIN = [
    pytest.param(
        "Cảm ơn Sở\n\n________________________________\n"
        "Từ: Phòng CTTT - Sở GD&ĐT Long An <phongcttt.solongan@moet.edu.vn>\n"
        "Đã gửi: Thứ Hai, ngày 30 tháng 11 năm 2026 09:12\n"
        "Đến: Trường THPT Cần Giuộc <thpt.cangiuoc@longan.edu.vn>\n"
        f"Chủ đề: Xác nhận đã nhận Báo cáo năm 2026\n\n{QUOTED_ACK}\n",
        "Cảm ơn Sở", True, id="outlook-web-vietnamese"),
    pytest.param(
        "Thanks, received.\n\nFrom: Phòng CTTT <phongcttt.solongan@moet.edu.vn>\n"
        "Sent: Monday, November 30, 2026 9:12 AM\nTo: THPT Cần Giuộc <thpt.cangiuoc@longan.edu.vn>\n"
        f"Subject: Xác nhận đã nhận Báo cáo năm 2026\n\n{QUOTED_ACK}",
        "Thanks, received.", True, id="outlook-desktop-header-block"),
    pytest.param(
        "Đơn vị đã nhận.\n\n-----Original Message-----\nFrom: phongcttt.solongan@moet.edu.vn "
        "[mailto:phongcttt.solongan@moet.edu.vn]\nSent: Monday, November 30, 2026 9:12 AM\n"
        f"To: thpt.cangiuoc@longan.edu.vn\nSubject: Xác nhận\n\n{QUOTED_ACK}",
        "Đơn vị đã nhận.", True, id="outlook-2010-original-message"),
    pytest.param(
        f"Đơn vị đã nhận.\n\n-----Thư gốc-----\nTừ: Phòng CTTT\nĐã gửi: 30/11/2026 9:12 SA\n\n{QUOTED_ACK}",
        "Đơn vị đã nhận.", True, id="outlook-vietnamese-thu-goc"),
    pytest.param(
        "Cảm ơn Sở.\n\n----- Original Message -----\nFrom: \"Phòng CTTT\" <phongcttt.solongan@moet.edu.vn>\n"
        "To: \"thpt cangiuoc\" <thpt.cangiuoc@longan.edu.vn>\nSent: Monday, November 30, 2026 9:12:40 AM\n"
        f"Subject: Xác nhận\n\n{QUOTED_ACK}",
        "Cảm ơn Sở.", True, id="zimbra"),
    pytest.param(
        "Cảm ơn Sở\n\nVào Th 2, 1 thg 12, 2026 lúc 09:15 Nguyễn Văn A <a@moet.edu.vn> đã viết:\n\n"
        + "\n".join(f"> {line}" for line in QUOTED_ACK.split("\n")),
        "Cảm ơn Sở", True, id="gmail-vietnamese"),
    pytest.param(
        "Received, thank you.\n\nOn Mon, Dec 1, 2026 at 9:15 AM Phòng CTTT - Sở GD&ĐT Long An <\n"
        "phongcttt.solongan@moet.edu.vn> wrote:\n\n"
        + "\n".join(f"> {line}" for line in QUOTED_ACK.split("\n")),
        "Received, thank you.", True, id="gmail-english-wrapped-attribution"),
    pytest.param(
        "Vào 01/12/2026 09:15, Phòng CTTT đã viết:\n"
        + "\n".join(f"> {line}" for line in QUOTED_ACK.split("\n"))
        + "\n\nĐơn vị xin cảm ơn.\n\n-- \nNguyễn Thị Lan\nVăn thư",
        "Đơn vị xin cảm ơn.", True, id="thunderbird-vietnamese-reply-below"),
    pytest.param(
        "Đã nhận.\n\nSent from my iPhone\n\n> On 1 Dec 2026, at 09:15, Phòng CTTT <phongcttt.solongan@moet.edu.vn> wrote:\n"
        f">\n> {QUOTED_ACK.replace(chr(10), chr(10) + '> ')}",
        "Đã nhận.\n\nSent from my iPhone", True, id="apple-mail"),
    pytest.param(
        "Cảm ơn.\n\n    On Monday, December 1, 2026, 09:15:00 AM GMT+7, Phòng CTTT "
        f"<phongcttt.solongan@moet.edu.vn> wrote:  \n \n {QUOTED_ACK.replace(chr(10), chr(10) + ' ')}",
        "Cảm ơn.", True, id="yahoo-unmarked-quote"),
    pytest.param(
        "> 05 — Số học sinh, sinh viên được tuyên truyền: 1.250\nSố này đúng.\n"
        "> 06 — Tổng số học sinh, sinh viên của đơn vị: 1.312\nSố này sai, đúng là 1.320.",
        "Số này đúng.\nSố này sai, đúng là 1.320.", True, id="inline-answers-between-quoted-lines"),
    pytest.param(
        "Đã nhận.\n\n-- \nNguyễn Văn An\nĐT: 0912 345 678", "Đã nhận.", False, id="signature-only"),
    pytest.param(
        "Kính gửi Sở,\nTừ ngày 01/01/2026 đến ngày 30/05/2026 đơn vị đã tổ chức:\n"
        "03. Số hình thức tuyên truyền: 4\nNgày: 28/05/2026\nNgười lập: Nguyễn Văn An",
        "Kính gửi Sở,\nTừ ngày 01/01/2026 đến ngày 30/05/2026 đơn vị đã tổ chức:\n"
        "03. Số hình thức tuyên truyền: 4\nNgày: 28/05/2026\nNgười lập: Nguyễn Văn An",
        False, id="report-typed-in-the-body-is-not-a-quote"),
    pytest.param(
        "On behalf of the school, we send the figures.\nSố học sinh: 1.250", None, False,
        id="a-sentence-starting-with-on-is-not-an-attribution"),
]


@pytest.mark.parametrize("text, own, quoted", PLAIN)
def test_plain_quotes_are_removed(text: str, own: str | None, quoted: bool) -> None:
    result = own_plain_text(text)
    assert result.text == (text if own is None else own)
    assert result.quoted is quoted


HTML = [
    pytest.param(
        '<div dir="ltr">Cảm ơn Sở</div><br><div class="gmail_quote gmail_quote_container">'
        '<div dir="ltr" class="gmail_attr">Vào Th 2, 1 thg 12, 2026 lúc 09:15 Phòng CTTT &lt;<a '
        'href="mailto:phongcttt.solongan@moet.edu.vn">phongcttt.solongan@moet.edu.vn</a>&gt; đã viết:<br></div>'
        '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid '
        f'rgb(204,204,204);padding-left:1ex">{QUOTED_ACK_HTML}</blockquote></div>',
        "Cảm ơn Sở", True, id="gmail"),
    pytest.param(
        '<body dir="ltr"><div class="elementToProof">Cảm ơn Sở</div><div id="appendonsend"></div>'
        '<hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr">'
        '<font face="Calibri, sans-serif" style="font-size:11pt" color="#000000"><b>Từ:</b> Phòng CTTT<br>'
        "<b>Đã gửi:</b> Thứ Hai, ngày 30 tháng 11 năm 2026 09:12<br><b>Đến:</b> THPT Cần Giuộc<br>"
        '<b>Chủ đề:</b> Xác nhận</font><div>&nbsp;</div></div><div class="BodyFragment">'
        f'<div class="PlainText">{QUOTED_ACK_HTML}</div></div></body>',
        "Cảm ơn Sở", True, id="outlook-web-divRplyFwdMsg"),
    pytest.param(
        '<div dir="ltr">Đã nhận, cảm ơn Sở.</div><div id="gmail-m_-4184039363114880486appendonsend"></div>'
        '<hr style="display:inline-block;width:98%"><div id="gmail-m_-4184039363114880486divRplyFwdMsg" '
        f'dir="ltr"><b>From:</b> Phòng CTTT<br><b>Sent:</b> Monday</div><div>{QUOTED_ACK_HTML}</div>',
        "Đã nhận, cảm ơn Sở.", True, id="outlook-ids-prefixed-by-a-quoting-client"),
    pytest.param(
        '<div class="WordSection1"><p class="MsoNormal">Thanks, received.<o:p></o:p></p>'
        '<p class="MsoNormal"><o:p>&nbsp;</o:p></p>'
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in">'
        '<p class="MsoNormal"><b>From:</b> Phòng CTTT<br><b>Sent:</b> Monday, November 30, 2026 9:12 AM<br>'
        "<b>To:</b> THPT<br><b>Subject:</b> Xác nhận<o:p></o:p></p></div>"
        f'<p class="MsoNormal">{QUOTED_ACK_HTML}<o:p></o:p></p></div>',
        "Thanks, received.", True, id="outlook-desktop-border-top"),
    pytest.param(
        '<div class="WordSection1"><p class="MsoNormal"><span>Đã nhận ạ.</span></p>'
        '<div style="border:none;border-top:solid #B5C4DF 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
        '<p class="MsoNormal"><b><span>From:</span></b><span> Phòng CTTT</span></p></div>'
        f'<p class="MsoNormal">{QUOTED_ACK_HTML}</p></div>',
        "Đã nhận ạ.", True, id="outlook-2010-border-top"),
    pytest.param(
        '<div dir="ltr"><font face="Arial">Cảm ơn Sở.</font></div><div class="OutlookMessageHeader" '
        'lang="en-us" dir="ltr" align="left"><hr tabindex="-1"><font face="Tahoma"><b>From:</b> Phòng CTTT'
        f'</font></div><div>{QUOTED_ACK_HTML}</div>',
        "Cảm ơn Sở.", True, id="outlook-2003-message-header"),
    pytest.param(
        '<div class="moz-cite-prefix">Vào 01/12/2026 09:15, Phòng CTTT đã viết:<br></div>'
        '<blockquote type="cite" cite="mid:1764498720.3121@moet.edu.vn"><pre class="moz-quote-pre" wrap="">'
        f"{QUOTED_ACK}</pre></blockquote><p>Đơn vị xin cảm ơn.</p>"
        '<pre class="moz-signature" cols="72">-- \nNguyễn Thị Lan</pre>',
        "Đơn vị xin cảm ơn.", True, id="thunderbird-cite-below"),
    pytest.param(
        '<div class="ydp6f1c2a3byahoo-style-wrap"><div dir="ltr">Cảm ơn.</div></div>'
        '<div id="ydp2c0a9b1eyahoo_quoted_8421573390" class="ydp2c0a9b1eyahoo_quoted"><div>'
        "<div>On Monday, December 1, 2026, 09:15:00 AM GMT+7, Phòng CTTT wrote:</div>"
        f'<div><div id="yiv3397486125">{QUOTED_ACK_HTML}</div></div></div></div>',
        "Cảm ơn.", True, id="yahoo"),
    pytest.param(
        '<div><div>Cảm ơn Sở.</div><div><br></div><hr id="zwchr" data-marker="__DIVIDER__">'
        '<div data-marker="__HEADERS__"><b>From: </b>"Phòng CTTT"<br><b>Sent: </b>Monday<br></div>'
        f'<div data-marker="__QUOTED_TEXT__">{QUOTED_ACK_HTML}</div></div>',
        "Cảm ơn Sở.", True, id="zimbra"),
    pytest.param(
        '<div class="WordSection1"><p class="MsoNormal">Đã nhận.</p><p class="MsoNormal">'
        "-----Original Message-----<br>From: Phòng CTTT<br>Sent: Monday, November 30, 2026 9:12 AM<br>"
        f"To: THPT<br>Subject: Xác nhận</p><p>{QUOTED_ACK_HTML}</p></div>",
        "Đã nhận.", True, id="outlook-original-message-in-html"),
    pytest.param(
        '<div dir="ltr">Đơn vị gửi số liệu:<blockquote style="margin:0 0 0 40px;border:none;padding:0px">'
        "<div>03. Số hình thức tuyên truyền: 4</div></blockquote></div>",
        "Đơn vị gửi số liệu:\n03. Số hình thức tuyên truyền: 4", False, id="gmail-indent-is-not-a-quote"),
]


@pytest.mark.parametrize("html, own, quoted", HTML)
def test_html_quotes_are_removed(html: str, own: str, quoted: bool) -> None:
    result = own_html_text(f"<html><body>{html}</body></html>")
    assert result.text == own
    assert result.quoted is quoted


HTML_PIECES = ['<div class="gmail_quote">', "</div>", '<blockquote type="cite">', "</blockquote>",
               '<div id="divRplyFwdMsg">', '<hr id="zwchr">', "<p>", "<br>", "Cảm ơn", "> ", "\n",
               "On Mon, Dec 1, 2026 X wrote:", "Từ: A", "Đã gửi: B", "Chủ đề: C", "-- ", "<style>", "</style>",
               '<div style="border-top:solid #E1E1E1 1.0pt">', "<", "&", "&nbsp;", "a\u0301"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HTML_PIECES), max_size=40))
def test_own_text_never_raises_and_is_nfc(pieces: list[str]) -> None:
    text = "".join(pieces)
    for result in (own_plain_text(text), own_html_text(text)):
        assert unicodedata.is_normalized("NFC", result.text)
        assert result.text == result.text.strip()
