"""ipsmatch.messages: coded errors in Danish and English. Every ProfileError raised in the
profile and career validation has a code with a Danish text; the English text is what the CLI
always printed; Danish numbers have decimal commas; an error without a Danish text falls back
to English."""

from __future__ import annotations

import ast
import datetime
import doctest
import string
from pathlib import Path
from typing import Any

import pytest

from ipsmatch import messages
from ipsmatch.errors import IpsmatchError, PrivacyError, ProfileError
from ipsmatch.messages import MESSAGES, error_line, error_text, format_text, message_text

PKG = Path(messages.__file__).parent
BASE = {"id": "c-1", "home_postcode": "9400"}


def _p(**kw: Any) -> dict[str, Any]:
    return {**BASE, **kw}


#: one bad profile per situation (label, profile); each must raise a coded ProfileError
BAD_PROFILES: list[tuple[str, Any]] = [
    ("not an object", []),
    ("version 0", _p(version=0)),
    ("version from the future", _p(version=99)),
    ("diagnosis", _p(diagnosis="x")),
    ("cpr key", _p(cpr="x")),
    ("name key", _p(name="x")),
    ("one unknown key", _p(colour="x")),
    ("two unknown keys", _p(colour="x", size=2)),
    ("bad id", _p(id="-x")),
    ("unknown postcode", _p(home_postcode="0000")),
    ("travel keys", _p(travel={"mode": "bike", "speed": 2})),
    ("travel mode not text", _p(travel={"mode": 3})),
    ("unknown travel mode", _p(travel={"mode": "horse"})),
    ("minutes not a number", _p(travel={"max_minutes": "lots"})),
    ("minutes out of range", _p(travel={"max_minutes": 500})),
    ("hours out of range", _p(hours={"min": 70.5})),
    ("hours keys", _p(hours={"low": 2})),
    ("min above max", _p(hours={"min": 20.5, "max": 10})),
    ("must without max", _p(hours={"must": True})),
    ("must not a bool", _p(hours={"max": 10, "must": "yes"})),
    ("start date", _p(start_date="i morgen")),
    ("start date and time", _p(start_date=datetime.datetime(2026, 1, 1, 8, 0))),
    ("consultant not text", _p(consultant=5)),
    ("consultant too long", _p(consultant="x" * 5000)),
    ("languages not strings", _p(languages=[1])),
    ("unknown language", _p(languages=["xx"])),
    ("home keys", _p(home={"lat": 1})),
    ("needs not a list", _p(needs={"no_night": False})),
    ("need keys", _p(needs=[{"code": "no_night", "x": 1, "y": 2}])),
    ("need without code", _p(needs=[{"must": False}])),
    ("need not a code", _p(needs=[5])),
    ("unknown need", _p(needs=["flying"])),
    ("need twice", _p(needs=["no_night", "no_night"])),
    ("too many wishes", _p(wishes=[f"w{i}" for i in range(5000)])),
    ("too long a wish", _p(wishes=["x" * 100_000])),
    ("career not an object", _p(career=[])),
    ("career diagnosis", _p(career={"diagnosis": "x"})),
    ("career keys", _p(career={"foo": 1})),
    ("job without title", _p(career={"work_history": [{"from": 2019}]})),
    ("title not text", _p(career={"work_history": [{"title": 5}]})),
    ("bad year", _p(career={"work_history": [{"title": "a", "from": 1800}]})),
    ("ends before start", _p(career={"work_history": [{"title": "a", "from": 2020,
                                                       "to": 2019}]})),
    ("health words", _p(career={"work_history": [{"title": "a",
                                                  "went_well": "har skizofreni"}]})),
    ("long text", _p(career={"wants": "ord " * 1000})),
    ("education without name", _p(career={"education": [{"level": "folkeskole"}]})),
    ("unknown level", _p(career={"education": [{"name": "x", "level": "phd"}]})),
    ("completed not a bool", _p(career={"education": [{"name": "x", "completed": "ja"}]})),
    ("career hours keys", _p(career={"hours": {"later": 2}})),
    ("career hours range", _p(career={"hours": {"now": 70.5}})),
    ("strengths not a list", _p(career={"strengths": {"a": 1}})),
    ("unknown consent", _p(disclosure={"consent": "maybe"})),
    ("unknown share", _p(disclosure={"share": "all"})),
    ("consent date", _p(disclosure={"consent": "yes", "date": "igår"})),
    ("consent without date", _p(disclosure={"consent": "yes"})),
    ("accommodations not a list", _p(disclosure={"accommodations": "no_night"})),
    ("not an own need", _p(needs=["no_night"], disclosure={
        "share": "accommodations", "accommodations": ["flexible_start"]})),
    ("no needs at all", _p(disclosure={"share": "accommodations",
                                       "accommodations": ["flexible_start"]})),
    ("accommodations without share", _p(needs=["no_night"], disclosure={
        "share": "ips", "accommodations": ["no_night"]})),
]


