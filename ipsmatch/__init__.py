"""ipsmatch: the job-search engine for IPS (Individual Placement and Support) consultants.

Public API (imported lazily, so ``import ipsmatch`` stays cheap)::

    from ipsmatch import Matcher, CitizenProfile
    m = Matcher.open("sqlite:///ipsmatch.db")
    result = m.suggest({"id": "c-1", "home_postcode": "9000", "wishes": ["lager"]}, limit=10)
"""

from __future__ import annotations

from typing import Any

from ipsmatch.domain import (
    CitizenProfile,
    Employer,
    EmployerSuggestion,
    Fact,
    Need,
    OccupationMatch,
    Reason,
    Suggestion,
    Vacancy,
)
from ipsmatch.errors import IpsmatchError

__version__ = "0.1.0"

__all__ = [
    "CitizenProfile",
    "Employer",
    "EmployerSuggestion",
    "Fact",
    "IpsmatchError",
    "Matcher",
    "Need",
    "OccupationMatch",
    "Reason",
    "Suggestion",
    "Vacancy",
    "__version__",
]

_LAZY = {
    "Matcher": "ipsmatch.matcher:Matcher",
    "OccupationMatcher": "ipsmatch.taxonomy:OccupationMatcher",
    "Store": "ipsmatch.store:Store",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        mod, attr = _LAZY[name].split(":")
        return getattr(importlib.import_module(mod), attr)
    raise AttributeError(f"module 'ipsmatch' has no attribute {name!r}")
