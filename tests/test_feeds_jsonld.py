"""schema.org JobPosting JSON-LD: object, array, @graph, JSON Lines."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from ipsmatch.feeds import detect_format, read_feeds


def posting(ident: Any = "A1", **extra: Any) -> dict[str, Any]:
    d: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "JobPosting",
        "identifier": ident,
        "title": "Lagermedarbejder",
        "description": "<p>Pakning af varer i <b>roligt tempo</b>.</p><p>Ingen nattevagter.</p>",
        "datePosted": "2024-05-01",
        "validThrough": "2024-06-01T23:59:00+02:00",
        "employmentType": "PART_TIME",
        "workHours": "8-12 timer om ugen",
        "hiringOrganization": {"@type": "Organization", "name": "Lager ApS",
                               "taxID": "DK 12345678"},
        "jobLocation": {"@type": "Place",
                        "address": {"postalCode": "9000", "addressLocality": "Aalborg",
                                    "streetAddress": "Havnegade 1"},
                        "geo": {"latitude": 57.05, "longitude": 9.92}},
        "occupationalCategory": {"@type": "CategoryCode", "name": "Lagerarbejder",
                                 "codeValue": "http://data.europa.eu/esco/occupation/abc"},
        "url": "https://example.org/job/A1",
    }
    d.update(extra)
    return d


def write(tmp_path: Path, name: str, content: Any) -> Path:
    p = tmp_path / name
    p.write_text(content if isinstance(content, str) else json.dumps(content),
                 encoding="utf-8")
    return p


def test_single_object_all_fields(tmp_path: Path) -> None:
    p = write(tmp_path, "one.json", posting())
    assert detect_format(p) == "jsonld"
    b = read_feeds([p])
    assert not b.errors and not b.read_errors
    [v] = b.vacancies
    assert v.source == "jsonld" and v.external_id == "A1"
    assert v.text.startswith("Pakning af varer i roligt tempo.")
    assert (v.hours_min, v.hours_max) == (8.0, 12.0)
    assert v.posted == date(2024, 5, 1) and v.deadline == date(2024, 6, 1)
    assert v.employment_type == "PART_TIME"
    assert v.employer.name == "Lager ApS" and v.employer.cvr == "12345678"
    assert (v.postcode, v.city, v.address) == ("9000", "Aalborg", "Havnegade 1")
    assert (v.lat, v.lon) == (57.05, 9.92)
    assert v.occupation_uri == "http://data.europa.eu/esco/occupation/abc"
    assert v.occupation_hint == "Lagerarbejder"
    assert v.schedule == {"night": False}
    assert v.fact("low_tempo").value is True
    assert v.content_hash and len(v.content_hash) == 64


def test_array_graph_and_non_jobposting_objects(tmp_path: Path) -> None:
    arr = write(tmp_path, "arr.json", [posting("A1"), posting("A2"),
                                       {"@type": "Organization", "name": "x"}])
    graph = write(tmp_path, "graph.json", {"@context": "https://schema.org",
                                           "@graph": [posting("G1"), posting("G2"),
                                                      {"@type": "WebPage"}]})
    b = read_feeds([arr, graph])
    assert sorted(v.external_id for v in b.vacancies) == ["A1", "A2", "G1", "G2"]
    assert not b.errors
    assert [f.ignored for f in b.files] == [1, 1]


def test_json_lines_with_line_numbers(tmp_path: Path) -> None:
    lines = [json.dumps(posting("L1")), "", json.dumps(posting("L2", title="")),
             '{"@type": "JobPosting", "title": "x"', json.dumps(posting("L4"))]
    p = write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    assert detect_format(p) == "jsonld"
    b = read_feeds([p])
    assert [v.external_id for v in b.vacancies] == ["L1", "L4"]
    by_line = {e.line: e for e in b.errors}
    assert set(by_line) == {3, 4}
    assert by_line[3].field == "title"
    assert "invalid JSON" in by_line[4].message
    assert all(e.file == str(p) for e in b.errors)


def test_identifier_forms_and_location_list(tmp_path: Path) -> None:
    p = write(tmp_path, "forms.json", [
        posting({"@type": "PropertyValue", "name": "id", "value": 42}),
        posting("B2", jobLocation=[{"address": {"postalCode": "8000"}},
                                   {"address": {"postalCode": "9000"}}],
                employmentType=["FULL_TIME", "TEMPORARY"], workHours=None,
                description="Vi tilbyder fleksibel mødetid."),
        posting("B3", occupationalCategory="Truckfører", hiringOrganization="Firma A/S"),
    ])
    b = read_feeds([p])
    assert not b.errors
    ads = {v.external_id: v for v in b.vacancies}
    assert set(ads) == {"42", "B2", "B3"}
    b2 = ads["B2"]
    assert b2.postcode == "8000" and b2.lat is not None  # first location, centroid coords
    assert (b2.hours_min, b2.hours_max) == (37.0, 37.0)
    assert b2.employment_type == "FULL_TIME, TEMPORARY"
    assert b2.fact("flexible_start").value is True
    assert ads["B3"].occupation_hint == "Truckfører" and ads["B3"].occupation_uri is None
    assert ads["B3"].employer.name == "Firma A/S" and ads["B3"].employer.cvr is None


def test_wrong_types_are_field_errors(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.json", [
        posting("T1", title=12345),
        posting("T2", title={"da": "x"}),
        posting(None),
        posting("T4", datePosted="1. maj"),
        posting("T5", jobLocation={"address": {"postalCode": "0000"}}),
        posting("T6", hiringOrganization={"name": "X", "taxID": "1234"}),
        posting("T7"),
    ])
    b = read_feeds([p])
    assert [v.external_id for v in b.vacancies] == ["T7"]
    got = {(e.record, e.field) for e in b.errors}
    assert got == {(1, "title"), (2, "title"), (3, "identifier"), (4, "datePosted"),
                   (5, "jobLocation.address.postalCode"), (6, "hiringOrganization.identifier")}
    title_err = next(e for e in b.errors if e.record == 1)
    assert "must be text" in title_err.message
    assert "record #1" in str(title_err) and str(p) in str(title_err)
    pc = next(e for e in b.errors if e.record == 5)
    assert "4 digits, e.g. 9000" in (pc.hint or "")
    dt = next(e for e in b.errors if e.record == 4)
    assert "YYYY-MM-DD" in (dt.hint or "")