def _raise(profile: Any) -> ProfileError:
    from ipsmatch.profile import profile_from_dict

    with pytest.raises(ProfileError) as e:
        profile_from_dict(profile)
    return e.value


def _file_errors() -> list[ProfileError]:
    """The errors of reading a profile file (not a dict)."""
    from ipsmatch.profile import load_profile, parse_profile_bytes

    out = []
    for read in (lambda: load_profile("/nonexistent/c-1.json"),
                 lambda: parse_profile_bytes(b"{" + b" " * 1_000_001 + b"}", name="x.json"),
                 lambda: parse_profile_bytes(b"{nope", name="x.json"),
                 lambda: parse_profile_bytes(b'{"a": ' + b"9" * 5000 + b"}", name="x.json"),
                 lambda: parse_profile_bytes(b"[" * 30 + b"]" * 30, name="x.json"),
                 lambda: parse_profile_bytes(b"[1]", name="x.json")):
        with pytest.raises(ProfileError) as e:
            read()
        out.append(e.value)
    return out


# --- every raise site has a code with a Danish text ------------------------------------------

def _raise_sites(path: Path, name: str) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and (getattr(n.func, "id", None) == name or getattr(n.func, "attr", None) == name)]


def _constant_codes(expr: ast.expr) -> list[str] | None:
    """The codes a ``code=`` expression can take, when written as constants."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return [expr.value]
    if isinstance(expr, ast.IfExp):
        body, orelse = _constant_codes(expr.body), _constant_codes(expr.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


#: the code= expressions that are not constants, and where their codes are checked
_DYNAMIC_CODES = {
    ("profile.py", "code"),  # REFUSED_KEYS' codes: test_refused_keys_have_codes
    ("ips/career.py", "exc.code"),  # the free-text gate's: the health-words case below
}

RAISE_SITES = [("profile.py", "ProfileError"), ("ips/career.py", "ProfileError"),
               ("needs.py", "ProfileError"), ("store/people.py", "ProfileError"),
               ("ips/freetext.py", "PrivacyError")]


def _site_codes() -> dict[str, set[str]]:
    """file -> the constant codes its raise sites use; fails on a site without a code."""
    found: dict[str, set[str]] = {}
    for rel, name in RAISE_SITES:
        calls = _raise_sites(PKG / rel, name)
        assert calls, f"no {name}(...) found in {rel}: is the parse right?"
        codes = found.setdefault(rel, set())
        for call in calls:
            where = f"{rel}:{call.lineno}"
            kw = {k.arg: k.value for k in call.keywords}
            assert "code" in kw, f"{where}: {name} without a code="
            consts = _constant_codes(kw["code"])
            if consts is None:
                assert (rel, ast.unparse(kw["code"])) in _DYNAMIC_CODES, where
                continue
            for code in consts:
                assert code in MESSAGES, f"{where}: {code!r} is not in MESSAGES"
                assert MESSAGES[code].da.strip(), f"{where}: {code!r} has no Danish text"
            codes.update(consts)
    return found


def test_every_profile_error_raised_has_a_code_with_a_danish_text() -> None:
    found = _site_codes()
    assert len(_raise_sites(PKG / "profile.py", "ProfileError")) >= 38
    assert len(_raise_sites(PKG / "ips/career.py", "ProfileError")) >= 22
    assert {"value.range", "postcode.unknown"} <= found["profile.py"]


def test_refused_keys_have_codes() -> None:
    from ipsmatch.profile import REFUSED_KEYS

    for key, code in REFUSED_KEYS.items():
        assert MESSAGES[code].da, key
        assert _raise(_p(**{key: "x"})).code == code


def test_every_code_of_profile_and_career_is_reached_by_a_bad_profile() -> None:
    """The cases above drive each code the validation uses (a new code needs a case)."""
    found = _site_codes()
    used = found["profile.py"] | found["ips/career.py"]
    reached = {_raise(p).code for _, p in BAD_PROFILES} | {e.code for e in _file_errors()}
    assert used - reached == set()


@pytest.mark.parametrize(("label", "profile"), BAD_PROFILES, ids=[c[0] for c in BAD_PROFILES])
def test_each_bad_profile_reads_in_danish_and_in_the_clis_english(label: str,
                                                                  profile: Any) -> None:
    exc = _raise(profile)
    assert exc.code in MESSAGES, label
    english = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
    assert error_text(exc, "en") == english
    assert error_line(exc, "en") == str(exc)  # what the CLI prints
    danish = error_text(exc, "da")
    assert danish != english, f"{label}: no Danish text ({danish})"
    assert (exc.hint is None) == (MESSAGES[exc.code].hint_da is None)


def test_file_errors_read_in_danish() -> None:
    texts = [error_line(e, "da") for e in _file_errors()]
    assert texts[0].startswith("/nonexistent/c-1.json: profilen kan ikke læses: ")
    assert texts[1] == ("x.json: filen er større end de 1.000.000 byte, en profil højst må "
                        "fylde (en profil fylder nogle hundrede byte; se docs/profile.md)")
    assert texts[4] == ("x.json: indlejret mere end 20 niveauer dybt "
                        "(se formatet i docs/profile.md)")


# --- the texts ----------------------------------------------------------------------------

def _fields(template: str | None) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template or "") if f}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_the_danish_text_uses_only_what_the_english_one_is_given(code: str) -> None:
    t = MESSAGES[code]
    assert t.da.strip() and t.en.strip()
    assert _fields(t.da) | _fields(t.hint_da) | _fields(t.da_many) \
        <= _fields(t.en) | _fields(t.hint_en)
    assert (t.hint_en is None) == (t.hint_da is None), "a hint in one language only"


def test_danish_numbers_have_decimal_commas_and_thousands_points() -> None:
    params = {"n": 1_234_567, "x": 7.5, "v": 70.5, "s": "abc", "b": True, "k": "object"}
    assert format_text("{n:,} {x:g} {v!r} {s!r} {b!r} {k!k}", params, "da") == \
        '1.234.567 7,5 70,5 "abc" true et objekt'
    assert format_text("{n:,} {x:g} {v!r} {s!r} {b!r} {k!k}", params, "en") == \
        "1,234,567 7.5 70.5 'abc' True an object"
    assert format_text("{year}", {"year": 2019}, "da") == "2019"


def test_range_error_in_danish_and_english() -> None:
    exc = _raise(_p(hours={"min": 70.5}))
    assert str(exc) == "hours.min: must be between 0 and 60, not 70.5"
    assert error_line(exc, "da") == "Timer om ugen, fra: skal være mellem 0 og 60, ikke 70,5"
    assert message_text(exc, "da") == "skal være mellem 0 og 60, ikke 70,5"
    assert message_text(exc, "en") == "must be between 0 and 60, not 70.5"


def test_danish_grammar_of_some_errors() -> None:
    assert error_line(_raise(_p(home_postcode="0000")), "da") == (
        'Hjemmets postnummer: "0000" er ikke et kendt dansk postnummer '
        "(skriv det firecifrede postnummer, fx 9400)")
    assert error_text(_raise(_p(hours={"min": 20.5, "max": 10})), "da") == \
        "minimum (20,5) er større end maksimum (10)"
    one, two = _raise(_p(colour="x")), _raise(_p(colour="x", size=2))
    assert error_text(one, "da").startswith("ukendt nøgle: colour (kendte nøgler: ")
    assert error_text(two, "da").startswith("ukendte nøgler: colour, size (kendte nøgler: ")
    assert error_text(_raise(_p(needs={"no_night": False})), "da").startswith(
        "skal være en liste af koder for skånehensyn, ikke et objekt (fx [")
    assert error_text(_raise(_p(wishes=[f"w{i}" for i in range(5000)])), "da") == \
        "5.000 punkter; højst 30 (behold de få, der betyder mest for borgeren)"
    # a row of the career form: the field is the form's own, the text is Danish
    exc = _raise(_p(career={"work_history": [{"title": "a", "from": 2020, "to": 2019}]}))
    assert error_text(exc, "da") == "slutter (2019) før det begynder (2020)"
    assert error_line(exc, "da") == "Tidligere job: slutter (2019) før det begynder (2020)"


def test_the_free_text_gates_code_travels_with_the_career_error() -> None:
    exc = _raise(_p(career={"strengths": ["stabil", "har skizofreni"]}))
    assert exc.code == "text.health" and exc.field == "career.strengths[1]"
    assert exc.params["words"] == "skizofreni"
    assert error_text(exc, "da").startswith("teksten ligner helbredsoplysninger (skizofreni)")
    assert "looks like health details" in error_text(exc, "en")


def test_privacy_and_store_errors_have_danish_texts() -> None:
    from ipsmatch.ips.freetext import check_free_text
    from ipsmatch.privacy import assert_no_cpr

    with pytest.raises(PrivacyError) as e:
        check_free_text("comment", "x" * 2500)
    assert e.value.params["field"] == "comment"
    assert error_text(e.value, "da").startswith("2.500 tegn; højst 2.000 (")
    assert str(e.value).startswith("comment: 2500 characters; at most 2000 (")
    with pytest.raises(PrivacyError) as e:
        assert_no_cpr({"wishes": ["010190-1234"]}, "profile")
    assert error_text(e.value, "da").startswith("profile: wishes[0] ligner et CPR-nummer")
    exc = ProfileError(code="citizen.no_profile", params={"id": "c-9"})
    assert exc.message == "citizen c-9 has no profile yet (added from a contact log)"
    assert error_text(exc, "da") == ("borgeren c-9 har endnu ingen profil (tilføjet fra en "
                                     "kontaktlog) (tilføj den med `ipsmatch citizen add FILE`)")


# --- falling back to English -------------------------------------------------------------

def test_an_error_without_a_danish_text_is_shown_in_english() -> None:
    plain = ProfileError("something new", field="hours", hint="do this")
    assert error_line(plain, "da") == str(plain) == "hours: something new (do this)"
    assert error_text(plain, "da") == "something new (do this)"
    unknown = ProfileError("a new rule", code="no.such.code")
    assert message_text(unknown, "da") == "a new rule"
    misfit = ProfileError("must be between 1 and 2", code="value.range", params={"lo": 1})
    assert error_text(misfit, "da") == "must be between 1 and 2"  # missing params: no crash
    other = IpsmatchError("not a profile error")
    assert error_line(other, "da") == "not a profile error"
    assert error_line(ValueError("plain"), "da") == "plain"


def test_a_code_or_a_message_is_needed() -> None:
    with pytest.raises(TypeError):
        ProfileError(field="hours")
    with pytest.raises(KeyError):
        ProfileError(code="no.such.code")


def test_field_labels_fall_back_to_the_key() -> None:
    assert messages.field_label("needs[2].must", "da") == "Skånehensyn"
    assert messages.field_label("career.work_history[1].from", "da") == "Tidligere job"
    assert messages.field_label("something.else", "da") == "something.else"
    assert messages.field_label("hours.min", "en") == "hours.min"


def test_the_modules_examples() -> None:
    result = doctest.testmod(messages)
    assert result.attempted >= 2 and result.failed == 0


# --- the workspace's forms ------------------------------------------------------------------

_ERROR_NAMES = {"IpsmatchError", "UsageError", "ConfigError", "InputError", "FeedError",
                "FeedReadError", "ProfileError", "PrivacyError", "ConsentError",
                "RecordPrivacyError", "FormValueError", "NotFoundError"}
#: what the workspace's forms call, besides ipsmatch/web itself: the records a form writes
#: and the search
_FORM_PATHS = ["jobdev/model.py", "ips/followalong.py", "constraints/criteria.py",
               "jobdev/fidelity.py", "ips/reports.py", "ips/funder.py"]


def _web_files() -> list[Path]:
    return sorted((PKG / "web").rglob("*.py"))


def _error_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call)
            and (getattr(n.func, "id", None) or getattr(n.func, "attr", None)) in _ERROR_NAMES]


def test_every_code_used_under_web_has_a_danish_text() -> None:
    codes: set[str] = set()
    files = _web_files() + [PKG / rel for rel in _FORM_PATHS]
    for path in files:
        for call in _error_calls(path):
            for k in call.keywords:
                if k.arg == "code":
                    consts = _constant_codes(k.value)
                    if consts is None:  # passed on from a coded error (exc.code)
                        continue
                    for code in consts:
                        where = f"{path.relative_to(PKG)}:{call.lineno}"
                        assert code in MESSAGES, f"{where}: {code!r} is not in MESSAGES"
                        assert MESSAGES[code].da.strip(), f"{where}: {code!r}: no Danish"
                        codes.add(code)
    assert {"user.disable_self", "form.hours_missing", "form.not_number", "user.name_invalid",
            "role.unknown", "token.exists", "record.cpr", "contact.next_before",
            "search.postcode_unknown"} <= codes


def _english_only_sites() -> set[tuple[str, str]]:
    """(file, the call's start) of each error raised without a code under ipsmatch/web's
    pages and in the records the forms write. Not counted: ConfigError (settings read at
    start-up), the API (JSON for programs, in English) and re-raises of a coded error's
    message. (NotFoundError: every one has a code, test_every_not_found_error_has_a_code.)"""
    found = set()
    for path in _web_files() + [PKG / rel for rel in _FORM_PATHS]:
        rel = path.relative_to(PKG).as_posix()
        if rel.startswith("web/api/"):
            continue
        for call in _error_calls(path):
            name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
            if name == "ConfigError":
                continue
            if any(k.arg == "code" for k in call.keywords):
                continue
            first = call.args[0] if call.args else None
            if isinstance(first, ast.Attribute) and first.attr == "message":
                continue
            found.add((rel, ast.unparse(call)[:40]))
    return found


#: raised without a code, but a form cannot reach them with what it sends (its selects'
#: fixed choices; feedback buttons): in English still. A new site must have a code.
_UNREACHED_BY_FORMS = {
    ('jobdev/model.py', "FeedError('no vacancy or employer given'"),
    ('jobdev/model.py', "FeedError('not_interested_employer needs"),
    ('jobdev/model.py', "FeedError(f'unknown item {item!r}', fiel"),
    ('jobdev/model.py', "FeedError(f'unknown kind {self.kind!r}',"),
    ('jobdev/model.py', "FeedError(f'unknown purpose {self.purpos"),
    ('jobdev/model.py', "FeedError(f'unknown verdict {self.verdic"),
    ('jobdev/model.py', "FeedError(f'unknown wage form {self.wage"),
    ('jobdev/model.py', "FeedError(f'wage form {self.wage_form} c"),
    ('ips/followalong.py', "FeedError(f'unknown kind {self.kind!r}',"),
    ('ips/followalong.py', "FeedError(f'unknown {it.who!r}', field=f"),
    ('ips/followalong.py', "FeedError(f'unknown {self.with_whom!r}',"),
}


def test_no_error_a_form_can_reach_is_raised_in_english_only() -> None:
    assert _english_only_sites() - _UNREACHED_BY_FORMS == set()


def test_every_not_found_error_has_a_code() -> None:
    """A wrong id (in a URL, an API request or a command) reads in the user's language on
    the error page and in the API: every NotFoundError in the package has a code whose
    Danish text has a hint wherever the English one has."""
    seen: set[str] = set()
    for path in sorted(PKG.rglob("*.py")):
        for call in _error_calls(path):
            if (getattr(call.func, "id", None) or getattr(call.func, "attr", None)
                    ) != "NotFoundError":
                continue
            where = f"{path.relative_to(PKG)}:{call.lineno}"
            kw = {k.arg: k.value for k in call.keywords}
            assert "code" in kw and not call.args, f"{where}: a NotFoundError without a code"
            assert "hint" not in kw, f"{where}: the hint is the code's (in both languages)"
            for code in _constant_codes(kw["code"]) or []:
                text = MESSAGES[code]
                assert text.da.strip(), f"{where}: {code!r} has no Danish text"
                assert (text.hint_da is None) == (text.hint_en is None), code
                seen.add(code)
    assert {"citizen.unknown", "citizen.unknown_id", "citizen.no_profile_yet",
            "vacancy.unknown", "employer.unknown", "job.unknown", "job.not_citizens",
            "user.unknown", "token.unknown", "education.unknown_offer"} <= seen


def test_every_api_error_has_a_coded_text() -> None:
    """The API's own errors (auth, conflicts) name a MESSAGES code (or pass on a coded
    library error), so their message follows the request's language."""
    calls = 0
    for path in sorted((PKG / "web").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call)
                    and getattr(call.func, "id", None) == "ApiError"):
                continue
            where = f"{path.relative_to(PKG)}:{call.lineno}"
            assert len(call.args) >= 3, where
            text = call.args[2]
            assert not any(k.arg in ("message", "hint") for k in call.keywords), where
            if isinstance(text, ast.Constant):
                assert text.value in MESSAGES and MESSAGES[text.value].da, where
            else:  # a library error passed on: the name of the caught, coded error
                assert isinstance(text, ast.Name), where
            calls += 1
    assert calls >= 9


