"""Reasons as data → short Danish (and English) sentences a consultant can read aloud.

Every reason has a stable ``code`` and ``params``; :func:`make_reason` fills ``text_da`` and
``text_en`` from the templates here, so the wording lives in one place and the CLI never
assembles prose.

    >>> make_reason("commute", "commute.ok", km=4.2, minutes=15, mode="bike").text_da
    '4 km, ca. 15 min på cykel'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ipsmatch.commute import MODES, round_band
from ipsmatch.domain import Reason, ReasonKind
from ipsmatch.messages import plural
from ipsmatch.needs import NEEDS

Template = Callable[[dict[str, Any], str], str]


def fmt_num(x: float | None, lang: str = "da") -> str:
    """8.0 → '8', 7.5 → '7,5' (da) / '7.5' (en)."""
    if x is None:
        return "?"
    s = f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"
    return s.replace(".", ",") if lang == "da" else s


def fmt_range(lo: float | None, hi: float | None, lang: str = "da") -> str:
    """(10, 15) → '10–15'; (37, 37) → '37'; one side missing → that side."""
    if lo is None and hi is None:
        return "?"
    if lo is None or hi is None or abs(lo - hi) < 0.05:
        return fmt_num(lo if lo is not None else hi, lang)
    return f"{fmt_num(lo, lang)}–{fmt_num(hi, lang)}"


def km_value(km: float, lang: str = "da") -> str:
    """A distance rounded as everywhere a consultant reads it (table and reasons alike):
    one decimal under 3 km, whole km from 3 km; '<1' under 1 km."""
    if km < 1:
        return "<1"
    return fmt_num(round(km, 1) if km < 3 else float(round(km)), lang)


def fmt_km(km: float, lang: str = "da") -> str:
    if km < 1:
        return "under 1 km"
    return f"{km_value(km, lang)} km"


#: Where a fact came from, for a reason that quotes it.
_SOURCE_DA = {"text": "annoncen", "field": "annoncens felter", "feedback": "borgerens feedback"}
_SOURCE_EN = {"text": "the ad", "field": "the ad's fields", "feedback": "the citizen's feedback"}
_CONTACT_PHRASE = re.compile(
    r"^(?P<who>.+?) ved kontakt (?P<date>\d{2}\.\d{2}\.\d{4}): (?P<what>.*)$", re.S)


def sourced_quote(quote: str | None, source: str | None, lang: str) -> str:
    """"'nattevagter' (annoncen)", or for a team contact "'åben for deltid' (teamet ved
    kontakt 05.10.2026, kons-camilla)": a contact note is never presented as the ad."""
    if not quote:
        return ""
    da = lang == "da"
    if source == "contact":
        m = _CONTACT_PHRASE.match(quote)
        if m:
            where = (f"teamet ved kontakt {m['date']}, {m['who']}" if da
                     else f"the team at the contact on {m['date']}, {m['who']}")
            return f"'{m['what']}' ({where})"
        return f"'{quote}' ({'teamet ved kontakt' if da else 'the team at a contact'})"
    named = (_SOURCE_DA if da else _SOURCE_EN).get(source) if source else None
    return f"'{quote}' ({named})" if named else f"'{quote}'"


def _mode(p: dict[str, Any], lang: str) -> str:
    m = MODES[p["mode"]]
    return m.label_da if lang == "da" else m.label_en


def _quote(p: dict[str, Any], lang: str = "da") -> str:
    q = p.get("quote")
    return f": {sourced_quote(q, p.get('source'), lang)}" if q else ""


def _quotes(p: dict[str, Any], lang: str) -> str:
    """Both sides of a conflict: ": 'a' (annoncen) / 'b' (teamet ved kontakt ...)"."""
    a = sourced_quote(p.get("quote"), p.get("source"), lang)
    b = sourced_quote(p.get("quote2"), p.get("source2"), lang)
    return f": {a} / {b}" if a and b else (f": {a}" if a else "")


def _cap(p: dict[str, Any], lang: str) -> str:
    return fmt_range(p.get("cap_min"), p.get("cap_max"), lang)


