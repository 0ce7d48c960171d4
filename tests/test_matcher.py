from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _strategies import EMPS, POSTCODES, PROPS, ads, profiles
from _suggest_data import (
    PROFILE,
    TODAY,
    FakeOccupationMatcher,
    employers,
    vacancies,
)
from conftest import vacancy
from hypothesis import given, settings
from hypothesis import strategies as st

from ipsmatch.commute import band
from ipsmatch.constraints import Criteria, evaluate, vectorised
from ipsmatch.domain import Employer, Need, Vacancy
from ipsmatch.errors import PrivacyError, UsageError
from ipsmatch.matcher import Matcher
from ipsmatch.needs import NEEDS, need_status
from ipsmatch.output import suggest_json
from ipsmatch.profile import as_profile
from ipsmatch.relevance import MIN_RELEVANCE


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.from_vacancies(vacancies(), employers(), FakeOccupationMatcher(), today=TODAY)


def ids(sugs) -> list[str]:
    return [s.vacancy.external_id for s in sugs]


def test_issue_profile_gets_sensible_explained_results(matcher: Matcher) -> None:
    res = matcher.suggest(PROFILE, include_excluded=True)
    got = ids(res.vacancies)
    assert got[0] in ("v1", "v3")
    # must-haves: stated night (v2 text fact, v12 schedule field), too far (v9), løntilskud
    # (v10), fleksjob without approval (v11) never appear
    assert not {"v2", "v9", "v10", "v11", "v12"} & set(got)
    assert {"v2", "v9", "v10", "v11", "v12"} <= {x.vacancy.external_id for x in res.excluded}
    top = res.vacancies[0]
    texts = [r.text_da for r in top.reasons]
    assert texts[0] == "Matcher ønsket 'lagerarbejde' (Lager- og logistikmedarbejder)"
    assert any(t.startswith("Ingen nattevagter") for t in texts)
    excl = {x.vacancy.external_id: [r.code for r in x.reasons] for x in res.excluded}
    assert excl["v2"] == ["need.no_night.broken"] and excl["v10"] == ["condition.subsidised"]


def test_unknown_is_never_a_match(matcher: Matcher) -> None:
    res = matcher.suggest(PROFILE)
    v13 = next(s for s in res.vacancies if s.vacancy.external_id == "v13")
    assert v13.signals["needs"] == 0.0
    assert {r.code for r in v13.concerns} >= {"need.no_night.unknown",
                                              "need.flexible_start.unknown",
                                              "hours.unknown", "commute.unknown"}
    assert not [r for r in v13.reasons if r.kind == "need"]


def test_diversification_caps_employers_in_top_10(matcher: Matcher) -> None:
    res = matcher.suggest(PROFILE)
    # Lagerhuset has 3 eligible ads; with fewer than 10 results there are not enough
    # alternatives to leave the third out of the top 10, but it goes below all the others
    lager = [i for i, s in enumerate(res.vacancies) if s.vacancy.employer
             and s.vacancy.employer.name == "Lagerhuset A/S"]
    assert lager[-1] == len(res.vacancies) - 1
    wide = matcher.suggest(PROFILE, per_employer=5)
    assert [s.score for s in wide.vacancies] == sorted((s.score for s in wide.vacancies),
                                                       reverse=True)


def test_opt_ins(matcher: Matcher) -> None:
    both = matcher.suggest({**PROFILE, "accept_subsidised": True, "fleksjob_approved": True})
    got = set(ids(both.vacancies))
    assert {"v10", "v11"} <= got
    assert {"v1", "v3"} <= got  # approved citizens still get ordinary ads


def test_avoid_terms_penalise_but_do_not_exclude(matcher: Matcher) -> None:
    p = {**PROFILE, "wishes": ["butik"], "avoid": ["kundekontakt"], "needs": []}
    res = matcher.suggest(p)
    v8 = next(s for s in res.vacancies if s.vacancy.external_id == "v8")
    assert any(r.code == "avoid.hit" and r.quote == "meget kundekontakt" for r in v8.concerns)
    plain = matcher.suggest({**p, "avoid": []})
    v8b = next(s for s in plain.vacancies if s.vacancy.external_id == "v8")
    assert v8.score < v8b.score


def test_hours_must_excludes_ads_over_capacity(matcher: Matcher) -> None:
    p = {**PROFILE, "hours": {"min": 8, "max": 12, "must": True}, "needs": []}
    got = ids(matcher.suggest(p).vacancies)
    assert "v6" not in got and "v5" not in got
    assert "v6" in ids(matcher.suggest({**p, "hours": {"min": 8, "max": 12}}).vacancies)