@pytest.mark.parametrize(("code", "params", "english", "danish"), [
    ("citizen.unknown", {"id": "c-9"}, "no citizen c-9 (see `ipsmatch citizen list`)",
     "borgeren c-9 findes ikke (tjek sags-id'et)"),
    ("citizen.unknown_id", {"id": "X-9"},
     "unknown citizen ID 'X-9' (add it with `ipsmatch citizen add`)",
     'der er ingen borger med sags-id\'et "X-9" (tjek sags-id\'et, eller opret borgeren '
     "først)"),
    ("vacancy.unknown", {"key": "jobnet:8"},
     "no vacancy jobnet:8 (see `ipsmatch vacancies list --all`)",
     "stillingsopslaget jobnet:8 findes ikke (tjek opslagets kilde og nummer, fx jobnet:123)"),
    ("employer.unknown", {"key": "87654321"},
     "no employer 87654321 (see `ipsmatch employers list`)",
     "arbejdsgiveren 87654321 findes ikke (tjek arbejdsgiverens nummer, CVR-nummer eller "
     "navn)"),
    ("job.unknown", {"id": 999}, "no job start 999 (see `ipsmatch outcomes list`)",
     "der er ingen jobstart med nummer 999 (tjek jobbets nummer)"),
    ("user.unknown", {"name": "nobody"}, "no user nobody (see `ipsmatch users list`)",
     "brugeren nobody findes ikke (tjek brugernavnet)"),
    ("token.unknown", {"name": "sys"}, "no token named 'sys' (see `ipsmatch tokens list`)",
     'der er ingen nøgle med navnet "sys" (tjek navnet)'),
])
def test_not_found_in_danish_and_the_clis_english(code: str, params: dict[str, Any],
                                                  english: str, danish: str) -> None:
    from ipsmatch.errors import NotFoundError

    exc = NotFoundError(code=code, params=params)
    assert str(exc) == english
    assert error_line(exc, "da") == danish and error_line(exc, "en") == english
    assert messages.message_and_hint(exc, "en") == (exc.message, exc.hint)