def _t(da: str, en: str) -> Template:
    """A template from two format strings over params (plus derived helpers)."""
    def render(p: dict[str, Any], lang: str) -> str:
        q = {**p}
        if "km" in p and p["km"] is not None:
            q["km_s"] = fmt_km(p["km"], lang)
        if "minutes" in p and p["minutes"] is not None:
            q["min_s"] = fmt_num(round(p["minutes"]), lang)
        if "mode" in p:
            q["mode_s"] = _mode(p, lang)
        if p.get("low") is not None and p.get("high") is not None:
            lo, hi = round_band(p["low"], p["high"], p.get("max"))
            q["band_s"] = f"{lo}–{hi}"
        if "ad_min" in p or "ad_max" in p:
            q["ad_s"] = fmt_range(p.get("ad_min"), p.get("ad_max"), lang)
        if "cap_min" in p or "cap_max" in p:
            q["cap_s"] = _cap(p, lang)
        q["quote_s"] = _quote(p, lang)
        q["quotes_s"] = _quotes(p, lang)
        if "days" in p and p["days"] is not None:
            q["days_s"] = plural(int(p["days"]), "dag", "dage") if lang == "da" \
                else plural(int(p["days"]), "day", "days")
        if "n" in p and p["n"] is not None:
            q["jobs_s"] = plural(int(p["n"]), "job", "job") if lang == "da" \
                else plural(int(p["n"]), "job", "jobs")
        q["titles_s"] = (f" (og borgerens skånehensyn): {p['titles']}" if lang == "da"
                         else f" (and the citizen's needs): {p['titles']}") \
            if p.get("titles") else ""
        if "langs" in p:
            q["langs_s"] = _langs(p["langs"], lang)
        return (da if lang == "da" else en).format(**q)
    return render


