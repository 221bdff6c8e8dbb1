"""Who moves and who is threatened in a competitive-threat sentence naming several platforms.

"微信支付正在抢走支付宝的线下商户": wechat_pay moves, alipay is threatened. A cue word between the names gives
the direction:

- an *active* cue (抢走, 挑战, 冲击, 蚕食, challenges, threatens, takes on, eats into, 让 ... 压力) has the mover
  before it and the threatened after it;
- a *passive* cue (被, 面临, 受到, faces competition from, threatened by, loses ground to, a response to) has the
  threatened before it and the mover after it; with no platform before it ("面对抖音支付的步步紧逼，微信支付 ..."),
  the first platform after it moves and the next one is threatened.

Platforms joined to the nearest one by "and", "与", "、" ... share its role ("Douyin Pay and Meituan Pay
challenge Alipay"). Without a cue, two platforms of different groups are each other's rival ("支付宝与微信支付
的角力"); more than two, or none found, leave the rival unnamed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from paylens.signals.matcher import fold

_ACTIVE_EN = (
    r"challeng(?:e|es|ed|ing)|threaten(?:s|ed|ing)?|tak(?:e|es|ing)\s+on|took\s+on|"
    r"(?:eat(?:s|ing)?|ate|eaten|bit(?:e|es|ing)?)\s+into|chip(?:s|ped|ping)?\s+away\s+at|"
    r"poach(?:es|ed|ing)?|steal(?:s|ing)?|stole|lur(?:e|es|ed|ing)|"
    r"encroach(?:es|ed|ing)?\s+on|undercut(?:s|ting)?|squeez(?:e|es|ed|ing)|"
    r"attack(?:s|ed|ing)?|dent(?:s|ed|ing)?|cost(?:s|ing)?|"
    r"(?:win(?:s|ning)?|won|claw(?:s|ed|ing)?|pull(?:s|ed|ing)?)\s+back|"
    r"(?:tak(?:e|es|ing)|took|grab(?:s|bed|bing)?)\s+(?:\w+\s+){0,2}(?:share|business|customers|merchants|users|volume)|"
    r"catch(?:es|ing)?\s+up\s+(?:with|on)|caught\s+up\s+(?:with|on)|overtak(?:e|es|en|ing)|overtook|"
    r"outpac(?:e|es|ed|ing)|put(?:s|ting)?\s+(?:\w+\s+)?pressure\s+on|rattl(?:e|es|ed|ing)|"
    r"(?:a|an|the)\s+(?:direct\s+|serious\s+|major\s+|real\s+)?(?:challenge|threat|blow|attack)\s+(?:to|on|for)"
)
_PASSIVE_EN = (
    r"(?:threatened|challenged|squeezed|pressured|undercut|overtaken|eclipsed|attacked|poached|targeted|"
    r"rattled|hurt|hit|outpaced|overshadowed)\s+by|"
    r"(?:competition|pressure|threat|threats|challenge|challenges|rivalry|attack|onslaught|push|heat)\s+from|"
    r"(?:los(?:e|es|ing)|lost)\s+(?:\w+\s+){0,2}(?:ground|share|users|merchants|customers|volume)\s+to|"
    r"respon(?:se|ses|ding|ds?)\s+to|answer(?:s|ed|ing)?\s+to|counter(?:s|ed|ing)?|"
    r"fend(?:s|ed|ing)?\s+off|defen[cs]e\s+against|fac(?:e|es|ed|ing)|"
    r"worr(?:y|ies|ied)\s+about|wary\s+of|fear(?:s|ed|ing)?"
)
_ACTIVE_ZH = (
    r"抢走|搶走|抢夺|搶奪|抢占|搶佔|搶占|夺走|奪走|挖走|挖角|挑战|挑戰|冲击|衝擊|蚕食|蠶食|围堵|圍堵|狙击|狙擊|阻击|阻擊|"
    r"挤压|擠壓|撼动|撼動|威胁|威脅|逆袭|逆襲|反超|超越|赶超|趕超|追赶|追趕|叫板|瞄准|瞄準|针对|針對|截流|分流|攻入|"
    r"进攻|進攻|抢|搶|(?<![转轉])[让讓]|令(?!牌)|使(?![用得命])|使得|给(?!予)|給(?!予)"
)
_PASSIVE_ZH = (
    r"被(?!视为|視為|认为|認為|看作|看成|解读|解讀|称为|稱為|称作|稱作|誉为|譽為|外界|业内|業內|普遍|广泛|廣泛)|面临|面臨|面对|面對|受到|遭遇|遭到|遭受|来自|來自|回应|回應|应对|應對|反击|反擊|防守|防御|防禦|抵御|抵禦|"
    r"迎战|迎戰|不敌|不敵|输给|輸給|败给|敗給|落后于|落後於|担心|擔心|忌惮|忌憚|警惕|提防"
)
# Passive first: "threatened by" is one passive cue, not the active "threatened". English cues run over the folded
# (lowercased) text; Chinese ones only over text that has non-ASCII characters, each behind a first-character check.
_CUE_EN = re.compile(rf"\b(?:(?P<passive>{_PASSIVE_EN})|(?P<active>{_ACTIVE_EN}))\b")
_ZH_FIRST = "".join(sorted(set(re.sub(r"\(\?<?[!=][^)]*\)|\[|\]", "", f"{_PASSIVE_ZH}|{_ACTIVE_ZH}")) - {"|"}))
_CUE_ZH = re.compile(rf"(?=[{_ZH_FIRST}])(?:(?P<passive>{_PASSIVE_ZH})|(?P<active>{_ACTIVE_ZH}))")
# "JD Pay had been all but squeezed out as Alipay ...": an active verb after a form of "be" is passive.
_BE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being|get|gets|got|getting)\s+(?:(?!an?\s|the\s)\w+\s+){0,2}$",
                        re.IGNORECASE)
_ARTICLE = re.compile(r"(?:a|an|the)\s")  # "was a direct challenge to": a noun, not a passive verb
# What may stand between two platforms that share a role: "and", "or", "与", "、", commas, possessives.
_JOIN = re.compile(r"^(?:\s|,|、|，|与|與|和|及|以及|或|还有|還有|and|or|as\s+well\s+as|&|'s)*$", re.IGNORECASE)

_TIGHT_GAP = re.compile(r"[^,;:，；：。.]{0,12}$")

Mention = tuple[int, int, str]
"""A platform named at text[start:end], as (start, end, platform id)."""


def directions(text: str, mentions: Sequence[Mention], group: dict[str, str],
               tight: bool = False) -> list[tuple[str, str]] | None:
    """(threatened, rival) pairs for a sentence, or None when no cue gives a direction.

    `mentions` are the platform names in the sentence (offsets into `text`, in order); `group` maps an AI
    product to its payment platform, so a product and its own platform are never each other's rival. `tight`
    only takes a cue whose object follows it closely ("冲击微信支付", "challenges Alipay"), for sentences
    whose competition word is weak on its own.
    """
    merged: list[Mention] = []
    for start, end, pid in mentions:
        if merged and merged[-1][2] == pid and _JOIN.match(text[merged[-1][1]:start]):
            merged[-1] = (merged[-1][0], end, pid)
        else:
            merged.append((start, end, pid))
    if len({group.get(pid, pid) for _, _, pid in merged}) < 2:
        return None
    for cue in _cues(text, merged[-1][0]):
        before = [m for m in merged if m[1] <= cue.start()]
        after = [m for m in merged if m[0] >= cue.end()]
        if not after or tight and not _TIGHT_GAP.match(text, cue.end(), after[0][0]):
            continue
        if cue.group("active") and not (cue.group().isascii() and not _ARTICLE.match(cue.group())
                                        and _BE_BEFORE.search(text, 0, cue.start())):
            if not before:
                continue
            movers, threatened = _joined(text, before, backwards=True), _joined(text, after)
        elif before:
            threatened, movers = _joined(text, before, backwards=True), _joined(text, after)
        else:  # "面对抖音支付的步步紧逼，微信支付 ...": the mover comes first, the threatened after it
            movers = _joined(text, after)
            rest = after[len(movers):]
            if not rest:
                continue
            threatened = _joined(text, rest)
        pairs = [(t, m) for t in threatened for m in movers if group.get(t, t) != group.get(m, m)]
        if pairs:
            return list(dict.fromkeys(pairs))
    return None


def _cues(text: str, end: int) -> list[re.Match[str]]:
    """Cue words in text order, English and Chinese, before `end` (a cue needs a platform after it)."""
    cues = list(_CUE_EN.finditer(fold(text), 0, end))
    if not text.isascii():
        cues.extend(_CUE_ZH.finditer(text, 0, end))
        cues.sort(key=lambda m: m.start())
    return cues


def mutual_rivals(named: Sequence[str], group: dict[str, str]) -> dict[str, str]:
    """Two platforms of different groups named without a cue: each is the other's rival (else none)."""
    if len(named) != 2:
        return {}
    a, b = named
    if group.get(a, a) == group.get(b, b):
        return {}
    return {a: b, b: a, group.get(a, a): b, group.get(b, b): a}


def _joined(text: str, mentions: list[Mention], backwards: bool = False) -> list[str]:
    """The platform nearest the cue plus those joined to it by "and", "与", "、" ... (platform ids, in order)."""
    ordered = mentions[::-1] if backwards else mentions
    out = [ordered[0]]
    for mention in ordered[1:]:
        left, right = (mention, out[-1]) if backwards else (out[-1], mention)
        if not _JOIN.match(text[left[1]:right[0]]):
            break
        out.append(mention)
    ids = [pid for _, _, pid in (out[::-1] if backwards else out)]
    return list(dict.fromkeys(ids))