def test_form_codes_differ_only_in_the_hint() -> None:
    """A FORM_CODES code is the same error as its CLI code, with a hint that names the
    form's fields instead of the CLI's options (--from, --to)."""
    from ipsmatch.errors import UsageError

    assert messages.FORM_CODES
    for cli_code, form_code in messages.FORM_CODES.items():
        cli, form = MESSAGES[cli_code], MESSAGES[form_code]
        assert (cli.da, cli.en, cli.da_many) == (form.da, form.en, form.da_many), cli_code
        assert form.hint_da and form.hint_en and "--" not in form.hint_da + form.hint_en
        assert "--" in (cli.hint_en or ""), f"{cli_code}: no CLI option in its hint"
    plain = UsageError(code="search.empty")
    assert messages.as_in_form(plain) is plain
    exc = UsageError(code="period.ends_before_start",
                     params={"from": "2026-12-01", "to": "2026-11-01"})
    shown = messages.as_in_form(exc)
    assert type(shown) is UsageError and shown.exit_code == exc.exit_code
    assert str(shown) == ("the period ends (2026-11-01) before it starts (2026-12-01) "
                          "(swap From and To)")
    assert str(exc).endswith("(swap --from and --to)")  # the error itself is unchanged
    assert error_line(shown, "da") == ("perioden slutter (2026-11-01) før den begynder "
                                       "(2026-12-01) (byt om på Fra og Til)")


