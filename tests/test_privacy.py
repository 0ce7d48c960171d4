from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipsmatch.errors import PrivacyError
from ipsmatch.privacy import assert_no_cpr, find_cpr


@pytest.mark.parametrize(("text", "cpr"), [
    ("010190-1234", "010190-1234"), ("0101901234", "0101901234"),
    ("cpr: 311299-4321 står her", "311299-4321"), ("(290200-1111)", "290200-1111"),
    ("født 150585-2345.", "150585-2345"), ("cpr 311299 1234", "311299 1234"),
])
def test_finds_cpr_with_and_without_dash(text: str, cpr: str) -> None:
    assert find_cpr(text) == cpr


@pytest.mark.parametrize("text", [
    "tlf 12345678", "+45 12 34 56 78", "9400 Nørresundby", "CVR 12345678",
    "3201901234",        # day 32
    "0113901234",        # month 13
    "3002901234",        # 30 February
    "0000001234",        # day 0
    "12345678901",       # eleven digits
    "id 0101901234567",  # part of a longer number
    "2024-010190-1234",  # embedded in a dashed number
    "c-0042", "",
])
def test_ignores_things_that_are_not_cpr_numbers(text: str) -> None:
    assert find_cpr(text) is None


@given(day=st.integers(1, 28), month=st.integers(1, 12), year=st.integers(0, 99),
       seq=st.integers(0, 9999), dash=st.booleans())
def test_every_plausible_date_is_found(day: int, month: int, year: int, seq: int,
                                       dash: bool) -> None:
    cpr = f"{day:02d}{month:02d}{year:02d}{'-' if dash else ''}{seq:04d}"
    assert find_cpr(f"tekst {cpr} tekst") == cpr


@given(st.integers(10_000_000, 99_999_999))
def test_phone_numbers_never_match(n: int) -> None:
    assert find_cpr(f"ring på {n}") is None


def test_assert_no_cpr_says_where_but_not_the_number() -> None:
    obj = {"id": "c-1", "wishes": ["lager", "kontakt 010190-1234"], "travel": {"mode": "bike"}}
    with pytest.raises(PrivacyError) as e:
        assert_no_cpr(obj, "profile")
    msg = str(e.value)
    assert msg.startswith("profile: wishes[1] looks like a CPR number (ddmmyy-xxxx); ")
    assert "010190" not in msg and "1234" not in msg


def test_assert_no_cpr_checks_keys_and_ints() -> None:
    with pytest.raises(PrivacyError):
        assert_no_cpr({"0101901234": "x"})
    with pytest.raises(PrivacyError):
        assert_no_cpr({"n": [1, 101901234]})  # 0101901234 written as an int loses the 0
    assert_no_cpr({"n": 12345678, "ok": True, "nested": [{"a": "9400"}]})


# --- the spellings people type (issue #14) --------------------------------------------------

TYPED_SPELLINGS = ["01.01.90-1234", "010190–1234", "01 01 90 1234", "010190 - 1234",
                   "01/01/90-1234", "0101901234", "010190-1234", "010190—1234",
                   "01-01-90-1234", "010190 1234", "010190\u22121234", "010190 – 1234"]


def test_finds_the_spellings_people_type() -> None:
    for cpr in TYPED_SPELLINGS:
        assert find_cpr(f"Mads, cpr {cpr}, ringer i morgen") == cpr
        assert find_cpr(cpr) == cpr


@pytest.mark.parametrize("text", [
    "tlf. 12 34 56 78", "CVR-nr. 12 34 56 78",
    "møde 01.01.2026 kl. 10", "01.01.2026-1234",   # four-digit year: a date, not a CPR
    "32.01.90-1234", "01.13.90-1234",              # no such date
    "01.01-90-1234",                                # mixed date separators
    "vacu0901803099uming",                          # glued into a word (real feed text)
    "e2304111130f",                                 # part of a hex id (ESCO URI)
    "2024-01-01-90-1234",                           # tail of a longer dashed number
])
def test_typed_spellings_do_not_catch_phone_cvr_or_dates(text: str) -> None:
    assert find_cpr(text) is None
    # ... and the real CPR spellings are still found next to them
    assert find_cpr(f"{text} / 010190 - 1234") == "010190 - 1234"


def test_redact_masks_every_spelling() -> None:
    from ipsmatch.privacy import redact_cpr

    text = "a 01.01.90-1234 b 010190–1234 c tlf 12345678"
    assert redact_cpr(text) == "a [CPR-nummer fjernet] b [CPR-nummer fjernet] c tlf 12345678"


# --- health details in free text ------------------------------------------------------------

@pytest.mark.parametrize("text,word", [
    ("Mads er bipolar og har været indlagt", "bipolar"),
    ("lager, har skizofreni", "skizofreni"),
    ("Tager medicin om morgenen", "medicin"),
    ("kommer fra psykiatrisk afdeling", "psykiatrisk"),
    ("lang depression sidste år", "depression"),
    ("was hospitalised in May", "hospitalised"),
    ("diagnosed with schizophrenia", "diagnosed"),
])
def test_health_words_are_found(text: str, word: str) -> None:
    from ipsmatch.privacy import find_health_terms

    assert word in [w.lower() for w in find_health_terms(text)]


@pytest.mark.parametrize("text", [
    "lagerarbejde", "medicinalindustri", "add a note", "stille arbejdsplads",
    "kundekontakt", "Ring om to uger", "open to part time", "pædagogmedhjælper",
])
def test_ordinary_words_are_not_health_words(text: str) -> None:
    from ipsmatch.privacy import find_health_terms

    assert find_health_terms(text) == []


def test_health_refusal_names_field_and_words() -> None:
    from ipsmatch.privacy import assert_no_health_terms

    with pytest.raises(PrivacyError) as e:
        assert_no_health_terms([("wishes", ["lager", "har skizofreni"])], "profile")
    assert str(e.value).startswith("profile: wishes[1] looks like health details (skizofreni); ")
    assert str(e.value).endswith("if the text is deliberate, add --force)")


def test_machine_written_hex_is_not_a_cpr_number() -> None:
    """Content hashes (sha256 hex), UUIDs and ESCO URIs are stored in text columns that the
    store checks: a run of ten digits inside one must not be taken for a CPR number (without
    this rule 48 in 200,000 sha256 hashes were, and a refresh failed)."""
    import hashlib
    import uuid

    from ipsmatch.taxonomy.concepts import load_taxonomy

    hashes = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(60_000)]
    assert [h for h in hashes if find_cpr(h)] == []
    rnd = __import__("random").Random(14)
    uuids = [str(uuid.UUID(int=rnd.getrandbits(128), version=4)) for _ in range(30_000)]
    assert [u for u in uuids if find_cpr(u)] == []
    assert [c.uri for c in load_taxonomy().concepts if find_cpr(c.uri)] == []
    # ... while a CPR number next to a short hex-looking word is still found
    assert find_cpr("cpr0101901234") == find_cpr("ref ab 0101901234") == "0101901234"


def test_forgotten_tags_never_look_like_cpr(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import secrets

    tokens = iter(["0101901234ab", "abcdef012345"])
    monkeypatch.setattr(secrets, "token_hex", lambda n: next(tokens))
    store.save_citizen("c-1", {"id": "c-1"})
    store.delete_citizen("c-1", consultant="dpo")
    assert store.list_access()[0]["citizen_id"] == "forgotten:abcdef012345"
