"""Danish text rules of the feeds: work conditions (fleksjob, skånejob ...) by code, name or
mention, schedule words (dag, aften, nat ...), phone numbers and the contact details an
ad's text gives."""

from __future__ import annotations

import re

from ipsmatch.domain import SCHEDULE_KEYS, WORK_CONDITIONS, Fact

_CONDITION_NAMES = {v.casefold(): k for k, v in WORK_CONDITIONS.items()}
_CONDITION_ALIASES = {"almindelig": "ordinary", "almindelige": "ordinary", "flexjob": "fleksjob",
                      "skånejob": "skaanejob", "løntilskud": "loentilskud",
                      "seniorjob": "senior", "efterløn": "senior", "rotationsjob": "rotation",
                      "praktik": "virksomhedspraktik"}


def work_condition_code(value: str) -> str | None:
    """A WORK_CONDITIONS code from a code or a (Danish) name; None if unknown."""
    s = value.strip().casefold()
    if s in WORK_CONDITIONS:
        return s
    return _CONDITION_NAMES.get(s) or _CONDITION_ALIASES.get(s)


# Text mentions of subsidised/adapted forms. Only for the ad itself; the Jobnet lookup lists
# of all conditions are not the ad's own.
_CONDITION_TEXT = [
    ("fleksjob", re.compile(r"\bfle[kx]sjob\w*", re.I)),
    ("skaanejob", re.compile(r"\bskånejob\w*", re.I)),
    ("loentilskud", re.compile(r"\bløntilskud\w*", re.I)),
    ("virksomhedspraktik", re.compile(r"\bvirksomhedspraktik\w*", re.I)),
    ("rotation", re.compile(r"\brotationsjob\w*", re.I)),
]
_NEG_NEAR = re.compile(r"\b(?:ikke|ingen|not|no)\b(?:\s+\S+){0,3}\s*$", re.I)


def conditions_from_text(title: str, text: str) -> list[str]:
    out: list[str] = []
    for body in (title or "", (text or "")[:200_000]):
        for code, rx in _CONDITION_TEXT:
            for m in rx.finditer(body):
                if _NEG_NEAR.search(body[max(0, m.start() - 40):m.start()]):
                    continue
                if code not in out:
                    out.append(code)
                break
    return out


SCHEDULE_ALIASES = {"day": "day", "dag": "day", "dagarbejde": "day", "evening": "evening",
                    "aften": "evening", "night": "night", "nat": "night", "weekend": "weekend",
                    "shifts": "shifts", "shift": "shifts", "skiftehold": "shifts",
                    "skift": "shifts"}
SCHEDULE_DA = {"day": "dag", "evening": "aften", "night": "nat", "weekend": "weekend",
               "shifts": "skiftehold"}


def schedule_facts(stated: dict[str, bool], label: str) -> list[Fact]:
    """Field facts for an employer-filled schedule ({'day': True, 'night': False, ...})."""
    on = [SCHEDULE_DA[k] for k in SCHEDULE_KEYS if stated.get(k)]
    phrase = f"{label}: {', '.join(on) if on else '-'}"
    return [Fact(key=k, value=bool(stated[k]), phrase=phrase, source="field")
            for k in SCHEDULE_KEYS if k in stated]


def format_phone(raw: str) -> str:
    """'004551518980' → '+45 51 51 89 80', '70277665' → '70 27 76 65'; else as given."""
    digits = re.sub(r"[^\d+]", "", raw)
    if digits.startswith("0045"):
        digits = "+45" + digits[4:]
    local = digits.removeprefix("+45")
    if len(local) == 8 and local.isdigit():
        pairs = " ".join(local[i:i + 2] for i in range(0, 8, 2))
        return f"+45 {pairs}" if digits.startswith("+45") else pairs
    return raw.strip()


_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_WEB = re.compile(r"\b(?:https?://)?www\.[\w-]+(?:\.[\w-]+)+(?:/[\w/.-]*)?", re.I)
_PHONE = re.compile(r"(?:\b(?:tlf|telefon|phone|tel|mobil|ring|kontakt\w*|call|contact)\b"
                    r"[^.\d]{0,30})((?:\+45\s?)?\d{2}\s?\d{2}\s?\d{2}\s?\d{2})\b", re.I)


def contact_from_text(text: str) -> dict[str, str]:
    """Phone, e-mail and website an ad's text gives ("kontakt os på 7027 7665",
    "www.teamvikaren.dk"): used where the feed's fields give none."""
    out: dict[str, str] = {}
    body = text[:50_000]
    if m := _PHONE.search(body):
        out["phone"] = format_phone(m.group(1))
    if m := _EMAIL.search(body):
        out["email"] = m.group(0)
    if m := _WEB.search(body):
        out["website"] = m.group(0).rstrip(".")
    return out
