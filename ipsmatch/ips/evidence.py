"""The career profile as evidence in suggest: past occupations, certificates and the hours
goal, turned into reasons and concerns for one vacancy.

Certificates an ad asks for are read from its stated ``driving_licence`` fact and from a few
plain phrases in the title and text ("truckcertifikat", "hygiejnebevis", "ren
straffeattest" ...). A certificate the citizen holds (the profile's one ``certificates``
list) is a reason; one they lack is a concern, never an exclusion: the consultant decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ipsmatch.domain import REQUIREMENT_CERTIFICATES, CitizenProfile, Reason, Vacancy
from ipsmatch.explain import make_reason
from ipsmatch.text.normalize import fold_for_search

#: certificate code -> phrases in an ad that ask for it
CERTIFICATE_PHRASES: dict[str, re.Pattern[str]] = {
    "truck_licence": re.compile(r"lastbilkørekort|kørekort til lastbil|\bc/?ce\b|"
                                r"kørekort kategori c|ce-kørekort|c-kørekort|\bkode 95\b"),
    "forklift_certificate": re.compile(r"truckcertifikat|truckkørekort|gaffeltruckcertifikat"),
    "hygiene_certificate": re.compile(r"hygiejnebevis|hygiejnekursus"),
    "first_aid": re.compile(r"førstehjælpsbevis|førstehjælpskursus"),
    "clean_criminal_record": re.compile(r"straffeattest"),
    "clean_child_record": re.compile(r"børneattest"),
}
#: a driving licence fact is met by any of these
DRIVING = ("driving_licence_b", "truck_licence")


#: certificates the ad-fact rules read as requirements (driving, truck and forklift licences,
#: own car, criminal record): their reason comes from there, so only the others are said here
FACT_CERTIFICATES = frozenset(c for codes in REQUIREMENT_CERTIFICATES.values() for c in codes)


def certificates_asked(v: Vacancy) -> list[str]:
    """Certificate codes the ad asks for (in a stable order)."""
    out: list[str] = []
    f = v.fact("driving_licence")
    if f is not None and f.value:
        out.append("driving_licence_b")
    hay = fold_for_search(f"{v.title}\n{v.text or ''}")
    for code, rx in CERTIFICATE_PHRASES.items():
        if rx.search(hay) and code not in out:
            out.append(code)
    if "truck_licence" in out and "driving_licence_b" in out:
        out.remove("driving_licence_b")  # the truck licence is the one that matters
    return out


def certificate_reasons(p: CitizenProfile, v: Vacancy) -> tuple[list[Reason], list[Reason]]:
    """(reasons, concerns) for the certificates the ad asks for."""
    from ipsmatch.profile import CERTIFICATES

    reasons: list[Reason] = []
    concerns: list[Reason] = []
    held = set(p.certificates)
    for code in certificates_asked(v):
        if code in FACT_CERTIFICATES:
            continue  # the ad's requirement facts say it, quoted (constraints.requirement_reasons)
        ok = bool(held & set(DRIVING)) if code == "driving_licence_b" else code in held
        da, en = CERTIFICATES[code]
        (reasons if ok else concerns).append(make_reason(
            "career", "career.certificate_met" if ok else "career.certificate_lacking",
            certificate=code, label_da=da, label_en=en))
    return reasons, concerns


def past_job_reason(p: CitizenProfile, title_index: int) -> Reason:
    """The reason for an ad that matches the citizen's ``title_index``-th past job."""
    assert p.career is not None
    w = p.career.work_history[title_index]
    when = ""
    if w.year_from and w.year_to and w.year_from != w.year_to:
        when = f" ({w.year_from}–{w.year_to})"
    elif w.year_from or w.year_to:
        when = f" ({w.year_to or w.year_from})"
    return make_reason("career", "career.past_job", title=w.title, when=when)


def hours_goal_reason(p: CitizenProfile, v: Vacancy) -> Reason | None:
    """An ad whose hours lie above what the citizen works now and up to the goal is a step
    towards it (career.hours now 8, goal 15: a 12-hour job)."""
    c = p.career
    if c is None or c.hours_goal is None or c.hours_now is None:
        return None
    hours = v.hours_max if v.hours_max is not None else v.hours_min
    if hours is None or not c.hours_now < hours <= c.hours_goal:
        return None
    return make_reason("career", "career.hours_goal", hours=hours, goal=c.hours_goal)


def more_hours_goals(p: CitizenProfile, jobs: Iterable[Any]) -> list[Reason]:
    """"More hours with the current employer" for each open job (a
    :class:`ipsmatch.ips.followalong.JobFollowUp`) whose hours now are below the goal: the
    job's support plan's ``goal_hours``, else the career profile's hours goal."""
    out: list[Reason] = []
    for u in jobs:
        j = u.job
        if j.end_date is not None:
            continue
        now = u.timeline[-1][1] if u.timeline else j.hours_per_week
        goal = (u.plan.goal_hours if u.plan is not None and u.plan.goal_hours else
                p.career.hours_goal if p.career is not None else None)
        if now is not None and goal is not None and now < goal:
            out.append(make_reason("career", "career.more_hours_here",
                                   employer=j.employer_name or "?", title=j.title, now=now,
                                   goal=goal, job_id=j.id))
    return out
