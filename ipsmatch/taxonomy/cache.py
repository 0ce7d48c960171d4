"""Persistent text → top-matches cache, so a title or occupation name is matched only once.

Feeds repeat the same occupation names and titles across refreshes; with the cache the slow
semantic encoder (e5, ~50 texts/s) only sees text it has never seen. Stored in SQLite
(``<data dir>/cache/occupation-matches.sqlite``, file mode 0600, JSON values, no pickle).
Every entry is keyed by the text *and* a version key naming the taxonomy, the semantic
backend and the fusion parameters, so a changed model or taxonomy never serves stale answers.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ipsmatch.domain import OccupationMatch

#: Bump when matching changes in a way the parameters do not show (e.g. new signals' code).
CACHE_SCHEMA = "2"
FILE_NAME = "occupation-matches.sqlite"


def matcher_version(matcher: Any) -> str:
    """A short key for what decides a match: taxonomy bundle, wish vocabulary, backend, fusion
    parameters."""
    from ipsmatch.taxonomy.concepts import BUNDLE
    from ipsmatch.taxonomy.wishes import VOCABULARY

    try:
        st = BUNDLE.stat()
        bundle = f"{st.st_size}:{int(st.st_mtime)}"
    except OSError:
        bundle = "?"
    try:
        wishes = hashlib.sha256(VOCABULARY.read_bytes()).hexdigest()[:12]
    except OSError:
        wishes = "?"
    info = {"wishes": wishes, "schema": CACHE_SCHEMA, "bundle": bundle,
            "concepts": len(matcher.taxonomy),
            "semantic": matcher.semantic_backend, "params": matcher.params.as_dict()}
    return hashlib.sha256(json.dumps(info, sort_keys=True).encode()).hexdigest()[:16]


class MatchCache:
    """SQLite map ``(version, text) → [OccupationMatch, ...]``."""

    def __init__(self, path: Path | str, version: str) -> None:
        self.path = Path(path)
        self.version = version
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            # Create it private before SQLite opens it (queries can be citizens' wishes).
            fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        self._db = sqlite3.connect(self.path)
        self._db.execute("CREATE TABLE IF NOT EXISTS matches (version TEXT NOT NULL, "
                         "text TEXT NOT NULL, matches TEXT NOT NULL, "
                         "PRIMARY KEY (version, text))")
        self._db.commit()

    @classmethod
    def default(cls, matcher: Any) -> MatchCache:
        """The cache in the configured data dir, versioned for ``matcher``."""
        from ipsmatch.config import default_data_dir

        return cls(default_data_dir() / "cache" / FILE_NAME, matcher_version(matcher))

    def get_many(self, texts: Sequence[str]) -> dict[str, list[OccupationMatch]]:
        """Cached entries for those of ``texts`` that have one."""
        out: dict[str, list[OccupationMatch]] = {}
        texts = list(dict.fromkeys(texts))
        for i in range(0, len(texts), 500):
            chunk = texts[i:i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT text, matches FROM matches WHERE version = ? AND text IN ({marks})",
                [self.version, *chunk])
            for text, raw in rows:
                out[text] = [OccupationMatch(**m) for m in json.loads(raw)]
        return out

    def put_many(self, items: Iterable[tuple[str, Sequence[OccupationMatch]]]) -> None:
        """Store (text, matches) pairs (replacing older entries of the same version)."""
        rows = [(self.version, text,
                 json.dumps([{"uri": m.uri, "label": m.label, "score": m.score, "kind": m.kind}
                             for m in matches], ensure_ascii=False))
                for text, matches in items]
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO matches VALUES (?, ?, ?)", rows)

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM matches WHERE version = ?",
                                    (self.version,)).fetchone()[0])

    def close(self) -> None:
        self._db.close()
