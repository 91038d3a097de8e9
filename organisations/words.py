"""How the directory splits text into words, shared by search (``organisations.search``) and the
synonym list (``SynonymGroup``), so a phrase an officer types is split exactly as a resident's
search is."""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"\w+", re.UNICODE)


def words_of(text: str) -> list[str]:
    """The lower-cased words of ``text``, punctuation dropped: ``"St. Mary's  LUNCH-club!"`` →
    ``["st", "mary", "s", "lunch", "club"]``. Word characters carry no SQL or tsquery syntax."""
    return [word.lower() for word in _WORD_RE.findall(text or "")]
