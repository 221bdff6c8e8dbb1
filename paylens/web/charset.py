"""Decode an HTML page as browsers do: BOM, declared charset (header, then <meta>), then detection."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# WHATWG label mapping for the encodings Chinese pages use: GB2312 and GBK pages are decoded as GB18030
# (a superset), Big5 as Big5-HKSCS (what browsers do), and Latin-1/ASCII labels as windows-1252.
_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "chinese": "gb18030",
    "csgb2312": "gb18030", "iso-ir-58": "gb18030", "euc-cn": "gb18030", "hz-gb-2312": "gb18030",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "cn-big5": "big5hkscs", "x-x-big5": "big5hkscs",
    "csbig5": "big5hkscs",
    "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "l1": "cp1252",
    "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
}
# Detection only chooses among these (the pages PayLens reads are English or Chinese).
DETECT = ("utf_8", "gb18030", "big5hkscs", "big5")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
META_SCAN_BYTES = 4096  # browsers look at the first 1024 bytes; pages with long heads put it later


def normalise_label(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    key = _ALIASES.get(key, key)
    try:
        name = codecs.lookup(key).name
    except LookupError:
        return None
    return _ALIASES.get(name, name) if name in ("big5", "gbk", "gb2312") else name


def declared(content_type: str | None, head: bytes) -> tuple[str | None, str]:
    """The charset a page declares and where ("header" or "meta"); (None, "") when it declares none."""
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        name = normalise_label(match.group(1)) if match else None
        if name:
            return name, "header"
    match = _META_CHARSET.search(head[:META_SCAN_BYTES])
    if match:
        name = normalise_label(match.group(1).decode("ascii", "replace"))
        if name in ("utf-16-le", "utf-16-be", "utf-16"):
            name = "utf-8"  # a <meta> that could be read as ASCII is not UTF-16 (WHATWG rule)
        if name:
            return name, "meta"
    return None, ""


def detect(data: bytes) -> str:
    """Guess among UTF-8, GB18030 and Big5-HKSCS; UTF-8 when the bytes are valid UTF-8."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000], cp_isolation=list(DETECT)).best()
    if best is None:
        return "gb18030"
    return normalise_label(best.encoding) or "gb18030"


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, codec used): BOM first, then the declared charset, then detection; bad bytes become U+FFFD."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace"), name
    name, _ = declared(content_type, data)
    if name is None:
        name = detect(data)
    return data.decode(name, errors="replace"), name
