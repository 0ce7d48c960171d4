"""The bundled taxonomy: ESCO occupations and ISCO-08 groups with Danish and English labels.

Data: ``ipsmatch/data/esco/esco.json.gz`` (built by ``scripts/build_esco_bundle.py``; see
``ipsmatch/data/esco/ATTRIBUTION.md``). ESCO, European Commission.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from ipsmatch.errors import ConfigError

BUNDLE = Path(__file__).resolve().parent.parent / "data" / "esco" / "esco.json.gz"

ConceptKind = Literal["occupation", "isco"]


@dataclass(frozen=True)
class Concept:
    """An ESCO occupation or an ISCO-08 group. ``label`` is the Danish preferred label."""

    uri: str
    kind: ConceptKind
    label: str
    label_en: str
    alt_da: tuple[str, ...] = ()
    alt_en: tuple[str, ...] = ()
    isco: str = ""
    code: str = ""

    def labels(self) -> list[tuple[str, str, bool]]:
        """All labels as ``(text, lang, preferred)``."""
        out = [(self.label, "da", True)] if self.label else []
        out += [(a, "da", False) for a in self.alt_da]
        if self.label_en:
            out.append((self.label_en, "en", True))
        out += [(a, "en", False) for a in self.alt_en]
        return out


@dataclass
class Taxonomy:
    """All concepts, occupations first, with a uri → index map."""

    concepts: list[Concept]
    by_uri: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_uri = {c.uri: i for i, c in enumerate(self.concepts)}

    def get(self, uri: str) -> Concept | None:
        i = self.by_uri.get(uri)
        return None if i is None else self.concepts[i]

    def __len__(self) -> int:
        return len(self.concepts)


@lru_cache(maxsize=4)
def load_taxonomy(path: Path = BUNDLE) -> Taxonomy:
    """Read the bundled taxonomy (cached per path)."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"taxonomy bundle not found: {path}",
                          hint="run scripts/build_esco_bundle.py") from exc
    occ_prefix, isco_prefix = data["occupation_prefix"], data["isco_prefix"]
    concepts = [
        Concept(uri=occ_prefix + o["id"], kind="occupation", label=o["da"], label_en=o["en"],
                alt_da=tuple(o["alt_da"]), alt_en=tuple(o["alt_en"]), isco=o["isco"],
                code=o["code"])
        for o in data["occupations"]
    ]
    concepts += [
        Concept(uri=isco_prefix + g["code"], kind="isco", label=g["da"], label_en=g["en"],
                alt_da=tuple(g["alt_da"]), isco=g["code"], code=g["code"])
        for g in data["isco"]
    ]
    return Taxonomy(concepts)