def test_period_errors_are_coded_and_a_bad_month_is_named_once() -> None:
    from ipsmatch.errors import UsageError
    from ipsmatch.ips.funder import months
    from ipsmatch.jobdev.fidelity import compute_fidelity

    for first, last, bad in [("2026-13", "2026-13", "2026-13"), ("2026-13", "2026-11", "2026-13"),
                             ("2026-09", "nov", "nov"), ("2026-9-1", "2026-9-1", "2026-9-1")]:
        with pytest.raises(UsageError) as e:
            months(first, last)
        assert str(e.value) == f"'{bad}' is not a month (write YYYY-MM, e.g. 2026-09)"
        assert error_line(e.value, "da") == f'"{bad}" er ikke en måned (skriv ÅÅÅÅ-MM, fx 2026-09)'
        assert error_line(e.value, "da").count(bad) == 1
    with pytest.raises(UsageError) as e:
        months("2026-11", "2026-09")
    assert str(e.value) == ("the last month (2026-09) is before the first (2026-11) (swap "
                            "--from and --to)")
    assert error_line(messages.as_in_form(e.value), "da") == (
        "den sidste måned (2026-09) ligger før den første (2026-11) (byt om på Første måned "
        "og Sidste måned)")
    day = datetime.date
    for since, until, danish in [
            (day(2026, 12, 1), day(2026, 11, 1), "perioden slutter (2026-11-01) før den "
             "begynder (2026-12-01) (byt om på --from og --to)"),
            (day(1800, 1, 1), day(1800, 2, 1), "1800-01-01 ligger uden for årene 1900-2199 "
             "(skriv periodens datoer som ÅÅÅÅ-MM-DD)"),
            (day(1990, 1, 1), day(2026, 1, 1), "perioden 1990-01-01 til 2026-01-01 er længere "
             "end 20 år (fideliteten gennemgås et kvartal eller et år ad gangen)")]:
        with pytest.raises(UsageError) as e:
            compute_fidelity([], [], [], period_from=since, period_to=until)
        assert e.value.code and error_line(e.value, "da") == danish


