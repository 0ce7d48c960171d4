"""Recognise education: apprentice and trainee ads, and wishes that are about education.

An ad is an *education ad* when its title names an apprentice or trainee place ("Køkkenelev",
"Tømrerlærling", "Elevplads som kontorassistent", "Trainee i logistik"), or it offers a
"praktikplads" and says it is part of an erhvervsuddannelse. "Virksomhedspraktik" (an unpaid
job-centre placement) is not education and is left alone.

    >>> education_kind("Køkkenelev", "")
    'elev'
    >>> education_kind("Elevatormontør", "") is None
    True
"""

from __future__ import annotations

import re

from ipsmatch.text.normalize import fold_for_search

#: kind code -> (Danish, English) label shown for an education ad
AD_KINDS: dict[str, tuple[str, str]] = {
    "elev": ("elevplads", "apprenticeship (elev)"),
    "laerling": ("lærlingeplads", "apprenticeship (lærling)"),
    "trainee": ("traineestilling", "trainee position"),
    "praktikplads": ("praktikplads i en erhvervsuddannelse", "training place in vocational "
                                                             "education"),
}

# "elev" as the end of a compound ("køkkenelev", "sosu-elev", "assistentelever"), as the
# title's first word ("Elev til kontoret"), or "elevplads"/"elevstilling"; not "elevator",
# "relevant", nor "elever" in "skole med 400 elever".
_ELEV = re.compile(r"(?:\w{3,}|\w-)elev(?:er|en|erne)?\b|^elev(?:er)?\b"
                   r"|elev(?:plads|pladser|stilling|stillinger)\b", re.UNICODE)
_LAERLING = re.compile(r"lærling(?:e|en|ene|eplads|epladser)?\b", re.UNICODE)
_TRAINEE = re.compile(r"\btrainee", re.UNICODE)
_PRAKTIKPLADS = re.compile(r"\bpraktikplads(?:er|en)?\b|\blæreplads", re.UNICODE)
_EUD = re.compile(r"erhvervsuddannelse|\beud\b|\beux\b|uddannelsesaftale|hovedforløb"
                  r"|læretid|\bsvend", re.UNICODE)


def education_kind(title: str, text: str = "") -> str | None:
    """The kind of education an ad offers (a key of :data:`AD_KINDS`), or None for a job."""
    t = fold_for_search(title or "")
    if _LAERLING.search(t):
        return "laerling"
    if _ELEV.search(t):
        return "elev"
    if _TRAINEE.search(t):
        return "trainee"
    if _PRAKTIKPLADS.search(t) and (_EUD.search(t) or _EUD.search(fold_for_search(text or ""))):
        return "praktikplads"
    return None


#: Words that make a wish (or a search) about education. word -> the offer type it names,
#: or "" when it names none ("uddannelse", "elevplads").
EDUCATION_WORDS: dict[str, str] = {
    "uddannelse": "", "uddannelsen": "", "uddannelser": "", "uddanne": "", "uddannes": "",
    "erhvervsuddannelse": "eud", "eud": "eud", "eux": "eux", "elev": "", "elevplads": "",
    "elevpladser": "", "lærling": "", "lærlingeplads": "", "læreplads": "",
    "praktikplads": "", "trainee": "", "skole": "", "skolen": "", "kursus": "amu",
    "kurser": "amu", "amu": "amu", "amu-kursus": "amu", "hf": "hf", "avu": "vuc", "vuc": "vuc",
    "fvu": "fvu", "studere": "", "studie": "", "læse": "", "universitet": "university",
    "erhvervsakademi": "erhvervsakademi", "akademiuddannelse": "erhvervsakademi",
    "efteruddannelse": "amu", "videreuddannelse": "", "opkvalificering": "amu",
    "grundforløb": "eud", "svendebrev": "eud", "9. klasse": "vuc", "afgangsprøve": "vuc",
}
#: filler around an education wish ("tage en uddannelse som tømrer" -> "tømrer")
_FILLER = frozenset({"en", "et", "at", "som", "til", "i", "på", "inden", "for", "indenfor",
                     "med", "og", "tage", "starte", "begynde", "gå", "komme", "vil", "gerne",
                     "noget", "mig", "min", "mit", "færdig", "færdiggøre", "have", "få",
                     "ind", "the"})
_WORD = re.compile(r"[\wæøå.\-]+", re.UNICODE)


def education_terms(wish: str) -> tuple[bool, str | None, str]:
    """Is ``wish`` about education, which offer type it names (or None), and what is left
    once the education words and filler are removed (the subject: "tømrer", "" for none).

        >>> education_terms("uddannelse som tømrer")
        (True, None, 'tømrer')
        >>> education_terms("tage HF")
        (True, 'hf', '')
        >>> education_terms("lagerarbejde")
        (False, None, 'lagerarbejde')
    """
    folded = fold_for_search(wish)
    found = False
    kind: str | None = None
    rest: list[str] = []
    for w in _WORD.findall(folded):
        w = w.strip(".-")
        if not w:
            continue
        if w in EDUCATION_WORDS:
            found = True
            kind = kind or (EDUCATION_WORDS[w] or None)
        elif w.endswith(("elev", "elever", "lærling", "lærlinge")) and len(w) > 6:
            found = True  # "kokkeelev", "tømrerlærling": the trade is the subject
            rest.append(re.sub(r"(elev|elever|lærling|lærlinge)$", "", w).rstrip("-e") or w)
        elif w not in _FILLER:
            rest.append(w)
    if not found:
        return False, None, wish.strip()
    return True, kind, " ".join(rest)
