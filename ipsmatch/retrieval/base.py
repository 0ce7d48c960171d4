"""Shared retriever pieces: hits, data hashes, manifests written atomically."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from ipsmatch.config import private_files
from ipsmatch.errors import IndexNotReadyError

MANIFEST = "manifest.json"
REBUILD_HINT = ("fit() and save() it again; `ipsmatch suggest` rebuilds its indexes by itself "
                "when the data changed")


class Hits(NamedTuple):
    """Row indices (into the fitted docs) and their scores, best first."""

    ids: np.ndarray
    scores: np.ndarray


def data_hash(items: Iterable[str]) -> str:
    """A stable hash of the indexed data (order matters: rows are positions)."""
    h = hashlib.sha256()
    for s in items:
        h.update(s.encode("utf-8", "surrogatepass"))
        h.update(b"\x1e")
    return h.hexdigest()[:32]


def top_hits(scores: np.ndarray, limit: int) -> Hits:
    """The ``limit`` best positive scores, best first (ties by row)."""
    pos = np.flatnonzero(scores > 0)
    if pos.size == 0 or limit <= 0:
        return Hits(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
    if pos.size > limit:
        # Ties at the cut go to the lowest rows, so a search is deterministic.
        vals = scores[pos]
        kth = -np.partition(-vals, limit - 1)[limit - 1]
        above = pos[vals > kth]
        pos = np.concatenate([above, pos[vals == kth][: limit - above.size]])
    order = np.lexsort((pos, -scores[pos]))
    ids = pos[order]
    return Hits(ids.astype(np.int64), scores[ids].astype(np.float32))


def write_index_dir(path: str | Path, manifest: dict[str, Any],
                    write_files: Callable[[Path], None]) -> None:
    """Write an index directory atomically: build beside it, then swap it in (owner-only)."""
    with private_files():
        _write_index_dir(Path(path), manifest, write_files)


def _write_index_dir(target: Path, manifest: dict[str, Any],
                     write_files: Callable[[Path], None]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    old = target.with_name(f"{target.name}.old-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        write_files(tmp)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False),
                                    encoding="utf-8")
        if target.exists():
            os.replace(target, old)
        try:
            os.replace(tmp, target)
        except OSError:
            # Another process wrote the same index in between: theirs is as good as ours.
            if not (target / MANIFEST).is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def read_manifest(path: str | Path, *, kind: str, version: int | tuple[int, ...],
                  expected_hash: str | None = None) -> dict[str, Any]:
    """Read and check a manifest; IndexNotReadyError if missing, of another kind/version, or
    stale. ``version`` may list several versions the caller can still read."""
    p = Path(path) / MANIFEST
    try:
        m: dict[str, Any] = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexNotReadyError(f"no {kind} index at {path}", hint=REBUILD_HINT
                                 ) from None
    except (OSError, json.JSONDecodeError) as exc:
        raise IndexNotReadyError(f"corrupt index manifest {p}: {exc}",
                                 hint=REBUILD_HINT) from None
    versions = version if isinstance(version, tuple) else (version,)
    if m.get("kind") != kind or m.get("version") not in versions:
        raise IndexNotReadyError(f"{p}: a {m.get('kind')} index v{m.get('version')}, "
                                 f"expected {kind} v{versions[-1]}", hint=REBUILD_HINT)
    if expected_hash is not None and m.get("data_hash") != expected_hash:
        raise IndexNotReadyError(f"stale {kind} index at {path}: built from other data",
                                 hint=REBUILD_HINT)
    return m
