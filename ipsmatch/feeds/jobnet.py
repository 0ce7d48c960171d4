"""Jobnet JSON: search pages (``JobPositionPostings``) and detail records (``JobPositionPosting``).

A detail record's top-level ``WorkConditions``, ``WorkSchedule`` and ``EmploymentTypes`` are
the lookup lists of *all* options (identical in every record), not the ad's own values. The
ad's own values are ``JobPositionInformation.EmploymentType`` (an id into EmploymentTypes),
``JobPositionInformation.WeeklyWorkHours.TypeName`` and ``ApplicationDetails`` (hours and
the day/evening/night/weekend flags). Work conditions (fleksjob ...) are read from the ad's
own fields when present: the search record's ``JobAnnouncementType`` (a Jobnet facet whose values
include "Almindelige vilkår", "Fleksjob", "Job med løntilskud") and a ``WorkConditions`` list
*inside* ``JobPositionPosting``. The real sample states neither (``JobAnnouncementType`` is ""),
so there they come from the ad text only, and stay unknown when the text says nothing.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from ipsmatch.domain import Fact
from ipsmatch.errors import FeedReadError
from ipsmatch.feeds.checks import (
    as_coords,
    as_cvr,
    as_date,
    as_hours,
    as_id,
    as_postcode,
    as_text,
    cheap_id,
)
from ipsmatch.feeds.files import parse_json_text, record_too_big
from ipsmatch.feeds.hashes import combine_hashes, raw_hash
from ipsmatch.feeds.text_rules import format_phone, schedule_facts, work_condition_code
from ipsmatch.feeds.types import Draft
from ipsmatch.text.clean import depth_exceeds

DETAIL_URL = "https://job.jobnet.dk/CV/FindWork/Details/{id}"


def looks_like_jobnet(obj: Any) -> bool:
    if isinstance(obj, dict):
        return "JobPositionPostings" in obj or "JobPositionPosting" in obj
    if isinstance(obj, list):
        return any(isinstance(o, dict) and ("JobPositionPosting" in o or "JobPositionPostings"
                                            in o or ("HiringOrgName" in o and "ID" in o))
                   for o in obj[:5])
    return False


def read_jobnet(text: str, name: str, file_index: int = 0, *, lazy: bool = False
                ) -> tuple[list[Draft], int, int]:
    """Drafts (kind 'search' or 'detail') from one Jobnet JSON file; (drafts, records, ignored).

    ``lazy``: leave each record's full parse in ``Draft.parse`` (id and raw hash are set)."""
    doc = parse_json_text(text, name)
    items: list[tuple[str, Any, int]] = []  # (kind, record, record number)
    ignored = 0

    def add_page(page: dict[str, Any]) -> None:
        posts = page.get("JobPositionPostings")
        if not isinstance(posts, list):
            raise FeedReadError("JobPositionPostings is not a list", file=name,
                                hint="this does not look like a Jobnet search response")
        for rec in posts:
            items.append(("search", rec, len(items) + 1))

    if isinstance(doc, dict) and "JobPositionPostings" in doc:
        add_page(doc)
    elif isinstance(doc, dict) and "JobPositionPosting" in doc:
        items.append(("detail", doc, 1))
    elif isinstance(doc, list):
        for rec in doc:
            if isinstance(rec, dict) and "JobPositionPostings" in rec:
                add_page(rec)
            elif isinstance(rec, dict) and "JobPositionPosting" in rec:
                items.append(("detail", rec, len(items) + 1))
            elif isinstance(rec, dict) and ("HiringOrgName" in rec or "ID" in rec):
                items.append(("search", rec, len(items) + 1))
            else:
                items.append(("bad", rec, len(items) + 1))
    else:
        raise FeedReadError("not a Jobnet file: expected an object with JobPositionPostings "
                            "or JobPositionPosting", file=name,
                            hint="use --format jsonld or csv if this is another format")

    drafts: list[Draft] = []
    for kind, rec, num in items:
        d = Draft(file=name, record=num, kind=kind, file_index=file_index)
        drafts.append(d)
        if not isinstance(rec, dict) or kind == "bad":
            d.error(None, "record is not a Jobnet ad object",
                    hint="each item must be a search record or a detail record")
            continue
        if depth_exceeds(rec):
            d.error(None, "record nested too deeply (more than 50 levels)")
            continue
        if record_too_big(rec):
            d.error(None, "record larger than 1 MB", hint="a job ad is a few kB; check the export")
            continue
        if kind == "search":
            d.cheap_id = cheap_id(rec.get("ID"))
            d.parse = partial(_search, d, rec)
        else:
            jpp = rec.get("JobPositionPosting")
            d.cheap_id = cheap_id(jpp.get("Id")) if isinstance(jpp, dict) else None
            d.parse = partial(_detail, d, rec)
        d.raw_hash = raw_hash("jobnet", rec)
        if not lazy:
            d.parse_now()
    return drafts, len(items), ignored


