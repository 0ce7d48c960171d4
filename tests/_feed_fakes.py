"""A FeedBatch-shaped stand-in, for tests that apply vacancies without reading feed files."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ipsmatch.domain import Vacancy


@dataclass
class FileResult:
    path: str
    format: str = "jobnet"
    records: int = 0
    vacancies: int = 0
    ok: bool = True


@dataclass
class Batch:
    vacancies: list[Vacancy]
    errors: list[Any] = field(default_factory=list)
    read_errors: list[Any] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
