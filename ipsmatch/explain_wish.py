"""The wish reason: why an ad matches a wish, from that wish's signal parts for the ad.

Beside :mod:`ipsmatch.explain` rather than in it: the wording reads the education detection
and the relevance thresholds, and :mod:`ipsmatch.explain` is imported by both (the
constraints and the education ranking write their reasons with it).

The matcher passes the reason to use (:data:`WishReason`): :func:`search_reason` for a
free-text search, :func:`wish_reason` (with the wish's occupations) for a citizen.

    >>> search_reason(ad, "lager", {"text": 0.8}).code                 # doctest: +SKIP
    'search.match'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ipsmatch.domain import Reason, Vacancy
from ipsmatch.education import education_kind, education_terms
from ipsmatch.education.detect import AD_KINDS
from ipsmatch.explain import make_reason
from ipsmatch.relevance import ISCO_CREDIT, TOPIC_PART
from ipsmatch.retrieval.lexical import strip_head, words
from ipsmatch.text.normalize import fold_for_search

#: Occupation credit from which the wish reason names the occupation concept.
OCCUPATION_REASON_MIN = 0.5
#: Below this confidence (the lower of the wish → occupation score, before any ISCO-group
#: share, and the ad's own occupation confidence) an occupation reason is worded as a weak
#: match ("svagt match – tjek om det passer"). Scores in [0, 1]: a wish the vocabulary or a
#: label reads scores 0.6-1.0 on what it means; unrelated neighbours sit around 0.3-0.45.
WEAK_WISH_MATCH = 0.5

#: (ad, wish, that wish's parts for the ad) -> the reason shown first
WishReason = Callable[[Vacancy, str, Mapping[str, float]], Reason]


def _strongest(parts: Mapping[str, float]) -> str:
    return max(parts, key=parts.__getitem__) if parts else "text"


def search_reason(v: Vacancy, wish: str, parts: Mapping[str, float]) -> Reason:
    """A search hit: the search text and the signal that found the ad."""
    return make_reason("wish", "search.match", wish=wish, signal=_strongest(parts))


def wish_reason(v: Vacancy, wish: str, parts: Mapping[str, float], *,
                occupations: Callable[[str], list[Any]] | None = None,
                topic_quote: Callable[[str, Vacancy], str | None] | None = None) -> Reason:
    """Why ad ``v`` matches a citizen's wish: an education place, the occupation (exact, or
    its ISCO group; weak when unsure), the work its text describes (quoted), a similar
    title, or the wish's words in the title or text. ``occupations`` is the taxonomy's wish
    → occupations (None: no taxonomy); ``topic_quote`` the words of the ad's text that say
    it is work the wish means."""
    best = _strongest(parts)
    if parts.get(best, 0.0) <= 0:
        return make_reason("wish", "wish.none")
    is_edu, _, subject = education_terms(wish)
    if is_edu and parts.get("education", 0.0) > 0:
        kind = education_kind(v.title, v.text) or "elev"
        return make_reason("wish", "wish.education", wish=wish, ad_kind=kind,
                           label_da=AD_KINDS[kind][0], label_en=AD_KINDS[kind][1])
    # The occupation credit came from the ad's text (its topic), not its occupation: quote
    # the text when that is the strongest signal, and never name the ad's occupation for it.
    from_text = parts.get(TOPIC_PART, 0.0) > 0 and \
        parts.get(TOPIC_PART, 0.0) >= parts.get("occupation", 0.0) - 1e-9
    if from_text and best == "occupation" and topic_quote is not None:
        quote = topic_quote(wish, v)
        if quote:
            return make_reason("wish", "wish.topic", wish=wish, quote=quote, signal=best)
    # A concept match names the occupation, which reads better than "words in the ad".
    if not from_text and (best == "occupation"
                          or parts.get("occupation", 0.0) >= OCCUPATION_REASON_MIN):
        # Credit through the ISCO group only ("same line of work") is said as such.
        exact = occupations is None or v.occupation_uri in {
            m.uri for m in occupations(subject if is_edu else wish)}
        code = "wish.occupation" if exact else "wish.occupation_group"
        confidence = min(parts.get("occupation", 0.0) / (1.0 if exact else ISCO_CREDIT),
                         v.occupation_confidence if v.occupation_confidence is not None
                         else 1.0)
        if occupations is not None and confidence < WEAK_WISH_MATCH:
            code += "_weak"
        return make_reason("wish", code, wish=wish, label=v.occupation_label or v.title,
                           signal=best)
    if best == "semantic":
        return make_reason("wish", "wish.semantic", wish=wish, signal=best)
    title = fold_for_search(v.title)
    if any(strip_head(w) in title for w in words(wish)):
        return make_reason("wish", "wish.title", wish=wish, label=v.title, signal=best)
    return make_reason("wish", "wish.text", wish=wish, signal=best)
