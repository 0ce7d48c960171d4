"""Citizen profiles: load and validate from JSON, TOML or a dict → :class:`CitizenProfile`.

The format (see docs/profile.md for the full reference)::

    {
      "version": 3,
      "id": "c-0042",
      "home_postcode": "9400",
      "travel": {"mode": "bike", "max_minutes": 30},
      "hours": {"min": 8, "max": 12, "must": false},
      "wishes": ["lagerarbejde", "arbejde på en byggeplads"],
      "avoid": ["kundekontakt", "butik"],
      "needs": ["no_night", {"code": "flexible_start", "must": false}],
      "languages": ["da", "en"],
      "certificates": ["driving_licence_b"],
      "home": {"lat": 57.0553, "lon": 9.9193},
      "fleksjob_approved": false,
      "accept_subsidised": false,
      "career": {"wants": "faste opgaver og gode kolleger",
                 "work_history": [{"title": "Lagermedarbejder", "from": 2019, "to": 2021,
                                   "went_well": "orden på hylderne"}],
                 "education": [{"name": "Folkeskolens afgangsprøve", "level": "folkeskole"}],
                 "strengths": ["stabil"], "interests": ["værktøj"],
                 "hours": {"now": 8, "goal": 15}, "supports": ["fast kontaktperson"]},
      "disclosure": {"consent": "yes", "date": "2026-11-02", "share": "accommodations",
                     "accommodations": ["flexible_start"]}
    }

``career`` (the karriereprofil) and ``disclosure`` (åbenhed) came with version 3 (see
:mod:`ipsmatch.ips.career`); their free texts go through
:func:`ipsmatch.ips.freetext.check_free_text`.

``id`` is a pseudonymous case reference, never a CPR number; a CPR number anywhere in a
profile is refused (:class:`PrivacyError`). There is no diagnosis field on purpose: needs
describe accommodations, not illness.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ipsmatch import limits
from ipsmatch.commute import MODES
from ipsmatch.domain import CitizenProfile, Need
from ipsmatch.errors import ProfileError
from ipsmatch.geo import normalize_postcode, postcode_info
from ipsmatch.ips.career import (
    career_from_dict,
    career_to_dict,
    disclosure_from_dict,
    disclosure_to_dict,
)
from ipsmatch.messages import MESSAGES, kind_of
from ipsmatch.needs import NEEDS
from ipsmatch.privacy import assert_no_cpr
from ipsmatch.text.clean import clean_strings, depth_exceeds

#: The profile format's version. Stored profiles carry it; a dict without one is version 1
#: and is upgraded on read (:func:`upgrade_profile_dict`), so old rows keep working.
PROFILE_VERSION = 3

KNOWN_KEYS = frozenset({
    "version", "id", "home_postcode", "home", "travel", "hours", "wishes", "avoid", "needs",
    "languages", "certificates", "fleksjob_approved", "accept_subsidised", "consultant",
    "start_date", "career", "disclosure",
})

#: What a citizen may hold that ads ask for. code -> (Danish, English) label.
CERTIFICATES: dict[str, tuple[str, str]] = {
    "driving_licence_b": ("kørekort (B)", "driving licence (B)"),
    "own_car": ("egen bil", "own car"),
    "truck_licence": ("lastbilkørekort (C/CE)", "truck licence (C/CE)"),
    "forklift_certificate": ("truckcertifikat", "forklift certificate"),
    "hygiene_certificate": ("hygiejnebevis", "food hygiene certificate"),
    "first_aid": ("førstehjælpsbevis", "first aid certificate"),
    "clean_criminal_record": ("ren straffeattest", "clean criminal record"),
    "clean_child_record": ("ren børneattest", "clean child-protection record"),
}

#: ISO 639-1 codes accepted in ``languages`` (the languages citizens in Denmark most often
#: work in; extend as needed). code -> (Danish, English) name.
LANGUAGES: dict[str, tuple[str, str]] = {
    "da": ("dansk", "Danish"), "en": ("engelsk", "English"), "de": ("tysk", "German"),
    "sv": ("svensk", "Swedish"), "no": ("norsk", "Norwegian"), "fo": ("færøsk", "Faroese"),
    "kl": ("grønlandsk", "Greenlandic"), "pl": ("polsk", "Polish"),
    "ro": ("rumænsk", "Romanian"), "lt": ("litauisk", "Lithuanian"),
    "lv": ("lettisk", "Latvian"), "bg": ("bulgarsk", "Bulgarian"),
    "uk": ("ukrainsk", "Ukrainian"), "ru": ("russisk", "Russian"),
    "ar": ("arabisk", "Arabic"), "tr": ("tyrkisk", "Turkish"), "so": ("somali", "Somali"),
    "fa": ("persisk", "Persian"), "ur": ("urdu", "Urdu"), "ti": ("tigrinya", "Tigrinya"),
    "es": ("spansk", "Spanish"), "fr": ("fransk", "French"), "it": ("italiensk", "Italian"),
    "pt": ("portugisisk", "Portuguese"), "hu": ("ungarsk", "Hungarian"),
    "vi": ("vietnamesisk", "Vietnamese"), "th": ("thai", "Thai"),
}
#: Denmark's bounding box (with Bornholm and Skagen): home coordinates outside it are a typo.
_DK_LAT = (54.4, 57.9)
_DK_LON = (7.7, 15.3)
#: Keys refused with a specific explanation rather than "unknown key": key -> message code.
REFUSED_KEYS = {"diagnosis": "refused.diagnosis", "diagnose": "refused.diagnosis",
                "cpr": "refused.cpr", "name": "refused.name"}
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MAX_MINUTES = 240
MAX_HOURS = 60.0
#: a profile file is a few hundred bytes; far more is a mistake (or an attack on suggest)
MAX_PROFILE_BYTES = 1_000_000
MAX_DEPTH = 20


def load_profile(path: str | Path) -> CitizenProfile:
    """Read a profile from a ``.json`` or ``.toml`` file."""
    p = Path(path)
    try:
        raw = limits.read_at_most(p, MAX_PROFILE_BYTES)
    except OSError as exc:
        raise ProfileError(code="profile.unreadable", params={"reason": exc.strerror},
                           file=str(p)) from None
    return profile_from_dict(parse_profile_bytes(raw, name=str(p)), file=str(p))


def parse_profile_bytes(raw: bytes, *, name: str) -> dict[str, Any]:
    """Parse JSON or TOML bytes (by file suffix, else by sniffing) into a dict."""
    text = raw.decode("utf-8-sig", errors="replace")
    is_toml = name.lower().endswith(".toml") or (
        not name.lower().endswith(".json") and not text.lstrip().startswith("{"))
    kind = "TOML" if is_toml else "JSON"
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError(code="profile.too_big", file=name,
                           params={"max": MAX_PROFILE_BYTES})
    try:
        data = tomllib.loads(text) if is_toml else json.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(code="profile.syntax", file=name,
                           params={"kind": kind, "detail": str(exc)}) from None
    except RecursionError:
        data = None  # reported as too deep below
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise ProfileError(code="profile.huge_number", file=name,
                           params={"kind": kind, "detail": str(exc)}) from None
    if data is None or depth_exceeds(data, MAX_DEPTH):
        raise ProfileError(code="profile.too_deep", file=name, params={"depth": MAX_DEPTH})
    data = clean_strings(data)  # NUL or an unpaired "\ud800" escape: not storable
    if not isinstance(data, dict):
        raise ProfileError(code="profile.not_object", file=name)
    return data


def _bool(d: dict[str, Any], key: str, default: bool, field: str) -> bool:
    v = d.get(key, default)
    if not isinstance(v, bool):
        raise ProfileError(code="value.not_bool", field=field, params={"value": v})
    return v


def _number(v: Any, field: str, lo: float, hi: float) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ProfileError(code="value.not_number", field=field, params={"value": v})
    if not lo <= v <= hi:
        raise ProfileError(code="value.range", field=field,
                           params={"lo": lo, "hi": hi, "value": v})
    return float(v)


def _str_list(v: Any, field: str) -> list[str]:
    if v is None:
        return []
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise ProfileError(code="value.not_str_list", field=field)
    return [x.strip() for x in v if x.strip()]


def _wishes(v: Any, field: str) -> list[str]:
    """Wishes or avoids, within the caps (limits.MAX_WISHES of limits.MAX_WISH_CHARS each):
    far above any real profile, and what keeps suggest fast."""
    items = _str_list(v, field)
    check_wish_caps(items, field)
    return items


def check_wish_caps(items: list[str], field: str) -> None:
    """ProfileError when ``items`` (wishes or avoids) are too many or one is too long."""
    if len(items) > limits.MAX_WISHES:
        raise ProfileError(code="wishes.too_many", field=field,
                           params={"count": len(items), "max": limits.MAX_WISHES})
    for item in items:
        if len(item) > limits.MAX_WISH_CHARS:
            raise ProfileError(code="wishes.too_long", field=field,
                               params={"length": len(item), "max": limits.MAX_WISH_CHARS})


def check_citizen_id(value: Any) -> str | None:
    """The problem with a citizen id (a case reference), or None when it is valid: the rule
    for profile ids, contact logs, job starts and feedback alike."""
    if not isinstance(value, str) or not _ID_RE.match(value):
        return MESSAGES["id.invalid"].en
    return None


def _needs(v: Any) -> list[Need]:
    if v is not None and not isinstance(v, list):
        # {"no_night": false} must not become the must-have no_night, nor 5 a crash
        raise ProfileError(code="needs.not_list", field="needs", params={"kind": kind_of(v)})
    out: list[Need] = []
    seen: set[str] = set()
    for i, item in enumerate(v or []):
        field = f"needs[{i}]"
        if isinstance(item, str):
            code, must = item.strip(), True
        elif isinstance(item, dict):
            extra = set(item) - {"code", "must"}
            if extra:
                raise ProfileError(code="needs.item_keys", field=field,
                                   params={"keys": ", ".join(sorted(extra)),
                                           "count": len(extra)})
            raw_code = item.get("code")
            if not isinstance(raw_code, str):
                raise ProfileError(code="needs.no_code", field=field)
            code = raw_code
            must = _bool(item, "must", True, f"{field}.must")
        else:
            raise ProfileError(code="needs.bad_item", field=field)
        if code not in NEEDS:
            raise ProfileError(code="needs.unknown", field=field,
                               params={"code": code, "choices": ", ".join(NEEDS)})
        if code in seen:
            raise ProfileError(code="needs.twice", field=field, params={"code": code})
        seen.add(code)
        out.append(Need(code=code, must=must))
    return out


def upgrade_profile_dict(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a stored or hand-written profile dict to :data:`PROFILE_VERSION`.

    Each step is one function in :data:`UPGRADES`: version 1 (no ``version`` key) has the
    fields of 2 minus ``home`` and ``certificates``; version 2 those of 3 minus ``career``
    and ``disclosure`` (absent = no career profile yet, consent not asked, nothing shared).
    A version from a newer ipsmatch is refused rather than read wrongly.
    """
    if not isinstance(data, dict):
        raise ProfileError(code="profile.not_object")
    version = data.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ProfileError(code="version.invalid", field="version",
                           params={"value": version, "current": PROFILE_VERSION})
    if version > PROFILE_VERSION:
        raise ProfileError(code="version.newer", field="version",
                           params={"version": version, "current": PROFILE_VERSION})
    if version == PROFILE_VERSION:
        return data
    out = dict(data)
    while version < PROFILE_VERSION:
        out = UPGRADES[version](out)
        version = out["version"]
    return out