def _obj(x: Any) -> dict[str, Any]:
    return x if isinstance(x, dict) else {}


def _get(obj: Any, *path: str) -> Any:
    for p in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(p)
    return obj


def _search(d: Draft, r: dict[str, Any]) -> None:
    v = d.values
    v["external_id"] = as_id(d, "ID", r.get("ID"))
    v["title"] = as_text(d, "Title", r.get("Title") or r.get("JobHeadline"), required=True)
    v["text"] = as_text(d, "Presentation", r.get("Presentation"), html=True)
    v["employer_name"] = as_text(d, "HiringOrgName", r.get("HiringOrgName"))
    v["employer_cvr"] = as_cvr(d, "HiringOrgCVR", r.get("HiringOrgCVR"))
    v["address"] = as_text(d, "WorkPlaceAddress", r.get("WorkPlaceAddress"))
    v["postcode"] = as_postcode(d, "WorkPlacePostalCode",
                                r.get("WorkPlacePostalCode") or r.get("PostalCode"))
    v["city"] = as_text(d, "WorkPlaceCity", r.get("WorkPlaceCity"))
    loc = _obj(r.get("Location"))
    v["lat"], v["lon"] = as_coords(d, loc.get("Latitude", r.get("Latitude")),
                                   loc.get("Longitude", r.get("Longitude")),
                                   lat_name="Location.Latitude", lon_name="Location.Longitude")
    v["posted"] = as_date(d, "PostingCreated", r.get("PostingCreated"))
    v["deadline"] = as_date(d, "LastDateApplication", r.get("LastDateApplication"))
    v["work_hours"] = as_text(d, "WorkHours", r.get("WorkHours"))
    v["employment_type"] = as_text(d, "EmploymentType", r.get("EmploymentType"))
    v["occupation_hint"] = as_text(d, "Occupation", r.get("Occupation"))
    v["url"] = as_text(d, "Url", r.get("Url"))
    _conditions(v, r.get("JobAnnouncementType"))


def _detail(d: Draft, r: dict[str, Any]) -> None:
    v = d.values
    jpp = r.get("JobPositionPosting")
    if not isinstance(jpp, dict):
        d.error("JobPositionPosting", "must be an object")
        return
    info = _obj(jpp.get("JobPositionInformation"))
    app = _obj(jpp.get("ApplicationDetails"))
    org = _obj(jpp.get("HiringOrg"))
    v["external_id"] = as_id(d, "JobPositionPosting.Id", jpp.get("Id"))
    v["title"] = as_text(d, "PositionTitle", info.get("PositionTitle"), required=True)
    v["text"] = as_text(d, "Purpose", info.get("Purpose") or r.get("FormattedPurpose"),
                        html=True)
    v["employer_name"] = as_text(d, "HiringOrg.Name", org.get("Name"))
    v["employer_cvr"] = as_cvr(d, "HiringOrg.OrganizationNumber",
                               org.get("OrganizationNumber") or r.get("OrganizationNumber"))
    v["employer_address"] = as_text(d, "HiringOrg.Address.AddressLine",
                                    _get(org, "Address", "AddressLine"))
    v["employer_postcode"] = as_postcode(d, "HiringOrg.Address.PostalCode",
                                         _get(org, "Address", "PostalCode"))
    v["employer_city"] = as_text(d, "HiringOrg.Address.City", _get(org, "Address", "City"))
    wl = _obj(info.get("WorkLocation"))
    v["address"] = as_text(d, "WorkLocation.AddressLine", wl.get("AddressLine"))
    v["postcode"] = as_postcode(d, "WorkLocation.PostalCode", wl.get("PostalCode"))
    v["city"] = as_text(d, "WorkLocation.City", wl.get("City"))
    v["posted"] = as_date(d, "PublicationStartDate", jpp.get("PublicationStartDate"))
    v["deadline"] = as_date(d, "ApplicationDeadlineDate", app.get("ApplicationDeadlineDate")) \
        or as_date(d, "PublicationEndDate", jpp.get("PublicationEndDate"))
    v["work_hours"] = as_text(d, "WeeklyWorkHours.TypeName",
                              _get(info, "WeeklyWorkHours", "TypeName"))
    # 0 is how Jobnet writes "not stated" for the minimum.
    v["hours_min"], v["hours_max"] = as_hours(d, "WorkHourMin", app.get("WorkHourMin"),
                                              "WorkHourMax", app.get("WorkHourMax"),
                                              zero_is_unknown=True)
    v["employment_type"] = _lookup(r.get("EmploymentTypes"), info.get("EmploymentType"))
    if v["external_id"]:
        v["url"] = DETAIL_URL.format(id=v["external_id"])
    # The ad's own list lives inside JobPositionPosting; the top-level one is the lookup table.
    _conditions(v, jpp.get("WorkConditions"))

    flags = {"day": app.get("DailyWorkTimeDay"), "evening": app.get("DailyWorkTimeEvening"),
             "night": app.get("DailyWorkTimeNight"), "weekend": app.get("DailyWorkTimeWeekend")}
    # A ticked box states that time of day; an unticked one states nothing (employers tick
    # the main shift and leave the rest: 5331002 ticks only "aften" and works Saturdays).
    ticked = {k: True for k, x in flags.items() if x is True}
    if ticked:
        d.field_facts += schedule_facts(ticked, "Arbejdstid (Jobnet)")
    # Jobnet's own "handicapvenlig arbejdsplads" mark: a reason when set, nothing when not.
    if jpp.get("IsDisabilityFriendly") is True:
        d.field_facts.append(Fact("disability_friendly", True,
                                  "Jobnet: handicapvenlig arbejdsplads", "field"))
    v["contact"] = _contact(info, org, app)
    licences = info.get("DriverLicense")
    if isinstance(licences, list) and licences:
        names = [str(x.get("Name") or x.get("Id")) if isinstance(x, dict) else str(x)
                 for x in licences]
        d.field_facts.append(Fact("driving_licence", True,
                                  f"Kørekort: {', '.join(names)}"[:120], "field"))


