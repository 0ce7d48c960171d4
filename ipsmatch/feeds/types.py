"""The result types of the feed readers: a :class:`FeedBatch` of vacancies and errors, a
:class:`FeedFileResult` per file, and the :class:`Draft` of one record before its checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ipsmatch.domain import Fact, Vacancy
from ipsmatch.errors import FeedError, FeedReadError


@dataclass
class FeedFileResult:
    """What happened to one input file."""

    path: Path
    format: str | None
    records: int = 0
    vacancies: int = 0
    ok: bool = True
    #: records skipped on purpose (JSON-LD objects whose @type is not JobPosting)
    ignored: int = 0
    #: row-level errors from this file
    errors: int = 0
    #: where the file ends in the middle of a record (a last line that does not parse): the
    #: file was not read whole, so ``--snapshot`` expires nothing from it
    cut_off: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """As JSON values (the refresh report and its log)."""
        return {**asdict(self), "path": str(self.path)}


@dataclass
class FeedBatch:
    """The result of :func:`ipsmatch.feeds.read_feeds`."""

    files: list[FeedFileResult] = field(default_factory=list)
    vacancies: list[Vacancy] = field(default_factory=list)
    #: bad records, each skipped
    errors: list[FeedError] = field(default_factory=list)
    #: whole files that could not be read; nothing from them is used
    read_errors: list[FeedReadError] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    #: (source, external_id) of records whose raw form equals the ``known`` raw hash given to
    #: ``read_feeds``: valid and unchanged, so they were neither validated nor enriched again
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    #: problems that did not cost the record (e.g. coordinates at sea were dropped and the
    #: postcode's town point used instead)
    warnings: list[FeedError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.read_errors


@dataclass
class Draft:
    """Field values of one record before validation. ``raw_*`` hold values still to check."""

    file: str
    line: int | None = None
    record: int | None = None
    kind: str = "record"  # jobnet: 'search' | 'detail'
    values: dict[str, Any] = field(default_factory=dict)
    #: facts from structured fields (source='field'); they beat text facts for the same key
    field_facts: list[Fact] = field(default_factory=list)
    errors: list[FeedError] = field(default_factory=list)
    warnings: list[FeedError] = field(default_factory=list)
    #: which input file produced it (index into FeedBatch.files)
    file_index: int = 0
    #: all input files that contributed (a merged Jobnet search + detail record has two)
    origins: list[int] = field(default_factory=list)
    #: sha256 of the raw record (see :func:`raw_hash`); None for records that failed early
    raw_hash: str | None = None
    #: the id as the full parse would normalise it, found without parsing the rest
    cheap_id: str | None = None
    #: a CSV row's ``source`` cell, normalised like the full parse does
    cheap_source: str | None = None
    #: the file's last record, and it does not parse: the file was cut off here
    cut_off: bool = False
    #: the deferred full parse of the record (fills ``values``); None once done
    parse: Callable[[], None] | None = field(default=None, repr=False)

    def parse_now(self) -> None:
        """Run the deferred full parse, once."""
        p, self.parse = self.parse, None
        if p is not None:
            p()

    def error(self, field_name: str | None, message: str, hint: str | None = None) -> None:
        self.errors.append(FeedError(message, file=self.file, line=self.line,
                                     record=self.record, field=field_name, hint=hint))

    def warn(self, field_name: str | None, message: str, hint: str | None = None) -> None:
        self.warnings.append(FeedError(message, file=self.file, line=self.line,
                                       record=self.record, field=field_name, hint=hint))