def _v1_to_v2(d: dict[str, Any]) -> dict[str, Any]:
    # nothing to move: home and certificates are optional
    return {**d, "version": 2}


def _v2_to_v3(d: dict[str, Any]) -> dict[str, Any]:
    # career and disclosure are optional; a v2 citizen was never asked for consent, which
    # is what an absent disclosure means
    return {**d, "version": 3}


#: version -> the function that lifts a dict of that version one step
UPGRADES = {1: _v1_to_v2, 2: _v2_to_v3}


def profile_from_dict(data: dict[str, Any], *, file: str | None = None) -> CitizenProfile:
    """Validate a profile dict (file format above) and build a :class:`CitizenProfile`."""
    try:
        return _from_dict(upgrade_profile_dict(data))
    except ProfileError as exc:
        if file and not exc.file:
            exc.file = file
        raise


def _from_dict(data: dict[str, Any]) -> CitizenProfile:
    if not isinstance(data, dict):
        raise ProfileError(code="profile.not_object")
    # Refuse personal data before looking at anything else, so no error echoes it.
    assert_no_cpr(data, "profile")
    for key, code in REFUSED_KEYS.items():
        if key in data:
            raise ProfileError(code=code, field=key)
    unknown = set(data) - KNOWN_KEYS
    if unknown:
        raise ProfileError(code="keys.unknown",
                           params={"keys": ", ".join(sorted(unknown)), "count": len(unknown),
                                   "known": ", ".join(sorted(KNOWN_KEYS))})

    pid = data.get("id")
    if check_citizen_id(pid):
        raise ProfileError(code="id.invalid", field="id")

    raw_pc = data.get("home_postcode")
    pc = normalize_postcode(raw_pc)
    if pc is None or postcode_info(pc) is None:
        raise ProfileError(code="postcode.unknown", field="home_postcode",
                           params={"value": raw_pc})

    travel = data.get("travel") or {}
    if not isinstance(travel, dict) or set(travel) - {"mode", "max_minutes"}:
        raise ProfileError(code="travel.shape", field="travel")
    mode = travel.get("mode", "public")
    if not isinstance(mode, str):
        raise ProfileError(code="travel.mode_type", field="travel.mode",
                           params={"kind": kind_of(mode), "choices": ", ".join(MODES)})
    if mode not in MODES:
        raise ProfileError(code="travel.mode_unknown", field="travel.mode",
                           params={"value": mode, "choices": ", ".join(MODES)})
    max_minutes = int(_number(travel.get("max_minutes", 45), "travel.max_minutes", 1,
                              MAX_MINUTES))

    hours = data.get("hours") or {}
    if not isinstance(hours, dict) or set(hours) - {"min", "max", "must"}:
        raise ProfileError(code="hours.shape", field="hours")
    hmin = _number(hours["min"], "hours.min", 0, MAX_HOURS) if "min" in hours else None
    hmax = _number(hours["max"], "hours.max", 1, MAX_HOURS) if "max" in hours else None
    if hmin is not None and hmax is not None and hmin > hmax:
        raise ProfileError(code="hours.min_above_max", field="hours",
                           params={"min": hmin, "max": hmax})
    hours_must = _bool(hours, "must", False, "hours.must")
    if hours_must and hmax is None:
        raise ProfileError(code="hours.must_without_max", field="hours")

    start = data.get("start_date")
    start_date: date | None = None
    if isinstance(start, datetime | time):
        raise ProfileError(code="date.with_time", field="start_date")
    if isinstance(start, date):
        start_date = start
    elif start is not None:
        try:
            start_date = date.fromisoformat(str(start))
        except ValueError:
            raise ProfileError(code="date.invalid", field="start_date",
                               params={"value": start}) from None

    consultant = data.get("consultant")
    if consultant is not None and not isinstance(consultant, str):
        raise ProfileError(code="value.not_str", field="consultant")
    if consultant is not None and len(consultant) > limits.CONSULTANT:
        raise ProfileError(code="consultant.too_long", field="consultant",
                           params={"length": len(consultant), "max": limits.CONSULTANT})

    languages = _codes(data.get("languages", ["da"]), "languages", LANGUAGES) or ["da"]
    certificates = _codes(data.get("certificates"), "certificates", CERTIFICATES)
    home_lat, home_lon = _home(data.get("home"))
    needs = _needs(data.get("needs"))
    career = career_from_dict(data.get("career"))
    disclosure = disclosure_from_dict(data.get("disclosure"), [n.code for n in needs])

    return CitizenProfile(
        id=str(pid),
        home_postcode=pc,
        travel_mode=mode,  # type: ignore[arg-type]  # checked against MODES above
        max_minutes=max_minutes,
        hours_min=hmin,
        hours_max=hmax,
        hours_must=hours_must,
        wishes=_wishes(data.get("wishes"), "wishes"),
        avoid=_wishes(data.get("avoid"), "avoid"),
        needs=needs,
        languages=languages,
        certificates=certificates,
        home_lat=home_lat,
        home_lon=home_lon,
        fleksjob_approved=_bool(data, "fleksjob_approved", False, "fleksjob_approved"),
        accept_subsidised=_bool(data, "accept_subsidised", False, "accept_subsidised"),
        consultant=consultant,
        start_date=start_date,
        career=career,
        disclosure=disclosure,
    )


