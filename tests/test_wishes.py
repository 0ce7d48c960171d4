"""Wishes the way citizens say them (issue #13, part 3): the wish vocabulary, English titles,
and the matcher reaching the right ISCO groups with them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ipsmatch.taxonomy import OccupationMatcher, load_taxonomy
from ipsmatch.taxonomy.english import is_english
from ipsmatch.taxonomy.wishes import (
    ALSO,
    MAIN,
    VOCABULARY,
    WishVocabulary,
    load_vocabulary,
    norm,
)


@pytest.fixture(scope="module")
def lexical() -> OccupationMatcher:
    return OccupationMatcher.load(semantic="off")


def groups_of(m: OccupationMatcher, text: str, n: int = 3) -> list[str]:
    tax = m.taxonomy
    return [tax.get(x.uri).isco for x in m.match(text, limit=n)]  # type: ignore[union-attr]


def test_every_vocabulary_group_is_an_isco_unit_group() -> None:
    codes = {c.code for c in load_taxonomy().concepts if c.kind == "isco" and len(c.code) == 4}
    v = load_vocabulary()
    assert len(v.entries) > 400
    for phrase, e in v.entries.items():
        assert set(e.groups) <= codes, phrase
        assert set(e.helper) <= codes, phrase
    assert VOCABULARY.read_text(encoding="utf-8").startswith("# Danish")  # provenance header


def test_no_vocabulary_phrase_is_listed_twice() -> None:
    # A phrase may stand in several sections (a trade and its helper role, a field and a
    # title), but once per section, once per line, and in one of the two title sections
    # (read as occupation names by taxonomy/topics.py) only.
    section, lines_of, titles = "", {}, {}
    for lineno, line in enumerate(VOCABULARY.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("# ---"):
            section = line[6:].split()[0].strip(",:")
            continue
        if not line.strip() or line.startswith("#"):
            continue
        phrases = [p.strip().lower() for p in line.split("\t")[0].split("|")]
        assert len(phrases) == len(set(phrases)), f"line {lineno} repeats a phrase"
        for key in {norm(p) for p in phrases}:
            assert (section, key) not in lines_of, (key, lineno, lines_of[(section, key)])
            lines_of[(section, key)] = lineno
            if section in ("colloquial", "everyday"):
                assert titles.setdefault(key, section) == section, (key, lineno)


def test_bad_group_code_is_refused_with_its_line(tmp_path: Path) -> None:
    p = tmp_path / "v.tsv"
    p.write_text("# x\nlager\t9333 12345\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"v\.tsv:2: '12345'"):
        WishVocabulary.load(p)


@pytest.mark.parametrize(("wish", "main"), [
    ("noget med mennesker", {"5321", "5322", "5311"}),
    ("et roligt job", {"4415", "4411"}),
    ("arbejde med dyr", {"5164", "9212", "6121", "3240"}),
    ("noget i naturen", {"6210", "9215"}),          # frame + definite form
    ("SOSU-hjælper", {"5322", "5321"}),
    ("skraldemand", {"9611"}),
    ("dagplejer", {"5311"}),
    ("butiksarbejde", {"5223", "5230"}),              # "<field>-arbejde" compound
])
def test_vague_and_colloquial_wishes(wish: str, main: set[str]) -> None:
    got = load_vocabulary().groups(wish)
    assert {g for g, w in got.items() if w == MAIN} == main


@pytest.mark.parametrize(("wish", "helper"), [
    ("murerarbejdsmand", "9313"),                   # compound: field + helper word
    ("håndværkermedhjælper", "9313"),
    ("hjælper i et køkken", "9412"),                # helper word, preposition, field
    ("medhjælper på en gård", "9213"),
    ("kitchen helper", "9412"),                     # English: field, helper word
])
def test_helper_roles_mean_the_fields_helper_group(wish: str, helper: str) -> None:
    got = load_vocabulary().groups(wish)
    assert got[helper] == MAIN
    assert max(got, key=got.__getitem__) == helper


def test_role_at_a_place_counts_the_place_as_also() -> None:
    got = load_vocabulary().groups("ekspedient i Føtex")
    assert got["5223"] == MAIN and got["5230"] == MAIN and got["9334"] == ALSO


@pytest.mark.parametrize(("typo", "group"), [("rengørring", "9112"), ("gartnr", "6113"),
                                              ("lagerarbjeder", "9333"), ("chaufør", "8322")])
def test_typos_reach_the_phrase_discounted(typo: str, group: str) -> None:
    got = load_vocabulary().groups(typo)
    assert 0.9 * MAIN <= got[group] < MAIN


@pytest.mark.parametrize(("text", "near"), [
    ("Serveringsmedarbejder", "sorteringsmedarbejder"),  # two letters: another job
    ("Finmekanikerelev", "mekanikerelev"),  # a part added: another trade
    ("Kampagnemedarbejder", "rampemedarbejder")])
def test_a_word_near_a_phrase_is_not_taken_for_a_typo_of_it(text: str, near: str) -> None:
    v = load_vocabulary()
    assert v.groups(near) and not set(v.groups(text)) & set(v.groups(near))


@pytest.mark.parametrize("text", ["Operatør, fødevarer", "Adjunkt, humaniora", "Vi søger dig!",
                                  "xqzv", ""])
def test_titles_and_noise_get_no_groups(text: str) -> None:
    assert load_vocabulary().groups(text) == {}


@pytest.mark.parametrize(("text", "english"), [
    ("Warehouse Operator", True), ("cleaning job", True), ("Kitchen Porter", True),
    ("Lagermedarbejder", False), ("noget med dyr", False), ("IT-support", False), ("", False),
])
def test_english_is_detected_from_the_labels_own_words(text: str, english: bool) -> None:
    assert is_english(text) is english


@pytest.mark.parametrize(("wish", "groups"), [
    ("håndværkermedhjælper", {"9313"}),
    ("murerarbejdsmand", {"9313"}),
    ("hjælper i et køkken", {"9412"}),
    ("medhjælper på en gård", {"9211", "9212", "9213"}),
    ("ekspedient i Føtex", {"5223", "5230"}),
    ("skraldemand", {"9611"}),
    ("Kitchen Porter", {"9412"}),
])
def test_the_matcher_reaches_the_group_a_wish_means(lexical: OccupationMatcher, wish: str,
                                                    groups: set[str]) -> None:
    top = groups_of(lexical, wish)
    assert top[0] in groups
    assert set(top) <= set(load_vocabulary().groups(wish))  # nothing outside what it means


def test_arbejde_med_dyr_finds_farm_work_too(lexical: OccupationMatcher) -> None:
    got = set(groups_of(lexical, "arbejde med dyr", n=10))
    assert got & {"9212", "6121"} and got & {"5164"}


@pytest.mark.parametrize("title", ["truckfører", "tømrer", "svejser", "frisør", "buschauffør"])
def test_a_title_keeps_its_best_concept_first(lexical: OccupationMatcher, title: str) -> None:
    # The vocabulary lifts a group by each member's own fit, so the best member stays first.
    off = OccupationMatcher(lexical.taxonomy, params=dataclasses.replace(lexical.params,
                                                                         w_wish=0.0))
    assert lexical.match(title, limit=1)[0].uri == off.match(title, limit=1)[0].uri


def test_the_vocabulary_and_english_labels_can_be_turned_off(lexical: OccupationMatcher) -> None:
    m = OccupationMatcher(lexical.taxonomy, params=dataclasses.replace(
        lexical.params, w_wish=0.0, w_english=0.0))
    assert "9313" not in groups_of(m, "håndværkermedhjælper", n=1)


def test_ad_title_frames_and_places() -> None:
    v = load_vocabulary()
    assert {g for g, w in v.groups("Vi søger rengøringsassistenter").items() if w == MAIN} \
        == {"9112", "9111"}                          # frame + plural form
    # An unknown role at a known place: the place is a hint ("also"), never the meaning.
    assert max(v.groups("Friske og oplagte medarbejdere til lageret").values()) <= ALSO


def test_english_alternative_labels_count_for_english_texts(lexical: OccupationMatcher) -> None:
    # "room attendant" is one of ESCO's English alternative labels, which the Danish path
    # leaves out; an English text is scored against them too.
    assert lexical.match("Room Attendant", limit=1)[0].label == "rengøringspersonale"


def test_a_long_english_ad_title_keeps_its_occupation() -> None:
    # Jobnet sample: averaged with the main score, one wordy English alternative label no
    # longer sends a technician's ad to a manager ("institutleder på universitet").
    m = OccupationMatcher.load()
    top = m.match("Laboratory technician for plant analysis and microbiology, Danish",
                  limit=1, kind="occupation")[0]
    assert top.label.startswith("laboratorietekniker")
