"""Caps and literal matching (issue #14): sizes a consultant never needs are refused with a
clear error before any work (100,000 wishes took 300 s), filters match what was typed (``_``
and ``%`` are not wildcards), a JSON file is not read as an employer CSV, and a contact log
cannot create a citizen whose id a profile could not have."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import vacancy

from ipsmatch import limits
from ipsmatch.domain import Employer
from ipsmatch.errors import FeedError, FeedReadError, ProfileError, UsageError
from ipsmatch.feeds import FeedBatch
from ipsmatch.jobdev.contacts_csv import read_contacts_csv
from ipsmatch.profile import load_profile, profile_from_dict
from ipsmatch.refresh import apply_batch
from ipsmatch.store import Store

BASE = {"id": "c-1", "home_postcode": "9000"}


@pytest.mark.parametrize(("extra", "field"), [
    ({"wishes": [f"lager {i}" for i in range(limits.MAX_WISHES + 1)]}, "wishes"),
    ({"wishes": ["lager " * 100]}, "wishes"),
    ({"avoid": ["butik"] * (limits.MAX_WISHES + 1)}, "avoid"),
])
def test_too_many_or_too_long_wishes_are_refused(extra: dict[str, object], field: str) -> None:
    with pytest.raises(ProfileError, match=r"at most \d+") as e:
        profile_from_dict({**BASE, **extra})
    assert e.value.field == field


def test_a_normal_profile_is_within_the_caps() -> None:
    p = profile_from_dict({**BASE, "wishes": ["lager"] * limits.MAX_WISHES})
    assert len(p.wishes) == limits.MAX_WISHES


def test_a_huge_profile_file_is_refused_before_parsing(tmp_path: Path) -> None:
    p = tmp_path / "c.json"
    p.write_text(json.dumps({**BASE, "wishes": ["x" * 100] * 20_000}), encoding="utf-8")
    with pytest.raises(ProfileError, match="bytes"):
        load_profile(p)


@pytest.fixture
def filled(store: Store) -> Store:
    from datetime import UTC, datetime

    vacs = [vacancy(title=f"Job {i}", occupation_hint=hint, deadline=date(2099, 1, 1),
                    content_hash=f"h{i}", employer=Employer(name))
            for i, (hint, name) in enumerate([("kok", "Café Sol"), ("lager_arbejde", "100% Rent"),
                                              ("tjener", "Bager A/S")])]
    apply_batch(store, FeedBatch(vacancies=vacs), now=datetime(2026, 11, 20, tzinfo=UTC))
    return store


def test_like_wildcards_are_literal(filled: Store) -> None:
    assert [v.occupation_hint for v in filled.list_vacancies(occupation="_")] \
        == ["lager_arbejde"]
    assert filled.list_vacancies(occupation="%") == []
    assert [e.name for e in filled.list_employers(name="%")] == ["100% Rent"]
    assert filled.list_employers(name="_") == []


def test_a_long_search_query_is_refused_before_matching(store: Store,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from ipsmatch.matcher import Matcher

    monkeypatch.setenv("IPSMATCH_SEMANTIC", "off")
    m = Matcher.open(store.engine.url.render_as_string(hide_password=False))
    with pytest.raises(UsageError, match=f"at most {limits.MAX_QUERY_CHARS}"):
        m.search("lager " * 1000)


@pytest.mark.parametrize("name", ["e.json", "e.csv"])
def test_employers_import_refuses_json(tmp_path: Path, name: str) -> None:
    from ipsmatch.feeds import read_employers

    p = tmp_path / name
    p.write_text(json.dumps([{"name": "Café Sol", "cvr": "12345678"}]), encoding="utf-8")
    with pytest.raises(FeedReadError, match="JSON"):
        read_employers(p)


@pytest.mark.parametrize("cid", ["x<svg onload=alert(3)>", "a b", "-x", "æøå"])
def test_a_contact_log_citizen_id_follows_the_profile_id_rule(tmp_path: Path, cid: str) -> None:
    p = tmp_path / "c.csv"
    p.write_text("date,consultant,employer_cvr,citizen_id,kind\n"
                 f'2026-11-12,AB,12345678,"{cid}",phone\n', encoding="utf-8")
    with pytest.raises(FeedError) as e:
        read_contacts_csv(p, today=date(2026, 11, 20))
    assert e.value.field == "citizen_id" and e.value.line == 2
    with pytest.raises(ProfileError):  # the same rule
        profile_from_dict({**BASE, "id": cid})


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_file_is_refused_without_reading_it_all() -> None:
    """A pipe or device reports size 0 and never ends: every reader stops at its cap."""
    from ipsmatch.education.catalogue import read_catalogue
    from ipsmatch.feeds.files import read_text
    from ipsmatch.jobdev.contacts_csv import read_contacts_csv
    from ipsmatch.profile import load_profile

    zero = Path("/dev/zero")
    with pytest.raises(FeedReadError, match="more than the limit of 1,000 bytes"):
        read_text(zero, 1000)
    with pytest.raises(ProfileError, match="more than the 1,000,000 bytes"):
        load_profile(zero)
    with pytest.raises(FeedReadError, match="larger than"):
        read_catalogue(zero)
    with pytest.raises(FeedReadError, match="more than the limit"):
        read_contacts_csv(zero)
