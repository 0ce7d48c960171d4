"""ESCO occupations and ISCO-08 groups: the bundled taxonomy and the free-text matcher.

>>> from ipsmatch.taxonomy import OccupationMatcher
>>> m = OccupationMatcher.load()          # once; reuse it
>>> m.match("sosu hjælper", limit=3)      # [OccupationMatch(uri, label, score, kind), ...]
"""

from ipsmatch.taxonomy.concepts import Concept, Taxonomy, load_taxonomy
from ipsmatch.taxonomy.fusion import FusionParams
from ipsmatch.taxonomy.occupations import OccupationMatcher

__all__ = ["Concept", "FusionParams", "OccupationMatcher", "Taxonomy", "load_taxonomy"]
