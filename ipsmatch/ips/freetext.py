"""The one gate every new free-text field of the IPS records goes through.

Career profile texts ("what went well"), disclosure notes, support plans, follow-along notes,
education end reasons and the citizen's own comment in a report are all checked here, and
nowhere else, so a stricter check (health words, as for contact notes) is added in one place.
"""

from __future__ import annotations

from ipsmatch.errors import PrivacyError
from ipsmatch.privacy import assert_no_cpr, find_health_terms

#: the longest free text one field holds (a paragraph or two, not a case file)
MAX_FREE_TEXT = 2000


def check_free_text(field: str, value: str | None) -> str | None:
    """``value`` stripped (None when empty), refused when it holds personal data.

    Raises :class:`PrivacyError` naming ``field`` (never echoing the value) for a CPR number,
    for diagnosis or treatment words (ipsmatch.privacy.HEALTH_TERMS: these records have no
    ``--force``, since what they describe is the work, not the illness), and for an over-long
    text, which is where case-file detail creeps in.

        >>> check_free_text("strengths", "  god til at holde orden ")
        'god til at holde orden'
    """
    if value is None:
        return None
    text = " ".join(str(value).split())
    if not text:
        return None
    assert_no_cpr(text, field)
    found = find_health_terms(text)
    if found:  # the same words as contact notes (ipsmatch.privacy.HEALTH_TERMS)
        words = ", ".join(dict.fromkeys(w.lower() for w in found))
        raise PrivacyError(code="text.health", params={"field": field, "words": words})
    if len(text) > MAX_FREE_TEXT:
        raise PrivacyError(code="text.too_long",
                           params={"field": field, "length": len(text), "max": MAX_FREE_TEXT})
    return text
