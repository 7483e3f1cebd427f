"""Text as people read it: Unicode NFC normalisation and Swedish alphabetical order.

``nfc`` makes composed and decomposed spellings of the same text equal ("Qvägen" typed with ``ä`` or with
``a`` + U+0308), so they are one address and are counted as the characters a person sees.
``swedish_key`` sorts as a Swedish reader expects (Språkrådet / SS 13 67 01 in outline): the alphabet ends
``… x y z å ä ö``; accents other than the Swedish letters are secondary (``é`` sorts with ``e``), ``ü`` with ``y``,
``æ`` with ``ä``, ``ø`` with ``ö``; case is ignored; runs of digits sort by value ("2" before "12").
"""

from __future__ import annotations

import re
import unicodedata

_SWEDISH_LAST = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"}  # the three code points after "z"
_LIKE = {"ü": "y", "ß": "ss"}
_NUMBER_OR_TEXT = re.compile(r"(\d+)|(\D+)")


def nfc(text: str) -> str:
    """``text`` in Unicode normalisation form C (composed characters)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def nfc_or_none(text: str | None) -> str | None:
    return None if text is None else nfc(text)


def _letters(text: str) -> str:
    out = []
    for char in nfc(text).casefold():
        if char in _SWEDISH_LAST:
            out.append(_SWEDISH_LAST[char])
        elif char in _LIKE:
            out.append(_LIKE[char])
        else:
            base = unicodedata.normalize("NFD", char)
            out.append("".join(part for part in base if not unicodedata.combining(part)) or char)
    return "".join(out)


def swedish_key(text: str) -> tuple:
    """A sort key giving Swedish alphabetical order, numbers by value; ties broken by the exact text."""
    parts = tuple(
        (0, int(number), "") if number else (1, 0, _letters(words))
        for number, words in _NUMBER_OR_TEXT.findall(text or "")
    )
    return (parts, text or "")