def test_employers_include_those_without_vacancies(matcher: Matcher) -> None:
    res = matcher.suggest(PROFILE)
    names = [e.employer.name for e in res.employers]
    assert "Stille Værksted" in names and "Fjernlager Hjørring" not in names
    stille = next(e for e in res.employers if e.employer.name == "Stille Værksted")
    assert stille.open_vacancies == 0
    assert {r.code for r in stille.reasons} >= {"employer.no_open", "employer.attribute"}
    assert stille.signals["attributes"] == pytest.approx(0.15)


def test_cpr_in_profile_is_refused(matcher: Matcher) -> None:
    with pytest.raises(PrivacyError):
        matcher.suggest({**PROFILE, "id": "010190-1234"})
    with pytest.raises(PrivacyError):
        matcher.suggest({**PROFILE, "avoid": ["ring 2912851234"]})


def test_without_taxonomy_words_still_find_the_ads() -> None:
    m = Matcher.from_vacancies(vacancies(), employers(), today=TODAY)
    got = ids(m.suggest(PROFILE).vacancies)
    assert got[0] in ("v1", "v3", "v4") and "v6" in got


def test_search(matcher: Matcher) -> None:
    found = matcher.search("lager", near="9380", within_km=6, needs=["no_night"], max_hours=12)
    got = ids(found)
    assert "v3" in got and "v12" not in got and "v2" not in got
    assert all(s.distance_km is None or s.distance_km <= 6 for s in found)
    assert "v6" not in got and "v11" not in got  # Aalborg and Nørresundby: 8-10 km away
    assert found[0].reasons[0].code == "search.match"
    # search does not filter on work conditions (no citizen to judge them for)
    assert "v11" in ids(matcher.search("lager"))
    with pytest.raises(UsageError):
        matcher.search("lager", near="0000")
    with pytest.raises(UsageError):
        matcher.search("lager", within_km=5)
    with pytest.raises(UsageError):
        matcher.search("lager", needs=["no_mondays"])
    with pytest.raises(UsageError):
        matcher.search("  ")


def test_empty_matcher() -> None:
    m = Matcher.from_vacancies([], [])
    res = m.suggest(PROFILE)
    assert res.vacancies == [] and res.employers == []
    assert m.search("lager") == []


def test_index_dir_is_reused_and_rebuilt_when_stale(tmp_path: Path) -> None:
    vs = vacancies()
    Matcher.from_vacancies(vs, index_dir=tmp_path, today=TODAY)
    manifest = tmp_path / "lexical" / "manifest.json"
    first = manifest.stat().st_mtime_ns
    Matcher.from_vacancies(vs, index_dir=tmp_path, today=TODAY)
    assert manifest.stat().st_mtime_ns == first  # loaded, not rebuilt
    m = Matcher.from_vacancies(vs[:-1], index_dir=tmp_path, today=TODAY)
    assert m.relevance.lexical_.n_docs_ == len(vs) - 1  # stale: rebuilt, never used


# --- property-based: generated profiles and ads (tests/_strategies.py) ------------------

@PROPS
@given(ads(), profiles(), st.integers(1, 3))
def test_must_haves_are_never_violated(vs: list[Vacancy], pd: dict[str, Any], per: int) -> None:
    m = Matcher.from_vacancies(vs, today=TODAY)
    res = m.suggest(pd, limit=20, per_employer=per)
    p = as_profile(pd)
    for s in res.vacancies:
        v = s.vacancy
        for need in p.needs:
            status, _ = need_status(need.code, v)
            if need.must:
                assert status != "violated", (need.code, v.facts, v.schedule)
        if s.commute_minutes is not None:  # shown: the band starts within the limit
            assert band(s.commute_minutes, p.travel_mode)[0] <= p.max_minutes
        wc = set(v.work_conditions)
        if not p.accept_subsidised:
            assert not wc & {"loentilskud", "virksomhedspraktik"}
        if not p.fleksjob_approved:
            assert "fleksjob" not in wc
        if p.hours_must and v.hours_min is not None:
            assert min(v.hours_min, v.hours_max or v.hours_min) <= p.hours_max
        # unknown never counts as a match: need credit only from stated facts
        if p.needs:
            credit = sum((need_status(n.code, v)[0] == "satisfied")
                         - (not n.must and need_status(n.code, v)[0] == "violated")
                         for n in p.needs)
            assert s.signals["needs"] == pytest.approx(max(0.0, credit / len(p.needs)), abs=1e-4)
        for r in s.reasons:
            if r.kind == "need":
                code = r.code.split(".")[1]
                assert need_status(code, v)[0] == "satisfied"
    # diversification: an employer over the cap in the top 10 means nothing else was left
    emp = [s.vacancy.employer.cvr if s.vacancy.employer else None for s in res.vacancies]
    counts = Counter(e for e in emp[:10] if e)
    if any(c > per for c in counts.values()):
        assert all(e is not None and counts[e] >= per for e in emp[10:])
    # the JSON contract
    d = suggest_json(res)
    assert set(d) >= {"citizen", "vacancies", "employers"}
    for v in d["vacancies"]:
        assert set(v) >= {"source", "external_id", "title", "employer", "postcode",
                          "distance_km", "commute_minutes", "hours_per_week", "score",
                          "reasons", "concerns"}
    for e in d["employers"]:
        assert set(e) >= {"name", "cvr", "postcode", "distance_km", "score", "reasons",
                          "open_vacancies"}


