"""The API's error body: ``{"error": {"code", "message", "hint", "field"}}``."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    code: str = Field(description="machine-readable kind, e.g. not_found, invalid_input")
    message: str = Field(description="what is wrong and how to fix it")
    hint: str | None = None
    field: str | None = Field(None, description="the request field at fault, if one")


class ErrorOut(BaseModel):
    error: ErrorDetail
