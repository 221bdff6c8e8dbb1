"""paylens.signals.attribution: the reason shown beside each hit names what in the sentence decided it."""

from __future__ import annotations

import pytest

from paylens.config import PROJECT_ROOT
from paylens.signals.attribution import attribution
from paylens.signals.lexicon import load_lexicon


@pytest.fixture(scope="module")
def lex():
    return load_lexicon(PROJECT_ROOT / "data" / "lexicon")


@pytest.mark.parametrize(("sentence", "platform", "reason"), [
    ("Alipay keeps pushing tap-to-pay subsidies.", "alipay", 'named as "Alipay"'),
    ("微信支付正在抢走支付宝的线下商户", "alipay", 'named as "支付宝"'),
    ("支付寶的碰一下", "alipay", 'named as "支付寶"'),  # matched folded, quoted as written
    ("ALIPAY keeps pushing tap-to-pay subsidies.", "alipay", 'named as "ALIPAY"'),
    ("The move worried the incumbents.", "alipay", "not named in this sentence"),
])
def test_reasons(lex, sentence, platform, reason):
    assert attribution(sentence, platform, lex).startswith(reason)


def test_a_product_is_credited_to_its_parent(lex):
    child, parent = next(iter(lex.parents.items()))
    alias = next(t.text for t in lex.aliases if t.label == child)
    assert attribution(f"用户开始使用{alias}。", parent, lex) == f'through its product "{alias}"'


def test_a_group_app_is_quoted_as_written(lex):
    name, platform = next((n, p) for n, p in lex.surfaces.items() if n.isascii())
    sentence = f"Shoppers on {name.upper()} can now pay with it."
    assert attribution(sentence, platform, lex) == f'through "{name.upper()}", part of its group'
