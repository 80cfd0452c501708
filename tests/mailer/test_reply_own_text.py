"""A school's reply to the robot's acknowledgement: own_text holds what the school typed, never the
quoted figures, whichever client wrote it (plain part, and the HTML part when it is alone)."""

from __future__ import annotations

import email
import re
import unicodedata
from collections.abc import Callable

import pytest

from mailer.incoming import read_message
from tests.mailer import client_replies as clients

CLIENTS = [clients.outlook_desktop_reply, clients.outlook_web_reply, clients.gmail_reply_vi,
           clients.gmail_reply_en, clients.thunderbird_reply, clients.apple_mail_reply,
           clients.yahoo_reply, clients.zimbra_reply, clients.mutt_reply]
# What a client adds below the school's words and above the quote, kept as the school's own text.
CLIENT_FOOTERS = {clients.apple_mail_reply: "\n\nGửi từ iPhone của tôi"}
CORRECTION = "Đơn vị xin sửa lại số liệu:\n05. Số học sinh, sinh viên được tuyên truyền: 1.300"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("client", CLIENTS, ids=lambda client: client.__name__)
def test_thanks_reply_leaves_only_the_thanks(client: Callable[[str], bytes]) -> None:
    """GIVEN a school's "Cảm ơn Sở" answer quoting the acknowledgement and its figures
    WHEN the mail is read
    THEN own_text is the thanks alone, a quote was seen, and no acknowledged figure is left."""
    mail = read_message(client("Cảm ơn Sở."))
    assert mail.own_text == "Cảm ơn Sở." + CLIENT_FOOTERS.get(client, "")
    assert mail.quoted is True
    assert not any(figure in mail.own_text for figure in clients.ACK_FIGURES)
    assert "1.250" in mail.text_body  # the quote is still there for whoever reads the whole mail


@pytest.mark.parametrize("client", CLIENTS, ids=lambda client: client.__name__)
def test_corrected_figures_typed_above_the_quote_are_kept(client: Callable[[str], bytes]) -> None:
    mail = read_message(client(CORRECTION))
    assert mail.own_text == CORRECTION + CLIENT_FOOTERS.get(client, "")
    assert "1.250" not in mail.own_text


@pytest.mark.parametrize("client", [c for c in CLIENTS if c is not clients.mutt_reply],
                         ids=lambda client: client.__name__)
def test_html_part_alone_gives_the_same_own_text(client: Callable[[str], bytes]) -> None:
    """GIVEN the same reply with its plain part emptied (as HTML-only senders send it)
    THEN own_text comes from the HTML part with the quote elements left out."""
    raw = client("Cảm ơn Sở.")
    boundary = email.message_from_bytes(raw).get_boundary().encode()
    plain_start = raw.index(b"Content-Type: text/plain")
    plain_end = raw.index(b"\r\n--" + boundary, plain_start)
    header_end = raw.index(b"\r\n\r\n", plain_start) + 4
    html_only = raw[:header_end] + raw[plain_end:]
    mail = read_message(html_only)
    assert _flat(mail.own_text) == _flat("Cảm ơn Sở." + CLIENT_FOOTERS.get(client, ""))
    assert mail.quoted is True


def test_mail_without_a_quote_is_all_own_text() -> None:
    raw = ("From: thpt.cangiuoc@longan.edu.vn\r\nSubject: =?utf-8?q?B=C3=A1o_c=C3=A1o?=\r\n"
           "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
           "Kính gửi Sở,\r\n03. Số hình thức tuyên truyền: 4\r\n05. Số học sinh được tuyên truyền: 1.250\r\n")
    mail = read_message(raw.encode())
    assert mail.own_text == "Kính gửi Sở,\n03. Số hình thức tuyên truyền: 4\n05. Số học sinh được tuyên truyền: 1.250"
    assert mail.quoted is False


def test_own_text_is_nfc_when_the_client_typed_nfd() -> None:
    """macOS and Unikey's "Unicode tổ hợp" send decomposed text; own_text is NFC."""
    typed = unicodedata.normalize("NFD", "Cảm ơn Sở, số học sinh đúng là 1.300")
    mail = read_message(clients.gmail_reply_vi(typed))
    assert mail.own_text == unicodedata.normalize("NFC", typed)
    assert unicodedata.is_normalized("NFC", mail.text_body)


def test_message_without_any_body_has_empty_own_text() -> None:
    mail = read_message(b"From: a@b.vn\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B--\r\n")
    assert (mail.own_text, mail.quoted) == ("", False)