@PROPS
@given(st.lists(st.tuples(st.integers(0, 7), st.sampled_from(
    ["Lagermedarbejder", "Lagerassistent", "Lager og pak", "Lagerchef"])), min_size=12,
    max_size=30), st.integers(1, 2))
def test_diversification_with_enough_alternatives(spec: list[tuple[int, str]], per: int
                                                  ) -> None:
    # every ad is eligible and relevant; the draw decides employers and relevance
    vs = [Vacancy(source="g", external_id=str(i), title=f"{title} {i}", postcode="9400",
                  employer=Employer(name=f"E{e}", cvr=str(20000000 + e)))
          for i, (e, title) in enumerate(spec)]
    m = Matcher.from_vacancies(vs, today=TODAY)
    res = m.suggest({"id": "c-1", "home_postcode": "9400", "wishes": ["lager"]},
                    per_employer=per)
    assert len(res.vacancies) == min(20, len(vs))
    top = Counter(s.vacancy.employer.cvr for s in res.vacancies[:10])
    capacity = sum(min(c, per) for c in Counter(e for e, _ in spec).values())
    if capacity >= 10:
        assert max(top.values()) <= per


def test_the_same_job_twice_is_shown_once() -> None:
    vs = vacancies()
    dup = Vacancy(**{**vs[0].__dict__, "source": "other", "external_id": "v1-copy"})
    m = Matcher.from_vacancies([*vs, dup], employers(), FakeOccupationMatcher(), today=TODAY)
    got = ids(m.suggest(PROFILE).vacancies)
    assert ("v1" in got) != ("v1-copy" in got)


def test_generic_heads_do_not_make_any_medarbejder_a_match() -> None:
    vs = [vacancy(external_id="a", title="Kontormedarbejder"),
          vacancy(external_id="b", title="Lagermedarbejder")]
    got = ids(Matcher.from_vacancies(vs, today=TODAY).suggest(
        {"id": "c-1", "home_postcode": "9400", "wishes": ["lagerarbejde"]}).vacancies)
    assert got == ["b"]


def test_unknown_query_ngrams_do_not_inflate_partial_matches() -> None:
    vs = [vacancy(external_id="a", title="Hydrolog"),
          vacancy(external_id="b", title="Zoolog")]
    res = Matcher.from_vacancies(vs, today=TODAY).suggest(
        {"id": "c-1", "home_postcode": "9400", "wishes": ["pædagog"]})
    assert res.vacancies == []


def test_relevance_threshold_filters_unrelated_ads(matcher: Matcher) -> None:
    res = matcher.suggest({**PROFILE, "wishes": ["kok"]})
    assert ids(res.vacancies)[0] == "v7"
    assert all(s.signals["wish"] >= MIN_RELEVANCE for s in res.vacancies)


def test_no_wishes_ranks_everything_eligible(matcher: Matcher) -> None:
    res = matcher.suggest({**PROFILE, "wishes": [], "needs": []})
    assert "wish" not in res.vacancies[0].signals
    assert len(res.vacancies) >= 6


def test_need_objects_and_numpy_types(matcher: Matcher) -> None:
    p = as_profile(PROFILE)
    p.needs = [Need("no_heavy_lifting")]
    got = ids(matcher.suggest(p).vacancies)
    assert "v6" not in got
    assert isinstance(matcher.suggest(p).vacancies[0].score, float)
    assert np.isfinite(matcher.suggest(p).vacancies[0].score)


