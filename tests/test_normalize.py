"""Danish normalisation: folding, hyphens, suspended compounds, abbreviations, inflection."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ipsmatch.text.normalize import fold_to_ascii, join_heads, normalize, stem, tokens


def test_danish_letters_fold_to_two_letter_spellings() -> None:
    assert normalize("Pædagog") == normalize("paedagog") == "paedagog"
    assert normalize("Chauffør") == normalize("chauffoer")
    assert normalize("Gårdmand") == normalize("gaardmand")
    assert normalize("ÆØÅ æøå") == "aeoeaa aeoeaa"


def test_accents_dropped_and_case_folded() -> None:
    assert normalize("Café-Medarbejder") == "cafe medarbejder"


def test_hyphens_and_punctuation_become_spaces() -> None:
    assert normalize("IT-supporter") == "it supporter"
    assert normalize("Adjunkt, humaniora") == "adjunkt humaniora"
    assert normalize("steward/stewardesse") == "steward stewardesse"


def test_suspended_compound_is_expanded() -> None:
    assert normalize("Lager- og logistikmedarbejder") == \
        "lagermedarbejder og logistikmedarbejder"
    assert normalize("Køkken- eller kantinemedhjælper") == \
        "koekkenmedhjaelper eller kantinemedhjaelper"


def test_suspended_compound_without_known_head_is_left_alone() -> None:
    assert normalize("Guld- og sølvsmykker") == "guld og soelvsmykker"


def test_sosu_abbreviation_written_out() -> None:
    assert normalize("sosu hjælper") == "social og sundheds hjaelper"
    assert normalize("SOSU-hjælper") == normalize("sosu hjælper")


def test_inflection_stripped_consistently() -> None:
    assert stem("medarbejdere") == stem("medarbejderne") == stem("medarbejder")
    assert stem("assistenter") == stem("assistent")
    assert stem("chaufføren") == stem("chauffør")
    assert tokens("Pædagogmedhjælpere") == tokens("pædagogmedhjælper")
    # short words are never cut below four letters
    assert stem("kok") == "kok"
    assert stem("bager") == "bager"


def test_join_heads_glues_a_separate_head_onto_its_modifier() -> None:
    assert join_heads("paedagog medhjaelper") == "paedagogmedhjaelper"
    assert join_heads("lager og medarbejder") == "lager og medarbejder"
    assert join_heads("medhjaelper") == "medhjaelper"


@given(st.text(max_size=40))
def test_normalize_is_idempotent_and_ascii(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert all(c.isascii() for c in once)
    assert once == once.strip() and "  " not in once


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå", min_size=1, max_size=20))
def test_stem_only_shortens_and_keeps_four_letters(word: str) -> None:
    w = fold_to_ascii(word)
    s = stem(w)
    assert w.startswith(s)
    assert len(s) >= min(4, len(w))


def test_each_folding_keeps_what_its_users_need() -> None:
    from ipsmatch.text.normalize import fold_for_search, fold_for_terms

    # occupation matching meets across spellings; search and avoid-terms keep æ/ø/å
    assert fold_to_ascii("Pædagog-Medhjælper") == "paedagog-medhjaelper"
    assert fold_for_search("Pædagog-Medhjælper\n") == "pædagog-medhjælper\n"
    assert fold_for_terms("  Meget\n KUNDEKONTAKT ") == "meget kundekontakt"
    assert fold_for_terms("ﬁre") == fold_for_search("ﬁre") == "fire"
