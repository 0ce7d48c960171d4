"""Disclosure: consent for employer contacts, and a jobudviklingsark that never contains what
the citizen did not agree to share (a property over generated profiles, every field)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipsmatch.errors import ConsentError, FeedError
from ipsmatch.ips.disclosure import check_contact_consent, jobdev_sheet, sheet_free_texts
from ipsmatch.jobdev import Contact
from ipsmatch.needs import NEEDS
from ipsmatch.profile import CERTIFICATES, LANGUAGES, profile_from_dict

TODAY = date(2026, 11, 16)
NEED_CODES = sorted(NEEDS)


@st.composite
def profiles(draw: Any) -> tuple[dict[str, Any], set[str], str]:
    """A valid profile dict whose every free text is a unique marker ("qz17x"), the keys of
    the free texts the consultant confirms, and the consultant's name."""
    n = iter(range(10_000))

    def mark() -> str:
        return f"qz{next(n)}x"

    needs = draw(st.lists(st.sampled_from(NEED_CODES), unique=True, max_size=6))
    share = draw(st.sampled_from(["nothing", "ips", "accommodations"]))
    shared = draw(st.lists(st.sampled_from(needs), unique=True)) if needs and \
        share == "accommodations" else []
    career: dict[str, Any] = {
        "wants": mark(),
        "strengths": [mark() for _ in range(draw(st.integers(0, 3)))],
        "interests": [mark() for _ in range(draw(st.integers(0, 2)))],
        "supports": [mark() for _ in range(draw(st.integers(0, 2)))],
        "work_history": [{"title": mark(), "from": 2015, "to": 2018, "went_well": mark(),
                          "went_badly": mark()} for _ in range(draw(st.integers(0, 2)))],
        "education": [{"name": mark(), "level": "folkeskole"}],
    }
    if draw(st.booleans()):
        career["hours"] = {"now": 8, "goal": 15}
    d = {
        "version": 3, "id": f"c-{mark()}", "home_postcode": "9400",
        "travel": {"mode": draw(st.sampled_from(["bike", "public"])), "max_minutes": 33},
        "hours": {"min": 7, "max": 13},
        "wishes": [mark() for _ in range(draw(st.integers(0, 3)))],
        "avoid": [mark() for _ in range(draw(st.integers(0, 2)))],
        "needs": needs,
        "certificates": draw(st.lists(st.sampled_from(sorted(CERTIFICATES)), unique=True,
                                      max_size=3)),
        "languages": draw(st.lists(st.sampled_from(sorted(LANGUAGES)), unique=True,
                                   min_size=1, max_size=3)),
        "fleksjob_approved": draw(st.booleans()),
        "accept_subsidised": draw(st.booleans()),
        "career": career,
        "disclosure": {"consent": "yes", "date": "2026-11-02", "share": share,
                       "accommodations": shared, "note": mark()},
    }
    keys = [t.key for t in sheet_free_texts(profile_from_dict(d))]
    include = set(draw(st.lists(st.sampled_from(keys), unique=True))) if keys else set()
    return d, include, f"kons-{mark()}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profiles())
def test_the_sheet_never_contains_what_was_not_consented(case: Any) -> None:
    d, include, consultant = case
    p = profile_from_dict(d)
    sheet = jobdev_sheet(p, include=include, consultant=consultant, today=TODAY)
    share = d["disclosure"]["share"]
    for out in (sheet.text(), sheet.html()):
        low = out.casefold()
        # never: the case id, the home, travel, avoid-terms, fleksjob/subsidy, the note
        assert d["id"] not in out
        assert "9400" not in out and "33" not in out
        for term in d["avoid"]:
            assert term not in out
        assert "fleksjob" not in low and "løntilskud" not in low
        assert d["disclosure"]["note"] not in out
        for w in d["career"]["work_history"]:
            assert w["went_badly"] not in out
        for e in d["career"]["education"]:
            assert e["name"] not in out
        # needs: only those chosen for sharing, and only with share = accommodations
        allowed = set(d["disclosure"]["accommodations"]) if share == "accommodations" else set()
        for code in d["needs"]:
            assert (NEEDS[code].label_da in out) == (code in allowed), code
            assert code not in out
        # IPS participation and the consultant: only with share ips/accommodations
        assert ("IPS" in out) == (share != "nothing")
        assert (consultant in out) == (share != "nothing")
        # free texts: exactly the confirmed ones that the share level allows
        offered = {t.key: t.text for t in sheet_free_texts(p)}
        for key, text in offered.items():
            assert (text in out) == (key in include), key
        for s in d["career"]["supports"]:
            if share != "accommodations":
                assert s not in out
        # structured, consented: certificates and languages are shown
        for c in d["certificates"]:
            assert CERTIFICATES[c][0].casefold() in low
    assert {t.key for t in sheet.pending} == set(offered) - include


def _yes(**kw: Any) -> dict[str, Any]:
    return {"id": "c-1", "home_postcode": "9000", "needs": ["flexible_start", "no_night"],
            "disclosure": {"consent": "yes", "date": "2026-11-02", **kw}}