def test_semantic_signal_when_an_encoder_is_given(tmp_path: Path) -> None:
    from test_retrieval import FakeEncoder

    m = Matcher.from_vacancies(vacancies(), employers(), encoder=FakeEncoder(), today=TODAY,
                index_dir=tmp_path)
    res = m.suggest(PROFILE)
    assert "wish.semantic" in res.vacancies[0].signals
    assert (tmp_path / "semantic-title" / "manifest.json").is_file()
    # reloaded from disk, same scores
    again = Matcher.from_vacancies(vacancies(), employers(), encoder=FakeEncoder(), today=TODAY,
                    index_dir=tmp_path).suggest(PROFILE)
    assert [s.score for s in again.vacancies] == [s.score for s in res.vacancies]


@PROPS
@given(ads(), st.sampled_from(["lager", "kok", "butik"]),
       st.lists(st.sampled_from(sorted(NEEDS)), max_size=3, unique=True),
       st.one_of(st.none(), st.floats(1, 30)), st.one_of(st.none(), st.floats(5, 30)))
def test_search_never_breaks_its_filters(vs: list[Vacancy], text: str, needs: list[str],
                                         within: float | None, max_hours: float | None) -> None:
    m = Matcher.from_vacancies(vs, today=TODAY)
    found = m.search(text, near="9400" if within else None, within_km=within,
                     max_hours=max_hours, needs=needs)
    for s in found:
        assert all(need_status(n, s.vacancy)[0] != "violated" for n in needs)
        if within and s.distance_km is not None:
            assert s.distance_km <= within
        v = s.vacancy
        if max_hours is not None and v.hours_min is not None:
            assert min(v.hours_min, v.hours_max or v.hours_min) <= max_hours


def test_wish_reason_says_where_it_matched() -> None:
    vs = [vacancy(external_id="a", title="Kok"),
          vacancy(external_id="b", title="Servicemedarbejder",
                  text="Du hjælper vores kok i køkkenet.")]
    res = Matcher.from_vacancies(vs, today=TODAY).suggest(
        {"id": "c-1", "home_postcode": "9400", "wishes": ["kok"]})
    codes = {s.vacancy.external_id: s.reasons[0].code for s in res.vacancies}
    assert codes["a"] == "wish.title"
    assert codes.get("b", "wish.text") == "wish.text"
    assert res.vacancies[0].reasons[0].text_da == "Matcher ønsket 'kok' (Kok)"


def test_weak_occupation_matches_do_not_spread_to_their_isco_group() -> None:
    # The wish's best concept is 'dyrepasser' (ISCO 5164); its weak tail match 'dyrehandler'
    # sits in the shop group 5223. Shop jobs must not become relevant through that tail,
    # while a job in the best match's own group is credited as "same line of work".
    from ipsmatch.domain import OccupationMatch

    groups = {"u:dyrepasser": "5164", "u:staldmedarbejder": "5164", "u:dyrehandler": "5223",
              "u:fiskehandler": "5223"}

    class FakeOcc:
        def match(self, text: str, *, limit: int = 10) -> list[OccupationMatch]:
            return [OccupationMatch("u:dyrepasser", "dyrepasser", 0.9),
                    OccupationMatch("u:dyrehandler", "dyrehandler", 0.4)]

        def isco_group(self, uri: str) -> str | None:
            return groups.get(uri)

    vs = [vacancy(external_id=str(i), title=title, occupation_uri=uri, occupation_label=title,
                  employer=Employer(f"E{i}", cvr=f"2000000{i}"))
          for i, title, uri in [(1, "Fiskehandler", "u:fiskehandler"),
                                (2, "Staldmedarbejder", "u:staldmedarbejder"),
                                (3, "Dyrepasser", "u:dyrepasser")]]
    m = Matcher.from_vacancies(vs, [], occupation_matcher=FakeOcc(), today=TODAY)
    occ = m.relevance.wish_parts("dyr")["occupation"]
    assert occ[0] == 0.0 and occ[1] > 0 and occ[2] == pytest.approx(0.9)
    res = m.suggest({"id": "c-1", "home_postcode": "9400", "wishes": ["dyr"]})
    texts = {s.vacancy.title: s.reasons[0].text() for s in res.vacancies}
    assert "Fiskehandler" not in texts
    assert texts["Staldmedarbejder"].startswith("Samme faggruppe")
    assert texts["Dyrepasser"].startswith("Matcher ønsket")


class BagOfWords:
    """A tiny deterministic encoder, so the semantic signal (corpus z-scores) is in play."""

    name = "bow-8"

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 8), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, sum(map(ord, w)) % 8] += 1.0
        out[:, 0] += 0.1
        return out / np.linalg.norm(out, axis=1, keepdims=True)


PLACED = [Employer(name=f"Sted {pc}", cvr=f"{20000000 + i}", postcode=pc)
          for i, pc in enumerate(POSTCODES)]


