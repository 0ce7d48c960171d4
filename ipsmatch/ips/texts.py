"""Danish (and English) sentences for the reasons of issue #17: education suggestions,
admission requirements and the career profile. :func:`ipsmatch.explain.render` looks codes up
here when they are not among its own, so the wording still lives in one place per topic.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from ipsmatch.explain import fmt_num

Template = Callable[[dict[str, Any], str], str]

MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
             "september", "oktober", "november", "december")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def fmt_date(d: date | str | None, lang: str = "da") -> str:
    """2027-01-11 → '11. januar 2027' (da) / '11 January 2027' (en)."""
    if d is None:
        return "?"
    if isinstance(d, str):
        d = date.fromisoformat(d)
    if lang == "da":
        return f"{d.day}. {MONTHS_DA[d.month - 1]} {d.year}"
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def _t(da: str, en: str) -> Template:
    def render(p: dict[str, Any], lang: str) -> str:
        q = dict(p)
        for k in ("load", "cap", "hours", "goal", "now"):
            if k in p:
                q[f"{k}_s"] = fmt_num(p[k], lang)
        if "date" in p:
            q["date_s"] = fmt_date(p["date"], lang)
        if "weeks" in p and p["weeks"] is not None:
            q["dur_s"] = _duration(float(p["weeks"]), lang)
        for k in ("type", "requirement", "label"):
            if f"{k}_da" in p:
                q[f"{k}_s"] = p[f"{k}_da"] if lang == "da" else p.get(f"{k}_en", p[f"{k}_da"])
        text = (da if lang == "da" else en).format(**q)
        return text[:1].upper() + text[1:]
    return render


def _duration(weeks: float, lang: str) -> str:
    da = lang == "da"
    if weeks < 1:
        days = max(1, round(weeks * 5))
        return (f"{days} dag" + ("e" if days != 1 else "")) if da else \
            f"{days} day" + ("s" if days != 1 else "")
    if weeks < 20:
        w = round(weeks)
        return (f"{w} uge" + ("r" if w != 1 else "")) if da else f"{w} week" + ("s" if w != 1
                                                                             else "")
    years = weeks / 52
    if da:
        return f"ca. {fmt_num(round(years * 2) / 2, lang)} år"
    return f"about {fmt_num(round(years * 2) / 2, lang)} years"


IPS_TEMPLATES: dict[str, Template] = {
    # apprentice and trainee ads
    "education.ad": _t("Uddannelse: {label_s} (løn under uddannelse)",
                       "Education: {label_s} (paid while training)"),
    "wish.education": _t("Matcher ønsket '{wish}' ({label_s})",
                         "Matches the wish '{wish}' ({label_s})"),
    # what the offer is
    "edu.what": _t("{type_s} hos {institution}, {dur_s}",
                   "{type_s} at {institution}, {dur_s}"),
    "edu.what_open": _t("{type_s} hos {institution}", "{type_s} at {institution}"),
    # why it is suggested
    "edu.wish": _t("Matcher ønsket '{wish}' ({label})", "Matches the wish '{wish}' ({label})"),
    "edu.wish_type": _t("Matcher ønsket '{wish}' ({type_s})",
                        "Matches the wish '{wish}' ({type_s})"),
    "edu.wish_any": _t("Borgeren ønsker en uddannelse ('{wish}')",
                       "The citizen wants an education ('{wish}')"),
    "edu.leads_to": _t("Fører til {label}, som borgeren ønsker ('{wish}')",
                       "Leads to {label}, which the citizen wants ('{wish}')"),
    "edu.no_education_yet": _t("Karriereprofilen viser ingen uddannelse i faget",
                               "The career profile shows no education in this trade"),
    "edu.has_education": _t("Karriereprofilen viser allerede {name} – er det en ny retning?",
                            "The career profile already shows {name} – a new direction?"),
    # start
    "edu.start": _t("Næste start {date_s}", "Next start {date_s}"),
    "edu.start_soon": _t("Næste start {date_s} – snart", "Next start {date_s} – soon"),
    "edu.continuous": _t("Løbende optag – kan begynde snart",
                         "Rolling admission – can begin soon"),
    "edu.start_late": _t("Næste start først {date_s}", "Next start not until {date_s}"),
    # weekly load against the citizen's hours
    "edu.load_fit": _t("{load_s} t/uge: passer til de {cap_s} t borgeren kan nu",
                       "{load_s} h/week: fits the {cap_s} h the citizen can manage now"),
    "edu.load_part_time": _t("{load_s} t/uge, men kan tages på nedsat tid",
                             "{load_s} h/week, but can be taken at reduced load"),
    "edu.load_over": _t("{load_s} t/uge: over de {cap_s} t borgeren kan nu",
                        "{load_s} h/week: over the {cap_s} h the citizen can manage now"),
    "edu.load_over_must": _t("{load_s} t/uge og ingen nedsat tid: over borgerens grænse på "
                             "{cap_s} t",
                             "{load_s} h/week and no reduced load: over the citizen's limit of "
                             "{cap_s} h"),
    "edu.load_unknown": _t("Ugentlig belastning: ikke oplyst – spørg skolen",
                           "Weekly load: not stated – ask the school"),
    # grant
    "edu.su": _t("Giver ret til SU", "Eligible for SU (the education grant)"),
    "edu.no_su": _t("Ingen SU – tal om forsørgelsen under uddannelsen",
                    "No SU – talk about income during the course"),
    # exclusions
    "edu.no_start": _t("Ingen start foran os i kataloget", "No start ahead in the catalogue"),
    "edu.special": _t("Specialundervisning – kun når borgeren selv beder om det",
                      "Special education – only when the citizen asks for it"),
    "edu.avoid": _t("Borgeren vil helst undgå '{term}'", "The citizen would rather avoid "
                                                         "'{term}'"),
    # admission requirements
    "requirement.met": _t("Optagelseskrav opfyldt: {requirement_s}",
                          "Admission requirement met: {requirement_s}"),
    "requirement.lacking": _t("Optagelseskrav: {requirement_s} – har borgeren ikke (endnu)",
                              "Admission requirement: {requirement_s} – the citizen does not "
                              "have it (yet)"),
    "requirement.unknown": _t("Optagelseskrav: {requirement_s} – tjek med borgeren",
                              "Admission requirement: {requirement_s} – check with the "
                              "citizen"),
    "requirement.agreement": _t("Kræver {requirement_s} – jobudvikling kan finde én",
                                "Needs {requirement_s} – job development can find one"),
    # the career profile as evidence for vacancies
    "career.past_job": _t("Har arbejdet som {title} før{when}",
                          "Has worked as {title} before{when}"),
    "career.certificate_met": _t("Borgeren har {label_s}, som annoncen kræver",
                                 "The citizen has the {label_s} the ad asks for"),
    "career.certificate_lacking": _t("Annoncen kræver {label_s} – har borgeren ikke",
                                     "The ad asks for {label_s} – the citizen does not have it"),
    "career.hours_goal": _t("{hours_s} t/uge: et skridt mod målet på {goal_s} t",
                            "{hours_s} h/week: a step towards the goal of {goal_s} h"),
    "career.more_hours_here": _t("Flere timer hos {employer} ({title}): {now_s} t/uge nu, "
                                 "målet er {goal_s} t",
                                 "More hours with {employer} ({title}): {now_s} h/week now, "
                                 "the goal is {goal_s} h"),
}


def render_ips(code: str, params: dict[str, Any], lang: str) -> str:
    """The sentence for one of this module's codes (KeyError for an unknown code)."""
    if code == "edu.too_far":
        from ipsmatch.explain import TEMPLATES

        # the commute wording is explain's; only the code differs
        return TEMPLATES["commute.too_far"](params, lang)
    return IPS_TEMPLATES[code](params, lang)
