"""Index status models: refresh runs and the serving matcher (``index status``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ipsmatch.web.api.models.base import OutModel


class RefreshRun(OutModel):
    id: int
    started_at: str | None
    finished_at: str | None
    status: str
    added: int
    updated: int
    unchanged: int
    expired: int
    rejected: int
    message: str | None


class MatcherInfo(BaseModel):
    data_stamp: str | None = Field(description="the data the serving matcher was opened on")
    swaps: int = Field(description="fresh matchers swapped in since this worker started")
    last_error: str | None


class IndexStatusOut(OutModel):
    """``ipsmatch index status --format json``, plus this worker's matcher."""

    db: str
    schema_revision: str | None
    sources: dict[str, dict[str, int]]
    vacancies_active: int
    vacancies_expired: int
    employers: int
    citizens: int
    last_refresh: RefreshRun | None
    last_successful_refresh_at: str | None
    stale: bool
    matcher: MatcherInfo | None = None
