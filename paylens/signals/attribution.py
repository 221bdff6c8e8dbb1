"""Why a hit was given to its platform, in words an analyst can check against the sentence."""

from __future__ import annotations

from paylens.signals.lexicon import Lexicon, Term


def _fold(text: str, lex: Lexicon) -> str:
    """Traditional characters to simplified, as the matcher sees the text."""
    return "".join(lex.traditional.get(ch, ch) for ch in text)


def _found(term: Term, text: str, lowered: str) -> bool:
    return term.text in text if term.exact_case else term.text.lower() in lowered


def attribution(sentence: str, platform_id: str, lex: Lexicon) -> str:
    """'named as "支付宝"', 'through its product "支小宝"', 'through "Taobao"' or 'not named here: …'.

    The longest name found wins (a sentence naming "Alipay HK" shows that rather than "Alipay").
    """
    text = _fold(sentence, lex)
    lowered = text.lower()
    own = [t for t in lex.aliases if t.label == platform_id and _found(t, text, lowered)]
    if own:
        return f'named as "{max(own, key=lambda t: len(t.text)).text}"'
    children = [t for t in lex.aliases if lex.parents.get(t.label) == platform_id and _found(t, text, lowered)]
    if children:
        return f'through its product "{max(children, key=lambda t: len(t.text)).text}"'
    surfaces = [name for name, pid in lex.surfaces.items() if pid == platform_id and name in lowered]
    if surfaces:
        return f'through "{max(surfaces, key=len)}", part of its group'
    return "not named in this sentence: given to the platform the article is about"
