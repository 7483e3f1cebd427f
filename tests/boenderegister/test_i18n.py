"""The Boenderegister's message catalogue: every text of the templates and the code has its English translation,
and no English leaks into the Swedish pages (nor Swedish into the English ones)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

import bodata.boenderegister

from .factories import PLACEHOLDER, catalogue

pytestmark = pytest.mark.sqlite_only  # no database at all

PACKAGE = Path(bodata.boenderegister.__file__).parent
BABEL_CFG = Path(__file__).parents[2] / "babel.cfg"


def extracted() -> dict[str, str | None]:
    """msgid → plural msgid of every text the templates and modules mark (as ``pybabel extract -F babel.cfg``)."""
    with BABEL_CFG.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {}
    for _, _, message, _, _ in extract_from_dir(PACKAGE, method_map, options_map):
        singular, plural = (message, None) if isinstance(message, str) else message[:2]
        found[singular] = plural
    return found


def test_the_english_catalogue_translates_every_text_and_nothing_else() -> None:
    texts, entries = extracted(), catalogue()
    assert len(texts) > 200  # the extraction really read the templates and the modules
    assert sorted(set(texts) - set(entries)) == [], "untranslated: run pybabel update (docs/boenderegister.md)"
    assert sorted(set(entries) - set(texts)) == [], "obsolete translations"
    for msgid, entry in entries.items():
        translations = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(translations), f"empty translation of {msgid!r}"
        assert not entry.fuzzy, f"fuzzy translation of {msgid!r}"
        for translation in translations:
            assert set(PLACEHOLDER.findall(translation)) <= set(PLACEHOLDER.findall(msgid)) | {"num"}, msgid
