"""Wish relevance (ipsmatch.relevance): occupation credit through the ISCO tables, semantic
credit relative to the corpus, the fitted-object contract."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _suggest_data import FakeOccupationMatcher, vacancies
from conftest import vacancy

from ipsmatch.columns import Columns, vacancy_docs
from ipsmatch.domain import Employer, Vacancy
from ipsmatch.errors import UsageError
from ipsmatch.relevance import MIN_RELEVANCE, WishRelevance


def fitted(vs: list[Vacancy], **models: Any) -> WishRelevance:
    """A WishRelevance fitted in memory over ``vs`` (no index on disk)."""
    return WishRelevance(**models).fit(Columns.build(vs, [])[0], lambda: vacancy_docs(vs))


def test_an_unfitted_relevance_says_to_fit_it() -> None:
    rel = WishRelevance()
    with pytest.raises(UsageError, match="not fitted"):
        rel.score(["lager"])


def test_score_gives_the_best_wish_per_ad_and_each_wishs_parts() -> None:
    vs = [vacancy(title="Lagermedarbejder"), vacancy(title="Kok"), vacancy(title="Frisør")]
    r = fitted(vs).score(["kok", "lager"])
    assert r.which.tolist()[:2] == [1, 0]
    assert r.best[0] >= MIN_RELEVANCE and r.best[1] >= MIN_RELEVANCE
    assert r.best[2] < MIN_RELEVANCE
    assert np.array_equal(r.best, np.maximum(r.per_wish[0], r.per_wish[1]))
    assert set(r.parts[0]) == {"text"}  # no taxonomy, no encoder: words only
    rows = np.array([2, 0])
    part = fitted(vs).score(["kok", "lager"], rows)
    assert np.array_equal(part.best, r.best[rows])


def test_isco_groups_give_partial_occupation_credit() -> None:
    vs = vacancies()
    rel = fitted(vs, occupation_matcher=FakeOccupationMatcher())
    credit = rel.occupation_credit("transportarbejde")
    assert credit is not None
    by_id = dict(zip([v.external_id for v in vs], credit.tolist(), strict=True))
    # a wished ISCO minor group (933) credits every ad whose occupation lies inside it
    assert by_id["v1"] == pytest.approx(0.4 * 0.8) == by_id["v5"]
    assert by_id["v6"] == 0.0 and by_id["v7"] == 0.0 and by_id["v13"] > 0
    # a major group is too broad to count
    broad = rel.occupation_credit("akademisk")
    assert broad is not None and not broad.any()
    # an occupation match credits its own ads fully and its ISCO siblings partly
    pak = rel.occupation_credit("pakning")
    assert pak is not None
    assert pak[4] == pytest.approx(0.9) and pak[0] == pytest.approx(0.6 * 0.9)
    assert pak[5] == 0.0  # byggeri: another ISCO unit group (9313)


def test_semantic_credit_is_relative_to_the_corpus() -> None:
    # An encoder that puts every ad close to every wish (as a static model does) must not
    # give every ad semantic credit: only ads well above the typical cosine get any.
    class Crowded:
        name, dim = "crowded", 2

        def encode(self, texts: list[str]) -> np.ndarray:
            out = []
            for t in texts:
                hit = 1.0 if "lager" in t.lower() else 0.0
                v = np.array([1.0, 0.05 + 0.3 * hit], dtype=np.float32)
                out.append(v / np.linalg.norm(v))
            return np.array(out)

    vs = [vacancy(external_id=str(i), title=t,
                  employer=Employer(f"E{i}", cvr=f"1000000{i}"))
          for i, t in enumerate(["Lagerarbejder", "Kok", "Frisør", "Maler", "Tømrer",
                                 "Bager", "Murer", "Kontorassistent", "Smed"])]
    sem = fitted(vs, encoder=Crowded()).wish_parts("lager")["semantic"]
    assert sem[0] > 0.5  # one outlier among 9 ads: z = sqrt(8) ≈ 2.8
    assert (sem[1:] == 0.0).all()


def test_semantic_credit_per_distinct_title_is_the_per_ad_formula() -> None:
    # semantic_credit works on the distinct titles and is remembered per wish: the same
    # values as the z-score computed ad by ad, for all ads and for rows, every time.
    class Hashed:
        name, dim = "hashed", 8

        def encode(self, texts: list[str]) -> np.ndarray:
            rng = [np.random.default_rng(sum(map(ord, t.casefold()))) for t in texts]
            out = np.array([r.normal(size=8) for r in rng], dtype=np.float32)
            return out / np.linalg.norm(out, axis=1, keepdims=True)

    titles = ["Lagerarbejder", "Kok", "Kok", "Frisør", "Lagerarbejder", "Maler", "Kok"]
    vs = [vacancy(external_id=str(i), title=t) for i, t in enumerate(titles)]
    rel = fitted(vs, encoder=Hashed())
    sm = rel.semantic_
    assert sm is not None
    for wish in ("lager", "noget med mad", "kok", "lager"):
        cos = np.maximum(sm.vectors_ @ sm.encode_query(rel_query(wish)), 0.0).astype(
            np.float64)[sm.inverse_]
        z = (cos - cos.mean()) / cos.std()
        plain = np.clip((z - 1.5) / 2.0, 0.0, 1.0)
        assert np.allclose(rel.wish_parts(wish)["semantic"], plain, rtol=0, atol=1e-12)
        rows = np.array([1, 4, 6])
        assert np.array_equal(rel.wish_parts(wish, rows)["semantic"],
                              rel.wish_parts(wish)["semantic"][rows])


def rel_query(wish: str) -> str:
    from ipsmatch.taxonomy.wishes import norm, strip_frame

    return strip_frame(norm(wish)) or wish