def test_free_text_is_pending_until_confirmed() -> None:
    p = profile_from_dict({**_yes(share="ips"), "career": {"strengths": ["stabil"]}})
    sheet = jobdev_sheet(p)
    assert [(t.key, t.text) for t in sheet.pending] == [("career.strengths[0]", "stabil")]
    assert "stabil" not in sheet.text()
    assert "stabil" in jobdev_sheet(p, include=["career.strengths[0]"]).text()


def test_sheet_text_reads_as_danish() -> None:
    p = profile_from_dict({**_yes(share="accommodations", accommodations=["flexible_start"]),
                           "certificates": ["driving_licence_b"],
                           "career": {"hours": {"now": 8, "goal": 15}}})
    # no_night is not among the accommodations shared: it is not on the sheet
    assert jobdev_sheet(p, consultant="Anna").text() == (
        "Jobudviklingsark\n================\n\n"
        "Timer\n- Kan arbejde 8 timer om ugen nu; målet er 15 timer\n\n"
        "Kørekort, beviser og sprog\n- Kørekort (B)\n- Sprog: dansk\n\n"
        "Det har kandidaten valgt at fortælle om hensyn\n- Fleksibel mødetid\n\n"
        "Samarbejde\n- Kandidaten får støtte af en IPS-jobkonsulent, også efter ansættelsen. "
        "Kontakt: Anna.\n")
    html = jobdev_sheet(p).html()
    assert html.startswith("<!doctype html>") and "@media print" in html
    assert "<script" not in html and "http" not in html


@pytest.mark.parametrize("consent", ["not_asked", "no"])
def test_no_sheet_without_a_yes(consent: str) -> None:
    d = {"id": "c-1", "home_postcode": "9000"}
    if consent == "no":
        d["disclosure"] = {"consent": "no", "date": "2026-11-02"}
    with pytest.raises(ConsentError, match=consent):
        jobdev_sheet(profile_from_dict(d))


def test_contact_consent_states() -> None:
    not_asked = ("c-1 has not been asked about employer contact yet (disclosure.consent = "
                 "not_asked): the contact is stored and noted in the access log; ask the "
                 "citizen and record the answer in the profile")
    assert check_contact_consent("c-1", {}) == not_asked  # a stub: not asked
    assert check_contact_consent("c-1", {"id": "c-1"}) == not_asked
    assert check_contact_consent("c-1", {"disclosure": {"consent": "yes"}}) is None
    with pytest.raises(ConsentError, match="said no"):
        check_contact_consent("c-1", {"disclosure": {"consent": "no"}})


def test_store_refuses_a_contact_for_a_citizen_who_said_no(store) -> None:  # type: ignore
    store.save_citizen("c-no", {"id": "c-no", "home_postcode": "9000", "version": 3,
                                "disclosure": {"consent": "no", "date": "2026-11-01"}})
    store.save_citizen("c-new", {"id": "c-new", "home_postcode": "9000"})
    store.save_citizen("c-yes", {"id": "c-yes", "home_postcode": "9000",
                                 "disclosure": {"consent": "yes", "date": "2026-11-01"}})
    day = date(2026, 11, 10)
    with pytest.raises(ConsentError, match="said no"):
        store.add_contact(Contact(day, "kh", employer_name="Lager A/S", citizen_id="c-no"),
                          today=TODAY)
    assert store.list_contacts(citizen="c-no") == []
    warnings: list[str] = []
    store.add_contact(Contact(day, "kh", employer_name="Lager A/S", citizen_id="c-new"),
                      today=TODAY, warnings=warnings)
    assert [w.split(" has not been asked ")[0] for w in warnings] == ["c-new"]
    assert [(r["consultant"], r["citizen_id"]) for r in store.list_access(
        citizen_id="c-new", action="contact_consent_not_asked")] == [("kh", "c-new")]
    warnings.clear()
    store.add_contact(Contact(day, "kh", employer_name="Lager A/S", citizen_id="c-yes"),
                      today=TODAY, warnings=warnings)
    assert warnings == []
    # an import with one refused contact stores nothing, and names the record
    with pytest.raises(FeedError, match="said no"):
        store.import_contacts([Contact(day, "kh", employer_name="B", citizen_id="c-yes"),
                               Contact(day, "kh", employer_name="B", citizen_id="c-no")],
                              today=TODAY, file="log.csv", lines=[2, 3])
    assert len(store.list_contacts(citizen="c-yes")) == 1


def test_the_package_exports_the_library_functions() -> None:
    import ipsmatch.ips as ips

    for name in ips.__all__:
        assert getattr(ips, name) is not None
    with pytest.raises(AttributeError):
        ips.nope  # noqa: B018


def test_ips_free_text_refuses_health_words_and_cpr() -> None:
    from ipsmatch.errors import PrivacyError
    from ipsmatch.ips.freetext import check_free_text

    assert check_free_text("supports", "  fast kontaktperson ") == "fast kontaktperson"
    for text in ("har skizofreni", "was hospitalised", "cpr 010190-1234"):
        with pytest.raises(PrivacyError) as ei:
            check_free_text("supports", text)
        assert "1234" not in str(ei.value)
