"""Rule-based facts from Danish and English job-ad text: schedule, physical demands, tempo,
accommodations, weekly hours. Each fact keeps the phrase it rests on, so a reason can quote it.

A fact the text does not state is simply absent (unknown); we prefer missing a fact to
inventing one, so patterns are anchored on word boundaries and Danish compounds are listed.

    >>> facts = extract_facts("Lagermedarbejder", "Ingen nattevagter. Tunge løft.")
    >>> [(f.key, f.value) for f in facts]
    [('night', False), ('heavy_lifting', True)]
    >>> [(f.key, f.value, f.implied) for f in extract_facts("", "Arbejdstid 07.00-15.00")][1:]
    [('evening', False, True), ('night', False, True), ('shifts', False, True)]
    >>> extract_hours("Stillingen er på 20-25 timer ugentligt")
    (20.0, 25.0, '20-25 timer ugentligt')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from ipsmatch.domain import Fact

MAX_PHRASE = 120
FULL_TIME_HOURS = 37.0

_F = re.IGNORECASE | re.UNICODE

class Val(NamedTuple):
    """What a rule states: ``value`` (present/absent), ``implied`` (suggested, not said)."""

    value: bool
    implied: bool = False


T, F_, IMPLIED_T, IMPLIED_F = Val(True), Val(False), Val(True, True), Val(False, True)

# (key, what it states, pattern). Every rule that hits a sentence counts (not only the
# first): the facts of one key are weighed by ipsmatch.needs.fact_value. A True rule hit
# preceded by a negation ("ingen nattevagter") states the absence instead.
_RULES: list[tuple[str, Val, str]] = [
    # --- stated absence ------------------------------------------------------------------
    # "kun dagarbejde", "day shifts only": names the day, so no evening or night is implied
    # (a statement of night work elsewhere wins)
    ("night", IMPLIED_F, r"\bkun\s+(?:dag(?:arbejde|vagt\w*|timer\w*|tid|hold)?|i\s+dagtimerne)\b"),
    ("evening", IMPLIED_F,
     r"\bkun\s+(?:dag(?:arbejde|vagt\w*|timer\w*|tid|hold)?|i\s+dagtimerne)\b"),
    ("night", IMPLIED_F,
     r"\b(?:day\s*time|day)\s+(?:work\s+|shifts?\s+)?only\b|\bonly\s+day(?:time)?\b"),
    ("evening", IMPLIED_F,
     r"\b(?:day\s*time|day)\s+(?:work\s+|shifts?\s+)?only\b|\bonly\s+day(?:time)?\b"),
    ("weekend", F_,
     r"\bfri\s+(?:i|om|alle)\s+weekend(?:en|erne)\b|\bweekend(?:en|erne)\s+(?:er\s+)?fri\b"
     r"|\bkun\s+(?:på\s+)?hverdage\b|\bweekends\s+off\b|\bno\s+weekend\s+work\b"),
    # weekdays named as the working days: no weekend, implied
    ("weekend", IMPLIED_F,
     r"\bmandag\s*(?:-|–|til)\s*fredag\b|\bmonday\s*(?:-|–|to)\s*friday\b|\bhverdage\b"
     r"|\bweekdays\b"),
    # a fixed day shift says no evening or night
    ("evening", F_, r"\b(?:permanent|fixed)\s+day[- ]?shifts?\b|\bfast\s+på\s+daghold\b"),
    ("night", F_, r"\b(?:permanent|fixed)\s+day[- ]?shifts?\b|\bfast\s+på\s+daghold\b"),
    # a fixed schedule: not rotation
    ("shifts", F_,
     r"\b(?:permanent|fixed)\s+(?:day|evening)[- ]?shifts?\b|\bfast\s+på\s+(?:dag|aften)hold\b"
     r"|\b(?:day|evening)\s+shifts?\s+only\b|\bfaste\s+arbejdstider\b|\bfixed\s+(?:working\s+)?"
     r"hours\b"),
    # several shift types, not saying who works which: ask
    ("shifts", IMPLIED_T,
     r"\b(?:dag|aften|nat)(?:hold|vagt(?:er)?)?\s+(?:og|eller|/)\s+(?:dag|aften|nat)(?:te)?"
     r"(?:hold|vagt(?:er)?)\b"
     r"|\b(?:dag|aften)-\s*(?:,\s*(?:aften|nat)-\s*)?(?:og|eller)\s+(?:aften|nat)(?:te)?"
     r"(?:hold|vagt)\w*"
     r"|\b(?:day|evening|night)(?:\s+shifts?)?\s*(?:,|and|or|/)\s*(?:(?:day|evening|night)"
     r"(?:\s+shifts?)?\s*(?:,|and|or)\s*)?(?:day|evening|night)\s+shifts?\b"
     r"|\beither\s+day(?:,\s*evening)?\s+or\s+(?:evening|night)\b|\btil\s+dag\s+og\s+aften\b"),
    # --- schedule ---------------------------------------------------------------------------
    ("day", T,
     r"\bdag(?:vagt|arbejde|timer|hold|skift|tjeneste)\w*|\bi\s+dagtimerne\b"
     r"|\bdag\s*(?:-\s*)?(?:og|eller|/|,)\s*(?:aften|nat)(?:en|ten|vagt\w*|arbejde\w*|hold\w*"
     r"|skift\w*|undervisning\w*|timer\w*)?\b|\bmorgen\s*/\s*dag\b"
     r"|\bday\s*time\b|\bday\s+shifts?\b|\bdaytime\b|\bkun\s+dag\w*"
     r"|\bday\s*(?:,|and|or|/)\s*(?:evening|night)s?\b|\bduring\s+the\s+day\b"),
    ("evening", T,
     r"\baften(?:vagt|arbejde|hold|skift|tjeneste|timer|undervisning|team)\w*"
     r"|\b(?:om|i|til|og|/)\s*aften(?:en|er|erne)?\b|\baften\s*(?:/|og)\s*nat\b"
     r"|\barbejde\s+aftener\b|\bevening(?:s|\s+shifts?|\s+work|\s+team)?\b"),
    ("night", T,
     r"\bnat(?:te)?(?:vagt|arbejde|hold|skift|tjeneste)\w*|\bom\s+natten\b"
     r"|\b(?:aften|dag|og)\s*/\s*nat\b|\b(?:dag|aften)\s+og\s+nat\b|\bdøgnvagt\w*"
     r"|\bnight\s*(?:shifts?|work|duty)\b|\bnights\b|\bovernight\s+shifts?\b"
     r"|\b[1-4]\s+om\s+(?:natten|morgenen)\b"),
    ("weekend", T,
     r"\bweekend(?:vagt|arbejde|tjeneste|hold|skift)\w*|\bweekend(?:er|erne|en|s)?\b"
     r"|\blørdag(?:e)?\s*(?:og|/|,|eller)\s*søndag(?:e)?\b|\b(?:lørdag|søndag)e\b"
     r"|\b(?:om|på)\s+(?:lørdag|søndag)(?:en|e)\b|\b(?:on|at)\s+(?:saturdays?|sundays?)\b"
     r"|\b(?:lørdag|søndag)(?:en)?\s+(?:fra\s+)?(?:kl\.?\s*)?\d{1,2}[.:]\d\d"
     r"|\b(?:lørdag|søndag)\s+til\s+(?:og\s+med\s+)?\w+dag\b|\b(?:saturdays|sundays)\b"
     r"|\bsaturdays?\s+and\s+sundays?\b|\bsunday\s+(?:through|to)\s+\w+day\b"),
    # rotating shift work: the citizen's hours change from week to week
    ("shifts", T,
     r"\bskifteholds?\w*|\b\w*holds?skift\w*|\bskift(?:e)?arbejde\b|\bskiftende\s+(?:vagter|"
     r"arbejdstider)\b|\b(?:rulle|vagt)plan\w*|\bvagter\s+i\s+rul\b|\brullende\s+vagt\w*"
     r"|\bdøgnvagt\w*|\bblandede\s+(?:\w+-\s+og\s+)?\w*vagter\b|\bvagterne\s+varierer\b"
     r"|\barbejdstiderne\s+(?:kan\s+)?(?:svinge|svinger|varierer)\b|\bskiftevis\s+dag"
     r"|\bshift\s*work\b|\brotating\s+(?:shifts?|roster|rota|schedule)\b|\brota\b"
     r"|\bwork(?:ing)?\s+(?:in\s+)?shifts\b|\b(?:2|3|two|three)[- ]shift\b"),
    # --- physical and social demands -----------------------------------------------------
    ("heavy_lifting", T,
     r"\btunge?\s+løft\w*|\bløft\w*\s+af\s+tunge\b|\bløfte\s+tung\w*|\bfysisk\s+(?:hårdt|"
     r"krævende|hårde?)\b|\bheavy\s+lifting\b|\blift(?:ing)?\s+heavy\b|\bphysically\s+"
     r"(?:demanding|hard)\b|\btunge\s+(?:ting|emner|kasser|varer)\b"),
    ("standing", T,
     r"\bstående\s+arbejde\b|\barbejde(?:r)?\s+stående\b|\bstå(?:r)?\s+op\s+(?:det\s+meste\s+af"
     r"|hele|store\s+dele\s+af)\b|\bpå\s+benene\s+(?:hele|det\s+meste)\b|\bon\s+your\s+feet\b"
     r"|\bstanding\s+(?:work|job|for\s+long)\b|\bstand(?:ing)?\s+for\s+long\b"
     r"|\bstår\s+(?:du\s+)?ved\s+(?:et|en|vores)\s+\w*(?:bånd|linje|maskine)\b"),
    ("customer_contact", T,
     r"\bkunde(?:kontakt|service|betjening|henvendelser|dialog)\w*|\bbetjen(?:e|ing\s+af)\s+"
     r"(?:vores\s+)?kunde\w*|\bkontakt\s+med\s+(?:vores\s+)?kunde\w*|\bcustomer[- ](?:service|"
     r"contact|facing)\b|\bcontact\s+with\s+customers\b|\bserving\s+customers\b"
     r"|\b(?:kontakt|relationer)\s+(?:til|med)\s+(?:vores\s+|vore\s+|de\s+)?(?:mange\s+)?"
     r"(?:kunder|gæster|borgere|patienter|pårørende|publikum)\b"
     r"|\b(?:vejlede|betjene|servicere|rådgive|modtage|byde\s+velkommen\s+til)\s+(?:vores\s+|"
     r"vore\s+|de\s+)?(?:kunder\w*|gæster\w*)|\bsammen\s+med\s+(?:vores\s+)?kunder\b"
     r"|\bskaffe\s+(?:nye\s+)?kunder\b|\bserve\s+(?:our\s+)?(?:customers|guests)\b"),
    # soft facts need a phrase that says them: "travlt"/"busy" is not a high pace
    ("high_tempo", T,
     r"\bhøjt?\s+tempo\b|\bhektisk\w*|\bfast[- ]paced\b|\bhigh\s+pace\b|\bhigh\s+tempo\b"),
    ("low_tempo", T,
     r"\broligt\s+tempo\b|\bi\s+(?:dit\s+)?eget\s+tempo\b|\bstille\s+og\s+roligt\b"
     r"|\bat\s+your\s+own\s+pace\b|\b(?:calm|relaxed|steady)\s+pace\b"),
    ("flexible_start", T,
     r"\bfleksib(?:el|le)\s+(?:mødetid\w*|arbejdstid\w*|arbejdstider)\b|\bfle[kx]s(?:tid|ible)?"
     r"\s*tid\b|\bflekstid\b|\bflextid\b|\barbejdstid(?:en|erne)?\s+er\s+(?:meget\s+)?fleksib\w+"
     r"|\bflexible\s+(?:working\s+)?(?:hours|start|schedule)\b|\bflexitime\b"),
    ("part_time_possible", T,
     r"\bmulighed\s+for\s+(?:at\s+arbejde\s+)?(?:på\s+)?(?:deltid|nedsat\s+tid)\b"
     r"|\bnedsat\s+(?:tid|arbejdstid)\b|\bdeltid\s+er\s+(?:også\s+)?en\s+mulighed\b"
     r"|\bønske\s+om\s+deltid\w*|\bdeltid\s+kan\s+(?:også\s+)?(?:aftales|arrangeres)\b"
     r"|\bfuldtid\s+eller\s+deltid\b|\bfull[- ]time\s+or\s+part[- ]time\b"
     r"|\bpart[- ]time\s+(?:work\s+)?(?:is\s+)?(?:possible|an\s+option|can\s+(?:also\s+)?be\s+"
     r"arranged)\b|\boption\s+(?:of|for)\s+part[- ]time\b"),
    ("quiet_workplace", T,
     r"\b(?:rolige|stille)\s+omgivelser\b|\bstille\s+arbejdsplads\b|\brolig(?:t)?\s+"
     r"(?:miljø|arbejdsmiljø|arbejdsplads)\b|\bquiet\s+(?:work\w*|environment|office|"
     r"surroundings)\b|\bcalm\s+(?:work\w*|environment|surroundings)\b"),
    ("quiet_workplace", F_,
     r"\b(?:miljøet|omgivelserne)\s+er\s+(?:hektisk|støjende|larmende)\b|\bstøjende\s+"
     r"(?:miljø|omgivelser)\b|\bnoisy\s+(?:environment|surroundings|workplace)\b"),
    ("fixed_tasks", T,
     r"\bfaste\s+(?:arbejds)?opgaver\b|\brutine(?:opgaver|prægede?|arbejde)\b|\bfaste\s+rammer"
     r"\b|\bfast\s+struktur\b|\b(?:genkendelige|ensartede)\s+(?:arbejds)?opgaver\b"
     r"|\b(?:routine|repetitive|fixed)\s+tasks\b"),
    ("fixed_tasks", F_,
     r"\b(?:alsidige|forskelligartede|varierede|skiftende|afvekslende)\s+(?:arbejds)?opgaver\b"
     r"|\bafvekslende\s+(?:hverdag|arbejdsdag)\b|\bveksle\s+mellem\s+(?:forskellige\s+)?"
     r"(?:arbejds)?opgaver\b|\bomskiftelig\s+hverdag\b|\bchanging\s+(?:projects|tasks)\b"
     r"|\bvaried\s+tasks\b"),
    # a person assigned to you; training by working beside a colleague is not a mentor
    ("mentor", T,
     r"\bmentor\w*|\bfast\s+kontaktperson\b|\bbuddy\b|\bmakkerordning\b"),
    ("extra_breaks", T,
     r"\bpauser\s+efter\s+behov\b|\b(?:ekstra|hyppige|flere)\s+pauser\b|\bbreaks\s+as\s+needed\b"
     r"|\b(?:extra|frequent)\s+breaks\b"),
    # --- requirements (checked against the profile's certificates and languages) ---------
    ("driving_licence", T,
     r"(?<![\w])(?:[BC]E?-)?kører?kort\b|\bdriv(?:er'?s|ing)\s+licen[cs]e\b"),
    ("truck_licence", T,
     r"(?<![\w])[CD]E?-?kørekort\b|\bkørekort\s+(?:til\s+)?(?:kategori\s+)?[CD]E?\b"
     r"|\blastbilkørekort\b|\b(?:HGV|C\+E|CE)\s+licen[cs]e\b|\btruck\s+driving\s+licen[cs]e\b"),
    ("own_car", T,
     r"\begen\s+bil\b|\bbil\s+til\s+rådighed\b|\bown\s+car\b|\bcar\s+(?:available|at\s+your"
     r"\s+disposal)\b"),
    ("forklift_certificate", T,
     r"\btruck(?:kort|certifikat|bevis)\w*|\btruck\s*(?:certifikat|certificate|licen[cs]e)\b"
     r"|\bforklift\s+(?:licen[cs]e|certificate)\b"),
    ("criminal_record", T,
     r"\bstraffeattest\w*|\bbørneattest\w*|\bcriminal\s+record\b|\bpolice\s+(?:check|"
     r"certificate|clearance)\b"),
    ("language_required", T,
     r"\b(?:tale|taler|skrive|skriver|læse|læser|forstå|forstår|beherske|behersker|fortrolig"
     r"\s+med|flydende\s+i)\b[^.;]{0,40}?\b(?:dansk|engelsk|tysk)\b"
     r"|\b(?:fluent|fluency|proficiency|proficient|speak|speaks|speaking|read|write|written\s+"
     r"and\s+spoken)\b[^.;]{0,70}?\b(?:danish|english|german)\b"
     r"|\b(?:danish|english)-?\s*(?:and|or)\s+(?:danish|english)-speaking\b"
     r"|\b(?:danish|english)-speaking\b"
     r"|\b(?:danish|english)\s+is\s+(?:required|essential|a\s+must|a\s+requirement)\b"
     r"|\bapplication\s+must\s+be\s+(?:written\s+)?in\s+(?:english|danish)\b"),
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
             "weekend": r"weekend"}.get(_k) if _v == T else None
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

# A negation up to six words before the match, within the clause ("ingen krav om at du kan
# håndtere tunge løft"); a comma, colon or "men"/"but" ends the clause.
_NEG_BEFORE = re.compile(
    r"\b(?:ingen|ikke|intet|uden|aldrig|no|not|never|without|non)\b"
    r"(?:\s+(?!men\b|but\b)[^\s,;:()]+){0,6}\s*$", _F)
# "du er ikke bange for tunge løft" states the demand, it does not deny it.
_NOT_A_NEGATION = re.compile(r"\b(?:bange|afvisende|imod|uvant|afraid|mind)\b", _F)
_NEG_AFTER = re.compile(
    r"^\W{0,3}(?:\S+\s+){0,2}(?:er\s+|is\s+)?(?:ikke\s+(?:et\s+)?(?:krav|nødvendig\w*|påkrævet)"
    r"|not\s+(?:required|necessary|needed|a\s+(?:requirement|demand|must)))\b", _F)
#: Requirements: "..., dog ikke et krav" anywhere after the match in the sentence.
_NOT_REQUIRED_AFTER = re.compile(
    r"\b(?:ikke\s+(?:et\s+)?(?:krav|nødvendig\w*|påkrævet)|not\s+(?:required|necessary|needed"
    r"|a\s+(?:requirement|demand|must)))\b", _F)
REQUIREMENT_KEYS = frozenset({"driving_licence", "truck_licence", "own_car",
                              "forklift_certificate", "criminal_record", "language_required"})
SCHEDULE_RULE_KEYS = frozenset({"day", "evening", "night", "weekend", "shifts"})
# A sentence about reaching the employer ("kontakt os mandag til fredag kl. 9-15", "office
# hours") says nothing about the job's working times.
_CONTACT_CUE = re.compile(
    r"\b(?:kontakt\w*|ringe?|træffe\w*|telefon\w*|henvend\w*|call|contact|phone|office\s+"
    r"hours|kontortid\w*|åbningstid\w*|give\s+us\s+a\s+call)\b", _F)

# Not after an abbreviation that precedes a number or a word ("kl. 07.00", "ca. 4 timer").
_SENTENCE_END = re.compile(
    r"(?<=[.!?;])(?<!\bkl\.)(?<!\bca\.)(?<!\bpr\.)(?<!\bnr\.)(?<!\btlf\.)(?<!\bevt\.)"
    r"(?<!\bbl\.a\.)(?<!\binkl\.)(?<!\bapprox\.)\s+|\n+|[•·]")


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
    """The fragment around a match, at most MAX_PHRASE characters, whitespace collapsed,
    without a leading list bullet."""
    lead = len(frag) - len(frag.lstrip(" \t-–*•·"))
    if lead and lead <= start:
        frag, start, end = frag[lead:], start - lead, end - lead
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
    before = frag[max(0, start - 60):start]
    m = _NEG_BEFORE.search(before)
    if m and not _NOT_A_NEGATION.search(m.group(0)):
        return True
    return bool(_NEG_AFTER.search(frag[end:end + 40]))


# --- languages ------------------------------------------------------------------------------

_LANG_WORDS = {"dansk": "da", "danish": "da", "engelsk": "en", "english": "en", "tysk": "de",
               "german": "de"}
_LANG_CHAIN = re.compile(
    r"\b(dansk|engelsk|tysk|danish|english|german)\b((?:-?\s*(?:,|eller|og|or|and|/)\s*"
    r"(?:dansk|engelsk|tysk|danish|english|german)\b)*)", _F)


def _languages(frag: str, start: int) -> str | None:
    """The languages a requirement names: 'da', 'da|en' (any of them), 'da+en' (all)."""
    m = _LANG_CHAIN.search(frag, start)
    if not m:
        return None
    codes: list[str] = []
    for w in re.findall(r"dansk|engelsk|tysk|danish|english|german", m.group(0), _F):
        c = _LANG_WORDS[w.lower()]
        if c not in codes:
            codes.append(c)
    if len(codes) == 1:
        return codes[0]
    any_of = re.search(r"\b(?:eller|or)\b|/", m.group(2), _F)
    return ("|" if any_of else "+").join(codes)


def _detail(key: str, frag: str, m: re.Match[str]) -> str | None:
    if key == "language_required":
        return _languages(frag, m.start())
    if key == "criminal_record":
        return "clean_child_record" if re.search(r"børneattest|child", m.group(0), _F) \
            else "clean_criminal_record"
    return None


# --- working times ("07.00-15.00", "kl. 7-15", "7:00 AM – 3:00 PM") -------------------------

_T = r"(\d{1,2})(?:[.:]\s?(\d\d))?\s*(am|pm|a\.m\.|p\.m\.)?"
_TIME_RANGE = re.compile(
    rf"(?<![\w/.,:+-])(?:(kl\.?|fra|from|between|mellem)\s*(?:kl\.?\s*)?)?{_T}"
    rf"(\s*(?:-|–|—|til|to|og|and)\s*|\s+(?=\d{{1,2}}[.:]\d\d))(?:kl\.?\s*)?{_T}"
    r"(?!\d|[-/.,:]\d|\s*(?:timer|hours?|t\b|uger|weeks?|dage|days|år|years|kg|%|procent"
    r"|personer|medarbejdere|people|måneder|months))", _F)
_DAY = 24 * 60


def _clock(h: str, m: str | None, ampm: str | None) -> int | None:
    hh, mm = int(h), int(m or 0)
    if ampm:
        if hh > 12:
            return None
        hh = hh % 12 + (12 if ampm.lower().startswith("p") else 0)
    if hh > 24 or mm > 59 or (hh == 24 and mm):
        return None
    return hh * 60 + mm


def _time_ranges(frag: str) -> list[tuple[int, int, re.Match[str]]]:
    """Working-time ranges in a sentence, as (start, end) minutes (end > start; a range over
    midnight ends after 24:00). Needs minutes, a 'kl.'/'fra', or am/pm, so '20-25 timer' or
    'uge 27-36' are not times."""
    out = []
    for m in _TIME_RANGE.finditer(frag):
        pre, h1, m1, ap1, sep, h2, m2, ap2 = m.groups()
        if not (m1 or m2 or pre or ap1 or ap2):
            continue
        if sep.strip().lower() in ("og", "and") and not pre:
            continue
        a, b = _clock(h1, m1, ap1 or (ap2 if ap2 and ap2.lower().startswith("a") else None)),\
            _clock(h2, m2, ap2)
        if a is None or b is None or a == b:
            continue
        out.append((a, b if b > a else b + _DAY, m))
    return out


def _overlap(a: int, b: int, lo: int, hi: int) -> int:
    """Minutes of [a, b) (b may pass midnight) inside the daily window [lo, hi) (which may
    pass midnight too)."""
    if hi <= lo:
        hi += _DAY
    total = 0
    for shift in (-_DAY, 0, _DAY):
        total += max(0, min(b, hi + shift) - max(a, lo + shift))
    return total


def _h(x: float) -> int:
    return int(x * 60)


def _range_facts(a: int, b: int) -> list[tuple[str, Val]]:
    """What one working-time range states about the schedule."""
    out: list[tuple[str, Val]] = []
    if _overlap(a, b, _h(7), _h(16)) >= 180:
        out.append(("day", T))
    if _overlap(a, b, _h(19), _h(23)) > 60:
        out.append(("evening", T))
    elif _overlap(a, b, _h(18), _h(23)) == 0:
        out.append(("evening", IMPLIED_F))
    if _overlap(a, b, _h(23.5), _h(5)) >= 60:
        out.append(("night", T))
    elif _overlap(a, b, _h(23), _h(5)) == 0:
        out.append(("night", IMPLIED_F))
    return out


def _band(a: int, b: int) -> str:
    if _overlap(a, b, _h(18), _h(5)) == 0:
        return "day"
    if _overlap(a, b, _h(14), _h(24)) == b - a:
        return "evening"
    if _overlap(a, b, _h(21), _h(8)) == b - a:
        return "night"
    return "mixed"


def extract_facts(title: str, text: str, *, prefilter: bool = True) -> list[Fact]:
    """Facts stated in an ad's title and text, in ``FACT_KEYS`` vocabulary, each with the
    phrase it came from (``source='text'``).

    Every statement counts, not only the first: per key at most one fact of each kind
    (present, absent, implied present, implied absent), the first of its kind, so the
    weighing in :func:`ipsmatch.needs.fact_value` sees that "Nathold fra 00.00-07.00" and
    "Daghold mandag til fredag" are both in the ad. Within one sentence, a statement of
    absence ("fri i weekenden") claims its words: the presence rule for the same key does
    not read them again. Working times ("07.00-15.00", "kl. 17-21") state evening or night
    work, or imply their absence; one band of times all through the ad implies a fixed
    schedule (no rotation). Sentences about contacting the employer ("ring mandag til fredag
    kl. 9-15") say nothing about the schedule.

    ``prefilter=False`` runs every rule's regex on every sentence; the default first skips
    rules whose required words are absent (same result, ~3x faster; tested)."""
    seen: dict[tuple[str, bool, bool], Fact] = {}
    bands: list[str] = []
    band_phrase: str | None = None
    quiet: dict[str, str] = {}  # key -> phrase of the first range implying its absence

    def add(key: str, val: Val, phrase: str, detail: str | None = None) -> None:
        k = (key, val.value, val.implied)
        if k not in seen:
            seen[k] = Fact(key=key, value=val.value, phrase=phrase, source="text",
                           implied=val.implied, detail=detail)

    for body in (title or "", text or ""):
        if not isinstance(body, str):
            continue
        body = body[:200_000]
        low = body.lower() if prefilter and _FOLD_SPECIAL.isdisjoint(body) else None
        if low is not None and len(low) != len(body):
            low = None
        rules = _COMPILED if low is None else [
            r for r in _COMPILED if r[3] is None or any(f in low for f in r[3])]
        has_digit = any(c.isdigit() for c in body)
        for pos, frag in _fragments(body):
            flow = low[pos:pos + len(frag)] if low is not None else None
            about_contact: bool | None = None
            claimed: dict[str, list[tuple[int, int]]] = {}
            for key, val, rx, factors in rules:
                if flow is not None and factors is not None:
                    for f in factors:  # a plain loop: any(genexpr) costs more than the test
                        if f in flow:
                            break
                    else:
                        continue
                m = rx.search(frag)
                if not m:
                    continue
                if key in SCHEDULE_RULE_KEYS:
                    if about_contact is None:
                        about_contact = bool(_CONTACT_CUE.search(frag))
                    if about_contact:
                        continue
                spans = claimed.setdefault(key, [])
                if any(m.start() < e and s < m.end() for s, e in spans):
                    continue
                spans.append((m.start(), m.end()))
                out = val
                denied = _negated(frag, m.start(), m.end()) or (
                    key in REQUIREMENT_KEYS and _NOT_REQUIRED_AFTER.search(frag, m.end()))
                if val.value and denied:
                    out = Val(False, val.implied)
                detail = _detail(key, frag, m) if out.value else None
                if key == "language_required" and out.value and detail is None:
                    continue
                add(key, out, _phrase(frag, m.start(), m.end()), detail)
            if not has_digit:
                continue
            ranges = _time_ranges(frag)
            if not ranges:
                continue
            if about_contact is None:
                about_contact = bool(_CONTACT_CUE.search(frag))
            if about_contact:
                continue
            for a, b, m in ranges:
                phrase = _phrase(frag, m.start(), m.end())
                found = dict(_range_facts(a, b))
                for key in ("day", "evening", "night"):
                    got = found.get(key)
                    if got is not None and got.value:
                        add(key, got, phrase)
                    if key != "day":
                        # an absence is implied only if every range of the ad implies it
                        prev = quiet.get(key, phrase)
                        quiet[key] = prev if got is not None and not got.value and prev else ""
                bands.append(_band(a, b))
                band_phrase = band_phrase or phrase
    for key, phrase in quiet.items():
        if phrase:
            add(key, IMPLIED_F, phrase)
    if bands and band_phrase and len(set(bands)) == 1 and bands[0] != "mixed":
        add("shifts", IMPLIED_F, band_phrase)
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
