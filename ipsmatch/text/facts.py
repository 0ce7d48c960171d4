"""Facts from Danish and English job-ad text: schedule, physical demands, tempo,
accommodations, requirements. Each fact keeps the phrase it rests on, so a reason can quote it.
The rules are in :mod:`ipsmatch.text.fact_rules`; this module runs them (sentences, negation,
working-time ranges, the prefilter). Weekly hours: :mod:`ipsmatch.text.hours`.

A fact the text does not state is simply absent (unknown); we prefer missing a fact to
inventing one, so patterns are anchored on word boundaries and Danish compounds are listed.

    >>> facts = extract_facts("Lagermedarbejder", "Ingen nattevagter. Tunge løft.")
    >>> [(f.key, f.value) for f in facts]
    [('night', False), ('heavy_lifting', True)]
    >>> [(f.key, f.value, f.implied) for f in extract_facts("", "Arbejdstid 07.00-15.00")][1:]
    [('evening', False, True), ('night', False, True), ('shifts', False, True)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ipsmatch.domain import Fact
from ipsmatch.text.fact_rules import FLAGS as _F
from ipsmatch.text.fact_rules import IMPLIED_F, IMPLIED_T, RULES, T, Val

MAX_PHRASE = 120


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


_COMPILED = [(k, v, re.compile(p, _F), _required_factors(p)) for k, v, p in RULES]
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
# A possibility, not a statement: "med mulighed for at det kan blive blandede aften- og
# dagvagter", "evt. weekendvagter", "may include evening work", just before the match: a
# stated schedule becomes a hint (ask the employer).
_HEDGE_BEFORE = re.compile(
    # "Har du mulighed for at arbejde i weekender?" asks whether the applicant can: not a hedge
    r"\b(?:(?<!\bhar\sdu\s)mulighed(?:en)?\s+for|kan\s+(?:også\s+)?blive|evt\.?|eventuel(?:t|le)?|muligvis"
    r"|possibly|may\s+(?:also\s+)?(?:include|involve|be)|the\s+option\s+(?:of|to))"
    # only words that carry the possibility over to the schedule ("mulighed for oplæring i
    # dagvagt" is about training, not a hedge on the day shift)
    r"(?:\s+(?:at|det|der|du|kan|vil|blive|også|arbejde|arbejder|tage|få|have|i|om|på|med"
    r"|enkelte|nogle|lidt|ekstra|work|working|some|the|to|in|on|at|be|also|occasional))*"
    r"\s*$", _F)
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
    r"(?<!\bbl\.a\.)(?<!\binkl\.)(?<!\bapprox\.)\s+|\n+|[•·]", re.IGNORECASE)  # "Kl. 7", "Evt."


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
                elif val.value and not val.implied and key in SCHEDULE_RULE_KEYS \
                        and _HEDGE_BEFORE.search(frag[max(0, m.start() - 80):m.start()]):
                    out = IMPLIED_T
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