def test_record_refusals_read_in_danish_and_the_clis_english() -> None:
    from ipsmatch.errors import ConsentError, FeedError
    from ipsmatch.ips.disclosure import check_contact_consent
    from ipsmatch.jobdev.model import Contact, check_free_text

    day = datetime.date(2026, 11, 16)
    with pytest.raises(PrivacyError) as e:
        Contact(date=day, consultant="a", employer_name="X",
                note="ring 010190-1234").validate(today=day)
    assert str(e.value) == ("note: contains what looks like a CPR number; the record is "
                            "refused (CPR numbers are personal identifiers that must not be "
                            "stored in ipsmatch; refer to the citizen by the pseudonymous case "
                            "id instead)")
    assert "010190" not in error_line(e.value, "da")
    assert error_line(e.value, "da") == (
        "Note: indeholder noget, der ligner et CPR-nummer; det gemmes ikke (ipsmatch må ikke "
        "gemme CPR-numre; omtal borgeren med sags-id'et)")
    with pytest.raises(PrivacyError) as e:
        check_free_text(Contact(date=day, consultant="a", employer_name="X",
                                outcome="har fået en depression"))
    assert str(e.value).startswith("outcome: looks like health details (depression); ")
    assert error_line(e.value, "da").startswith(
        "Resultat: ligner helbredsoplysninger (depression); ipsmatch gemmer ingen diagnoser")
    with pytest.raises(ConsentError) as e:
        check_contact_consent("c-1", {"disclosure": {"consent": "no"}})
    assert e.value.message == ("c-1 has said no to employers being contacted about them "
                               "(disclosure.consent = no); the contact is not stored")
    assert error_text(e.value, "da").startswith("borgeren c-1 har sagt nej til, at "
                                                "arbejdsgivere kontaktes om borgeren; ")
    with pytest.raises(FeedError) as e:
        Contact(date=day, consultant="a", employer_cvr="123").validate(today=day)
    assert error_line(e.value, "da").startswith("CVR-nummer: et CVR-nummer har præcis 8 cifre (")
    assert str(e.value).startswith("employer_cvr: a CVR number has exactly 8 digits (e.g. ")
