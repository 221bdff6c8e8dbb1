"""paylens.ui.evidence: the count line above evidence cards reads right for one, many and a cut list."""

from __future__ import annotations

from paylens.ui.evidence import count_line


def test_one_sentence_is_singular():
    assert count_line(1) == "1 sentence, newest first. It is quoted exactly as it appears in its article."


def test_many_sentences_and_a_cut_list():
    assert count_line(12).startswith("12 sentences, newest first. Each is quoted")
    assert count_line(500, 500).startswith("500 sentences, newest first (the newest 500). Each")
    assert "(the newest" not in count_line(499, 500)
