"""Attach an ESCO occupation (URI, label, confidence) to vacancies at ingest.

The text matched is the feed's own occupation (Jobnet ``Occupation``, schema.org
``occupationalCategory``) when it has one, else the title. A match below ``min_score`` is left
unknown rather than guessed. Identical texts are matched once per batch (feeds repeat the same
Jobnet occupation names thousands of times), and refresh only calls this for new or changed ads,
so a nightly refresh re-reads nothing it already classified.

    >>> resolve = OccupationResolver(OccupationMatcher.load(backend="static"))
    >>> resolve(vacancies)   # fills occupation_uri / occupation_label / occupation_confidence
"""

from __future__ import annotations

from typing import Any

from ipsmatch.domain import Vacancy

#: Below this fused score an occupation is too uncertain to store (chosen by reading the
#: Jobnet sample and the demo fixtures: real titles score 0.5-1.0, noise such as
#: "Vi søger dig!" or a company name below 0.3).
MIN_SCORE = 0.3


class OccupationResolver:
    """Callable refresh hook: ``resolver(list_of_vacancies)`` sets their occupation fields."""

    def __init__(self, matcher: Any, *, min_score: float = MIN_SCORE) -> None:
        self.matcher = matcher
        self.min_score = min_score

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
        best: dict[str, Any] = {}
        for text, matches in zip(texts, self.matcher.match_batch(texts, limit=1,
                                                                 kind="occupation"),
                                 strict=True):
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


def default_resolver(*, model_dir: Any = None, semantic: str = "auto") -> OccupationResolver:
    """The ingest resolver: the taxonomy matcher with the fast static encoder (bulk speed)."""
    from ipsmatch.taxonomy import OccupationMatcher

    return OccupationResolver(OccupationMatcher.load(model_dir, semantic=semantic,
                                                     backend="static"))
