"""Why a hit was given to its platform, in words an analyst can check against the sentence."""

from __future__ import annotations

from paylens.signals.lexicon import Lexicon, Term


def _fold(text: str, lex: Lexicon) -> str:
    """Traditional characters to simplified, as the matcher sees the text."""
    return "".join(lex.traditional.get(ch, ch) for ch in text)


def _found(term: Term, text: str, lowered: str) -> bool:
    return term.text in text if term.exact_case else term.text.lower() in lowered


def _as_written(sentence: str, text: str, lowered: str, term: str, exact_case: bool) -> str:
    """The name as the sentence spells it (支付寶, ALIPAY), found where its folded form matched."""
    at = text.find(term) if exact_case else lowered.find(term.lower())
    # folding is one character for one; lower() can change a rare character's length, then show the name as listed
    if at < 0 or len(lowered) != len(sentence):
        return term
    return sentence[at:at + len(term)]


def attribution(sentence: str, platform_id: str, lex: Lexicon) -> str:
    """'named as "支付寶"', 'through its product "支小宝"', 'through "Taobao"' or 'not named here: …'.

    The longest name found wins (a sentence naming "Alipay HK" shows that rather than "Alipay"), quoted as the
    sentence spells it, so an analyst finds it in the sentence (traditional characters, capitals).
    """
    text = _fold(sentence, lex)
    lowered = text.lower()
    own = [t for t in lex.aliases if t.label == platform_id and _found(t, text, lowered)]
    if own:
        name = max(own, key=lambda t: len(t.text))
        return f'named as "{_as_written(sentence, text, lowered, name.text, name.exact_case)}"'
    children = [t for t in lex.aliases if lex.parents.get(t.label) == platform_id and _found(t, text, lowered)]
    if children:
        name = max(children, key=lambda t: len(t.text))
        return f'through its product "{_as_written(sentence, text, lowered, name.text, name.exact_case)}"'
    surfaces = [name for name, pid in lex.surfaces.items() if pid == platform_id and name in lowered]
    if surfaces:
        return f'through "{_as_written(sentence, text, lowered, max(surfaces, key=len), False)}", part of its group'
    return "not named in this sentence: given to the platform the article is about"
