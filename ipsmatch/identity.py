"""When two records are the same employer: one rule for the store's merge, feedback on
suggestions, the contact log and the matcher's employer columns.

The CVR number decides when it is known; otherwise the name, case-folded with punctuation
and the legal form (A/S, ApS, I/S, a.m.b.a. ...) removed, so "Netto A/S" and "NETTO" are one
employer everywhere.
"""

from __future__ import annotations

import re
import unicodedata

_LEGAL_FORMS = re.compile(
    r"\b(a/s|aps|i/s|k/s|p/s|ivs|amba|a\.m\.b\.a\.?|smba|s\.m\.b\.a\.?|fmba|f\.m\.b\.a\.?)(?=\W|$)"
)
_NON_WORD = re.compile(r"[^\w]+")


def name_key(name: str) -> str:
    """The identity of an employer's name (the store's ``employers.name_key`` column):
    NFKC, case-folded, ``&`` read as "og", legal forms and punctuation removed.

    >>> name_key("  Netto A/S ") == name_key("NETTO") == "netto"
    True
    >>> name_key("Jensen & Søn ApS")
    'jensen og søn'
    """
    s = unicodedata.normalize("NFKC", name).casefold().replace("&", " og ")
    s = _LEGAL_FORMS.sub(" ", s)
    return " ".join(_NON_WORD.sub(" ", s).split())


def employer_key(cvr: str | None, name: str | None) -> str | None:
    """``cvr:12345678`` when the CVR number is known, else ``name:<name_key>``; None when
    neither says who the employer is (no CVR, and a name that is empty or only a legal form).

    >>> employer_key(None, "Netto A/S") == employer_key(None, "NETTO") == "name:netto"
    True
    >>> employer_key(" 12345678 ", "Netto A/S")
    'cvr:12345678'
    """
    if cvr and cvr.strip():
        return f"cvr:{cvr.strip()}"
    key = name_key(name) if name else ""
    return f"name:{key}" if key else None


def same_employer(a_cvr: str | None, a_name: str | None,
                  b_cvr: str | None, b_name: str | None) -> bool:
    """CVR decides when both sides have one; otherwise the names' :func:`name_key` must be
    equal (and not empty).

    >>> same_employer(None, "Netto A/S", "12345678", "NETTO")
    True
    >>> same_employer("12345678", "Netto", "87654321", "Netto")
    False
    """
    if a_cvr and b_cvr:
        return a_cvr.strip() == b_cvr.strip()
    if a_name and b_name:
        a = name_key(a_name)
        return bool(a) and a == name_key(b_name)
    return False
