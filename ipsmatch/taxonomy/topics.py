"""The kinds of work an ad's *text* describes: ISCO-08 unit groups, each with the phrase that
says so.

An ad's occupation is attached from its title (:mod:`ipsmatch.taxonomy.attach`). Many real
titles do not say the job ("Ny kollega søges", "Fleksjob i Vestjylland", "Come work with
us"); the text does ("… passe vores kalve: fodring, udmugning …"). The tagger reads the text
with four cue tables, each with a weight:

- **occupation names** (:data:`NAME`, 1.0): every Danish ESCO label (preferred and
  alternative) and English preferred label that belongs to one ISCO unit group, and the wish
  vocabulary's title phrases ("stuepige", "skraldemand", "omdeler");
- **tasks** (:data:`TASK`, 0.5): the task words of ``data/wishes/ad_task_words_da.tsv``
  ("udmugning", "gulvvask", "pick and pack"; provenance in its header);
- **trades and fields** (:data:`TRADE`, 0.5 / :data:`FIELD`, 0.35): the wish vocabulary's
  trade phrases ("murer", "lager", "køkken") and its broad kinds of work ("dyr",
  "rengøring", "food");
- **places** (:data:`PLACE`, 0.25): the vocabulary phrases that say where one works rather
  than what one does ("hospital", "hotel", "butik", "kantine"): cleaning on a hospital ward
  is not nursing, so a place alone never makes a topic.

How a text is read (folded words, :func:`ipsmatch.taxonomy.wishes.norm`; occupation names in
the text's language, :func:`language`):

1. At each word the longest cue phrase wins ("forklift drivers" is one cue, not "driver");
   a word matches a cue also inflected ("kalvene", "sygeplejersker": :data:`ENDINGS`, English
   plurals in English text) and, when it is no cue itself, as the head of a compound
   ("malkekøer" → "køer", full weight) or by its first part ("kalvebokse" → "kalve", at
   most :data:`PART`; an occupation name as first part is a company or a place:
   "ingeniørvirksomhed", and does not count).
2. An occupation name that is someone else — a colleague, a customer, who you report to —
   does not count, nor does anything read from it: the name follows one of :data:`OTHERS`
   within two words ("vores kok", "samarbejder med sygeplejersker og læger", "helping the
   vet", "med fem advokater", "ring til vores kontorchef").
3. Words that are everyday words of any job ad ("vagt" is a shift, "løn", "service",
   "kunder", English "have", "drive") are no cues (:data:`STOP`), and an occupation label
   shared by several unit groups names no group (but is still a name for rule 2).
4. A capitalised word inside a sentence is a name ("Thomsens Tømrer A/S søger …",
   "Murerfirmaet Sørensen"): it says who the employer is, not what the job is, and is no cue.
   A one-word Danish occupation name used as a verb (after a subject: "du hjælper", "vi
   producerer"; before an object: "hjælper vores snedkere"; joined to such a verb: "vi
   bager og sælger") or naming the company ("vi er en grossist") is no cue either. The
   vocabulary and task phrases are read in the language ESCO's labels put their words in
   ("kitchen": English only; "stald": Danish only; "lager" in both), each sentence in its
   own language (a Danish ad with "English version below" is both).
5. A cue right after a negation ("ikke", "ingen", "not", "no"; within two words: "du skal
   ikke være kok", "der er ingen tunge løft") is not the work, but "ikke kun", "not only"
   and the like are no negation. A task, trade or field cue done to one's own things
   ("rengøring af egne maskiner", "rengøre eget udstyr", "clean your own workstation") is
   part of some other job, not the work (:data:`OWN`).
6. A group's weight is the sum of the weights of its *distinct* cues, at most 1; groups of
   at least :data:`MIN_WEIGHT` are the ad's topics (at most :data:`MAX_TOPICS`, heaviest
   first). So one occupation name, task or trade phrase makes a topic; a broad field needs a
   second field or a place beside it; a place alone never makes one.

The matcher gives an ad a share of the occupation credit for a wished group that is one of
its topics (:data:`ipsmatch.relevance.TOPIC_CREDIT`), and the reason quotes the phrase.

    >>> t = TopicTagger.load()                                          # doctest: +SKIP
    >>> [(x.group, x.quote) for x in t.tag("Du skal passe vores kalve, fodring og udmugning")]
    [('9212', 'kalve'), ...]                                            # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ipsmatch.taxonomy.wishes import VOCABULARY, norm

#: Cue weights: an occupation name, a task, a trade, a broad field, a place, and the most a
#: compound's first part may weigh.
NAME, TASK, TRADE, FIELD, PLACE, PART = 1.0, 0.5, 0.5, 0.35, 0.25, 0.25
TASKS = VOCABULARY.parent / "ad_task_words_da.tsv"
#: A group needs this much weight to be one of the ad's topics; at most this many are kept.
MIN_WEIGHT, MAX_TOPICS = 0.5, 3
#: Only the start of a long text is read (the job is described before the boilerplate ends).
MAX_CHARS = 4000
#: Inflection endings tried on a text word (longest first), per language, and the shortest
#: stem kept.
ENDINGS = {"da": ("erne", "ene", "ers", "er", "en", "et", "ne", "e", "r", "s"),
           "en": ("es", "s")}
MIN_STEM = 3
#: A compound's head or first part is a cue only if both parts have at least this many letters.
MIN_PART = 4
#: Words after which an occupation name is someone else (folded; within two words).
OTHERS = frozenset({
    "vores", "vor", "vort", "din", "dit", "dine", "jeres", "deres", "hans", "hendes", "med",
    "til", "af", "os", "our", "your", "their", "with", "the", "by",
})
#: Function words that tell a Danish text from an English one (occupation labels are read
#: in the text's language only: English "trapper" is no Danish "trapper").
_DA_WORDS = frozenset({"og", "at", "du", "vi", "er", "til", "med", "af", "som", "har", "en",
                       "et", "der", "paa", "vores", "skal", "kan", "ikke"})
_EN_WORDS = frozenset({"and", "the", "you", "we", "are", "to", "with", "of", "as", "have",
                       "a", "an", "is", "on", "our", "will", "can", "not"})
#: The joiners that carry an excluded name on to the next ("sygeplejersker og læger").
_JOIN = frozenset({"og", "eller", "and", "or"})
#: Everyday job-ad words that are cues in the vocabulary but say nothing about the work here.
STOP = frozenset(norm(w) for w in (
    "vagt", "vagter", "løn", "service", "kunder", "kunde", "customer", "customers", "support",
    "supporter", "guide", "data", "it", "edb", "el", "tal", "bil", "biler", "bar", "bud",
    "post", "bus", "have", "haver", "ude", "udenfor", "folk", "people", "care", "caring",
    "mennesker", "borgere", "kreativ", "kreativt", "kreative", "design", "praktisk",
    "praktisk arbejde", "hands", "manual", "manuelt", "hænder", "hænderne", "sikkerhed",
    "security", "clean", "drive", "driving", "køre", "kørsel", "at køre", "transport",
    "levering", "delivery", "pleje", "omsorg", "stille", "rolig", "roligt", "quiet", "calm",
    "frisk luft", "outside", "outdoor", "sundhed", "health", "unge", "ældre", "syge",
    "gamle", "tøj", "mode", "sy", "træ", "wood", "metal", "jern", "vand", "rør", "strøm",
    "music", "musik", "sport", "motion", "natarbejde", "om natten", "night work", "salg",
    "sales", "telefon", "telefonen", "computer", "computere", "maskine", "maskiner",
    "machines", "samling", "fører", "driver", "leder",
    "chef", "assistent", "assistant", "medarbejder", "konsulent", "elev", "vikar", "bud",
    "hjælper", "medhjælper", "stable",
    "skole", "skolen", "school", "institution", "ejendom", "ejendomme", "property", "vej",
    "veje", "anlæg", "fisk", "natur", "naturen", "skov", "skoven", "nature", "forest",
))
#: Vocabulary phrases that name a place of work, not the work (:data:`PLACE` weight).
PLACES = frozenset(norm(w) for w in (
    "hospital", "sygehus", "patienter", "patients", "restaurant", "café", "cafe", "hotel",
    "hoteller", "hospitality", "butik", "butikken", "detailhandel", "supermarked", "shop",
    "retail", "supermarket", "kantine", "køkkenet", "byggeplads", "landbrug", "gård",
    "gården", "bondegård", "farm", "fabrik", "factory", "kontor", "office", "plejehjem",
    "plejecenter", "care home", "nursing home", "børnehave", "vuggestue", "sfo",
    "fritidshjem", "kindergarten", "nursery", "bageri", "bakery", "slagteri", "tandklinik",
    "dyreklinik", "genbrugsplads", "væksthus", "drivhus", "mejeri", "zoo", "zoologisk have",
    "gartneri", "skov", "dambrug", "havbrug", "vaskeri", "laundry",
))
#: Words of context on each side of a quote.
CONTEXT = 4
_SURFACE = re.compile(r"[^\W_]+(?:['&][^\W_]+)*")
#: Words after a cue that make it a requirement of the applicant, not the work.
REQUIREMENT_NEXT = frozenset({"licence", "license", "licenses", "licences", "certificate",
                              "certificates", "certifikat", "certifikater", "kort", "bevis",
                              "koerekort", "uddannelse", "training"})
#: Words that negate the cue after them (within two words), and words after a negation that
#: undo it ("ikke kun", "ikke mindst", "not only").
NEGATIONS = frozenset({"ikke", "ingen", "intet", "aldrig", "not", "no", "never"})
NOT_NEGATED = frozenset({"kun", "bare", "blot", "mindst", "alene", "only", "just", "least"})
#: After a task, trade or field cue: an optional preposition and possessive, then "own"
#: ("rengøring af egne maskiner", "clean your own workstation"): not the work.
OWN = frozenset({"egne", "eget", "egen", "own"})
_OWN_PREP = frozenset({"af", "paa", "of", "on", "for"})
_OWN_POSS = frozenset({"din", "dit", "dine", "sin", "sit", "sine", "jeres", "deres", "your",
                       "their", "his", "her"})
#: Words before a one-word occupation name that make it a verb (Danish present tense and
#: agent nouns share the ending -er: "du hjælper", "vi producerer", "der sælger"), and words
#: after it that make it one ("hjælper vores snedkere", "sælger dem").
SUBJECTS = frozenset({"du", "vi", "jeg", "man", "han", "hun", "de", "der"})
OBJECTS = frozenset({"vores", "din", "dit", "dine", "jeres", "deres", "os", "dem", "ham",
                     "hende", "mig", "sig", "en", "et", "den", "det", "de"})
#: Compound endings that make a word a shift ("nattevagter", "aftenvagt"), not a guard.
SHIFT_ENDINGS = ("vagterne", "vagter", "vagten", "vagt")
_SECTION = re.compile(r"^# --- (.*)")
#: Vocabulary sections, by the words their heading starts with.
_SECTION_WEIGHT = {"vague": FIELD, "trades": TRADE, "colloquial": NAME, "everyday": NAME,
                   "shop": 0.0}


@dataclass(frozen=True)
class Topic:
    """One kind of work the text describes: the unit group, its weight and the words."""

    group: str
    weight: float
    #: the ad's own words that say it, and a few words around them
    quote: str
    context: str
    #: where the context is in the text: (start, end, marks), see :func:`context_at`
    span: tuple[int, int, int] = (0, 0, 0)


Cue = tuple[str, str, float, str]


def _vocabulary_cues(path: Path) -> Iterable[tuple[str, str, float]]:
    """(folded phrase, group, weight) from the wish vocabulary, by section."""
    weight = FIELD
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _SECTION.match(line)
        if m:
            first = re.sub(r"\W", "", m.group(1).split()[0])
            weight = _SECTION_WEIGHT.get(first, weight)
            continue
        if not line.strip() or line.startswith("#") or weight <= 0:
            continue
        cols = line.split("\t")
        groups = [g for g in cols[1].split() if not g.startswith("~")]
        for phrase in cols[0].split("|"):
            key = norm(phrase)
            if not key:
                continue
            w = PLACE if key in PLACES else weight
            for g in groups:
                yield key, g, w


def _task_cues(path: Path) -> Iterable[tuple[str, str, float]]:
    """(folded phrase, group, TASK) from the task-word table."""
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 2 or not (len(cols[1]) == 4 and cols[1].isdigit()):
            raise ValueError(f"{path}:{lineno}: expected phrases<TAB>4-digit ISCO group")
        for phrase in cols[0].split("|"):
            key = norm(phrase)
            if key:
                yield key, cols[1], TASK


def _phrase_language(concepts: Iterable[object]) -> Callable[[str], str]:
    """A folded phrase's language by ESCO's own words: "en" when every word occurs in the
    English labels and one is in no Danish label ("kitchen"), "da" the other way
    round ("stald"), else both ("*": "truck", "lager")."""
    da: set[str] = set()
    en: set[str] = set()
    for c in concepts:
        for text, la, _pref in getattr(c, "labels", list)():
            (da if la == "da" else en).update(norm(text).split())

    def lang(key: str) -> str:
        ws = key.split()
        if all(w in en for w in ws) and any(w not in da for w in ws):
            return "en"
        if all(w in da for w in ws) and any(w not in en for w in ws):
            return "da"
        return "*"
    return lang


def _label_cues(concepts: Iterable[object]) -> Iterable[Cue]:
    """(folded label, group, NAME, lang) for the ESCO occupation labels in their language;
    a label of several groups gets the group "" (a name, but of no one group)."""
    groups: dict[tuple[str, str], set[str]] = {}
    for c in concepts:
        if getattr(c, "kind", "") != "occupation" or len(getattr(c, "isco", "")) != 4:
            continue
        for text, lang, pref in c.labels():  # type: ignore[attr-defined]
            key = norm(text)
            # ESCO's English alternative labels include bare nouns ("major", "host",
            # "products"); its Danish ones are synonyms of the job
            if lang == "en" and not pref:
                continue
            if len(key) >= (4 if lang == "da" or " " in key else 6):
                groups.setdefault((key, lang), set()).add(c.isco)  # type: ignore[attr-defined]
    for (key, lang), gs in groups.items():
        yield key, (next(iter(gs)) if len(gs) == 1 else ""), NAME, lang


#: What a cue phrase says: its (group, weight) pairs and whether it is an occupation name.
Hit = tuple[tuple[str, ...], tuple[tuple[str, float], ...], bool]


class TopicTagger:
    """Cue phrases (folded word tuples, per language) → groups; :meth:`tag` reads a text."""

    def __init__(self, cues: Iterable[Cue]) -> None:
        tables: dict[str, dict[tuple[str, ...], dict[str, float]]] = {"da": {}, "en": {}}
        for key, group, w, lang in cues:
            if key in STOP or w <= 0:
                continue
            words = tuple(key.split())
            for la in (("da", "en") if lang == "*" else (lang,)):
                slot = tables.setdefault(la, {}).setdefault(words, {})
                slot[group] = max(slot.get(group, 0.0), w)
        #: per language: phrase → ((group, weight), ...) without the "" of ambiguous names
        self.tables = {la: {k: tuple(sorted((g, w) for g, w in v.items() if g))
                            for k, v in t.items()} for la, t in tables.items()}
        self._names = {la: frozenset(k for k, v in t.items() if max(v.values()) >= NAME)
                       for la, t in tables.items()}
        # per language: first word → the lengths (> 1) of the phrases it starts, longest first
        self._starts: dict[str, dict[str, tuple[int, ...]]] = {}
        for la, t in self.tables.items():
            st: dict[str, set[int]] = {}
            for k in t:
                if len(k) > 1:
                    st.setdefault(k[0], set()).add(len(k))
            self._starts[la] = {w: tuple(sorted(v, reverse=True)) for w, v in st.items()}
        self._word = lru_cache(maxsize=200_000)(self._word_uncached)
        self._forms = lru_cache(maxsize=200_000)(self._forms_uncached)

    @classmethod
    def load(cls, concepts: Iterable[object] | None = None, vocabulary: Path = VOCABULARY,
             tasks: Path = TASKS) -> TopicTagger:
        """The tagger from the bundled taxonomy (or ``concepts``), the wish vocabulary and
        the task words. A phrase in both keeps its highest weight per group."""
        if concepts is None:
            from ipsmatch.taxonomy.concepts import load_taxonomy

            concepts = load_taxonomy().concepts
        concepts = list(concepts)
        lang = _phrase_language(concepts)
        return cls([*_label_cues(concepts),
                    *((k, g, w, lang(k)) for k, g, w in _vocabulary_cues(vocabulary)),
                    *((k, g, w, lang(k)) for k, g, w in _task_cues(tasks))])

    # -- reading -----------------------------------------------------------------------------

    def _forms_uncached(self, w: str, lang: str) -> tuple[str, ...]:
        """The word and its stems (the language's inflection endings removed)."""
        out = [w]
        for e in ENDINGS[lang]:
            if w.endswith(e) and len(w) - len(e) >= MIN_STEM:
                out.append(w[: -len(e)])
        return tuple(out)

    def _lookup(self, key: tuple[str, ...], lang: str) -> Hit | None:
        groups = self.tables[lang].get(key)
        name = key in self._names[lang]
        return (key, groups or (), name) if groups or name else None

    def _word_uncached(self, w: str, lang: str) -> Hit | None:
        """The cue one word says: itself or a stem; else a compound's head, or its first part
        (at most PART, and never an occupation name: "ingeniørvirksomhed")."""
        if w.endswith(SHIFT_ENDINGS) and not w.startswith("sikkerhed"):
            return None
        for f in self._forms(w, lang):
            hit = self._lookup((f,), lang)
            if hit:
                return hit
        if w in STOP or lang != "da" or w.endswith(SHIFT_ENDINGS):
            return None
        for i in range(MIN_PART, len(w) - MIN_PART + 1):
            for f in self._forms(w[i:], lang):
                hit = self._lookup((f,), lang)
                if hit and hit[1]:
                    return hit
        for i in range(len(w) - MIN_PART, MIN_PART - 1, -1):
            hit = self._lookup((w[:i],), lang)
            if hit and hit[1] and not hit[2]:
                return hit[0], tuple((g, min(x, PART)) for g, x in hit[1]), False
        return None

    def _phrase(self, words: list[str], i: int, lang: str) -> tuple[Hit | None, int]:
        """The longest cue starting at word ``i`` and its length in words."""
        n, starts = len(words), self._starts[lang]
        for first in self._forms(words[i], lang):
            for k in starts.get(first, ()):
                if k <= n - i:
                    mid = tuple(words[i + 1:i + k - 1])
                    for last in self._forms(words[i + k - 1], lang):
                        hit = self._lookup((first, *mid, last), lang)
                        if hit:
                            return hit, k
        return self._word(words[i], lang), 1

    def tag(self, text: str) -> list[Topic]:
        """The text's topics, heaviest first (ties by group)."""
        text = text[:MAX_CHARS]
        words, spans = _tokens(text)
        langs = _sentence_languages(text, words, spans)
        weight: dict[str, float] = {}
        seen: set[tuple[str, tuple[str, ...]]] = set()
        quote: dict[str, tuple[float, str, tuple[int, int, int]]] = {}
        i, n, excluded_until, verb_at = 0, len(words), -10, -10
        while i < n:
            lang = langs[i]
            hit, length = self._phrase(words, i, lang)
            if hit is not None:
                key, groups, name = hit
                other = name and (
                    not OTHERS.isdisjoint(words[max(0, i - 2):i])
                    or excluded_until == i - 1
                    or (excluded_until == i - 2 and words[i - 1] in _JOIN))
                if other:
                    excluded_until = i + length - 1
                elif i + length < n and words[i + length] in REQUIREMENT_NEXT:
                    pass  # "truckkort", "forklift licence": a requirement, not the work
                elif _negated(words, i):
                    pass  # "du skal ikke være kok", "ingen tunge løft"
                elif not name and _own(words, i + length):
                    pass  # "rengøring af egne maskiner": part of another job
                elif _proper_name(text, spans[i][0]):
                    pass  # "Thomsens Tømrer A/S", "Murerfirmaet Sørensen": a name
                elif name and length == 1 and lang == "da" and (
                        (i > 0 and words[i - 1] in SUBJECTS)
                        or (i + 1 < n and words[i + 1] in OBJECTS)
                        or (verb_at == i - 2 and words[i - 1] in _JOIN)
                        or words[max(0, i - 3):i] in (["vi", "er", "en"], ["vi", "er", "et"])):
                    # "du hjælper", "vi producerer", "sælger vores", "vi bager og sælger": a
                    # verb; "vi er en grossist": the company
                    verb_at = i
                else:
                    for g, w in groups:
                        if (g, key) in seen:
                            continue
                        seen.add((g, key))
                        weight[g] = weight.get(g, 0.0) + w
                        if w > quote.get(g, (0.0, "", (0, 0, 0)))[0]:
                            quote[g] = (w, _span(text, spans, i, i + length),
                                        _context(text, spans, i, i + length))
            i += length
        best = sorted((g for g, w in weight.items() if w >= MIN_WEIGHT - 1e-9),
                      key=lambda g: (-weight[g], g))
        return [Topic(g, round(min(1.0, weight[g]), 3), quote[g][1],
                      context_at(text, *quote[g][2]), quote[g][2])
                for g in best[:MAX_TOPICS]]


def _negated(words: list[str], i: int) -> bool:
    """True when the word at ``i`` follows a negation within two words ("ikke kok", "ingen
    tunge løft"), not one undone by the word between ("ikke kun", "not only")."""
    if i > 0 and words[i - 1] in NEGATIONS:
        return True
    return i > 1 and words[i - 2] in NEGATIONS and words[i - 1] not in NOT_NEGATED


def _own(words: list[str], j: int) -> bool:
    """True when the words from ``j`` are "(af|of …) (din|your …) egne/own"."""
    for w in words[j:j + 3]:
        if w in OWN:
            return True
        if w not in _OWN_PREP and w not in _OWN_POSS:
            return False
    return False


def _sentence_languages(text: str, words: list[str], spans: list[tuple[int, int]]
                        ) -> list[str]:
    """The language of each word's sentence ("English version below the Danish" ads are
    both); a sentence without function words takes the whole text's language."""
    whole = language(words)
    out: list[str] = []
    start = 0
    for i in range(1, len(words) + 1):
        if i == len(words) or _BOUNDARY.search(text, spans[i - 1][1], spans[i][0]):
            part = words[start:i]
            has = any(w in _DA_WORDS or w in _EN_WORDS for w in part)
            out += [language(part) if has else whole] * len(part)
            start = i
    return out


def language(words: list[str]) -> str:
    """'en' when a text's function words are mostly English, else 'da'."""
    da = sum(w in _DA_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    return "en" if en > da else "da"


def _tokens(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Folded words and, per folded word, the character span of the text word it came from
    (a word that folds into several gives each part the whole word's span)."""
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _SURFACE.finditer(text):
        for part in _fold_word(m.group()):
            words.append(part)
            spans.append(m.span())
    return words, spans


@lru_cache(maxsize=200_000)
def _fold_word(tok: str) -> tuple[str, ...]:
    return tuple(norm(tok).split())


def _span(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    """The text from folded word ``start`` to ``end`` (exclusive), as written, on one line."""
    return " ".join(text[spans[start][0]:spans[end - 1][1]].split())


_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]|\s[-–•*])[\s\"'(«»“”]*$")


def _proper_name(text: str, at: int) -> bool:
    """True when the word at ``at`` is capitalised inside a sentence: a name (a company, a
    place), as Danish and English common nouns are written in lower case."""
    if not text[at:at + 1].isupper():
        return False
    return _SENTENCE_START.search(text, max(0, at - 8), at) is None


_BOUNDARY = re.compile(r"[.!?;:\n]|\s[-–•*]\s")


#: Marks of a context span: the sentence goes on before it, after it ("…").
BEFORE, AFTER = 1, 2


def _context(text: str, spans: list[tuple[int, int]], start: int, end: int
             ) -> tuple[int, int, int]:
    """The span of words ``start:end`` with up to CONTEXT words on each side, within their
    sentence, and its marks (BEFORE, AFTER: the sentence goes on)."""
    a, b = spans[start][0], spans[end - 1][1]
    first, last = max(0, start - CONTEXT), min(len(spans), end + CONTEXT) - 1
    lo, hi = spans[first][0], spans[last][1]
    cut = [m.end() for m in _BOUNDARY.finditer(text, lo, a)]
    before = not cut and first > 0 and _BOUNDARY.search(text, spans[first - 1][1], lo) is None
    lo = cut[-1] if cut else lo
    m = _BOUNDARY.search(text, b, hi)
    after = m is None and last + 1 < len(spans) and \
        _BOUNDARY.search(text, hi, spans[last + 1][0]) is None
    hi = m.start() if m else hi
    return lo, hi, (BEFORE if before else 0) | (AFTER if after else 0)


def context_at(text: str, lo: int, hi: int, marks: int) -> str:
    """The context of a span as read aloud: its words on one line, with "…" where the
    sentence goes on, so it is read as an excerpt."""
    out = " ".join(text[lo:hi].split()).strip(" -–•*,")
    return f"{'… ' if marks & BEFORE else ''}{out}{' …' if marks & AFTER else ''}"


#: Bump when a rule above changes (the cue tables' own sources are hashed by tagger_version).
RULES = 4


def tagger_version(tagger: TopicTagger) -> str:
    """A short key for what decides an ad's topics: the rules and the cue tables."""
    cached = getattr(tagger, "_version", None)
    if cached:
        return str(cached)
    h = hashlib.sha256(f"{RULES}:{MIN_WEIGHT}:{MAX_TOPICS}:{MAX_CHARS}".encode())
    for la in sorted(tagger.tables):
        for k, v in sorted(tagger.tables[la].items()):
            h.update(f"{la}|{' '.join(k)}|{v}\n".encode())
    tagger._version = h.hexdigest()[:16]  # type: ignore[attr-defined]
    return str(tagger._version)  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def default_sources_key() -> str:
    """A cheap key for everything the default tagger is built from: the rules' constants, the
    bundled taxonomy, the wish vocabulary and task words, and the code that reads them. A
    topic index saved with the same key was made by the same tables, so loading it needs no
    tagger (building one reads ~90k labels: ~1 s). Any other key falls back to comparing
    :func:`tagger_version` of a built tagger."""
    from ipsmatch.taxonomy import wishes
    from ipsmatch.taxonomy.concepts import BUNDLE
    from ipsmatch.text import normalize

    h = hashlib.sha256(f"{RULES}:{MIN_WEIGHT}:{MAX_TOPICS}:{MAX_CHARS}".encode())
    for f in (BUNDLE, VOCABULARY, TASKS, Path(__file__), Path(wishes.__file__),
              Path(normalize.__file__)):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def default_tagger() -> TopicTagger:
    """The tagger over the bundled taxonomy and vocabulary (built once per process)."""
    return TopicTagger.load()
