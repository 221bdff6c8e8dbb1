"""Fixtures for the signal engine tests: the real lexicon, loaded once."""

from __future__ import annotations

import pytest

from paylens.config import PROJECT_ROOT
from paylens.signals.extract import Extractor

LEXICON_DIR = PROJECT_ROOT / "data" / "lexicon"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """An extractor over data/lexicon/."""
    return Extractor.from_dir(LEXICON_DIR)
