"""The kinds of work an ad's text describes (ipsmatch.taxonomy.topics), the per-ad topic index
(ipsmatch.retrieval.topics), titles that say no job (ipsmatch.text.titles), and what a wish
reaches through them (issue #13 part 3: "an ad about caring for calves meets 'arbejde med
dyr'")."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import vacancy
from hypothesis import given
from hypothesis import strategies as st

from ipsmatch.errors import IndexNotReadyError
from ipsmatch.retrieval.topics import TopicIndex
from ipsmatch.taxonomy.topics import TopicTagger, default_tagger, language
from ipsmatch.text.titles import says_no_job

CALVES = ("Vi er et familielandbrug ved Brørup. Du skal passe vores kalve: fodring, "
          "udmugning og vask af kalvehytter. Send en kort ansøgning til Hanne.")
OFFICE = ("Advokatkontoret søger en medarbejder til sekretariatet. Du skal tage telefonen, "
          "arkivere sager og skrive breve. Du bliver en del af et kontor med fem advokater.")


@pytest.fixture(scope="module")
def tagger() -> TopicTagger:
    return default_tagger()


def groups(tagger: TopicTagger, text: str) -> dict[str, float]:
    return {t.group: t.weight for t in tagger.tag(text)}


# --- the tagger ------------------------------------------------------------------------------

def test_a_text_about_calves_is_livestock_work_and_quotes_its_words(tagger: TopicTagger) -> None:
    top = tagger.tag(CALVES)
    assert top and top[0].group == "9212" and top[0].weight == 1.0
    assert top[0].quote == "kalve"
    # the context is the ad's own words, within the sentence
    assert top[0].context == "Du skal passe vores kalve"
    # "…" marks where the sentence goes on
    long = "Hver morgen og aften skal du passe vores kalve sammen med to kolleger i stalden."
    assert tagger.tag(long)[0].context == "… skal du passe vores kalve sammen med to kolleger …"


def test_tasks_inflected_and_in_compounds_count(tagger: TopicTagger) -> None:
    # "malkekøer" (head "køer"), "kalvene" (inflected): livestock
    assert "9212" in groups(tagger, "Besætningen er 300 malkekøer, og kalvene fodres to gange.")
    # a task phrase with its first word inflected ("besvarer telefoner")
    assert "4222" in groups(tagger, "Du besvarer telefoner og henvendelser fra kunder hele dagen.")


def test_an_english_text_is_read_with_english_words(tagger: TopicTagger) -> None:
    text = "You will pick and pack orders and label parcels for the carrier every afternoon."
    assert language(text.lower().split()) == "en"
    assert "9321" in groups(tagger, text)
    # Danish inflection is not tried on English words: "made" is not "mad" (food)
    assert "5120" not in groups(tagger, "Every product is made to order and packed by hand.")


def test_a_colleague_is_not_the_job(tagger: TopicTagger) -> None:
    assert "2611" not in groups(tagger, OFFICE)                 # "fem advokater"
    nurse = ("Du gør patientstuer rene og samarbejder med sygeplejersker og læger om, "
             "hvornår stuerne skal gøres.")
    got = groups(tagger, nurse)
    assert "2221" not in got and "2211" not in got
    assert "5120" not in groups(tagger, "Du skræller kartofler sammen med vores kok.")
    # ... but the job itself, named the same way, is
    assert "5120" in groups(tagger, "Vi søger en kok til frokostrestauranten. Du laver mad "
                                    "til 200 gæster og står for menuer og indkøb.")


def test_a_requirement_or_a_shift_is_not_the_work(tagger: TopicTagger) -> None:
    assert "8344" not in groups(tagger, "Har du truckkort, er det et plus. Vi pakker tøj.")
    assert "8344" not in groups(tagger, "Forklift licence is not a requirement.")
    assert groups(tagger, "Der er nattevagter og aftenvagter hver anden uge.") == {}


def test_a_place_alone_makes_no_topic_and_words_of_every_ad_are_no_cues(
        tagger: TopicTagger) -> None:
    assert groups(tagger, "Sygehuset i Viborg søger en ny kollega.") == {}
    assert groups(tagger, "Vi tilbyder god løn, gode kolleger og fleksible vagter.") == {}
    # the English label "trapper" (a hunter) is not read in a Danish text about stairs
    assert "6224" not in groups(tagger, "Du holder trapper og udearealer rene.")


def test_topics_are_at_most_max_and_heaviest_first(tagger: TopicTagger) -> None:
    text = (CALVES + " Du hjælper også med rengøring af kontorer, støvsugning og gulvvask, "
            "og med opvask i kantinen, skrælle og snitte grøntsager.")
    top = tagger.tag(text)
    assert 1 <= len(top) <= 3
    assert [t.weight for t in top] == sorted((t.weight for t in top), reverse=True)


def test_a_bad_task_table_line_names_its_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "tasks.tsv"
    bad.write_text("# comment\nfodring|malkning\t92X2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"tasks.tsv:2: expected"):
        TopicTagger.load(tasks=bad)


# --- the topic index -------------------------------------------------------------------------

DOCS = [("Ny kollega", CALVES), ("Sekretær", OFFICE), ("Lager", "")]


def test_the_index_credits_ads_whose_text_describes_a_wished_group(tmp_path: Path) -> None:
    idx = TopicIndex().fit(DOCS, data_hash_="h1")
    credit = idx.credit({"9212": 0.8})
    assert credit[0] == pytest.approx(0.8) and credit[1] == 0 and credit[2] == 0
    assert np.array_equal(idx.credit({"9212": 0.8}, np.array([2, 0])), credit[[2, 0]])
    assert idx.credit({"0000": 1.0}).sum() == 0
    assert idx.topics_of(0)[0][0] == "9212"


@given(st.lists(st.lists(st.tuples(st.integers(0, 4), st.sampled_from([0.5, 0.625, 0.75, 1.0])),
                         max_size=3), min_size=1, max_size=12),
       st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e", "z"]),
                       st.floats(0.0, 1.0), max_size=4))
def test_credit_is_the_plain_best_of_the_topics(ads: list[list[tuple[int, float]]],
                                                wished: dict[str, float]) -> None:
    # credit takes the best topic column by column: the same as the plain formula
    idx = TopicIndex()
    idx.codes_ = ["a", "b", "c", "d", "e"]
    idx._index = {c: j for j, c in enumerate(idx.codes_)}
    idx.groups_ = np.array([[g for g, _ in t] + [-1] * (3 - len(t)) for t in ads],
                           dtype=np.int16)
    idx.weights_ = np.array([[w for _, w in t] + [0.0] * (3 - len(t)) for t in ads],
                            dtype=np.float16)
    table = np.zeros(6)
    for code, score in wished.items():
        if code in idx._index and score > 0:
            table[idx._index[code]] = score
    plain = (table[idx.groups_] * idx.weights_.astype(np.float64)).max(axis=1)
    assert np.array_equal(idx.credit(wished), plain)
    rows = np.arange(0, len(ads), 2)
    assert np.array_equal(idx.credit(wished, rows), plain[rows])


def test_the_index_is_saved_checked_and_refused_when_stale_or_corrupt(tmp_path: Path) -> None:
    p = tmp_path / "topics"
    TopicIndex().fit(DOCS, data_hash_="h1").save(p)
    back = TopicIndex.load(p, expected_hash="h1", tagger=default_tagger())
    assert back.credit({"9212": 1.0})[0] == pytest.approx(1.0)
    with pytest.raises(IndexNotReadyError, match="stale"):
        TopicIndex.load(p, expected_hash="h2")
    m = json.loads((p / "manifest.json").read_text())
    m["tagger"] = "another"
    (p / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(IndexNotReadyError, match="another tagger"):
        TopicIndex.load(p, tagger=default_tagger())
    (p / "groups.npy").write_bytes(b"not numpy")
    with pytest.raises(IndexNotReadyError, match="corrupt"):
        TopicIndex.load(p)


def test_an_index_of_the_same_sources_loads_without_building_a_tagger(tmp_path: Path) -> None:
    from ipsmatch.taxonomy.topics import default_sources_key

    p = tmp_path / "topics"
    key = default_sources_key()
    TopicIndex(default_tagger()).fit(DOCS, data_hash_="h1", sources=key).save(p)
    built: list[int] = []

    def tagger() -> Any:
        built.append(1)
        return default_tagger()

    back = TopicIndex.load(p, expected_hash="h1", tagger=tagger, sources=key)
    assert built == [] and back.credit({"9212": 1.0})[0] == pytest.approx(1.0)
    # other sources (a vocabulary or rule changed): the tagger is built and its tables
    # decide; an index of another tagger is refused
    TopicIndex.load(p, expected_hash="h1", tagger=tagger, sources="other")
    assert built == [1]
    m = json.loads((p / "manifest.json").read_text())
    m["tagger"] = "another"
    (p / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(IndexNotReadyError, match="another tagger"):
        TopicIndex.load(p, tagger=tagger, sources="other")
    assert TopicIndex.load(p, tagger=tagger, sources=key).sources_ == key


def test_a_refit_tags_only_the_texts_it_has_not_seen() -> None:
    first = TopicIndex().fit(DOCS, data_hash_="h1")
    assert first.tagged_ == 3
    more = [*DOCS, ("Ny", "Vi søger en bager. Du bager brød og boller fra kl. 4.")]
    again = TopicIndex().fit(more, data_hash_="h2", previous=first)
    assert again.tagged_ == 1
    assert again.topics_of(0) == first.topics_of(0)
    assert again.topics_of(3)[0][0] == "7512"


# --- titles that say no job ------------------------------------------------------------------

@pytest.mark.parametrize("title", ["Ny kollega søges", "Vi søger dig!",
                                   "Fleksjob i Vestjylland", "Job i Aalborg", "Come work with us",
                                   "Stilling ledig fra 1. marts"])
def test_a_generic_title_says_no_job(title: str) -> None:
    assert says_no_job(title)


@pytest.mark.parametrize("title", ["Lagermedarbejder", "Kok", "Medarbejder til kalvestald",
                                   "warehouse employee", "Rengøringsassistent søges"])
def test_a_title_with_a_job_says_one(title: str) -> None:
    assert not says_no_job(title)


# --- what a wish reaches -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def world():  # type: ignore[no-untyped-def]
    from ipsmatch.config import Settings
    from ipsmatch.matcher import Matcher
    from ipsmatch.relevance import load_text_models

    occ, enc = load_text_models(Settings.load())
    ads = [vacancy(external_id="calves", title="Ny kollega søges", text=CALVES),
           vacancy(external_id="office", title="Vi søger dig!", text=OFFICE),
           vacancy(external_id="warehouse", title="Lagermedarbejder",
                   text="Pluk og pak af varer til vores kunder."),
           vacancy(external_id="bakery", title="Bager",
                   text="Du bager brød og boller fra kl. 4."),
           ]
    return Matcher.from_vacancies(ads, occupation_matcher=occ, encoder=enc,
                                  today=date(2026, 12, 1))


def test_arbejde_med_dyr_reaches_the_calves_ad_through_its_text(world) -> None:  # type: ignore[no-untyped-def]
    r = world.suggest({"id": "c-1", "home_postcode": "9400", "wishes": ["arbejde med dyr"]})
    ids = [s.vacancy.external_id for s in r.vacancies]
    assert ids and ids[0] == "calves"
    reason = r.vacancies[0].reasons[0]
    assert reason.code == "wish.topic"
    assert reason.text_da == ("Annonceteksten beskriver arbejde, der passer til ønsket "
                              "'arbejde med dyr': 'Du skal passe vores kalve' – tjek om det passer")
    assert reason.text_en.startswith("The ad text describes work that fits the wish")
    assert r.vacancies[0].signals["wish.topic"] > 0
    # an ad the topic does not lift has no "wish.topic" signal at all
    assert all("wish.topic" not in s.signals for s in r.vacancies[1:])


def test_without_the_text_the_calves_ad_is_not_reached(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ipsmatch import relevance

    monkeypatch.setattr(relevance, "TOPIC_CREDIT", 0.0)
    world.relevance.clear_occupation_cache()
    hits = [s.vacancy.external_id for s in world.search("arbejde med dyr")]
    assert "calves" not in hits


def test_a_generic_title_is_not_similar_to_every_wish(world) -> None:  # type: ignore[no-untyped-def]
    # "Vi søger dig!" (an office job) used to sit near any short wish in the title encoder
    assert "office" not in [s.vacancy.external_id for s in world.search("grise")]
    assert "office" in [s.vacancy.external_id for s in world.search("sekretær")]


def test_an_occupation_name_used_as_a_verb_or_for_the_company_is_not_the_job(
        tagger: TopicTagger) -> None:
    assert groups(tagger, "Du hjælper beboerne med bad.") == {}
    assert "2654" not in groups(tagger, "Vi producerer stålkonstruktioner til landbruget.")
    assert "3324" not in groups(tagger, "Vi er en grossist i elartikler.")
    # ... the same words as the job are read
    assert "5223" in groups(tagger, "Vi søger en sælger til butikken.")


def test_verbs_joined_to_a_verb_and_words_in_the_other_language_are_no_cues(
        tagger: TopicTagger) -> None:
    assert groups(tagger, "Vi udvikler og sælger forsikringer til landmænd.") == {}
    # an English vocabulary word is not read in a Danish sentence ...
    assert "9412" not in groups(tagger, "Vi har et kitchen-agtigt rum til pauser.")
    # ... but a bilingual ad reads each sentence in its own language
    both = ("Du kommer til at køre truck på lageret. English version: you will do the "
            "dishwashing and the food prep.")
    got = groups(tagger, both)
    assert "9412" in got and ("9333" in got or "4321" in got)


# --- the widened task words (2026-12-03) and negation ---------------------------------------

@pytest.mark.parametrize(("text", "group"), [
    # home care in everyday words, in Danish and English
    ("Ny kollega søges. Du hjælper borgerne med at komme i seng om aftenen.", "5322"),
    ("Du giver hjælp til personlig hygiejne og støtte i hverdagen.", "5322"),
    ("You will help older people get out of bed in their own homes.", "5322"),
    # cleaning written in English
    ("You will clean holiday homes, make beds and change linen between guests.", "9112"),
    # refuse collection: a longer phrase claims the bins from cleaning
    ("Du tømmer skraldespande hos borgerne i hele kommunen.", "9611"),
    ("Du arbejder på en genbrugsplads og hjælper borgerne.", "9612"),
    # landscaping and gardening
    ("Vi anlægger haver for private og virksomheder.", "6113"),
    ("Opgaverne er pasning af grønne arealer, og du beskærer træer og buske.", "9214"),
    # filing, post and library work
    ("Du arkiverer sager og står for scanning af dokumenter.", "4415"),
    ("Du står for sortering af post og almindelige kontoropgaver.", "4110"),
    ("Du betjener lånerne og sætter bøger på plads.", "4411"),
    # the common jobs
    ("Du fylder varer på hylderne og laver datokontrol.", "9334"),
    ("Du sidder i kassen og tager imod betaling.", "5230"),
    ("You will be on the till and take payments.", "5230"),
    ("Du klargør biler til kunderne og står for indvendig rengøring af biler.", "9122"),
    ("Du kører bus i rutekørsel i Odense.", "8331"),
    ("Du skal assistere tandlægen ved stolen.", "3251"),
    ("Du står for transport af patienter rundt på hospitalet.", "5329"),
])
def test_ads_that_describe_the_daily_work_in_everyday_words(
        tagger: TopicTagger, text: str, group: str) -> None:
    assert group in groups(tagger, text)


def test_a_word_shared_with_other_work_is_no_cue_on_its_own(tagger: TopicTagger) -> None:
    # "rengøring" of one's own machines is part of an operator's job, not cleaning
    operator = "Som maskinoperatør betjener du maskinerne og står for rengøring af egne maskiner."
    assert "9112" not in groups(tagger, operator)
    assert "9112" not in groups(tagger, "Du betjener maskinerne og skal rengøre egne maskiner.")
    assert "9112" in groups(tagger, "Du skal rengøre kontorer og toiletter.")
    # hygiene rules in a food factory are not personal care
    assert "5322" not in groups(tagger, "Vi stiller høje krav til personlig hygiejne.")
    # a childminder looks after children in her own home: childcare, not home care
    got = groups(tagger, "Som dagplejer passer du børn i eget hjem.")
    assert "5311" in got and "5322" not in got
    # an ad's perks and contact lines are no work
    assert groups(tagger, "Vi tilbyder fælles frokost i kantinen, arbejdstøj og it-udstyr.") == {}
    assert "5223" not in groups(tagger, "Du hjælper kunderne med deres spørgsmål på mail.")
    # "male" in English is the sex, not painting
    assert "7131" not in groups(tagger, "We welcome male and female applicants.")


def test_a_negated_cue_is_not_the_work(tagger: TopicTagger) -> None:
    assert "5120" not in groups(tagger, "Du behøver ikke være kok for at søge.")
    assert "9622" not in groups(tagger, "Du skal ikke forvente alt forefaldende arbejde.")
    # ... but "ikke kun", "ikke mindst" are no negation
    assert "5120" in groups(tagger, "Vi søger ikke kun en kok, men en der kan lave mad.")
    assert "9412" in groups(tagger, "Og ikke mindst opvask og rengøring af køkkenet.")
