"""Issue #17 in the workspace and the API: the career profile and disclosure as forms, errors
placed at their fields, and the report and funder export built the same way for pages and API.

No rules here: a form becomes the profile file format (``career``, ``disclosure``,
``certificates``) and :func:`ipsmatch.profile.profile_from_dict` validates it, with the
messages the CLI gives (in the user's language, :mod:`ipsmatch.messages`); a
:class:`ProfileError`'s ``field`` (``career.work_history[1].from``) is mapped back to the form
field it came from, so the error is shown there and nothing typed is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ipsmatch import messages
from ipsmatch.errors import ProfileError

#: blank rows the form offers below the stored ones
BLANK_ROWS = 2
WORK_FIELDS: tuple[str, ...] = ("title", "employer", "from", "to", "went_well", "went_badly")
EDU_FIELDS: tuple[str, ...] = ("name", "level", "year")
#: list fields written one item per line
LINE_FIELDS: tuple[str, ...] = ("strengths", "interests", "supports")

CONSENT_CHOICES: tuple[tuple[str, str], ...] = (
    ("not_asked", "Ikke spurgt endnu"), ("yes", "Ja, arbejdsgivere må kontaktes"),
    ("no", "Nej, ingen kontakt til arbejdsgivere om borgeren"))
SHARE_CHOICES: tuple[tuple[str, str], ...] = (
    ("nothing", "Intet om IPS eller hensyn"),
    ("ips", "At borgeren er med i IPS"),
    ("accommodations", "At borgeren er med i IPS, og de hensyn, der er valgt herunder"))
WITH_CHOICES: tuple[tuple[str, str], ...] = (
    ("citizen", "Borgeren"), ("employer", "Arbejdsgiveren"), ("both", "Begge"))
WHO_CHOICES: tuple[tuple[str, str], ...] = (
    ("consultant", "Konsulenten"), ("citizen", "Borgeren"), ("employer", "Arbejdsgiveren"),
    ("colleague", "En kollega"), ("other", "Andre"))
WAGE_CHOICES: tuple[tuple[str, str], ...] = (
    ("ordinary", "Ordinære vilkår"), ("fleksjob", "Fleksjob"),
    ("other", "Andet (fx løntilskud, praktik)"))


@dataclass
class FormErrors:
    """Errors by form field (``wh-1-from``), and the ones no field owns."""

    fields: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.general)

    def add(self, key: str | None, message: str) -> None:
        if key is None:
            self.general.append(message)
        else:
            self.fields.setdefault(key, message)


def error_text(exc: Any, lang: str) -> str:
    """An error's message and hint in ``lang``, without the field (it is shown there), as
    the forms show it (:func:`ipsmatch.messages.as_in_form`: a hint names the form's fields,
    not the CLI's options)."""
    return messages.error_text(messages.as_in_form(exc), lang)


def error_line(exc: Any, lang: str) -> str:
    """The whole error in ``lang`` (its field named), as the workspace shows it in an error
    box (:func:`ipsmatch.messages.as_in_form`)."""
    return messages.error_line(messages.as_in_form(exc), lang)


#: the codes of the free-text gate's refusals, and the param that names the field refused
_TEXT_FIELD_PARAM = {"text.health": "field", "text.too_long": "field", "privacy.cpr": "where"}


def text_field(exc: Any) -> str | None:
    """The field a free-text refusal (:func:`ipsmatch.ips.freetext.check_free_text`) is
    about, from its code: ``comment`` for a health word in the comment; else None."""
    param = _TEXT_FIELD_PARAM.get(getattr(exc, "code", None) or "")
    return getattr(exc, "params", {}).get(param) if param else None


# --- the career form ------------------------------------------------------------------------

def _lines(text: str) -> list[str]:
    return [x.strip() for x in text.replace("\r", "").split("\n") if x.strip()]


def _int_or_text(text: str) -> Any:
    t = text.strip()
    return int(t) if t.isdigit() else t


def _number_or_text(text: str) -> Any:
    t = text.strip().replace(",", ".")
    try:
        return int(t) if t.isdigit() else float(t)
    except ValueError:
        return text.strip()


def _num(x: Any) -> str:
    if x is None:
        return ""
    return f"{x:g}" if isinstance(x, int | float) else str(x)


def career_form(profile: dict[str, Any] | None) -> dict[str, Any]:
    """Form values from a stored profile dict (file format)."""
    p = profile or {}
    c = p.get("career") or {}
    hours = c.get("hours") or {}
    work = [dict(w) for w in c.get("work_history") or []]
    edu = [dict(e) for e in c.get("education") or []]
    out: dict[str, Any] = {
        "wants": c.get("wants", ""),
        "hours_now": _num(hours.get("now")), "hours_goal": _num(hours.get("goal")),
        "special_education": bool(c.get("special_education")),
        "certificates": list(p.get("certificates") or []),
        "work": [{k: _num(w.get(k)) if k in ("from", "to") else (w.get(k) or "")
                  for k in WORK_FIELDS} for w in work]
        + [dict.fromkeys(WORK_FIELDS, "") for _ in range(BLANK_ROWS)],
        "education": [{"name": e.get("name", ""), "level": e.get("level") or "",
                       "year": _num(e.get("year")), "completed": e.get("completed", True)}
                      for e in edu]
        + [{"name": "", "level": "", "year": "", "completed": True}
           for _ in range(BLANK_ROWS)],
    }
    for key in LINE_FIELDS:
        out[key] = "\n".join(c.get(key) or [])
    return out


def _rows(form: dict[str, str], prefix: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    n = int(form.get(f"{prefix}_rows", "0") or 0) if form.get(f"{prefix}_rows", "").isdigit() \
        else 0
    return [{k: form.get(f"{prefix}-{i}-{k}", "") for k in (*fields, "completed")}
            for i in range(min(n, 100))]


def career_form_echo(form: dict[str, str]) -> dict[str, Any]:
    """What the user typed, to show again next to an error (rows and all)."""
    work = [{k: r[k] for k in WORK_FIELDS} for r in _rows(form, "wh", WORK_FIELDS)]
    edu = [{"name": r["name"], "level": r["level"], "year": r["year"],
            "completed": bool(r["completed"])} for r in _rows(form, "edu", EDU_FIELDS)]
    out: dict[str, Any] = {
        "wants": form.get("wants", ""), "hours_now": form.get("hours_now", ""),
        "hours_goal": form.get("hours_goal", ""),
        "special_education": bool(form.get("special_education")),
        "certificates": [c for c in form.get("certificates", "").split("\n") if c],
        "work": work, "education": edu,
    }
    for key in LINE_FIELDS:
        out[key] = form.get(key, "")
    return out


@dataclass
class CareerInput:
    """The profile dict to validate, and which form row each list item came from."""

    profile: dict[str, Any]
    work_rows: list[int]
    edu_rows: list[int]


def career_from_form(stored: dict[str, Any] | None, cid: str, form: dict[str, str]
                     ) -> CareerInput:
    """The stored profile with ``career`` and ``certificates`` from the form (other keys
    kept); blank rows are left out. Validated by ``profile_from_dict`` afterwards."""
    d: dict[str, Any] = dict(stored or {})
    d["id"] = cid
    c: dict[str, Any] = {}
    if form.get("wants", "").strip():
        c["wants"] = form["wants"].strip()
    work, work_rows = [], []
    for i, r in enumerate(_rows(form, "wh", WORK_FIELDS)):
        if not any(r[k].strip() for k in WORK_FIELDS):
            continue
        item: dict[str, Any] = {}
        for k in WORK_FIELDS:
            v = r[k].strip()
            if v:
                item[k] = _int_or_text(v) if k in ("from", "to") else v
        work.append(item)
        work_rows.append(i)
    if work:
        c["work_history"] = work
    edu, edu_rows = [], []
    for i, r in enumerate(_rows(form, "edu", EDU_FIELDS)):
        if not any(r[k].strip() for k in EDU_FIELDS):
            continue
        e: dict[str, Any] = {"name": r["name"].strip(), "completed": bool(r["completed"])}
        if r["level"].strip():
            e["level"] = r["level"].strip()
        if r["year"].strip():
            e["year"] = _int_or_text(r["year"])
        edu.append(e)
        edu_rows.append(i)
    if edu:
        c["education"] = edu
    for key in LINE_FIELDS:
        items = _lines(form.get(key, ""))
        if items:
            c[key] = items
    hours = {k: _number_or_text(form[f"hours_{k}"]) for k in ("now", "goal")
             if form.get(f"hours_{k}", "").strip()}
    if hours:
        c["hours"] = hours
    if form.get("special_education"):
        c["special_education"] = True
    d["career"] = c
    d["certificates"] = [x for x in form.get("certificates", "").split("\n") if x]
    return CareerInput(d, work_rows, edu_rows)


_INDEXED = re.compile(r"^career\.(work_history|education)\[(\d+)\](?:\.(\w+))?$")


def career_field(err_field: str | None, work_rows: list[int], edu_rows: list[int]
                 ) -> str | None:
    """The form field a profile error belongs to (None: not one of this form's)."""
    f = err_field or ""
    m = _INDEXED.match(f)
    if m:
        kind, k, sub = m.group(1), int(m.group(2)), m.group(3)
        prefix, rows = ("wh", work_rows) if kind == "work_history" else ("edu", edu_rows)
        row = rows[k] if k < len(rows) else 0
        return f"{prefix}-{row}-{sub}" if sub else f"{prefix}-{row}"
    for key in ("wants", *LINE_FIELDS):
        if f == f"career.{key}" or f.startswith(f"career.{key}["):
            return key
    if f.startswith("career.hours"):
        return "hours_goal" if f.endswith("goal") else "hours_now"
    if f == "career.special_education":
        return "special_education"
    if f.startswith("certificates"):
        return "certificates"
    return None


# --- the disclosure form --------------------------------------------------------------------

def disclosure_form(profile: dict[str, Any] | None) -> dict[str, Any]:
    d = (profile or {}).get("disclosure") or {}
    return {"consent": d.get("consent", "not_asked"), "consent_date": d.get("date", ""),
            "share": d.get("share", "nothing"),
            "accommodations": list(d.get("accommodations") or []),
            "disclosure_note": d.get("note", "")}


def disclosure_form_echo(form: dict[str, str]) -> dict[str, Any]:
    return {"consent": form.get("consent", "not_asked"),
            "consent_date": form.get("consent_date", ""),
            "share": form.get("share", "nothing"),
            "accommodations": [c for c in form.get("accommodations", "").split("\n") if c],
            "disclosure_note": form.get("disclosure_note", "")}


def disclosure_from_form(stored: dict[str, Any] | None, cid: str, form: dict[str, str]
                         ) -> dict[str, Any]:
    """The stored profile with ``disclosure`` from the form; accommodations only count with
    share = accommodations (the form keeps the ticks, the profile does not)."""
    d: dict[str, Any] = dict(stored or {})
    d["id"] = cid
    share = form.get("share", "nothing")
    disc: dict[str, Any] = {"consent": form.get("consent", "not_asked"), "share": share}
    if form.get("consent_date", "").strip():
        disc["date"] = form["consent_date"].strip()
    acc = [c for c in form.get("accommodations", "").split("\n") if c]
    if share == "accommodations" and acc:
        disc["accommodations"] = acc
    if form.get("disclosure_note", "").strip():
        disc["note"] = form["disclosure_note"].strip()
    d["disclosure"] = disc
    return d


DISCLOSURE_FIELDS = {"disclosure.consent": "consent", "disclosure.date": "consent_date",
                     "disclosure.share": "share", "disclosure.note": "disclosure_note"}


def disclosure_field(err_field: str | None) -> str | None:
    f = err_field or ""
    if f.startswith("disclosure.accommodations"):
        return "accommodations"
    return DISCLOSURE_FIELDS.get(f)


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _drop(d: dict[str, Any], err_field: str | None, rows: dict[str, list[int]],
          stand_ins: dict[str, Any]) -> bool:
    """Take the value ``err_field`` (``career.work_history[1].from``) names out of ``d``, so
    the rest can be checked; a list item taken out takes its form row out of ``rows`` (by
    the list's path) too. A field in ``stand_ins`` gets that (valid) value instead, which is
    how a required field left empty lets the rest be checked. False when there is nothing
    to take out."""
    steps: list[str | int] = [m.group(1) if m.group(1) is not None else int(m.group(2))
                              for m in _STEP.finditer(err_field or "")]
    if not steps:
        return False
    parent: Any = d
    for step in steps[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return False
    last = steps[-1]
    if isinstance(last, int):
        if not isinstance(parent, list) or last >= len(parent):
            return False
        del parent[last]
        path = (err_field or "").rsplit("[", 1)[0]
        if path in rows and last < len(rows[path]):
            del rows[path][last]
        return True
    if not isinstance(parent, dict):
        return False
    if err_field in stand_ins and parent.get(last) != stand_ins[err_field]:
        parent[last] = stand_ins[err_field]
        return True
    if last not in parent:
        return False
    del parent[last]
    return True


def validate_all(d: dict[str, Any], validate: Any, key_of: Any,
                 rows: dict[str, list[int]] | None = None, limit: int = 50, *,
                 by_key: bool = False, stand_ins: dict[str, Any] | None = None,
                 catch: tuple[type[Exception], ...] = (ProfileError,)
                 ) -> tuple[Any, list[tuple[str | None, Any]]]:
    """``validate(d)`` (``profile_from_dict``), and every error it finds, not only the first:
    each error's value is taken out of a copy of ``d`` and the rest is checked again.

    Returns (the validated result, []) or (None, [(form key, error), ...]); ``key_of(exc,
    rows)`` is the form field of an error, asked before its value is taken out (``rows`` are
    the form rows of list items, as :class:`CareerInput` has them: they move up when an item
    above them is taken out). ``by_key``: ``d`` is the form itself, so an error's value is
    taken out by its form key rather than by its field's path (the follow-up forms, whose
    records name their own fields). ``stand_ins``: a valid value by path (or form key) to
    put where an error's field has nothing to take out (a required date left empty).
    ``catch``: the errors that are a field's (others propagate at once)."""
    import copy

    work = copy.deepcopy(d)
    rows = {k: list(v) for k, v in (rows or {}).items()}
    found: list[tuple[str | None, Any]] = []
    for _ in range(limit):
        try:
            result = validate(work)
        except catch as exc:
            key = key_of(exc, rows)
            found.append((key, exc))
            if not _drop(work, key if by_key else getattr(exc, "field", None), rows,
                         stand_ins or {}):
                break
        else:
            return (None, found) if found else (result, [])
    return None, found


def career_key(exc: ProfileError, rows: dict[str, list[int]]) -> str | None:
    """The career form's field of an error, with the form rows as they are now."""
    return career_field(exc.field, rows.get("career.work_history", []),
                        rows.get("career.education", []))


def disclosure_key(exc: ProfileError, rows: dict[str, list[int]]) -> str | None:
    """The disclosure form's field of an error (:func:`validate_all`'s ``key_of``)."""
    return disclosure_field(exc.field)


#: a valid value for the disclosure's required fields, so an answer saved without its date
#: does not hide the errors after it (never stored: it stands in only while checking)
DISCLOSURE_STAND_INS: dict[str, Any] = {"disclosure.date": "2000-01-01"}


def place_error(errors: FormErrors, exc: Any, key: str | None, lang: str) -> None:
    """Put an error, in ``lang``, at its form field, or among the general ones (naming the
    profile field, which is then outside this form)."""
    if key is None:
        errors.add(None, error_line(exc, lang))
    else:
        errors.add(key, error_text(exc, lang))


# --- the jobudviklingsark -------------------------------------------------------------------

def sheet_dict(sheet: Any) -> dict[str, Any]:
    """A :class:`ipsmatch.ips.JobDevSheet` as JSON (the API's body)."""
    return {"title": sheet.title, "made": sheet.made.isoformat() if sheet.made else None,
            "sections": [{"heading": h, "lines": list(lines)} for h, lines in sheet.sections],
            "included": list(sheet.included),
            "pending": [{"key": t.key, "label": t.label, "text": t.text}
                        for t in sheet.pending],
            "text": sheet.text()}


# --- reports and the funder export ----------------------------------------------------------

def report_dict(r: Any) -> dict[str, Any]:
    return {"title": r.title, "period_from": r.period[0].isoformat(),
            "period_to": r.period[1].isoformat(),
            "sections": [{"heading": h, "lines": list(lines)} for h, lines in r.sections],
            "comment": r.comment, "text": r.text()}


def followup_dict(u: Any) -> dict[str, Any]:
    """One job after the start (``followup show --format json``)."""
    from ipsmatch.output import job_start_json

    return {"job": job_start_json(u.job), "wage_form": u.job.wage,
            "timeline": [[d.isoformat(), h] for d, h in u.timeline],
            "plan": u.plan.to_dict() if u.plan else None,
            "contacts": [c.to_dict() for c in u.contacts]}
