"""Job wishes the way citizens say them → the ISCO-08 unit groups they mean.

The vocabulary (``ipsmatch/data/wishes/wish_vocabulary_da.tsv``, provenance in its header) maps
everyday phrases to unit groups: fields and kinds of work ("noget med dyr", "kontorarbejde",
"noget kreativt"), colloquial, old and abbreviated titles ("skraldemand", "dagplejer",
"SOSU-hjælper"), everyday and Jobnet titles that ESCO's Danish labels lack ("sagsbehandler",
"procesoperatør", "smørrebrødsjomfru", "tømrerlærling"), shop chains ("ekspedient i Føtex")
and the helper role of a trade or place ("murerarbejdsmand", "hjælper i et køkken",
"medhjælper på en gård"). How a wish is read:

1. **Frame**: the words around the wish that say nothing about the job are dropped, from the
   front ("noget med", "arbejde på", "et job som", "something with", "vi søger", articles)
   and the back
   ("job", "arbejde", "work"): "et roligt job" → "roligt", "arbejde på et plejehjem" →
   "plejehjem".
2. **Whole phrase**, exactly or as an inflected form ("dyrene" → "dyr", "naturen" → "natur").
3. **Helper roles**: a helper word before a field ("hjælper i et køkken", "farm hand"), after
   it ("kitchen helper") or as the end of a compound ("murer|arbejdsmand",
   "håndværker|medhjælper") means the field's helper groups (the third column), or the field
   itself when it has none. A compound ending in "-job"/"-arbejde" means its field
   ("butiksarbejde", "skovarbejde").
4. **"X i/på/ved Y"**: X is what the citizen wants to do, Y the place or employer: X's groups
   count fully, Y's as "also acceptable" ("ekspedient i Føtex", "rengøring på et hospital"),
   also when X is unknown ("Friske medarbejdere til lageret": the place is a hint only).
5. **Typos**: when nothing above matched, the closest phrase by RapidFuzz ratio, if at least
   :data:`FUZZY_MIN` and one slip away (:func:`is_typo_of`: a letter wrong, missing, extra,
   or two swapped: "rengørring", "gartnr", "lagerarbjeder"). Two slips are another word:
   "serveringsmedarbejder" is not "sorteringsmedarbejder".

Texts with a comma (Jobnet/STAR "role, field" names) or of more than :data:`MAX_WORDS` words
are titles or descriptions, not everyday wishes, and get no groups.

The matcher (:meth:`~ipsmatch.taxonomy.occupations.OccupationMatcher.scores`) lifts the groups'
occupations and the groups themselves, ordered by their own fit to the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ipsmatch.text.normalize import fold_to_ascii

VOCABULARY = Path(__file__).resolve().parent.parent / "data" / "wishes" / "wish_vocabulary_da.tsv"

#: Weight of a main group ("what the phrase means") and of a "~" group ("also acceptable").
MAIN, ALSO = 1.0, 0.6
#: The place/employer part of "X i Y" counts as "also" (times this) beside X.
PLACE_SHARE = 0.6
#: Minimal RapidFuzz ratio (0-100) for a typo to count as a phrase; fuzzy hits are discounted.
FUZZY_MIN = 85
FUZZY_SHARE = 0.95
MAX_WORDS = 7

#: Frame words (folded) dropped from the front, longest first.
_LEAD = sorted((
    "jeg vil gerne arbejde med", "jeg vil gerne arbejde", "jeg vil gerne", "jeg vil", "gerne",
    "et job som", "et job i", "et job paa", "et job med", "et job inden for", "et job",
    "job som", "job i", "job paa", "job med", "job inden for", "job ved", "job hos",
    "arbejde som", "arbejde med", "arbejde i", "arbejde paa", "arbejde inden for",
    "arbejde ved", "arbejde hos", "arbejde ude", "noget med", "noget i", "noget paa",
    "noget inden for", "noget ved", "noget", "et", "en", "i", "paa", "ved", "med", "hos",
    "inden for", "indenfor", "something with", "something in", "something", "work with",
    "working with", "work in", "working in", "work as", "a job as", "a job in", "a job with",
    "a job", "job as", "jobs in", "jobs as", "a", "an", "the", "in", "with", "as",
    "vi soeger", "soeger", "we are looking for", "looking for", "we need",
), key=len, reverse=True)
_TRAIL = ("job", "jobs", "jobbet", "arbejde", "arbejdet", "work", "stilling", "stillinger")
#: Words that join a role to its place ("ekspedient i Føtex").
_PREPS = frozenset({"i", "paa", "ved", "hos", "for", "in", "at", "on", "with", "til"})
_ARTICLES = frozenset({"et", "en", "den", "det", "de", "a", "an", "the"})
#: Helper words, and the same as compound endings (longest first).
_HELPER_WORDS = frozenset({"hjaelper", "medhjaelper", "hjaelp", "medhjaelp", "arbejdsmand",
                           "helper", "hand", "assistent", "assistant"})
_HELPER_SUFFIXES = ("medhjaelper", "arbejdsmand", "medhjaelp", "hjaelper", "hjaelp")
_FIELD_SUFFIXES = ("arbejdet", "arbejde", "jobbet", "job")
#: Inflection endings tried when a single word is not a phrase ("dyrene" → "dyr").
_ENDINGS = ("erne", "ene", "en", "et", "ne", "er", "e", "s")
_NON_WORD = re.compile(r"[^a-z0-9&']+")

Groups = dict[str, float]


def norm(text: str) -> str:
    """Folded words separated by one space (æ → ae, punctuation and hyphens → space)."""
    return " ".join(_NON_WORD.sub(" ", fold_to_ascii(text)).split())


@dataclass
class Entry:
    """The groups a phrase means, and those its helper role means (may be empty)."""

    groups: Groups = field(default_factory=dict)
    helper: Groups = field(default_factory=dict)


def _parse_groups(spec: str, path: Path, lineno: int) -> Groups:
    out: Groups = {}
    for tok in spec.split():
        w = ALSO if tok.startswith("~") else MAIN
        code = tok.lstrip("~")
        if not (len(code) == 4 and code.isdigit()):
            raise ValueError(f"{path}:{lineno}: {tok!r} is not a 4-digit ISCO-08 unit group")
        out[code] = max(out.get(code, 0.0), w)
    return out


def _merge(into: Groups, more: Groups, share: float = 1.0) -> None:
    for code, w in more.items():
        into[code] = max(into.get(code, 0.0), w * share)


class WishVocabulary:
    """The phrase → groups table, and :meth:`groups` to read a wish with it."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries
        self._keys = [k for k in entries if len(k) >= 4]

    @classmethod
    def load(cls, path: Path = VOCABULARY) -> WishVocabulary:
        entries: dict[str, Entry] = {}
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 2:
                raise ValueError(f"{path}:{lineno}: expected phrases<TAB>groups[<TAB>helper]")
            groups = _parse_groups(cols[1], path, lineno)
            helper = _parse_groups(cols[2], path, lineno) if len(cols) > 2 else {}
            for phrase in cols[0].split("|"):
                key = norm(phrase)
                if not key:
                    continue
                e = entries.setdefault(key, Entry())
                _merge(e.groups, groups)
                _merge(e.helper, helper)
        return cls(entries)

    # --- reading a wish ------------------------------------------------------------------

    def groups(self, text: str) -> Groups:
        """ISCO unit group → weight (:data:`MAIN` / :data:`ALSO`, discounted for typos and
        places) for a wish; empty when the vocabulary does not know it."""
        if "," in text:
            return {}
        return dict(self._groups(norm(text)))

    @lru_cache(maxsize=8192)  # noqa: B019 - one vocabulary per process, wishes repeat
    def _groups(self, q: str) -> tuple[tuple[str, float], ...]:
        q = strip_frame(q)
        words = q.split()
        if not words or len(words) > MAX_WORDS:
            return ()
        found = self._exact(q)
        if found is not None:
            return tuple(found.groups.items())
        hit = self._helper(words)
        if hit is not None:
            return tuple(hit.items())
        for i, w in enumerate(words):
            if w in _PREPS and 0 < i < len(words) - 1:
                role = self._exact(" ".join(words[:i])) or self._fuzzy(" ".join(words[:i]))
                place = strip_frame(" ".join(words[i + 1:]))
                where = self._exact(place) or self._fuzzy(place)
                out: Groups = {}
                if role is not None:
                    _merge(out, role.groups)
                if where is not None:
                    _merge(out, where.groups, PLACE_SHARE)
                return tuple(out.items())
        fuzzy = self._fuzzy(q)
        return tuple(fuzzy.groups.items()) if fuzzy is not None else ()

    def _exact(self, q: str) -> Entry | None:
        e = self.entries.get(q)
        if e is not None or " " in q:
            return e
        e = self._compound(q)
        if e is not None:
            return e
        for end in _ENDINGS:
            if q.endswith(end) and len(q) - len(end) >= 3:
                e = self.entries.get(q[: -len(end)])
                if e is not None:
                    return e
        return None

    def _compound(self, w: str) -> Entry | None:
        """"butiksarbejde" → the field "butik"; "lagerjob" → "lager"."""
        for suf in _FIELD_SUFFIXES:
            if w.endswith(suf) and len(w) > len(suf) + 2:
                e = self._field(w[: -len(suf)])
                if e is not None:
                    return e
        return None

    def _field(self, stem_: str) -> Entry | None:
        """A compound's first part, with or without its linking -s/-e ("butiks", "håndværks")."""
        for cand in (stem_, stem_[:-1] if stem_[-1:] in "se" else None):
            if cand and len(cand) >= 2 and cand in self.entries:
                return self.entries[cand]
        return None

    def _helper(self, words: list[str]) -> Groups | None:
        def of(e: Entry | None) -> Groups | None:
            if e is None:
                return None
            return dict(e.helper or e.groups)

        if len(words) == 1:
            w = words[0]
            for suf in _HELPER_SUFFIXES:
                if w.endswith(suf) and len(w) > len(suf) + 2:
                    return of(self._field(w[: -len(suf)]))
            return None
        if words[0] in _HELPER_WORDS:  # "hjælper i et køkken", "medhjælper på en gård"
            rest = [w for w in words[1:] if w not in _PREPS and w not in _ARTICLES]
            return of(self._exact(" ".join(rest))) if rest else None
        if words[-1] in _HELPER_WORDS:  # "kitchen helper", "murer arbejdsmand"
            return of(self._exact(" ".join(words[:-1])))
        return None

    def _fuzzy(self, q: str) -> Entry | None:
        if len(q) < 5:
            return None
        from rapidfuzz import fuzz, process

        best = process.extractOne(q, self._keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN,
                                  processor=None)
        if best is None or not is_typo_of(q, best[0]):
            return None
        e = self.entries[best[0]]
        return Entry({c: w * FUZZY_SHARE for c, w in e.groups.items()},
                     {c: w * FUZZY_SHARE for c, w in e.helper.items()})


def strip_frame(q: str) -> str:
    """``q`` (normalised) without the words around the wish: "et roligt job" → "roligt"."""
    changed = True
    while changed and q:
        changed = False
        for lead in _LEAD:
            if q.startswith(lead + " "):
                q = q[len(lead) + 1:]
                changed = True
                break
    words = q.split()
    while len(words) > 1 and words[-1] in _TRAIL:
        words.pop()
    return " ".join(words)


def is_typo_of(text: str, phrase: str) -> bool:
    """One slip: OSA distance 1 (a letter wrong, missing or extra, or two neighbours
    swapped). A long compound two letters from a phrase ("serverings-" / "sorterings-
    medarbejder") or one that adds a part ("fin|mekanikerelev") is another word."""
    from rapidfuzz.distance import OSA

    return OSA.distance(text, phrase, score_cutoff=1) <= 1


@lru_cache(maxsize=2)
def load_vocabulary(path: Path = VOCABULARY) -> WishVocabulary:
    """The bundled vocabulary (cached)."""
    return WishVocabulary.load(path)