@PROPS
@given(ads(), profiles(), st.lists(st.sampled_from(PLACED), max_size=4))
def test_scoring_only_the_reachable_ads_changes_nothing(vs: list[Vacancy], pd: dict[str, Any],
                                                        placed: list[Employer]) -> None:
    # A commute limit makes suggest score only the ads inside a box around home (plus every
    # ad of an employer placed inside it); --show-excluded scores all. Same results.
    for k, v in enumerate(vs[: len(placed)]):
        vs[k] = Vacancy(**{**v.__dict__, "employer": placed[k]})
    m = Matcher.from_vacancies(vs, [*EMPS, *placed], encoder=BagOfWords(), today=TODAY)
    crit = Criteria.from_profile(as_profile(pd))
    with pytest.MonkeyPatch.context() as mp:  # always take the subset, even of tiny corpora
        mp.setattr(vectorised, "REACH_MAX_SHARE", 1.0)
        rows = vectorised.reach_rows(m.arrays, crit, employers=True)
        assert rows is not None
        fast = m.suggest(pd, limit=10)
    full = m.suggest(pd, limit=10, include_excluded=True)

    def key(r: Any) -> Any:
        return ([(s.vacancy.external_id, s.score, [x.text_da for x in s.reasons])
                 for s in r.vacancies],
                [(e.employer.name, e.score, [x.text_da for x in e.reasons]) for e in r.employers])
    assert key(fast) == key(full)
    # and nothing within reach was left out of the rows
    for i, v in enumerate(m.vacancies):
        low = evaluate(v, crit, today=TODAY).commute_low  # excluded only beyond the band
        if low is None or low <= crit.max_minutes:
            assert i in set(rows.tolist())


@settings(max_examples=200, deadline=None)
@given(st.floats(54.5, 57.8), st.floats(8.0, 15.2), st.floats(54.5, 57.8), st.floats(8.0, 15.2),
       st.floats(0.0, 300.0))
def test_reach_box_holds_every_point_within_reach(lat0: float, lon0: float, lat: float,
                                                  lon: float, km: float) -> None:
    from ipsmatch.commute import haversine_km

    d = float(haversine_km(np.array([lat]), np.array([lon]), lat0, lon0)[0])
    inside = bool(vectorised.in_box(np.array([lat]), np.array([lon]), (lat0, lon0), km)[0])
    if d <= km:
        assert inside
    assert vectorised.in_box(np.array([np.nan]), np.array([np.nan]), (lat0, lon0), km).all()


def test_a_weak_occupation_match_is_worded_as_weak() -> None:
    # Issue #13: "håndværkermedhjælper" reached "kontormedarbejder" at a low score and the
    # reason still said "Matcher ønsket". Below WEAK_WISH_MATCH (the wish's score, or the
    # ad's own occupation confidence) the reason says it is weak.
    from ipsmatch.domain import OccupationMatch
    from ipsmatch.explain_wish import WEAK_WISH_MATCH

    class FakeOcc:
        def match(self, text: str, *, limit: int = 10) -> list[OccupationMatch]:
            return [OccupationMatch("u:byg", "bygningsarbejder", 1.1 * WEAK_WISH_MATCH),
                    OccupationMatch("u:kontor", "kontormedarbejder", 0.8 * WEAK_WISH_MATCH)]

        def isco_group(self, uri: str) -> str | None:
            return {"u:byg": "9313", "u:kontor": "4110"}.get(uri)

    vs = [vacancy(external_id=str(i), title=title, occupation_uri=uri, occupation_label=title,
                  occupation_confidence=conf, employer=Employer(f"E{i}", cvr=f"3000000{i}"))
          for i, title, uri, conf in [(1, "Bygningsarbejder", "u:byg", 0.9),
                                      (2, "Kontormedarbejder", "u:kontor", 0.9),
                                      (3, "Arbejdsmand", "u:byg", 0.35)]]
    m = Matcher.from_vacancies(vs, [], occupation_matcher=FakeOcc(), today=TODAY)
    res = m.suggest({"id": "c-1", "home_postcode": "9400", "wishes": ["håndværkermedhjælper"]})
    first = {s.vacancy.external_id: s.reasons[0] for s in res.vacancies}
    assert first["1"].text_da == "Matcher ønsket 'håndværkermedhjælper' (Bygningsarbejder)"
    assert first["2"].code == "wish.occupation_weak"
    assert first["2"].text_da == ("Svagt match – tjek om det passer: ønsket "
                                  "'håndværkermedhjælper' (Kontormedarbejder)")
    assert first["2"].text_en.startswith("Weak match – check that it fits: the wish")
    assert first["3"].code == "wish.occupation_weak"  # the ad's own occupation is unsure
