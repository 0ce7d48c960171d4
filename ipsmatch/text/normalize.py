"""Danish text normalisation and tokenisation for matching job titles and wishes.

The same functions run on both sides (taxonomy labels and free text), so every step only has
to be consistent, not linguistically perfect:

- lowercase, Unicode NFKC, accents dropped (``é`` → ``e``);
- Danish letters folded to their two-letter ASCII spellings (``æ`` → ``ae``, ``ø`` → ``oe``,
  ``å`` → ``aa``), so "paedagog", "pædagog" and "paedagog" meet;
- punctuation, hyphens and slashes become spaces; a suspended compound ("lager- og
  logistikmedarbejder") is expanded to both full words ("lagermedarbejder og
  logistikmedarbejder");
- a few general Danish abbreviations are written out ("sosu" → "social og sundheds");
- :func:`stem` strips common inflection (plural and definite endings).

>>> normalize("Lager- og Logistikmedarbejder")
'lagermedarbejder og logistikmedarbejder'
>>> tokens("Pædagogmedhjælpere")
['paedagogmedhjaelp']
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue",
                       "ß": "ss"})

#: General abbreviations in Danish job talk, written out (applied after folding).
ABBREVIATIONS: dict[str, str] = {
    "sosu": "social og sundheds",
    "sosuhjaelper": "social og sundhedshjaelper",
    "sosuassistent": "social og sundhedsassistent",
    "ass": "assistent",
    "udd": "uddannet",
    "medarb": "medarbejder",
}

#: Common heads of Danish job-title compounds ("lager|medarbejder", "truck|fører"). Used to split
#: a suspended compound and to glue a head written as its own word back onto its modifier
#: ("pædagog medhjælper" → "pædagogmedhjælper"). Folded spelling.
TITLE_HEADS: tuple[str, ...] = tuple(sorted({
    "medarbejder", "assistent", "medhjaelper", "hjaelper", "elev", "laerling", "leder", "chef",
    "tekniker", "foerer", "arbejder", "mand", "kvinde", "konsulent", "raadgiver", "ingenioer",
    "operatoer", "montoer", "mekaniker", "saelger", "koordinator", "sekretaer", "direktoer",
    "specialist", "ansvarlig", "pedel", "passer", "vagt", "terapeut", "plejer", "handler",
    "uddannet", "student", "praktikant", "funktionaer", "inspektoer", "administrator",
    "fuldmaegtig", "udvikler", "designer", "planlaegger", "betjent", "formand",
    "mester", "svend", "smed", "snedker", "maler", "chauffoer",
    "underviser", "vejleder", "sygeplejerske", "kok", "tjener", "bud", "hjaelp", "personale",
}, key=len, reverse=True))

_ACCENTS = re.compile(r"[\u0300-\u036f]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
# "lager- og logistik..." / "lager-, pakke- og ..." : a word ending in a hyphen before og/eller
_SUSPENDED = re.compile(r"([0-9a-z]+)-(?=\s*(?:,|og\b|eller\b|&|/))")

#: Inflection endings, longest first. Stripped only when a stem of >= 4 letters remains.
_ENDINGS: tuple[str, ...] = ("erne", "ene", "ere", "er", "en", "et", "e", "s")


# --- the three foldings: one name per meaning ------------------------------------------

def fold_to_ascii(text: str) -> str:
    """Lowercase, NFKC, æ/ø/å to ae/oe/aa, accents dropped; keeps punctuation. The form job
    titles, wishes and taxonomy labels meet in (occupation matching, the static model's
    vocabulary), so "pædagog" and "paedagog" are one word.

    >>> fold_to_ascii("Pædagog-Medhjælper, Café")
    'paedagog-medhjaelper, cafe'
    """
    text = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return _ACCENTS.sub("", text)


def fold_for_search(text: str) -> str:
    """NFKC and case-folded, Danish letters kept: the form the lexical index, its words and
    substring checks on ad text read.

    >>> fold_for_search("LAGER- og Pakkeopgaver ﬁ")
    'lager- og pakkeopgaver fi'
    """
    return unicodedata.normalize("NFKC", text).casefold()


def fold_for_terms(text: str) -> str:
    """:func:`fold_for_search` with runs of whitespace as one space: the form a citizen's
    avoid-terms and the ad text they are looked for in are matched in.

    >>> fold_for_terms("  Meget   KUNDEKONTAKT ")
    'meget kundekontakt'
    """
    return " ".join(fold_for_search(text).split())


def _head_of(word: str) -> str | None:
    """The known title head that ``word`` ends with, if any (longest match)."""
    for head in TITLE_HEADS:
        if word.endswith(head) and len(word) > len(head):
            return head
    return None


def _expand_suspended(text: str) -> str:
    """'lager- og logistikmedarbejder' → 'lagermedarbejder og logistikmedarbejder'."""
    if "-" not in text:
        return text
    matches = list(_SUSPENDED.finditer(text))
    if not matches:
        return text
    # The head comes from the first full word after the last suspended part.
    tail = _NON_WORD.split(text[matches[-1].end():].replace("og ", " ").replace("eller ", " "))
    full = next((w for w in tail if len(w) > 3), None)
    head = _head_of(full) if full else None
    if head is None:
        return text
    return _SUSPENDED.sub(lambda m: m.group(1) + head, text)


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Folded, punctuation-free, abbreviation-expanded text (words separated by one space)."""
    text = _expand_suspended(fold_to_ascii(text))
    words = _NON_WORD.sub(" ", text).split()
    out: list[str] = []
    for w in words:
        out.extend(ABBREVIATIONS.get(w, w).split())
    return " ".join(out)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Strip one common Danish inflection ending (plural, definite), keeping >= 4 letters.

    Applied to both sides of a comparison, so over-stripping is harmless as long as it is
    consistent: "medarbejdere", "medarbejderne" and "medarbejder" all become "medarbejd".
    """
    for end in _ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= 4:
            return word[: -len(end)]
    return word


def tokens(text: str) -> list[str]:
    """Normalised, stemmed word tokens of ``text``."""
    return [stem(w) for w in normalize(text).split()]


def join_heads(text: str) -> str:
    """Glue a title head written apart onto the word before it.

    "paedagog medhjaelper" → "paedagogmedhjaelper"; ``text`` must be normalised.
    """
    words = text.split()
    out: list[str] = []
    for w in words:
        if out and w in TITLE_HEADS and out[-1] not in ("og", "eller", "i", "til", "for", "af"):
            out[-1] += w
        else:
            out.append(w)
    return " ".join(out)