TEMPLATES: dict[str, Template] = {
    # wish relevance
    "wish.occupation": _t("Matcher ønsket '{wish}' ({label})",
                          "Matches the wish '{wish}' ({label})"),
    "wish.occupation_group": _t("Samme faggruppe som ønsket '{wish}' ({label})",
                                "Same line of work as the wish '{wish}' ({label})"),
    "wish.occupation_weak": _t("Svagt match – tjek om det passer: ønsket '{wish}' ({label})",
                               "Weak match – check that it fits: the wish '{wish}' ({label})"),
    "wish.occupation_group_weak": _t(
        "Svagt match – tjek om det passer: samme faggruppe som ønsket '{wish}' ({label})",
        "Weak match – check that it fits: same line of work as the wish '{wish}' ({label})"),
    "wish.title": _t("Matcher ønsket '{wish}' ({label})", "Matches the wish '{wish}' ({label})"),
    "wish.topic": _t("Annonceteksten beskriver arbejde, der passer til ønsket '{wish}'"
                     "{quote_s} – tjek om det passer",
                     "The ad text describes work that fits the wish '{wish}'{quote_s} – "
                     "check that it fits"),
    "wish.text": _t("Matcher ønsket '{wish}' (nævnt i annonceteksten)",
                    "Matches the wish '{wish}' (mentioned in the ad text)"),
    "wish.semantic": _t("Ligner ønsket '{wish}' i indhold",
                        "Similar in content to the wish '{wish}'"),
    "wish.none": _t("Matcher ikke borgerens ønsker direkte",
                    "Does not directly match the citizen's wishes"),
    "search.match": _t("Matcher søgningen '{wish}'", "Matches the search '{wish}'"),
    # commute
    "commute.ok": _t("{km_s}, ca. {min_s} min {mode_s}", "{km_s}, about {min_s} min {mode_s}"),
    "commute.too_far": _t("{km_s}, ca. {min_s} min {mode_s} – over grænsen på {max} min",
                          "{km_s}, about {min_s} min {mode_s} – beyond the {max} min limit"),
    "commute.check": _t("{km_s}, ca. {band_s} min {mode_s} – tjek ruten (grænsen er {max} min)",
                        "{km_s}, about {band_s} min {mode_s} – check the route "
                        "(the limit is {max} min)"),
    "commute.beyond_km": _t("{km_s} – længere end {max_km} km",
                            "{km_s} – further than {max_km} km"),
    "commute.unknown": _t("Arbejdssted: ikke oplyst – spørg arbejdsgiveren",
                          "Workplace location: not stated – ask the employer"),
    # hours
    "hours.fit": _t("{ad_s} t/uge: passer til de {cap_s} t borgeren kan nu",
                    "{ad_s} h/week: fits the {cap_s} h the citizen can work now"),
    "hours.below": _t("{ad_s} t/uge: under de {cap_s} t borgeren kan – plads til at vokse",
                      "{ad_s} h/week: below the citizen's {cap_s} h – room to grow"),
    "hours.slightly_over": _t("{ad_s} t/uge: lidt over de {cap_s} t borgeren kan nu",
                              "{ad_s} h/week: a little over the {cap_s} h the citizen can "
                              "work now"),
    "hours.over": _t("{ad_s} t/uge: over de {cap_s} t borgeren kan nu – kræver aftale om "
                     "færre timer",
                     "{ad_s} h/week: over the {cap_s} h the citizen can work now – needs an "
                     "agreement on fewer hours"),
    "hours.over_part_time": _t("{ad_s} t/uge: over de {cap_s} t borgeren kan nu – kræver aftale "
                               "om færre timer (deltid er nævnt{quote_s})",
                               "{ad_s} h/week: over the citizen's {cap_s} h – needs an "
                               "agreement on fewer hours (part time is mentioned{quote_s})"),
    "hours.over_must": _t("{ad_s} t/uge: over borgerens grænse på {cap_s} t",
                          "{ad_s} h/week: over the citizen's limit of {cap_s} h"),
    "hours.unknown": _t("Timetal: ikke oplyst – spørg arbejdsgiveren",
                        "Hours: not stated – ask the employer"),
    "hours.max_search": _t("{ad_s} t/uge: over {max} t", "{ad_s} h/week: over {max} h"),
    # work conditions
    "condition.subsidised": _t("{label} – borgeren søger ordinært lønnet arbejde",
                               "{label} – the citizen is looking for ordinary paid work"),
    "condition.fleksjob_not_approved": _t("Fleksjob – borgeren er ikke visiteret til fleksjob",
                                          "Flex job – the citizen is not approved for flex "
                                          "jobs"),
    "condition.fleksjob_ok": _t("Fleksjob – borgeren er visiteret til fleksjob",
                                "Flex job – the citizen is approved for flex jobs"),
    "condition.skaanejob": _t("Skånejob – forudsætter normalt førtidspension",
                              "Skånejob – normally requires a disability pension"),
    # avoid-terms
    "avoid.hit": _t("Borgeren vil helst undgå '{term}': nævnt i annoncen{quote_s}",
                    "The citizen would rather avoid '{term}': mentioned in the ad{quote_s}"),
    # freshness
    "freshness.new": _t("Nyt opslag ({days_s} gammelt)", "New ad ({days_s} old)"),
    "freshness.today": _t("Nyt opslag (slået op i dag)", "New ad (posted today)"),
    "freshness.yesterday": _t("Nyt opslag (slået op i går)", "New ad (posted yesterday)"),
    "freshness.deadline_soon": _t("Ansøgningsfrist om {days_s} – skynd jer",
                                  "Application deadline in {days_s} – hurry"),
    "freshness.deadline_today": _t("Ansøgningsfrist i dag", "Application deadline today"),
    "freshness.deadline_passed": _t("Ansøgningsfristen var {date}",
                                    "The application deadline was {date}"),
    # employers (job development)
    "employer.occupation": _t("Har slået {jobs_s} op, der matcher ønsket '{wish}'{titles_s}",
                              "Has posted {jobs_s} matching the wish '{wish}'{titles_s}"),
    "employer.temp_agency": _t("Vikarbureau: jobbene er hos bureauets kunder – spørg hvor",
                               "Temp agency: the jobs are at the agency's customers – ask "
                               "where"),
    "vacancy.temp_agency": _t("Opslået af et vikarbureau ({name}): arbejdspladsen er "
                              "bureauets kunde – spørg hvor",
                              "Posted by a temp agency ({name}): the workplace is the "
                              "agency's customer – ask where"),
    "employer.industry": _t("Branchen ({industry}) passer til ønsket '{wish}'",
                            "The industry ({industry}) fits the wish '{wish}'"),
    "employer.distance": _t("{km_s}, ca. {min_s} min {mode_s}",
                            "{km_s}, about {min_s} min {mode_s}"),
    "employer.distance_check": _t("{km_s}, ca. {band_s} min {mode_s} – tjek ruten",
                                  "{km_s}, about {band_s} min {mode_s} – check the route"),
    "employer.open": _t("{n} ledige stillinger nu", "{n} open vacancies now"),
    "employer.open_one": _t("1 ledig stilling nu", "1 open vacancy now"),
    "employer.no_open": _t("Ingen opslag lige nu – oplagt til jobudvikling",
                           "No open ads now – a candidate for job development"),
    "employer.attribute": _t("{label_da}", "{label_en}"),
    # Jobnet's own marks
    "condition.disability_friendly": _t("Jobnet: handicapvenlig arbejdsplads",
                                        "Jobnet: disability-friendly workplace"),
    # requirements (checked against the profile's certificates and languages)
    **{f"req.{key}.{status}": _t(da + tail_da, en + tail_en)
       for key, (da, en) in {
           "driving_licence": ("Kræver kørekort", "Requires a driving licence"),
           "own_car": ("Kræver egen bil", "Requires an own car"),
           "truck_licence": ("Kræver lastbilkørekort (C/CE)", "Requires a truck licence (C/CE)"),
           "forklift_certificate": ("Kræver truckcertifikat", "Requires a forklift certificate"),
           "criminal_record": ("Straffe- eller børneattest indhentes",
                               "A criminal-record check is made"),
       }.items()
       for status, tail_da, tail_en in (
           ("met", "{quote_s} – borgeren har det", "{quote_s} – the citizen has it"),
           ("unmet", "{quote_s} – ikke i borgerens profil; tal med arbejdsgiveren",
            "{quote_s} – not in the citizen's profile; talk to the employer"),
           ("conflict", ": modstridende – spørg arbejdsgiveren{quotes_s}",
            ": conflicting – ask the employer{quotes_s}"))},
    "req.language.met": _t("Sprogkrav: {langs_s}{quote_s} – borgeren taler det",
                           "Language: {langs_s}{quote_s} – the citizen speaks it"),
    "req.language.unmet": _t("Sprogkrav: {langs_s}{quote_s} – ikke i borgerens profil",
                             "Language: {langs_s}{quote_s} – not in the citizen's profile"),
}


