"""Article files: header parsing, validation with line numbers, encoding and hashing."""

from __future__ import annotations

import hashlib

import pytest

from paylens.errors import InputError
from paylens.signals.articles import ARTICLE_MAX_BYTES, detect_lang, parse_article, parse_article_bytes


def problems(data: bytes, name: str = "a.txt") -> list[str]:
    """The problems parse_article_bytes reports for data."""
    with pytest.raises(InputError) as info:
        parse_article_bytes(data, name)
    assert info.value.exit_code == 2
    return info.value.problems


def test_good_header() -> None:
    data = (b"title: Alipay pushes tap\nurl: https://example.com/a\npublisher: TechNode\n"
            b"date: 2025-02-17\nlang: en\n\nFirst line of body.\nSecond line.\n")
    art = parse_article_bytes(data, "x.txt")
    assert (art.name, art.title, art.url, art.publisher, art.date, art.lang) == (
        "x.txt", "Alipay pushes tap", "https://example.com/a", "TechNode", "2025-02-17", "en")
    assert art.body == "First line of body.\nSecond line."
    assert art.body_line == 7
    assert art.sha256 == hashlib.sha256(art.body.encode()).hexdigest()


def test_no_header_is_all_body() -> None:
    art = parse_article_bytes(b"Alipay: the wallet that wants to be everything.\n\nMore text.", "x.txt")
    assert art.title is None and art.url is None and art.date is None
    assert art.body.startswith("Alipay: the wallet")
    assert art.body_line == 1


def test_title_defaults_to_none_and_lang_is_detected() -> None:
    art = parse_article_bytes("date: 2024-01-02\n\n支付宝推出碰一下支付，补贴商户。".encode(), "z.txt")
    assert art.title is None
    assert art.lang == "zh"


@pytest.mark.parametrize(("text", "lang"), [
    ("Alipay and WeChat Pay compete.", "en"),
    ("支付宝和微信支付的竞争愈发激烈。", "zh"),
    ("Alipay 推出了 AI 助手支小宝，希望提升用户活跃度。", "zh"),
    ("Alipay (支付宝) and WeChat Pay (微信支付) compete for merchants across the country.", "en"),
])
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


def test_bad_date_reports_its_line() -> None:
    found = problems(b"title: T\ndate: 2025-02-30\n\nBody.")
    assert found == ["a.txt:2: date '2025-02-30' is not a real date in YYYY-MM-DD form"]


def test_every_problem_is_reported() -> None:
    found = problems(b"title: T\nurl: ftp://x.org/a\ndate: 17/02/2025\nlang: fr\nauthor: me\n\nBody.")
    assert [p.split(": ")[0] for p in found] == ["a.txt:2", "a.txt:3", "a.txt:4", "a.txt:5"]
    assert "url" in found[0] and "date" in found[1] and "lang" in found[2] and "author" in found[3]


def test_invalid_utf8_gives_line_of_first_bad_byte() -> None:
    found = problems(b"title: T\n\nline one\nline \xff two\n")
    assert len(found) == 1 and found[0].startswith("a.txt:4: invalid UTF-8")


def test_binary_file() -> None:
    found = problems(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert len(found) == 1 and found[0].startswith("a.txt:3: binary file")


@pytest.mark.parametrize("data", [b"", b"   \n\n\t\n", b"\xef\xbb\xbf"])
def test_empty_file(data: bytes) -> None:
    assert problems(data) == ["a.txt:1: file is empty"]


@pytest.mark.parametrize("data", [b"title: Only a header\ndate: 2025-01-01\n", b"title: T\n\n\n   \n"])
def test_header_only(data: bytes) -> None:
    found = problems(data)
    assert len(found) == 1 and "header but no body" in found[0]


def test_header_line_after_first_must_be_key_value() -> None:
    found = problems(b"title: T\nThis sentence forgot the blank line.\n\nBody.")
    assert len(found) == 1 and found[0].startswith("a.txt:2: header line is not `key: value`")


def test_duplicate_and_empty_keys() -> None:
    found = problems(b"title: T\ntitle: U\npublisher:\n\nBody.")
    assert found[0].startswith("a.txt:2: duplicate") and found[1].startswith("a.txt:3: header key 'publisher'")


def test_size_cap() -> None:
    found = problems(b"a" * (ARTICLE_MAX_BYTES + 1))
    assert found == [f"a.txt:1: file is larger than {ARTICLE_MAX_BYTES} bytes"]
    assert parse_article_bytes(b"a" * ARTICLE_MAX_BYTES, "a.txt").body == "a" * ARTICLE_MAX_BYTES


def test_bom_is_stripped() -> None:
    art = parse_article_bytes(b"\xef\xbb\xbftitle: T\n\nBody.", "a.txt")
    assert art.title == "T" and art.body == "Body."


def test_crlf_is_normalised_before_hashing() -> None:
    unix = parse_article_bytes(b"title: T\n\nOne.\nTwo.\n", "a.txt")
    dos = parse_article_bytes(b"title: T\r\n\r\nOne.\r\nTwo.\r\n", "b.txt")
    assert dos.body == "One.\nTwo." and dos.sha256 == unix.sha256 and dos.body_line == 3


def test_parse_article_reads_a_path(tmp_path) -> None:
    path = tmp_path / "art.txt"
    path.write_bytes(b"url: http://example.com\n\nBody text.")
    art = parse_article(path)
    assert art.name == str(path) and art.url == "http://example.com" and art.body == "Body text."
    path.write_bytes(b"date: 2025-13-01\n\nBody text.")
    with pytest.raises(InputError) as info:
        parse_article(path)
    assert info.value.problems == [f"{path}:1: date '2025-13-01' is not a real date in YYYY-MM-DD form"]


def test_missing_file_is_input_error(tmp_path) -> None:
    with pytest.raises(InputError) as info:
        parse_article(tmp_path / "nope.txt")
    assert info.value.problems[0].startswith(f"{tmp_path / 'nope.txt'}:1: cannot read file")


def test_seed_article_parses() -> None:
    from paylens.config import PROJECT_ROOT

    art = parse_article(PROJECT_ROOT / "data" / "articles" / "2025-02-17-alipay-traffic-anxiety.txt")
    assert art.date == "2025-02-17" and art.lang == "en" and "touchless" in art.body
