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

from ipsmatch.errors import FeedError, FeedReadError
from ipsmatch.feeds.checks import check_source
from ipsmatch.feeds.csvfeed import COLUMNS as CSV_COLUMNS
from ipsmatch.feeds.detect import FORMATS, detect_format
from ipsmatch.feeds.employers import EMPLOYER_COLUMNS, read_employers
from ipsmatch.feeds.hashes import READER_VERSION, content_hash
from ipsmatch.feeds.stream import CHUNK_SIZE, Known, iter_feeds
from ipsmatch.feeds.types import FeedBatch, FeedFileResult

__all__ = [
    "CHUNK_SIZE", "CSV_COLUMNS", "EMPLOYER_COLUMNS", "FORMATS", "READER_VERSION", "FeedBatch",
    "FeedError", "FeedFileResult", "FeedReadError", "Known", "check_source", "content_hash",
    "detect_format",
    "iter_feeds", "read_employers", "read_feeds",
]


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

    This holds every vacancy in memory; :func:`iter_feeds` reads the same in chunks.
    """
    (batch,) = iter_feeds(paths, fmt=fmt, source=source, max_bytes=max_bytes, known=known,
                          chunk_size=None)
    return batch
