"""Reading feeds a chunk at a time, so a million-ad feed never has to fit in memory.

:func:`iter_feeds` yields :class:`~ipsmatch.feeds.types.FeedBatch` chunks of at most
``chunk_size`` records; put together they are exactly what
:func:`ipsmatch.feeds.read_feeds` returns for the same files (same vacancies in the same
order, same errors, same per-file counts). JSON Lines and CSV files are streamed line by
line; a whole-document format (a Jobnet page, a JSON array) is read whole, as before. Jobnet
files are read first, together, because a search record and its detail record may sit in
different files.

A file that cannot be read completely is never used in part: a streamed file is checked
(UTF-8, CSV syntax) in a cheap pass before its first record is handed out.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from ipsmatch.errors import FeedError, FeedReadError, UsageError
from ipsmatch.feeds.checks import check_source
from ipsmatch.feeds.csvfeed import COLUMNS as CSV_COLUMNS
from ipsmatch.feeds.csvfeed import REQUIRED as CSV_REQUIRED
from ipsmatch.feeds.csvfeed import csv_rows, iter_csv, read_csv
from ipsmatch.feeds.detect import FORMATS, sniff_text
from ipsmatch.feeds.files import read_text
from ipsmatch.feeds.finish import finish
from ipsmatch.feeds.hashes import combine_hashes
from ipsmatch.feeds.jobnet import merge, read_jobnet
from ipsmatch.feeds.jsonld import iter_jsonl, read_jsonld
from ipsmatch.feeds.types import Draft, FeedBatch, FeedFileResult

READERS = {"jobnet": read_jobnet, "jsonld": read_jsonld, "csv": read_csv}

#: raw hashes of records read before: a lookup (source, external_id) -> raw hash, or a mapping.
#: A lookup with a ``prefetch(keys)`` method is told each chunk's keys before it is asked.
Known = Callable[[str, str], "str | None"] | Mapping[tuple[str, str], str]

#: records per chunk when the caller does not say
CHUNK_SIZE = 10_000
_HEAD_BYTES = 4_000_004  # >= 1M characters even if every one takes 4 bytes
_SNIFF_CHARS = 1_000_000
_BLOCK = 1 << 20
_BOM = codecs.BOM_UTF8
_JSON_SPACE = " \t\n\r"

Group = tuple[str, tuple[Draft, ...]]  # (format, drafts making one vacancy)


def iter_feeds(paths: list[Path | str] | tuple[Path | str, ...] | Path | str, *,
               fmt: str | None = None, source: str | None = None,
               max_bytes: int = 200_000_000, known: Known | None = None,
               chunk_size: int | None = CHUNK_SIZE) -> Iterator[FeedBatch]:
    """Read feed files as a sequence of batches of at most ``chunk_size`` records.

    Arguments as :func:`ipsmatch.feeds.read_feeds`; ``chunk_size=None`` gives one batch.
    Every chunk shares the same ``files`` list (complete once the iterator is exhausted);
    ``read_errors`` all come in the last chunk, in file order, and the last chunk is always
    yielded, even when it is empty. ``max_bytes`` limits files that are read whole; streamed
    JSON Lines and CSV files have no size limit (only the 1 MB per record limit).
    """
    if fmt is not None and fmt not in READERS:
        raise UsageError(f"unknown feed format {fmt!r}",
                         hint=f"use one of: {', '.join(FORMATS)}")
    check_source(source)
    if isinstance(paths, (str, Path)):
        paths = [paths]  # one path given bare: do not iterate its characters
    ps = [Path(p) for p in paths]
    files = [FeedFileResult(path=p, format=fmt) for p in ps]
    fin = _Finisher(files, source, _lookup(known), chunk_size)
    read_errors: dict[int, FeedReadError] = {}
    plans: list[Any] = []
    jobnet: list[tuple[str, Draft]] = []
    for i, p in enumerate(ps):
        try:
            plan = _plan(p, i, fmt, max_bytes, files[i], lazy=fin.lazy)
        except FeedReadError as e:
            files[i].ok = False
            read_errors[i] = e
            plans.append(None)
            continue
        if plan[0] == "drafts" and files[i].format == "jobnet":
            jobnet += [("jobnet", d) for d in plan[1]]
            plan = ("jobnet", [])
        plans.append(plan)
    for fmt_, parts in _pair_jobnet(jobnet):
        plans[parts[0].file_index][1].append((fmt_, parts))

    for i, plan in enumerate(plans):
        if plan is None:
            continue
        kind, what = plan
        res = files[i]
        name = str(ps[i])
        if kind == "jobnet":
            groups: Any = what
        elif kind == "drafts":
            groups = ((res.format, (d,)) for d in what)
        elif kind == "text":
            assert res.format is not None  # set by _plan
            try:
                drafts, res.records, res.ignored = READERS[res.format](
                    read_text(ps[i], max_bytes), name, i, lazy=fin.lazy)
            except FeedReadError as e:
                res.ok = False
                read_errors[i] = e
                continue
            groups = ((res.format, (d,)) for d in drafts)
        else:
            try:
                _check_stream(ps[i], name, what)
            except FeedReadError as e:
                res.ok = False
                read_errors[i] = e
                continue
            groups = ((res.format, (d,)) for d in _stream_drafts(ps[i], name, i, what, res,
                                                                  lazy=fin.lazy))
        yield from fin.feed(groups)
    last = fin.flush()
    last.read_errors = [read_errors[i] for i in sorted(read_errors)]
    yield last


def _plan(p: Path, i: int, fmt: str | None, max_bytes: int, res: FeedFileResult, *,
          lazy: bool) -> tuple[str, Any]:
    """How to read file ``i``: ('stream', 'jsonl'|'csv') line by line; ('text', None) whole,
    in its turn; ('drafts', [...]) read whole now (Jobnet: all of it is needed up front, to
    pair records across files; and the odd file whose start could not be sniffed)."""
    name = str(p)
    head = _head(p)
    if head is not None:
        try:
            res.format = fmt or sniff_text(head[:_SNIFF_CHARS], name)
        except FeedReadError:
            head = None  # the whole read below reports it exactly as it always did
        else:
            if res.format == "csv":
                return "stream", "csv"
            if res.format == "jsonld":
                return ("stream", "jsonl") if _is_jsonl(head) else ("text", None)
    text = read_text(p, max_bytes)
    res.format = fmt or sniff_text(text[:_SNIFF_CHARS], name)
    drafts, res.records, res.ignored = READERS[res.format](text, name, i, lazy=lazy)
    return "drafts", drafts


def _head(p: Path) -> str | None:
    """The file's first few MB as text, or None when anything about it is unusual (cannot be
    opened, not UTF-8, blank): then the file is read whole, which reports the problem."""
    try:
        if p.is_dir():
            return None
        with p.open("rb") as fh:
            raw = fh.read(_HEAD_BYTES)
    except OSError:
        return None
    raw = raw.removeprefix(_BOM)
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(raw, final=False)
    except UnicodeDecodeError:
        return None
    return text if text.strip() else None


def _is_jsonl(head: str) -> bool:
    """True when the file is JSON Lines the way :func:`read_jsonld` decides it (the whole text
    is a complete JSON value followed by more data): here, the first line is a complete
    object and something follows it."""
    s = head.lstrip(_JSON_SPACE)
    if not s.startswith("{"):
        return False
    first, sep, rest = s.partition("\n")
    if not sep or not rest.strip(_JSON_SPACE):
        return False
    try:
        json.loads(first)
    except (ValueError, RecursionError):
        return False
    return True


def _check_stream(p: Path, name: str, kind: str) -> None:
    """Raise FeedReadError, as a whole read would, if the file is not completely readable:
    not UTF-8 somewhere, or empty; for CSV also a bad header or a CSV syntax error."""
    dec = codecs.getincrementaldecoder("utf-8")()
    base = 0  # offset of the decoder's held-back bytes + this block (BOM not counted)
    newlines = 0
    blank = True
    try:
        with p.open("rb") as fh:
            first = True
            while True:
                block = fh.read(_BLOCK)
                if first:
                    block, first = block.removeprefix(_BOM), False
                data = dec.getstate()[0] + block
                try:
                    text = dec.decode(block, final=not block)
                except UnicodeDecodeError as e:
                    line = newlines + data.count(b"\n", 0, e.start) + 1
                    raise FeedReadError(
                        f"not UTF-8: byte 0x{data[e.start]:02x} at byte offset "
                        f"{base + e.start} (line {line})", file=name,
                        hint="save the file as UTF-8 (in Excel: 'CSV UTF-8')") from None
                blank = blank and not text.strip()
                newlines += block.count(b"\n")
                base += len(data) - len(dec.getstate()[0])
                if not block:
                    break
    except OSError as e:
        raise FeedReadError(f"cannot read file: {e.strerror or e}", file=name) from None
    if blank:
        raise FeedReadError("file is empty", file=name, hint="export the feed again")
    if kind == "csv":
        with _open_text(p) as fh:
            for _ in csv_rows(fh, name, CSV_COLUMNS, CSV_REQUIRED):
                pass


def _open_text(p: Path) -> IO[str]:
    return p.open(encoding="utf-8-sig", newline="")


def _stream_drafts(p: Path, name: str, i: int, kind: str, res: FeedFileResult, *,
                   lazy: bool) -> Iterator[Draft]:
    if kind == "csv":
        with _open_text(p) as fh:
            for n, d in enumerate(iter_csv(fh, name, i, lazy=lazy), start=1):
                res.records = n
                yield d
        return
    counts = [0, 0]
    try:
        for d in iter_jsonl(_lines(p), name, i, lazy=lazy, counts=counts):
            res.records, res.ignored = counts
            yield d
    finally:
        res.records, res.ignored = counts


def _lines(p: Path) -> Iterator[str]:
    """The file's lines exactly as ``text.splitlines()`` splits the whole decoded text."""
    with p.open("rb") as fh:
        first = True
        for raw in fh:
            if first:
                raw = raw.removeprefix(_BOM)
                first = False
            yield from raw.decode("utf-8").splitlines()