def _codes(v: Any, field: str, vocabulary: dict[str, tuple[str, str]]) -> list[str]:
    """A list of codes from ``vocabulary`` (case-insensitive), each once, in the given order."""
    out: list[str] = []
    for i, raw in enumerate(_str_list(v, field)):
        code = raw.lower()
        if code not in vocabulary:
            raise ProfileError(code="code.unknown", field=f"{field}[{i}]",
                               params={"value": raw, "choices": ", ".join(vocabulary)})
        if code not in out:
            out.append(code)
    return out


def _home(v: Any) -> tuple[float | None, float | None]:
    if v is None:
        return None, None
    if not isinstance(v, dict) or set(v) != {"lat", "lon"}:
        raise ProfileError(code="home.shape", field="home")
    lat = _number(v["lat"], "home.lat", *_DK_LAT)
    lon = _number(v["lon"], "home.lon", *_DK_LON)
    return lat, lon


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def profile_to_dict(p: CitizenProfile) -> dict[str, Any]:
    """The file format of a profile (round-trips through :func:`profile_from_dict`)."""
    hours: dict[str, Any] = {}
    if p.hours_min is not None:
        hours["min"] = _num(p.hours_min)
    if p.hours_max is not None:
        hours["max"] = _num(p.hours_max)
    if p.hours_must:
        hours["must"] = True
    d: dict[str, Any] = {
        "version": PROFILE_VERSION,
        "id": p.id,
        "home_postcode": p.home_postcode,
        "travel": {"mode": p.travel_mode, "max_minutes": p.max_minutes},
        "hours": hours,
        "wishes": list(p.wishes),
        "avoid": list(p.avoid),
        "needs": [n.code if n.must else {"code": n.code, "must": False} for n in p.needs],
        "languages": list(p.languages),
        "certificates": list(p.certificates),
        "fleksjob_approved": p.fleksjob_approved,
        "accept_subsidised": p.accept_subsidised,
    }
    if p.home_lat is not None and p.home_lon is not None:
        d["home"] = {"lat": p.home_lat, "lon": p.home_lon}
    if p.consultant:
        d["consultant"] = p.consultant
    if p.start_date:
        d["start_date"] = p.start_date.isoformat()
    if p.career is not None:
        d["career"] = career_to_dict(p.career)
    if p.disclosure.consent != "not_asked" or p.disclosure.share != "nothing":
        d["disclosure"] = disclosure_to_dict(p.disclosure)
    return d


def as_profile(profile: CitizenProfile | dict[str, Any]) -> CitizenProfile:
    """Accept a profile object or a plain dict in the file format."""
    if isinstance(profile, CitizenProfile):
        assert_no_cpr(profile_to_dict(profile), "profile")
        check_wish_caps(list(profile.wishes), "wishes")
        check_wish_caps(list(profile.avoid), "avoid")
        return profile
    return profile_from_dict(profile)