def _langs(spec: str, lang: str) -> str:
    """'da|en' → 'dansk eller engelsk', 'da+en' → 'dansk og engelsk'."""
    from ipsmatch.profile import LANGUAGES

    def name(c: str) -> str:
        n = LANGUAGES.get(c)
        return (n[0] if lang == "da" else n[1]) if n else c

    sep, word = ("|", "eller" if lang == "da" else "or") if "|" in spec \
        else ("+", "og" if lang == "da" else "and")
    names = [name(c) for c in spec.split(sep)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


def _need_text(code: str, p: dict[str, Any], lang: str) -> str:
    _, need, status = code.split(".")
    nd = NEEDS[need]
    da = lang == "da"
    if status == "met":
        return (nd.met_da if da else nd.met_en) + _quote(p, lang)
    if status == "broken":
        return (nd.broken_da if da else nd.broken_en) + _quote(p, lang)
    if status == "conflict":
        topic = nd.topic_da if da else nd.topic_en
        return (f"{topic}: modstridende – spørg arbejdsgiveren" if da
                else f"{topic}: conflicting – ask the employer") + _quotes(p, lang)
    if status == "unclear":  # one hint and nothing else ("daghold og nathold", "evt. …")
        topic = nd.topic_da if da else nd.topic_en
        return (f"{topic}: uklart – spørg arbejdsgiveren" if da
                else f"{topic}: not clear – ask the employer") + _quote(p, lang)
    if status == "choice":
        topic = nd.topic_da if da else nd.topic_en
        return (f"{topic}: du kan vælge vagt{_quote(p, lang)} – aftal vagterne med "
                "arbejdsgiveren" if da else
                f"{topic}: you can choose your shift{_quote(p, lang)} – agree the shifts "
                "with the employer")
    if status == "unknown":
        topic = nd.topic_da if da else nd.topic_en
        return (f"{topic}: ikke oplyst – spørg arbejdsgiveren" if da
                else f"{topic}: not stated – ask the employer")
    raise KeyError(code)


def render(code: str, params: dict[str, Any], lang: str = "da") -> str:
    """The sentence for a reason code in ``lang`` (``da`` or ``en``)."""
    if code.startswith("need."):
        return _need_text(code, params, lang)
    if code not in TEMPLATES:
        # education, requirement and career reasons (issue #17) keep their wording there
        from ipsmatch.ips.texts import render_ips

        return render_ips(code, params, lang)
    return TEMPLATES[code](params, lang)


def make_reason(kind: ReasonKind, code: str, *, quote: str | None = None,
                **params: Any) -> Reason:
    """A :class:`Reason` with both languages rendered. ``quote`` is the ad phrase it rests on."""
    if quote:
        quote = _short(quote)
        params["quote"] = quote
    return Reason(kind=kind, code=code, params=params, quote=quote,
                  text_da=render(code, params, "da"), text_en=render(code, params, "en"))


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
