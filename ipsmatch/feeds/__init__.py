"""Feed readers: Jobnet JSON, schema.org JobPosting (JSON-LD / JSON Lines) and CSV → validated,
enriched :class:`~ipsmatch.domain.Vacancy` objects. Formats are described in docs/feeds.md.

    >>> batch = read_feeds(["JobPage01.json", *detail_files])      # doctest: +SKIP
    >>> batch.vacancies[0].employer.cvr, batch.errors, batch.read_errors   # doctest: +SKIP
    ('30806883', [], [])

A bad record never stops a read: it becomes a :class:`~ipsmatch.errors.FeedError` in
``batch.errors`` (file, line or record, field, fix hint); a file that cannot be read at all
becomes a :class:`~ipsmatch.errors.FeedReadError` in ``batch.read_errors``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from ipsmatch.errors import FeedError, FeedReadError, UsageError
from ipsmatch.feeds.base import (
    READER_VERSION,
    Draft,
    FeedBatch,
    FeedFileResult,
    combine_hashes,
    content_hash,
    finish,
    read_text,
)
from ipsmatch.feeds.csvfeed import COLUMNS as CSV_COLUMNS
from ipsmatch.feeds.csvfeed import read_csv
from ipsmatch.feeds.detect import FORMATS, detect_format, sniff_text
from ipsmatch.feeds.employers import EMPLOYER_COLUMNS, read_employers
from ipsmatch.feeds.jobnet import merge, read_jobnet
from ipsmatch.feeds.jsonld import read_jsonld

__all__ = [
    "CSV_COLUMNS", "EMPLOYER_COLUMNS", "FORMATS", "READER_VERSION", "FeedBatch", "FeedError",
    "FeedFileResult", "FeedReadError", "content_hash", "detect_format", "read_employers",
    "read_feeds",
]

_READERS = {"jobnet": read_jobnet, "jsonld": read_jsonld, "csv": read_csv}

#: raw hashes of records read before: a lookup (source, external_id) -> raw hash, or a mapping
Known = Callable[[str, str], "str | None"] | Mapping[tuple[str, str], str]


def read_feeds(paths: list[Path | str] | tuple[Path | str, ...] | Path | str, *,
               fmt: str | None = None, source: str | None = None,
               max_bytes: int = 200_000_000, known: Known | None = None) -> FeedBatch:
    """Read feed files into one batch of valid, enriched vacancies.

    ``fmt`` forces a format for every file (default: sniffed per file); ``source`` names the
    source of every vacancy (default: 'jobnet', 'jsonld', 'csv' or a CSV ``source`` column).
    Jobnet search and detail records with the same ID are merged (detail wins for text),
    across files. Never raises for bad input: see ``batch.errors`` and ``batch.read_errors``.

    ``known`` gives the raw hash (``Vacancy.raw_hash``) stored for a (source, external_id)
    by an earlier read. A record whose raw hash equals it is not validated or enriched
    again: its key goes to ``batch.unchanged`` instead of a Vacancy to ``batch.vacancies``.
    It still counts for its file and for duplicate-id detection.
    """
    if fmt is not None and fmt not in _READERS:
        raise UsageError(f"unknown feed format {fmt!r}",
                         hint=f"use one of: {', '.join(FORMATS)}")
    if isinstance(paths, (str, Path)):
        paths = [paths]  # one path given bare: do not iterate its characters
    batch = FeedBatch()
    lookup = _lookup(known)
    drafts: list[tuple[str, Draft]] = []  # (format, draft)
    for i, raw in enumerate(paths):
        p = Path(raw)
        res = FeedFileResult(path=p, format=fmt)
        batch.files.append(res)
        try:
            text = read_text(p, max_bytes)
            res.format = fmt or sniff_text(text[:1_000_000], str(p))
            found, res.records, res.ignored = _READERS[res.format](
                text, str(p), i, lazy=lookup is not None)
        except FeedReadError as e:
            res.ok = False
            batch.read_errors.append(e)
            continue
        drafts += [(res.format, d) for d in found]

    seen: dict[tuple[str, str], str] = {}
    for fmt_, parts in _pair_jobnet(drafts):
        first = parts[0]
        origins = sorted({p.file_index for p in parts})
        if lookup is not None and all(p.parse is not None for p in parts):
            # Only records that reached the (deferred) full parse: earlier errors stay errors.
            src = source or (first.cheap_source if fmt_ == "csv" else None) or fmt_
            ext = parts[-1].cheap_id or first.cheap_id
            rh = first.raw_hash if len(parts) == 1 else \
                combine_hashes(*(p.raw_hash for p in parts))
            key = (src, ext) if ext is not None else None
            # A repeated id takes the full path, so it is reported exactly as before.
            if key is not None and rh is not None and key not in seen and lookup(*key) == rh:
                seen[key] = _where(parts[-1])
                batch.unchanged.append(key)
                batch.sources.add(src)
                for o in origins:
                    batch.files[o].vacancies += 1
                continue
        for part in parts:
            part.parse_now()
        d = merge(*parts) if len(parts) == 2 else first
        src = source or (d.values.get("source") if fmt_ == "csv" else None) or fmt_
        vac = finish(d, src)
        batch.warnings += d.warnings
        if vac is not None:
            key = (vac.source, vac.external_id)
            if key in seen:
                d.error("id", f"duplicate id {vac.external_id!r} in source {vac.source!r} "
                        f"(first at {seen[key]})",
                        hint="each vacancy needs its own id; this later record was skipped")
                vac = None
            else:
                seen[key] = _where(d)
        if vac is None:
            batch.errors += d.errors
            for o in origins:
                batch.files[o].errors += 1
            continue
        batch.vacancies.append(vac)
        batch.sources.add(src)
        for o in origins:
            batch.files[o].vacancies += 1
    return batch


def _lookup(known: Known | None) -> Callable[[str, str], str | None] | None:
    if known is None or callable(known):
        return known
    table = known
    return lambda src, ext: table.get((src, ext))


def _where(d: Draft) -> str:
    loc = f"line {d.line}" if d.line is not None else f"record #{d.record}"
    return f"{d.file}:{loc}"


def _pair_jobnet(drafts: list[tuple[str, Draft]]) -> list[tuple[str, tuple[Draft, ...]]]:
    """Pair each Jobnet search record with the first detail record of the same ID (any
    file, any order) as (search, detail); unpaired records stay alone. Works before the
    full parse: the ids are the readers' cheap ids."""
    details: dict[str, Draft] = {}
    for fmt_, d in drafts:
        ext = d.cheap_id
        if fmt_ == "jobnet" and d.kind == "detail" and ext and ext not in details:
            details[ext] = d
    paired: set[int] = set()
    out: list[tuple[str, tuple[Draft, ...]]] = []
    for fmt_, d in drafts:
        ext = d.cheap_id
        if fmt_ == "jobnet" and d.kind == "search" and ext in details \
                and id(details[ext]) not in paired:
            paired.add(id(details[ext]))
            out.append((fmt_, (d, details[ext])))
        else:
            out.append((fmt_, (d,)))
    return [(f, ps) for f, ps in out if not (len(ps) == 1 and ps[0].kind == "detail"
                                             and id(ps[0]) in paired)]
