"""Education as an IPS goal: the catalogue of ordinary education offers, apprentice and
trainee ads, education suggestions and education starts.

    from ipsmatch.education import read_catalogue, suggest_education
    offers = read_catalogue("fixtures/education/catalogue.csv")
    for s in suggest_education(profile, offers, today=date(2026, 11, 16)):
        print(s.offer.name, [r.text_da for r in s.reasons])
"""

from __future__ import annotations

from ipsmatch.education.catalogue import COLUMNS, read_catalogue
from ipsmatch.education.detect import AD_KINDS, education_kind, education_terms
from ipsmatch.education.model import (
    EDUCATION_END_REASONS,
    EDUCATION_TYPES,
    REQUIREMENTS,
    EducationOffer,
    EducationStart,
)
from ipsmatch.education.rank import requirement_reasons, suggest_education

__all__ = ["AD_KINDS", "COLUMNS", "EDUCATION_END_REASONS", "EDUCATION_TYPES", "REQUIREMENTS",
           "EducationOffer", "EducationStart", "education_kind", "education_terms",
           "read_catalogue", "requirement_reasons", "suggest_education"]
