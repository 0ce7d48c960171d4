"""Vacancies read and waiting for the refresh's write: the chunks of a feed, kept out of
memory in an anonymous temporary file once there is more than one."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from typing import Any, NamedTuple

from ipsmatch.domain import Vacancy
from ipsmatch.store.serialize import vacancy_from_json, vacancy_to_json


class Chunk(NamedTuple):
    """One chunk waiting for the write."""

    vacancies: list[Vacancy]
    #: per vacancy: were its occupations resolved already?
    resolved: list[bool]
    #: (source, external_id) of the records the reader skipped as unchanged
    skipped: list[tuple[str, str]]


class Spill:
    """Chunks waiting for the write: in memory while there is one, in an anonymous temporary
    file (gone when closed, or when the process dies) once there are more. The file holds
    plain JSON, one line per chunk: nothing read back from disk can run code."""

    def __init__(self) -> None:
        self.items: list[Chunk] = []
        self.fh: Any = None

    def add(self, item: Chunk) -> None:
        if self.fh is None and not self.items:
            self.items.append(item)
            return
        if self.fh is None:
            # closed in close(), which every caller reaches through try/finally
            self.fh = tempfile.TemporaryFile(prefix="ipsmatch-refresh-")  # noqa: SIM115
            for it in self.items:
                self._dump(it)
            self.items = []
        self._dump(item)

    def _dump(self, item: Chunk) -> None:
        line = json.dumps([[vacancy_to_json(v) for v in item.vacancies], item.resolved,
                           item.skipped], ensure_ascii=False, separators=(",", ":"))
        self.fh.write(line.encode("utf-8", "surrogatepass") + b"\n")

    def __iter__(self) -> Iterator[Chunk]:
        if self.fh is None:
            items, self.items = self.items, []
            yield from items
            return
        self.fh.seek(0)
        for line in self.fh:
            vacs, flags, skipped = json.loads(line.decode("utf-8", "surrogatepass"))
            yield Chunk([vacancy_from_json(v) for v in vacs], flags,
                         [(s, e) for s, e in skipped])

    def close(self) -> None:
        self.items = []
        if self.fh is not None:
            self.fh.close()
            self.fh = None
