from __future__ import annotations

import pytest
from conftest import vacancy

from ipsmatch.domain import Fact
from ipsmatch.errors import ProfileError
from ipsmatch.needs import NEEDS, fact_state, fact_value, need_def, need_status

ISSUE_NEEDS = ["no_night", "no_evening", "no_weekend", "no_shifts", "flexible_start",
               "extra_breaks", "quiet_workplace", "low_tempo", "no_heavy_lifting",
               "no_customer_contact", "fixed_tasks", "workplace_mentor"]


def test_vocabulary_covers_the_issue_and_has_danish_labels() -> None:
    for code in ISSUE_NEEDS:
        nd = NEEDS[code]
        assert nd.label_da and nd.label_en and nd.met_da and nd.topic_da
        assert nd.violated_by or nd.satisfied_by


@pytest.mark.parametrize(("code", "key", "value", "status"), [
    ("no_night", "night", True, "violated"),
    ("no_night", "night", False, "satisfied"),
    ("flexible_start", "flexible_start", True, "satisfied"),
    ("quiet_workplace", "quiet_workplace", True, "satisfied"),
    ("no_heavy_lifting", "heavy_lifting", True, "violated"),
    ("no_customer_contact", "customer_contact", True, "violated"),
    ("low_tempo", "high_tempo", True, "violated"),
    ("low_tempo", "low_tempo", True, "satisfied"),
    ("workplace_mentor", "mentor", True, "satisfied"),
    ("no_shifts", "shifts", True, "violated"),
    ("no_evening", "evening", True, "violated"),
    ("no_weekend", "weekend", False, "satisfied"),
    ("extra_breaks", "extra_breaks", True, "satisfied"),
    ("fixed_tasks", "fixed_tasks", True, "satisfied"),
])
def test_fact_meets_or_breaks_need(code: str, key: str, value: bool, status: str) -> None:
    got, fact = need_status(code, vacancy(facts=[Fact(key, value, "phrase here")]))
    assert got == status
    assert fact is not None and fact.phrase == "phrase here"


def test_unknown_when_not_stated() -> None:
    for code in NEEDS:
        assert need_status(code, vacancy())[0] == "unknown"
    # a fact about something else says nothing about night work
    assert need_status("no_night", vacancy(facts=[Fact("day", True, "dagarbejde")]))[0] == "unknown"


def test_schedule_dict_counts_without_a_phrase() -> None:
    status, fact = need_status("no_night", vacancy(schedule={"night": True}))
    assert status == "violated" and fact is None
    assert need_status("no_night", vacancy(schedule={"night": None}))[0] == "unknown"


def test_fact_wins_over_schedule_dict_and_sources_are_weighed() -> None:
    v = vacancy(facts=[Fact("night", False, "ingen nattevagter")], schedule={"night": True})
    assert fact_state(v, "night")[0] is False
    assert need_status("no_night", v)[0] == "satisfied"
    # a stated violation wins over an implied absence ("kun dag", working times)
    implied = vacancy(facts=[Fact("night", False, "kun dag", implied=True),
                             Fact("night", True, "nattevagt")])
    assert need_status("no_night", implied)[0] == "violated"
    # two statements that disagree: conflict (ask), never a pass
    both = vacancy(facts=[Fact("night", False, "ingen nattevagter"),
                         Fact("night", True, "nattevagt")])
    assert need_status("no_night", both)[0] == "conflict"
    assert fact_state(both, "night") == (None, None)
    st = fact_value(both, "night")
    assert st.value == "conflict" and [f.phrase for f in st.facts] == [
        "nattevagt", "ingen nattevagter"]
    # a hint alone ("daghold og nathold": who works which?) is ask, too
    hint = vacancy(facts=[Fact("shifts", True, "daghold og nathold", implied=True)])
    assert need_status("no_shifts", hint)[0] == "conflict"
    # an unticked Jobnet box is no fact at all: unknown
    assert need_status("no_weekend", vacancy())[0] == "unknown"


def test_unknown_need_code() -> None:
    with pytest.raises(ProfileError, match="no_night"):
        need_def("no_mondays")


def test_a_shift_the_ad_lets_the_employee_choose_away_is_a_choice_not_a_broken_need() -> None:
    from ipsmatch.constraints import Criteria, evaluate
    from ipsmatch.domain import Need

    ad = vacancy(facts=[Fact("evening", True, "Evening shift Monday to Friday from 15.00-23.00"),
                        Fact("shift_choice", True, "You can work either day or evening")])
    status, fact = need_status("no_evening", ad)
    assert (status, fact.phrase if fact else None) == ("choice",
                                                      "You can work either day or evening")
    # weekend work is not chosen away by a choice of day or evening shift
    assert need_status("no_weekend", vacancy(facts=[
        Fact("weekend", True, "lørdage"), Fact("shift_choice", True, "vælge dag eller aften")
    ]))[0] == "violated"
    ev = evaluate(ad, Criteria(needs=[Need("no_evening")]), today=None)
    assert not ev.excluded
    assert [r.text("da") for r in ev.concerns] == [
        "Aftenarbejde: du kan vælge vagt: 'You can work either day or evening' (annoncen) – "
        "aftal vagterne med arbejdsgiveren"]
    assert [r.text("en") for r in ev.concerns] == [
        "Evening work: you can choose your shift: 'You can work either day or evening' "
        "(the ad) – agree the shifts with the employer"]