def _contact(info: dict[str, Any], org: dict[str, Any], app: dict[str, Any]
             ) -> dict[str, str] | None:
    """The contact details a detail record gives: the ad's contact person (name, phone,
    e-mail), else the employer's own phone and e-mail; the employer's website; where to
    apply."""
    people = info.get("JppContacts")
    person = next((p for p in people if isinstance(p, dict)), {}) \
        if isinstance(people, list) else {}
    phones = person.get("PhoneNumbers")
    phone = next((p.get("Number") for p in phones if isinstance(p, dict) and p.get("Number")),
                 None) if isinstance(phones, list) else None
    out = {"person": person.get("PersonName"),
           "phone": phone or _get(org, "PhoneNumber", "Number"),
           "email": person.get("Email") or org.get("Email"),
           "website": org.get("WebAddress"),
           "apply_url": app.get("ApplyViaUrl")}
    clean = {k: " ".join(str(x).split())[:200] for k, x in out.items()
             if isinstance(x, str | int) and str(x).strip()}
    if "phone" in clean:
        clean["phone"] = format_phone(clean["phone"])
    return clean or None


def _conditions(v: dict[str, Any], raw: Any) -> None:
    """Work-condition codes from an ad-level field: a name, or a list of {Id, Name}."""
    items = raw if isinstance(raw, list) else [raw]
    names = [x.get("Name") if isinstance(x, dict) else x for x in items]
    codes = [c for c in (work_condition_code(n) for n in names if isinstance(n, str) and n.strip())
             if c]
    if codes:
        v["work_conditions"] = sorted(set(codes))


def _lookup(table: Any, key: Any) -> str | None:
    if key is None or not isinstance(table, list):
        return None
    for row in table:
        if isinstance(row, dict) and row.get("Id") == key and isinstance(row.get("Name"), str):
            return row["Name"]
    return None


def merge(search: Draft, detail: Draft) -> Draft:
    """One draft from a search record and its detail record: detail wins where it has a value."""
    out = Draft(file=detail.file, record=detail.record, kind="merged",
                file_index=detail.file_index)
    out.values = dict(search.values)
    for k, val in detail.values.items():
        if val is not None and val != "":
            out.values[k] = val
    if search.values.get("url"):  # the feed's own link beats the one we construct
        out.values["url"] = search.values["url"]
    out.field_facts = detail.field_facts or search.field_facts
    out.errors = search.errors + detail.errors
    out.warnings = search.warnings + detail.warnings
    out.origins = [search.file_index, detail.file_index]
    out.cheap_id = detail.cheap_id or search.cheap_id
    out.raw_hash = combine_hashes(search.raw_hash, detail.raw_hash)
    return out
