"""Rule-based facts from Danish and English job-ad text: schedule, physical demands, tempo,
accommodations, weekly hours. Each fact keeps the phrase it rests on, so a reason can quote it.

A fact the text does not state is simply absent (unknown); we prefer missing a fact to
inventing one, so patterns are anchored on word boundaries and Danish compounds are listed.

    >>> facts = extract_facts("Lagermedarbejder", "Ingen nattevagter. Tunge løft.")
    >>> [(f.key, f.value) for f in facts]
    [('night', False), ('heavy_lifting', True)]
    >>> extract_hours("Stillingen er på 20-25 timer ugentligt")
    (20.0, 25.0, '20-25 timer ugentligt')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ipsmatch.domain import Fact

MAX_PHRASE = 120
FULL_TIME_HOURS = 37.0

_F = re.IGNORECASE | re.UNICODE

# (key, value, pattern). value=False patterns state absence outright ("kun dagarbejde" → no
# night). Order matters only within one sentence: the first pattern to hit a key wins there.
_RULES: list[tuple[str, bool, str]] = [
    # --- stated absence (checked first) ---------------------------------------------------
    ("night", False, r"\bkun\s+(?:dag(?:arbejde|vagt\w*|timer\w*|tid)?|i\s+dagtimerne)\b"),
    ("evening", False, r"\bkun\s+(?:dag(?:arbejde|vagt\w*|timer\w*|tid)?|i\s+dagtimerne)\b"),
    ("night", False,
     r"\b(?:day\s*time|day)\s+(?:work\s+|shifts?\s+)?only\b|\bonly\s+day(?:time)?\b"),
    ("evening", False,
     r"\b(?:day\s*time|day)\s+(?:work\s+|shifts?\s+)?only\b|\bonly\s+day(?:time)?\b"),
    ("weekend", False,
     r"\bfri\s+(?:i|om|alle)\s+weekend(?:en|erne)\b|\bweekend(?:en|erne)\s+(?:er\s+)?fri\b"
     r"|\bkun\s+(?:på\s+)?hverdage\b|\bmandag\s*(?:-|–|til)\s*fredag\b"
     r"|\bmonday\s*(?:-|–|to)\s*friday\b|\bweekends\s+off\b"),
    # --- schedule ---------------------------------------------------------------------------
    ("day", True,
     r"\bdag(?:vagt|arbejde|timer|hold|skift|tjeneste)\w*|\bi\s+dagtimerne\b"
     r"|\bdag\s*(?:-\s*)?(?:og|eller|/|,)\s*(?:aften|nat)(?:en|ten|vagt\w*|arbejde\w*|hold\w*"
     r"|skift\w*|undervisning\w*|timer\w*)?\b|\bmorgen\s*/\s*dag\b"
     r"|\bday\s*time\b|\bday\s+shifts?\b|\bdaytime\b|\bkun\s+dag\w*"
     r"|\bday\s*(?:,|and|or|/)\s*(?:evening|night)s?\b"),
    ("evening", True,
     r"\baften(?:vagt|arbejde|hold|skift|tjeneste|timer|undervisning)\w*"
     r"|\b(?:om|i|til|og|/)\s*aften(?:en|er|erne)?\b|\baften\s*(?:/|og)\s*nat\b"
     r"|\bevening(?:s|\s+shifts?|\s+work)?\b"),
    ("night", True,
     r"\bnat(?:te)?(?:vagt|arbejde|hold|skift|tjeneste)\w*|\bom\s+natten\b"
     r"|\b(?:aften|dag|og)\s*/\s*nat\b|\b(?:dag|aften)\s+og\s+nat\b"
     r"|\bnight\s*(?:shifts?|work|duty)\b|\bnights\b|\bovernight\s+shifts?\b"),
    ("weekend", True,
     r"\bweekend(?:vagt|arbejde|tjeneste|hold|skift)\w*|\bweekend(?:er|erne|en|s)?\b"
     r"|\blørdag(?:e)?\s*(?:og|/|,|eller)\s*søndag(?:e)?\b"
     r"|\b(?:om|på)\s+(?:lørdag|søndag)(?:en|e)\b|\b(?:on|at)\s+(?:saturdays?|sundays?)\b"
     r"|\bsaturdays?\s+and\s+sundays?\b|\bsunday\s+(?:through|to)\s+\w+day\b"),
    ("shifts", True,
     r"\bskifteholds?\w*|\b\w*holds?skift\w*|\bskift(?:e)?arbejde\b|\bskiftende\s+(?:vagter|"
     r"arbejdstider)\b|\b(?:rulle|vagt)plan\w*|\bshift\s*work\b|\brotating\s+shifts?\b"
     r"|\bwork(?:ing)?\s+(?:in\s+)?shifts\b|\b(?:2|3|two|three)[- ]shift\b"),
    # --- physical and social demands -----------------------------------------------------
    ("heavy_lifting", True,
     r"\btunge?\s+løft\w*|\bløft\w*\s+af\s+tunge\b|\bløfte\s+tung\w*|\bfysisk\s+(?:hårdt|"
     r"krævende|hårde?)\b|\bheavy\s+lifting\b|\blift(?:ing)?\s+heavy\b|\bphysically\s+"
     r"(?:demanding|hard)\b|\btunge\s+(?:ting|emner|kasser|varer)\b"),
    ("standing", True,
     r"\bstående\s+arbejde\b|\barbejde(?:r)?\s+stående\b|\bstå(?:r)?\s+op\s+(?:det\s+meste\s+af"
     r"|hele|store\s+dele\s+af)\b|\bpå\s+benene\s+(?:hele|det\s+meste)\b|\bon\s+your\s+feet\b"
     r"|\bstanding\s+(?:work|job|for\s+long)\b|\bstand(?:ing)?\s+for\s+long\b"),
    ("customer_contact", True,
     r"\bkunde(?:kontakt|service|betjening|henvendelser|dialog)\w*|\bbetjen(?:e|ing\s+af)\s+"
     r"(?:vores\s+)?kunde\w*|\bkontakt\s+med\s+(?:vores\s+)?kunde\w*|\bcustomer[- ](?:service|"
     r"contact|facing)\b|\bcontact\s+with\s+customers\b|\bserving\s+customers\b"),
    ("high_tempo", True,
     r"\bhøjt?\s+tempo\b|\btravl(?:t|e|hed)?\b|\bhektisk\w*|\bfast[- ]paced\b|\bhigh\s+pace\b"
     r"|\bbusy\b"),
    ("low_tempo", True,
     r"\broligt\s+tempo\b|\bi\s+(?:dit\s+)?eget\s+tempo\b|\bstille\s+og\s+roligt\b"
     r"|\bat\s+your\s+own\s+pace\b|\b(?:calm|relaxed|steady)\s+pace\b"),
    ("flexible_start", True,
     r"\bfleksib(?:el|le)\s+(?:mødetid\w*|arbejdstid\w*|arbejdstider)\b|\bfle[kx]s(?:tid|ible)?"
     r"\s*tid\b|\bflekstid\b|\bflextid\b|\barbejdstid(?:en|erne)?\s+er\s+(?:meget\s+)?fleksib\w+"
     r"|\bflexible\s+(?:working\s+)?(?:hours|start|schedule)\b|\bflexitime\b"),
    ("part_time_possible", True,
     r"\bmulighed\s+for\s+(?:at\s+arbejde\s+)?(?:på\s+)?(?:deltid|nedsat\s+tid)\b"
     r"|\bnedsat\s+(?:tid|arbejdstid)\b|\bdeltid\s+er\s+(?:også\s+)?en\s+mulighed\b"
     r"|\bønske\s+om\s+deltid\w*|\bdeltid\s+kan\s+(?:også\s+)?(?:aftales|arrangeres)\b"
     r"|\bfuldtid\s+eller\s+deltid\b|\bfull[- ]time\s+or\s+part[- ]time\b"
     r"|\bpart[- ]time\s+(?:work\s+)?(?:is\s+)?(?:possible|an\s+option|can\s+(?:also\s+)?be\s+"
     r"arranged)\b|\boption\s+(?:of|for)\s+part[- ]time\b"),
    ("quiet_workplace", True,
     r"\b(?:rolige|stille)\s+omgivelser\b|\bstille\s+arbejdsplads\b|\brolig(?:t)?\s+"
     r"(?:miljø|arbejdsmiljø|arbejdsplads)\b|\bquiet\s+(?:work\w*|environment|office|"
     r"surroundings)\b|\bcalm\s+(?:work\w*|environment|surroundings)\b"),
    ("fixed_tasks", True,
     r"\bfaste\s+(?:arbejds)?opgaver\b|\brutine(?:opgaver|prægede?|arbejde)\b|\bfaste\s+rammer"
     r"\b|\bfast\s+struktur\b|\b(?:genkendelige|ensartede)\s+(?:arbejds)?opgaver\b"
     r"|\b(?:routine|repetitive|fixed)\s+tasks\b"),
    ("mentor", True,
     r"\bmentor\w*|\bfast\s+kontaktperson\b|\bsidemandsoplæring\b|\bbuddy\b|\bmakkerordning\b"
     r"|\bfølordning\b|\b(?:gå|går|gå\s+med\s+som|være)\s+føl\b"),
    ("extra_breaks", True,
     r"\bpauser\s+efter\s+behov\b|\b(?:ekstra|hyppige|flere)\s+pauser\b|\bbreaks\s+as\s+needed\b"
     r"|\b(?:extra|frequent)\s+breaks\b"),
    ("driving_licence", True,
     r"(?<![\w])(?:[BC]E?-)?kørekort\b|\bdriv(?:er'?s|ing)\s+licen[cs]e\b"),
]


def _required_factors(pattern: str) -> frozenset[str] | None:
    """Lower-cased strings of which every match of ``pattern`` contains at least one, or None
    when none can be derived. A cheap substring test on them skips rules that cannot match
    (the idea of RE2's prefilter); the regex still decides."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        return _seq_factors(list(_parser.parse(pattern, _F)))
    except Exception:  # a parser change in a later Python: just no prefilter
        return None


def _seq_factors(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    cands: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            cands.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(av).lower())
            continue
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero width: the literal run on either side stays contiguous
        flush()
        sub: frozenset[str] | None = None
        if name == "SUBPATTERN" and not av[1] and not av[2]:  # (group, add_flags, del_flags, p)
            sub = _seq_factors(list(av[3]))
        elif name == "BRANCH":
            branches = [_seq_factors(list(b)) for b in av[1]]
            if all(b is not None for b in branches):
                sub = frozenset().union(*branches)  # type: ignore[arg-type]
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            sub = _seq_factors(list(av[2]))
        if sub:
            cands.append(sub)
    flush()
    if not cands:
        return None
    # The most selective: longest shortest string, then fewest strings.
    return max(cands, key=lambda c: (min(map(len, c)), -len(c)))


# Danish suspended compounds name a schedule without its head: "aften- og nattevagter",
# "dag-, aften- og weekendvagter", "nat- eller weekendarbejde". The part before the hyphen
# is a schedule of its own when the list ends in a word with a schedule head.
_SUSPENDED_TAIL = (r"-\s*(?:,|og\b|eller\b|&|/)\s*(?:\w+-\s*(?:,|og\b|eller\b|&|/)\s*)*"
                   r"\w*(?:vagt|arbejde|hold|skift|tjeneste|timer|undervisning)\w*")
for _i, (_k, _v, _p) in enumerate(_RULES):
    _lead = {"day": r"dag", "evening": r"aften", "night": r"nat(?:te)?",
             "weekend": r"weekend"}.get(_k) if _v else None
    if _lead is not None:
        _RULES[_i] = (_k, _v, _p + rf"|\b{_lead}{_SUSPENDED_TAIL}")

_COMPILED = [(k, v, re.compile(p, _F), _required_factors(p)) for k, v, p in _RULES]
# Characters that IGNORECASE matching folds differently from str.lower() (ſ ~ s, K ~ k,
# İ lowers to two characters...): a text holding any of them skips the prefilter.
try:
    from re import _casefix  # type: ignore[attr-defined]

    _FOLD_SPECIAL = frozenset(
        c for c in ({chr(k) for k in _casefix._EXTRA_CASES}
                    | {chr(x) for v in _casefix._EXTRA_CASES.values() for x in v}
                    | {"\u0130"})
        if not c.isascii())  # the rules' own literals are plain letters
except Exception:  # pragma: no cover - later Pythons: no prefilter at all
    _FOLD_SPECIAL = frozenset()
    _COMPILED = [(k, v, rx, None) for k, v, rx, _ in _COMPILED]

_NEG_BEFORE = re.compile(
    r"\b(?:ingen|ikke|intet|uden|aldrig|no|not|never|without|non)\b(?:\s+\S+){0,3}\s*$", _F)
# "du er ikke bange for tunge løft" states the demand, it does not deny it.
_NOT_A_NEGATION = re.compile(r"\b(?:bange|afvisende|imod|uvant|afraid|mind)\b", _F)
_NEG_AFTER = re.compile(
    r"^\W{0,3}(?:\S+\s+){0,2}(?:er\s+)?(?:ikke\s+(?:et\s+)?(?:krav|nødvendig\w*|påkrævet)"
    r"|not\s+(?:required|necessary|needed))\b", _F)

# Sentence ends: . ! ? ; before whitespace (not "07.00"), line breaks, bullets.
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|[•·]")


def _fragments(text: str) -> Iterable[tuple[int, str]]:
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        frag = text[pos:m.start()]
        if frag.strip():
            yield pos, frag
        pos = m.end()
    if text[pos:].strip():
        yield pos, text[pos:]


def _phrase(frag: str, start: int, end: int) -> str:
    """The fragment around a match, at most MAX_PHRASE characters, whitespace collapsed."""
    frag_clean = frag.strip()
    if len(frag_clean) <= MAX_PHRASE:
        return " ".join(frag_clean.split())
    half = (MAX_PHRASE - (end - start)) // 2
    lo = max(0, start - max(half, 0))
    hi = min(len(frag), lo + MAX_PHRASE)
    lo = max(0, hi - MAX_PHRASE)
    window = frag[lo:hi]
    # Do not cut words in half at the edges.
    if lo > 0 and " " in window:
        window = window[window.index(" ") + 1:]
    if hi < len(frag) and " " in window:
        window = window[: window.rindex(" ")]
    return " ".join(window.split())


def _negated(frag: str, start: int, end: int) -> bool:
    before = frag[max(0, start - 40):start]
    m = _NEG_BEFORE.search(before)
    if m and not _NOT_A_NEGATION.search(m.group(0)):
        return True
    return bool(_NEG_AFTER.search(frag[end:end + 40]))


def extract_facts(title: str, text: str, *, prefilter: bool = True) -> list[Fact]:
    """Facts stated in an ad's title and text, one per key (the first statement wins),
    in ``FACT_KEYS`` vocabulary, each with the phrase it came from (``source='text'``).

    ``prefilter=False`` runs every rule's regex on every sentence; the default first skips
    rules whose required words are absent (same result, ~3x faster; tested)."""
    seen: dict[str, Fact] = {}
    for body in (title or "", text or ""):
        if not isinstance(body, str):
            continue
        body = body[:200_000]
        low = body.lower() if prefilter and _FOLD_SPECIAL.isdisjoint(body) else None
        if low is not None and len(low) != len(body):
            low = None
        rules = _COMPILED if low is None else [
            r for r in _COMPILED if r[3] is None or any(f in low for f in r[3])]
        for pos, frag in _fragments(body):
            flow = low[pos:pos + len(frag)] if low is not None else None
            for key, value, rx, factors in rules:
                if key in seen:
                    continue
                if flow is not None and factors is not None \
                        and not any(f in flow for f in factors):
                    continue
                m = rx.search(frag)
                if not m:
                    continue
                val = value
                if value and _negated(frag, m.start(), m.end()):
                    val = False
                seen[key] = Fact(key=key, value=val, phrase=_phrase(frag, m.start(), m.end()),
                                 source="text")
    return list(seen.values())


# --- weekly hours ---------------------------------------------------------------------------

_NUM = r"(\d{1,2}(?:[.,]\d{1,2})?)"
_RANGE_SEP = r"\s*(?:-|–|—|til|to)\s*"
_HOURS_WORD = r"(?:timer|timers|time|t\.?|hours?|hrs?\.?)"
_WEEK = (r"(?:om\s+ugen|i\s+ugen|pr\.?\s*uge\w*|per\s+uge|/\s*ugen?|/\s*u\b|ugentlig[t]?"
         r"|pr\s*\.?(?=\s*$)|(?:per|a|each|every|/)\s*week|weekly|pw\b)")
_HOURS_PATTERNS = [
    # "20-25 timer ugentligt", "mellem 25 - 37 timer om ugen", "32-37 hours per week"
    re.compile(rf"(?:mellem\s+|between\s+)?{_NUM}{_RANGE_SEP}{_NUM}\s*\+?\s*{_HOURS_WORD}\s*"
               rf"{_WEEK}", _F),
    # "ugentlig arbejdstid mellem 25 - 37 timer", "12-15 timer" after a weekly cue
    re.compile(rf"(?:ugentlig\w*|weekly|per\s+week)\D{{0,40}}?{_NUM}{_RANGE_SEP}{_NUM}\s*"
               rf"{_HOURS_WORD}", _F),
    # "30 t./uge", "37 timer om ugen", "32 hours per week", "25+ timer pr. uge"
    re.compile(rf"{_NUM}\s*\+?\s*{_HOURS_WORD}\s*{_WEEK}", _F),
    # "en 37 timers stilling", "37-timers stilling"
    re.compile(rf"{_NUM}\s*-?\s*timers?\s*(?:stilling|job|ansættelse)", _F),
    # "stillingen er på 30 timer", "vikariat på 30 timer", "lærere på 37 timer"
    re.compile(rf"(?:stilling\w*|job\w*|vikariat\w*|ansættelse|arbejdstid\w*|normeret\s+til|"
               rf"(?:på|af)(?=\s+\d))\s*(?:er\s+)?(?:på\s+|af\s+|til\s+)?{_NUM}\s*"
               rf"(?:{_RANGE_SEP}{_NUM}\s*)?timer\b(?!\s+(?:over|i\s+døgnet|om\s+dagen|dagligt"
               rf"|om\s+måneden|pr\.?\s*(?:dag|måned|døgn)))", _F),
]
_FULL_TIME = re.compile(r"\bfuld\s*tid(?:en)?\b|\bfuldtids(?:stilling|job|ansættelse|ansat)\w*"
                        r"|\bfull[- ]time\b", _F)
# "75 % af fuldtid" = a share of a 37-hour week.
_SHARE_OF_FULL = re.compile(r"\b(\d{1,3}(?:[.,]\d+)?)\s*%\s*(?:af\s+(?:en\s+)?)?(?:fuld\s*tid\w*"
                            r"|normal\s+(?:arbejds)?tid|of\s+full[- ]time)", _F)
_PART_TIME = re.compile(r"\bdeltid\w*|\bpart[- ]time\b", _F)


def _num(s: str | None) -> float | None:
    if s is None:
        return None
    try:
        return float(s.replace(",", "."))
    except ValueError:
        return None


def extract_hours(text: str) -> tuple[float | None, float | None, str | None]:
    """Weekly hours stated in ``text`` as ``(min, max, phrase)``.

    Numbers win ("20-25 timer ugentligt" → 20, 25); else "fuldtid"/"full time" → 37, 37;
    else "deltid"/"part time" → ``(None, None, phrase)`` (part-time, amount unknown);
    else ``(None, None, None)``. Text naming both full and part time without numbers is
    ambiguous and gives nothing."""
    if not text or not isinstance(text, str):
        return None, None, None
    text = text[:200_000]
    for rx in _HOURS_PATTERNS:
        for m in rx.finditer(text):
            nums = [n for n in (_num(g) for g in m.groups() if g is not None) if n is not None]
            if not nums or not all(0 < n <= 80 for n in nums):
                continue
            lo, hi = (nums[0], nums[1]) if len(nums) > 1 else (nums[0], nums[0])
            if lo > hi:
                continue
            phrase = " ".join(m.group(0).split())
            if len(nums) == 1 and re.search(r"\d\s*\+", phrase):
                return lo, None, phrase  # "25+ timer": at least 25
            return lo, hi, phrase
    share = _SHARE_OF_FULL.search(text)
    if share:
        pct = _num(share.group(1))
        if pct is not None and 0 < pct <= 100:
            h = round(FULL_TIME_HOURS * pct / 100, 1)
            return h, h, " ".join(share.group(0).split())
    full = _FULL_TIME.search(text)
    part = _PART_TIME.search(text)
    if full and not part:
        return FULL_TIME_HOURS, FULL_TIME_HOURS, full.group(0)
    if part and not full:
        return None, None, part.group(0)
    return None, None, None