# --- finishing: drafts -> vacancies, chunk by chunk ------------------------------------------

class _Finisher:
    """Turns groups of drafts into vacancies, remembering the ids seen so far (a repeated id
    is an error wherever it repeats), and cuts the output into chunks."""

    def __init__(self, files: list[FeedFileResult], source: str | None,
                 lookup: Callable[[str, str], str | None] | None, chunk_size: int | None
                 ) -> None:
        self.files, self.source, self.lookup = files, source, lookup
        self.chunk_size = chunk_size
        self.lazy = lookup is not None
        self.names = [str(f.path) for f in files]
        #: (source, external_id) -> where it was first read (an int for "file i, line n")
        self.seen: dict[tuple[str, str], int | str] = {}
        self.pending: list[Group] = []

    def feed(self, groups: Any) -> Iterator[FeedBatch]:
        for g in groups:
            self.pending.append(g)
            if self.chunk_size and len(self.pending) >= self.chunk_size:
                yield self._finish(self._take())

    def flush(self) -> FeedBatch:
        return self._finish(self._take())

    def _take(self) -> list[Group]:
        out, self.pending = self.pending, []
        return out

    def _key(self, fmt_: str, parts: tuple[Draft, ...]
             ) -> tuple[tuple[str, str] | None, str | None]:
        first = parts[0]
        src = self.source or (first.cheap_source if fmt_ == "csv" else None) or fmt_
        ext = parts[-1].cheap_id or first.cheap_id
        rh = first.raw_hash if len(parts) == 1 else combine_hashes(*(p.raw_hash for p in parts))
        return ((src, ext) if ext is not None else None), rh

    def _finish(self, groups: list[Group]) -> FeedBatch:
        batch = FeedBatch(files=self.files)
        lookup, seen, files = self.lookup, self.seen, self.files
        if lookup is not None:
            prefetch = getattr(lookup, "prefetch", None)
            if prefetch is not None:
                keys = [self._key(f, ps)[0] for f, ps in groups
                        if all(p.parse is not None for p in ps)]
                prefetch([k for k in keys if k is not None])
        for fmt_, parts in groups:
            first = parts[0]
            origins = sorted({p.file_index for p in parts})
            if lookup is not None and all(p.parse is not None for p in parts):
                # Only records that reached the (deferred) full parse: earlier errors stay
                # errors. A repeated id takes the full path, so it is reported as before.
                key, rh = self._key(fmt_, parts)
                if key is not None and rh is not None and key not in seen \
                        and lookup(*key) == rh:
                    seen[key] = self._where(parts[-1])
                    batch.unchanged.append(key)
                    batch.sources.add(key[0])
                    for o in origins:
                        files[o].vacancies += 1
                    continue
            for part in parts:
                part.parse_now()
            d = merge(*parts) if len(parts) == 2 else first
            src = self.source or (d.values.get("source") if fmt_ == "csv" else None) or fmt_
            vac = finish(d, src)
            batch.warnings += d.warnings
            if vac is not None:
                key = (vac.source, vac.external_id)
                if key in seen:
                    d.error("id", f"duplicate id {vac.external_id!r} in source {vac.source!r} "
                            f"(first at {self._place(seen[key])})",
                            hint="each vacancy needs its own id; this later record was "
                                 "skipped")
                    vac = None
                else:
                    seen[key] = self._where(d)
            if vac is None:
                batch.errors += d.errors
                for o in origins:
                    files[o].errors += 1
                for p in parts:
                    if p.cut_off:
                        files[p.file_index].cut_off = where(p)
                        batch.warnings.append(FeedError(
                            "the file ends in the middle of a record (cut off): it was not "
                            "read whole, so --snapshot expires nothing", file=p.file,
                            line=p.line, record=p.record,
                            hint="export the feed again and refresh"))
                continue
            batch.vacancies.append(vac)
            batch.sources.add(src)
            for o in origins:
                files[o].vacancies += 1
        return batch

    # A million "file:line n" strings would cost ~100 MB; most places pack into one int.
    def _where(self, d: Draft) -> int | str:
        n = d.line if d.line is not None else d.record
        if n is not None and 0 <= n < 1 << 40 and d.file_index < len(self.names) \
                and d.file == self.names[d.file_index]:
            return ((d.file_index << 1 | (d.line is None)) << 40) | n
        return where(d)

    def _place(self, w: int | str) -> str:
        if isinstance(w, str):
            return w
        n, tag = w & ((1 << 40) - 1), w >> 40
        name = self.names[tag >> 1]
        return f"{name}:record #{n}" if tag & 1 else f"{name}:line {n}"


def where(d: Draft) -> str:
    loc = f"line {d.line}" if d.line is not None else f"record #{d.record}"
    return f"{d.file}:{loc}"


def _lookup(known: Known | None) -> Callable[[str, str], str | None] | None:
    if known is None or callable(known):
        return known
    table = known
    return lambda src, ext: table.get((src, ext))


def _pair_jobnet(drafts: list[tuple[str, Draft]]) -> list[Group]:
    """Pair each Jobnet search record with the first detail record of the same ID (any
    file, any order) as (search, detail); unpaired records stay alone. Works before the
    full parse: the ids are the readers' cheap ids."""
    details: dict[str, Draft] = {}
    for fmt_, d in drafts:
        ext = d.cheap_id
        if fmt_ == "jobnet" and d.kind == "detail" and ext and ext not in details:
            details[ext] = d
    paired: set[int] = set()
    out: list[Group] = []
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
