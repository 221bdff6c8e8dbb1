"""Decoding as browsers do: BOM, then the header's charset, then <meta>, then detection."""

from __future__ import annotations

import pytest

from paylens.web.charset import declared, decode_html, detect, normalise_label

ZH = "支付宝碰一下继续补贴，微信支付下调小微商户费率。" * 4
ZH_TW = "雲閃付推出跨境支付新功能，與支付寶和微信支付競爭入境遊客市場。" * 4


@pytest.mark.parametrize(("label", "codec"), [
    ("GBK", "gb18030"), ("gb2312", "gb18030"), ("x-gbk", "gb18030"), ("GB18030", "gb18030"),
    ("big5", "big5hkscs"), ("Big5-HKSCS", "big5hkscs"), ("UTF-8", "utf-8"), ("utf8", "utf-8"),
    ("iso-8859-1", "cp1252"), ("no-such-charset", None), ("", None),
])
def test_labels_map_as_browsers_map_them(label, codec):
    assert normalise_label(label) == codec


def test_header_charset_wins_over_meta():
    html = b'<meta charset="big5">' + ZH.encode("gbk")
    assert declared("text/html; charset=GBK", html) == ("gb18030", "header")
    text, codec = decode_html(html, "text/html; charset=GBK")
    assert codec == "gb18030" and ZH in text


def test_meta_charset_when_the_header_has_none():
    html = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
    html += ZH.encode("gbk")
    text, codec = decode_html(html, "text/html")
    assert codec == "gb18030" and ZH in text


@pytest.mark.parametrize(("text", "encoding", "expected"), [
    (ZH, "utf-8", "utf-8"), (ZH, "gbk", "gb18030"), (ZH_TW, "big5", "big5hkscs"),
])
def test_detection_without_any_declaration(text, encoding, expected):
    data = f"<html><body><p>{text}</p></body></html>".encode(encoding)
    assert detect(data) == expected
    decoded, codec = decode_html(data, "text/html")
    assert codec == expected and text in decoded


def test_bom_beats_a_wrong_declaration():
    data = b"\xef\xbb\xbf" + f"<meta charset='gbk'><p>{ZH}</p>".encode()
    text, codec = decode_html(data, "text/html; charset=gbk")
    assert codec == "utf-8" and ZH in text


def test_undecodable_bytes_become_replacement_characters_not_errors():
    text, codec = decode_html(b"<p>ok \xff\xfe\xfd</p>", "text/html; charset=utf-8")
    assert codec == "utf-8" and "\ufffd" in text
