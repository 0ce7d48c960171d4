"""Jobnet JSON: the 20 real sample ads (search page + detail records)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import JOBNET_SAMPLE

from ipsmatch.domain import Vacancy
from ipsmatch.feeds import FeedBatch, content_hash, detect_format, read_feeds

PAGE = JOBNET_SAMPLE / "JobPage01.json"
DETAILS = sorted(JOBNET_SAMPLE.glob("JobPage01_JobPostingExtended*.json"))

pytestmark = pytest.mark.skipif(not PAGE.exists(), reason="shared Jobnet sample not found")


def by_id(batch: FeedBatch) -> dict[str, Vacancy]:
    return {v.external_id: v for v in batch.vacancies}


@pytest.fixture(scope="module")
def full() -> FeedBatch:
    return read_feeds([PAGE, *DETAILS])


def test_all_twenty_ads_merge_without_errors(full: FeedBatch) -> None:
    assert len(DETAILS) == 20
    assert len(full.vacancies) == 20
    assert full.errors == [] and full.read_errors == []
    assert full.sources == {"jobnet"}
    assert all(f.format == "jobnet" and f.ok for f in full.files)
    assert full.files[0].records == 20 and full.files[0].vacancies == 20
    assert all(f.vacancies == 1 for f in full.files[1:])


def test_employer_cvr_postcode_deadline(full: FeedBatch) -> None:
    ads = by_id(full)
    keepit = ads["5332213"]
    assert keepit.employer is not None
    assert keepit.employer.cvr == "30806883"
    assert keepit.employer.name == "Keepit A/S"
    assert keepit.postcode == "2100"
    assert keepit.deadline == date(2021, 8, 27)
    assert keepit.posted == date(2021, 7, 2)
    assert (keepit.lat, keepit.lon) == (55.7038, 12.5721)
    assert keepit.url == "https://job.jobnet.dk/CV/FindWork/Details/5332213"
    assert keepit.employment_type == "Fastansættelse"
    cvr_30899695 = {i for i, v in ads.items() if v.employer and v.employer.cvr == "30899695"}
    assert len(cvr_30899695) == 12
    assert {"5365786", "5376524", "5383165"} <= cvr_30899695
    assert ads["5383212"].employer.cvr == "31119103"
    assert ads["5382781"].employer.cvr == "25050541"
    assert all(v.employer and len(v.employer.cvr or "") == 8 for v in ads.values())


def test_text_comes_from_detail_and_is_plain(full: FeedBatch) -> None:
    v = by_id(full)["5332213"]
    assert "<p>" not in v.text
    # The search record's Presentation is a short teaser; the detail text is the full ad.
    assert len(v.text) > 1000
    assert "Linux" in v.text


def test_part_time_weekend_ad(full: FeedBatch) -> None:
    v = by_id(full)["5376524"]
    # Deltid with WorkHourMin 0 (= not stated) and WorkHourMax 12.
    assert (v.hours_min, v.hours_max) == (None, 12.0)
    # Only "weekend" is ticked; an unticked box says nothing. The text adds what it states:
    # day work between 08.00 and 19.00 (so no night), weekends.
    assert v.schedule == {"day": True, "night": False, "weekend": True}
    fact = v.fact("weekend")
    assert fact is not None and fact.source == "field" and fact.value is True
    assert v.occupation_hint == "Rengøringsassistent"
    assert v.employment_type == "Tidsbegrænset ansættelse"


def test_bad_coordinates_fall_back_to_postcode_town_point(full: FeedBatch) -> None:
    # The sample's 6853 Vejers Strand ad says longitude 5.24 (in the North Sea).
    from ipsmatch.geo import postcode_info

    v = by_id(full)["5376524"]
    assert (v.lat, v.lon) == postcode_info("6853").point
    assert any("outside Denmark" in w.message and "town point" in w.message
               for w in full.warnings)


def test_occupation_and_hours(full: FeedBatch) -> None:
    ads = by_id(full)
    assert ads["5365786"].occupation_hint == "Truckfører"
    assert (ads["5331002"].hours_min, ads["5331002"].hours_max) == (8.0, 20.0)
    assert (ads["5290988"].hours_min, ads["5290988"].hours_max) == (1.0, 36.0)
    # Fuldtid without numbers = 37 hours.
    assert (ads["5332213"].hours_min, ads["5332213"].hours_max) == (37.0, 37.0)


def test_schedule_flags_all_false_means_unknown(full: FeedBatch) -> None:
    ads = by_id(full)
    # Keepit's detail record has all DailyWorkTime* false: the employer did not fill it in.
    assert ads["5332213"].schedule == {}
    # Day, evening and night are ticked; the unticked weekend box is not an absence, and the
    # text's "Night shift Sunday through Thursday" is weekend work.
    assert ads["5359775"].schedule == {"day": True, "evening": True, "night": True,
                                       "weekend": True}


def test_no_ad_gets_work_conditions_from_the_lookup_lists(full: FeedBatch) -> None:
    # Every detail record carries the full WorkConditions list (Fleksjob, Skånejob...);
    # it is a lookup table, not the ad's own condition.
    assert all(v.work_conditions == [] for v in full.vacancies)
    assert not any("fleksjob" in v.work_conditions for v in full.vacancies)


def test_search_page_alone() -> None:
    b = read_feeds([PAGE])
    assert len(b.vacancies) == 20 and not b.errors
    v = by_id(b)["5376524"]
    assert v.employer.cvr == "30899695"
    assert v.postcode == "6853"
    assert v.deadline == date(2021, 8, 19)
    # The search record has no schedule flags; Deltid without numbers → hours unknown.
    assert (v.hours_min, v.hours_max) == (None, None)
    assert v.fact("part_time_possible") is not None
    assert by_id(b)["5332213"].url == "https://job.jobnet.dk/CV/FindWork/Details/5332213"


def test_detail_files_alone() -> None:
    b = read_feeds(DETAILS)
    assert len(b.vacancies) == 20 and not b.errors
    v = by_id(b)["5332213"]
    assert v.employer.cvr == "30806883"
    assert v.deadline == date(2021, 8, 27)
    # No coordinates in detail records: postcode centroid of 2100.
    assert v.lat is not None and 55.6 < v.lat < 55.8
    assert v.occupation_hint is None
    assert by_id(b)["5376524"].hours_max == 12.0


def test_array_of_detail_records_and_merge_order(tmp_path: Path) -> None:
    docs = [json.loads(p.read_text(encoding="utf-8-sig")) for p in DETAILS[:3]]
    arr = tmp_path / "details.json"
    arr.write_text(json.dumps(docs), encoding="utf-8")
    # Details before the search page: merging does not depend on file order.
    b = read_feeds([arr, PAGE])
    assert len(b.vacancies) == 20 and not b.errors
    assert by_id(b)["5332213"].employment_type == "Fastansættelse"
    assert b.files[0].records == 3 and b.files[0].vacancies == 3


def test_detect_format_and_source_override() -> None:
    assert detect_format(PAGE) == "jobnet"
    assert detect_format(DETAILS[0]) == "jobnet"
    b = read_feeds([PAGE], source="jobnet-aarhus")
    assert {v.source for v in b.vacancies} == {"jobnet-aarhus"}


def test_content_hash_is_stable_and_content_sensitive(full: FeedBatch) -> None:
    v = by_id(full)["5332213"]
    assert v.content_hash == content_hash(v)
    again = by_id(read_feeds([PAGE, *DETAILS]))["5332213"]
    assert again.content_hash == v.content_hash
    from dataclasses import replace
    assert content_hash(replace(v, deadline=date(2021, 9, 1))) != v.content_hash
    from datetime import datetime
    assert content_hash(replace(v, last_seen=datetime(2030, 1, 1))) == v.content_hash


def test_duplicate_search_record_is_an_error(tmp_path: Path) -> None:
    page = json.loads(PAGE.read_text(encoding="utf-8-sig"))
    page["JobPositionPostings"].append(page["JobPositionPostings"][0])
    p = tmp_path / "page.json"
    p.write_text(json.dumps(page), encoding="utf-8")
    b = read_feeds([p])
    assert len(b.vacancies) == 20
    [err] = b.errors
    assert err.field == "id" and err.record == 21 and "duplicate" in err.message


def test_ad_level_work_conditions_are_read(tmp_path: Path) -> None:
    # The ad's own condition: JobAnnouncementType on a search record, or a WorkConditions list
    # inside JobPositionPosting. The top-level WorkConditions lookup list still never counts.
    page = json.loads(PAGE.read_text(encoding="utf-8-sig"))
    page["JobPositionPostings"][0]["JobAnnouncementType"] = "Fleksjob"
    page["JobPositionPostings"][1]["JobAnnouncementType"] = "Almindelige vilkår"
    detail = json.loads(DETAILS[2].read_text(encoding="utf-8-sig"))
    detail["JobPositionPosting"]["WorkConditions"] = [{"Id": 5, "Name": "Job med løntilskud"}]
    (tmp_path / "page.json").write_text(json.dumps(page), encoding="utf-8")
    (tmp_path / "d.json").write_text(json.dumps(detail), encoding="utf-8")
    ads = by_id(read_feeds([tmp_path / "page.json", tmp_path / "d.json"]))
    assert ads["5332213"].work_conditions == ["fleksjob"]
    assert ads["5365786"].work_conditions == ["ordinary"]
    assert ads["5372675"].work_conditions == ["loentilskud"]
    assert ads["5379659"].work_conditions == []
