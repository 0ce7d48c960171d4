"""The base of the response models that allow extra fields (the JSON may carry more than the
model names)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class OutModel(BaseModel):
    model_config = ConfigDict(extra="allow")
