"""Must-haves as filters, preferences as scores, and the reasons for both.

- :mod:`.criteria`: :class:`Criteria` and the formulas both paths share (commute, hours,
  freshness, needs fit, avoid-terms);
- :mod:`.reference`: :func:`evaluate`, every constraint on one vacancy, with reasons;
- :mod:`.vectorised`: :func:`~.vectorised.constrain`, the same over arrays of all ads (not
  imported here: it reads :mod:`ipsmatch.columns`, which imports this package).
"""

from ipsmatch.constraints.criteria import (
    AVOID_FACTS,
    COMMUTE_FLOOR,
    COMMUTE_UNKNOWN,
    DEADLINE_DAYS,
    FRESH_DAYS,
    FRESH_UNKNOWN,
    H_BELOW,
    H_FIT,
    H_NONE,
    H_OVER,
    H_SLIGHTLY_OVER,
    H_UNKNOWN,
    HOURS_BELOW,
    HOURS_CODES,
    HOURS_FIT,
    HOURS_OVER_MAX,
    HOURS_OVER_PART_TIME,
    HOURS_SLIGHTLY_OVER,
    HOURS_UNKNOWN,
    SUBSIDISED,
    Criteria,
    Point,
    ad_hours_range,
    avoid_fact,
    commute,
    commute_fit,
    folded_ad,
    folded_text,
    freshness,
    hours_category,
    hours_fit,
    needs_fit_value,
    term_regex,
)
from ipsmatch.constraints.reference import (
    Evaluation,
    avoid_hits,
    evaluate,
    requirement_reasons,
    source_params,
    vacancy_point,
)

__all__ = [
    "AVOID_FACTS", "COMMUTE_FLOOR", "COMMUTE_UNKNOWN", "DEADLINE_DAYS", "FRESH_DAYS",
    "FRESH_UNKNOWN", "HOURS_BELOW", "HOURS_CODES", "HOURS_FIT", "HOURS_OVER_MAX",
    "HOURS_OVER_PART_TIME", "HOURS_SLIGHTLY_OVER", "HOURS_UNKNOWN", "H_BELOW", "H_FIT",
    "H_NONE", "H_OVER", "H_SLIGHTLY_OVER", "H_UNKNOWN", "SUBSIDISED", "Criteria",
    "Evaluation", "Point", "ad_hours_range", "avoid_fact", "avoid_hits", "commute",
    "commute_fit", "evaluate", "folded_ad", "folded_text", "freshness", "hours_category",
    "hours_fit", "needs_fit_value", "requirement_reasons", "source_params", "term_regex",
    "vacancy_point",
]
