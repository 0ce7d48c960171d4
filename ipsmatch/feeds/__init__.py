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

from pathlib import Path

from ipsmatch.errors import FeedError, FeedReadError, UsageError
from ipsmatch.feeds.base import Draft, FeedBatch, FeedFileResult, content_hash, finish, read_text
from ipsmatch.feeds.csvfeed import COLUMNS as CSV_COLUMNS
from ipsmatch.feeds.csvfeed import read_csv
from ipsmatch.feeds.detect import FORMATS, detect_format, sniff_text
from ipsmatch.feeds.employers import EMPLOYER_COLUMNS, read_employers
from ipsmatch.feeds.jobnet import merge, read_jobnet
from ipsmatch.feeds.jsonld import read_jsonld

__all__ = [
    "CSV_COLUMNS", "EMPLOYER_COLUMNS", "FORMATS", "FeedBatch", "FeedError", "FeedFileResult",
    "FeedReadError", "content_hash", "detect_format", "read_employers", "read_feeds",
]

_READERS = {"jobnet": read_jobnet, "jsonld": read_jsonld, "csv": read_csv}


def read_feeds(paths: list[Path | str] | tuple[Path | str, ...] | Path | str, *,
               fmt: str | None = None, source: str | None = None,
               max_bytes: int = 200_000_000) -> FeedBatch:
    """Read feed files into one batch of valid, enriched vacancies.

    ``fmt`` forces a format for every file (default: sniffed per file); ``source`` names the
    source of every vacancy (default: 'jobnet', 'jsonld', 'csv' or a CSV ``source`` column).
    Jobnet search and detail records with the same ID are merged (detail wins for text),
    across files. Never raises for bad input: see ``batch.errors`` and ``batch.read_errors``.
    """
    if fmt is not None and fmt not in _READERS:
        raise UsageError(f"unknown feed format {fmt!r}",
                         hint=f"use one of: {', '.join(FORMATS)}")
    if isinstance(paths, (str, Path)):
        paths = [paths]  # one path given bare: do not iterate its characters
    batch = FeedBatch()
    drafts: list[tuple[str, Draft]] = []  # (format, draft)
    for i, raw in enumerate(paths):
        p = Path(raw)
        res = FeedFileResult(path=p, format=fmt)
        batch.files.append(res)
        try:
            text = read_text(p, max_bytes)
            res.format = fmt or sniff_text(text[:1_000_000], str(p))
            found, res.records, res.ignored = _READERS[res.format](text, str(p), i)
        except FeedReadError as e:
            res.ok = False
            batch.read_errors.append(e)
            continue
        drafts += [(res.format, d) for d in found]

    seen: dict[tuple[str, str], str] = {}
    for fmt_, d in _merge_jobnet(drafts):
        src = source or (d.values.get("source") if fmt_ == "csv" else None) or fmt_
        vac = finish(d, src)
        batch.warnings += d.warnings
        origins = set(d.origins or [d.file_index])
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


def _where(d: Draft) -> str:
    loc = f"line {d.line}" if d.line is not None else f"record #{d.record}"
    return f"{d.file}:{loc}"


def _merge_jobnet(drafts: list[tuple[str, Draft]]) -> list[tuple[str, Draft]]:
    """Pair each Jobnet search record with the first detail record of the same ID (any
    file, any order); unpaired records stay as they are."""
    details: dict[str, Draft] = {}
    for fmt_, d in drafts:
        ext = d.values.get("external_id")
        if fmt_ == "jobnet" and d.kind == "detail" and ext and ext not in details:
            details[ext] = d
    paired: set[int] = set()
    out: list[tuple[str, Draft]] = []
    for fmt_, d in drafts:
        ext = d.values.get("external_id")
        if fmt_ == "jobnet" and d.kind == "search" and ext in details \
                and id(details[ext]) not in paired:
            paired.add(id(details[ext]))
            out.append((fmt_, merge(d, details[ext])))
        else:
            out.append((fmt_, d))
    return [(f, d) for f, d in out if not (d.kind == "detail" and id(d) in paired)]
