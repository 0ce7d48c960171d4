"""Temp agencies (vikarbureauer): an ad or employer that is one is marked as such, because the
workplace is the agency's customer, not the agency (job development goes through the
agency, and the consultant needs to ask where the job actually is).

The list names the agencies that post most on Jobnet (general knowledge of the Danish
labour market; extend as needed); the name cues catch the rest ("... Vikarservice",
"... Bemanding", "Staffing"). Text cues are for ads: "vikarbureau", "temp agency",
"bemandingsbureau", or "som vikar hos vores kunde".

    >>> is_temp_agency("RANDSTAD A/S"), is_temp_agency("TeamVikaren.dk, Århus ApS")
    (True, True)
    >>> is_temp_agency("Aarhus Universitet")
    False
"""

from __future__ import annotations

import re

#: Agencies by (folded) name fragment.
TEMP_AGENCIES: tuple[str, ...] = (
    "adecco", "manpower", "randstad", "jobzonen", "teamvikaren", "temp-team", "tempteam",
    "proffice", "kelly services", "hays", "jobtalent", "bemandingsgruppen",
    "vikarkompagniet", "dansk vikar", "nordic staffing", "job2day", "jobrelation",
)
_NAME_CUES = re.compile(r"vikar|bemanding|staffing|\btemp\b|\btemps\b|rekruttering\s*&\s*vikar",
                        re.I)
_TEXT_CUES = re.compile(
    r"\bvikarbureau\w*|\bbemandingsbureau\w*|\btemp(?:orary)?\s+(?:work\s+|staffing\s+)?agenc"
    r"|\btemp\s+and\s+recruitment\s+agenc|\bsom\s+vikar\s+(?:hos|for)\s+(?:vores|en)\s+kunde"
    r"|\bas\s+a\s+temporary\s+worker\b", re.I)


#: Every text cue holds one of these (in any case); "i" also matches "İ" and "ı" under re.I,
#: which lower() does not make "i".
_TEXT_WORDS = ("vikar", "bemanding", "temp")
_DOTTED_I = ("\u0130", "\u0131")


def is_temp_agency(name: str | None, text: str = "") -> bool:
    """Whether an employer name (or, for an ad, its text) says it is a temp agency."""
    low = (name or "").casefold()
    if any(a in low for a in TEMP_AGENCIES):
        return True
    if _NAME_CUES.search(low):
        return True
    return bool(text) and _text_cue(text[:20_000])


def _text_cue(text: str) -> bool:
    """``_TEXT_CUES`` in ``text``; the words every cue holds are looked for first (plain
    substring tests are several times faster than the pattern, and most ads have none)."""
    low = text.lower()
    if not any(w in low for w in _TEXT_WORDS) and not any(c in text for c in _DOTTED_I):
        return False
    return bool(_TEXT_CUES.search(text))
