"""The texts of coded errors, in Danish and English, and how an error is shown in a language.

An error raised with a ``code`` (``ProfileError(code="value.range", field="hours.max",
params={"lo": 1, "hi": 60, "value": 70})``) takes its English ``message`` and ``hint`` from
:data:`MESSAGES`, so the CLI, the library and the API read exactly what they always did; the
workspace shows the Danish text with :func:`error_text` / :func:`error_line`::

    >>> from ipsmatch.errors import ProfileError
    >>> exc = ProfileError(code="value.range", field="hours.min",
    ...                    params={"lo": 0, "hi": 60, "value": 70.5})
    >>> exc.message
    'must be between 0 and 60, not 70.5'
    >>> error_line(exc, "da")
    'Timer om ugen, fra: skal være mellem 0 og 60, ikke 70,5'

The templates are :meth:`str.format` strings over the error's ``params``. In Danish a number
is written with a decimal comma and thousands points (``{size:,}`` -> ``1.000.000``), a text
value (``{value!r}``) in double quotes, and ``{kind!k}`` (a :func:`kind_of` code) as Danish
words. An error without a code, or whose code has no Danish text, is shown in English: the
page never breaks for want of a translation.

This module imports nothing from ipsmatch, so :mod:`ipsmatch.errors` can use it.
"""

from __future__ import annotations

import string
from typing import Any, NamedTuple


def plural(n: int, one: str, many: str) -> str:
    """'1 dag', '3 dage', '1 file', '2 files' (the number and the noun in the right form)."""
    return f"{n} {one if n == 1 else many}"


class Text(NamedTuple):
    """One coded error: the message and the hint that says how to fix it, per language.

    ``da_many`` is the Danish message when ``params["count"]`` is more than one (Danish
    inflects where English writes "key(s)")."""

    da: str
    en: str
    hint_da: str | None = None
    hint_en: str | None = None
    da_many: str | None = None


_ONE_OF_DA = "brug en af: {choices}"
_ONE_OF_EN = "use one of: {choices}"
_DATE_DA = "skriv ÅÅÅÅ-MM-DD"

#: code -> its texts. Codes are ``area.what``; one code is one situation, hint included.
MESSAGES: dict[str, Text] = {
    # reading a profile file
    "profile.unreadable": Text("profilen kan ikke læses: {reason}",
                               "cannot read profile: {reason}"),
    "profile.too_big": Text(
        "filen er større end de {max:,} byte, en profil højst må fylde",
        "file is more than the {max:,} bytes a profile may be",
        "en profil fylder nogle hundrede byte; se docs/profile.md",
        "a profile is a few hundred bytes; see docs/profile.md"),
    "profile.syntax": Text("ikke gyldig {kind}: {detail}", "not valid {kind}: {detail}",
                           "se et eksempel i docs/profile.md",
                           "see docs/profile.md for an example"),
    "profile.huge_number": Text("ikke gyldig {kind}: {detail}", "not valid {kind}: {detail}",
                                "tallene i en profil er små (minutter, timer)",
                                "numbers in a profile are small (minutes, hours)"),
    "profile.too_deep": Text("indlejret mere end {depth} niveauer dybt",
                             "nested more than {depth} levels deep",
                             "se formatet i docs/profile.md",
                             "see docs/profile.md for the format"),
    "profile.not_object": Text("en profil skal være et objekt/en tabel",
                               "a profile must be an object/table"),
    "keys.unknown": Text("ukendt nøgle: {keys}", "unknown key(s): {keys}",
                         "kendte nøgler: {known}", "known keys: {known}",
                         da_many="ukendte nøgler: {keys}"),
    "version.invalid": Text("skal være et positivt heltal, ikke {value!r}",
                            "must be a positive whole number, not {value!r}",
                            "denne ipsmatch skriver version {current}",
                            "this ipsmatch writes version {current}"),
    "version.newer": Text(
        "version {version} er skrevet af en nyere ipsmatch (denne læser op til version "
        "{current})",
        "version {version} was written by a newer ipsmatch (this one reads up to {current})",
        "opgradér ipsmatch", "upgrade ipsmatch"),
    # what a profile refuses to hold
    "refused.diagnosis": Text(
        "ipsmatch gemmer ikke diagnoser; beskriv i stedet hensynet som et skånehensyn "
        "(se `needs`)",
        "ipsmatch does not store diagnoses; describe the accommodation as a need instead "
        "(see `needs`)"),
    "refused.cpr": Text(
        "ipsmatch gemmer aldrig CPR-numre; brug en pseudonym sagsreference som `id`",
        "ipsmatch never stores CPR numbers; use a pseudonymous case reference as `id`"),
    "refused.name": Text(
        "ipsmatch gemmer ingen navne; brug en pseudonym sagsreference som `id`",
        "ipsmatch stores no names; use a pseudonymous case reference as `id`"),
    "refused.health": Text(
        "ipsmatch gemmer ikke diagnoser eller helbredsoplysninger; beskriv i stedet den "
        "hjælp, der virker på arbejdet (`supports`)",
        "ipsmatch does not store diagnoses or health details; describe the help that works "
        "at work (`supports`) instead"),
    # values of any field
    "value.not_bool": Text("skal være true eller false, ikke {value!r}",
                           "must be true or false, not {value!r}"),
    "value.bool": Text("skal være true eller false", "must be true or false"),
    "value.not_number": Text("skal være et tal, ikke {value!r}",
                             "must be a number, not {value!r}"),
    "value.range": Text("skal være mellem {lo:g} og {hi:g}, ikke {value:g}",
                        "must be between {lo:g} and {hi:g}, not {value:g}"),
    "value.not_str": Text("skal være tekst", "must be a string"),
    "value.not_text": Text("skal være tekst", "must be text"),
    "value.not_str_list": Text("skal være en liste af tekster", "must be a list of strings"),
    "value.not_text_list": Text("skal være en liste af tekster", "must be a list of texts"),
    "value.not_object": Text("skal være et objekt/en tabel", "must be an object/table"),
    "code.unknown": Text("ukendt kode {value!r}", "unknown code {value!r}",
                         _ONE_OF_DA, _ONE_OF_EN),
    "date.with_time": Text("skal være en dato, ikke en dato med klokkeslæt",
                           "must be a date, not a date and time",
                           "skriv ÅÅÅÅ-MM-DD, fx start_date = 2026-10-05",
                           "write YYYY-MM-DD, e.g. start_date = 2026-10-05"),
    "date.invalid": Text("{value!r} er ikke en dato", "{value!r} is not a date",
                         _DATE_DA, "use YYYY-MM-DD"),
    "year.invalid": Text("skal være et årstal som 2019, ikke {value!r}",
                         "must be a year such as 2019, not {value!r}"),
    # the profile's own fields
    "id.invalid": Text(
        "skal være en sagsreference af bogstaver, cifre, '.', '_' eller '-' (højst 64 tegn, "
        "og det første skal være et bogstav eller et ciffer)",
        "must be a case reference of letters, digits, '.', '_' or '-' (at most 64 "
        "characters, starting with a letter or digit)",
        "fx c-0042", "e.g. c-0042"),
    "postcode.unknown": Text("{value!r} er ikke et kendt dansk postnummer",
                             "{value!r} is not a known Danish postcode",
                             "skriv det firecifrede postnummer, fx 9400",
                             "give the four-digit postcode, e.g. 9400"),
    "travel.shape": Text("skal være {{mode, max_minutes}}", "must be {{mode, max_minutes}}"),
    "travel.mode_type": Text("skal være tekst, ikke {kind!k}", "must be text, not {kind!k}",
                             _ONE_OF_DA, "use one of {choices}"),
    "travel.mode_unknown": Text("ukendt transportform {value!r}",
                                "unknown travel mode {value!r}",
                                _ONE_OF_DA, "use one of {choices}"),
    "hours.shape": Text("skal være {{min, max, must}}", "must be {{min, max, must}}"),
    "hours.min_above_max": Text("minimum ({min:g}) er større end maksimum ({max:g})",
                                "min ({min:g}) is above max ({max:g})"),
    "hours.must_without_max": Text("et krav til timetallet (`must`) kræver et maksimum "
                                   "(`max`)", "`must` needs a `max`"),
    "consultant.too_long": Text("{length:,} tegn; højst {max}",
                                "{length:,} characters; at most {max}",
                                "konsulentens initialer eller brugernavn",
                                "the consultant's initials or login"),
    "wishes.too_many": Text("{count:,} punkter; højst {max}", "{count:,} items; at most {max}",
                            "behold de få, der betyder mest for borgeren",
                            "keep the few that matter most to the citizen"),
    "wishes.too_long": Text("et punkt på {length:,} tegn; højst {max}",
                            "an item of {length:,} characters; at most {max}",
                            'et ønske er få ord, fx "lagerarbejde"',
                            "a wish is a few words, e.g. 'lagerarbejde'"),
    "home.shape": Text("skal være {{lat, lon}}", "must be {{lat, lon}}",
                       'fx "home": {{"lat": 57.0553, "lon": 9.9193}}',
                       'e.g. "home": {{"lat": 57.0553, "lon": 9.9193}}'),
    # needs (skånehensyn)
    "needs.not_list": Text(
        "skal være en liste af koder for skånehensyn, ikke {kind!k}",
        "must be a list of need codes, not {kind!k}",
        'fx ["no_night", {{"code": "flexible_start", "must": false}}]',
        'e.g. ["no_night", {{"code": "flexible_start", "must": false}}]'),
    "needs.item_keys": Text("ukendt nøgle {keys}", "unknown key(s) {keys}",
                            'skriv {{"code": "no_night", "must": false}}',
                            'write {{"code": "no_night", "must": false}}',
                            da_many="ukendte nøgler {keys}"),
    "needs.no_code": Text("skal have en `code`, der er tekst", "needs a string `code`"),
    "needs.bad_item": Text("skal være en kode for et skånehensyn eller {{code, must}}",
                           "must be a need code or {{code, must}}"),
    "needs.unknown": Text("ukendt skånehensyn {code!r}", "unknown need {code!r}",
                          _ONE_OF_DA, _ONE_OF_EN),
    "needs.twice": Text("skånehensynet {code!r} står to gange",
                        "need {code!r} is listed twice"),
    # the career profile (karriereprofil)
    "work.no_title": Text("mangler en jobtitel", "needs a title"),
    "work.ends_before_start": Text("slutter ({end}) før det begynder ({start})",
                                   "ends ({end}) before it starts ({start})"),
    "education.no_name": Text("mangler et navn", "needs a name"),
    "education.unknown_level": Text("ukendt niveau {value!r}", "unknown level {value!r}",
                                    _ONE_OF_DA, _ONE_OF_EN),
    "career.hours_range": Text("skal være timer om ugen mellem 0 og 60, ikke {value!r}",
                               "must be hours per week between 0 and 60, not {value!r}"),
    "career.hours_shape": Text("skal være {{now, goal}}", "must be {{now, goal}}",
                               'fx "hours": {{"now": 8, "goal": 15}}',
                               'e.g. "hours": {{"now": 8, "goal": 15}}'),
    # disclosure (åbenhed)
    "disclosure.unknown_consent": Text("ukendt svar om samtykke {value!r}",
                                       "unknown consent {value!r}", _ONE_OF_DA, _ONE_OF_EN),
    "disclosure.unknown_share": Text("ukendt niveau for deling {value!r}",
                                     "unknown share level {value!r}", _ONE_OF_DA,
                                     _ONE_OF_EN),
    "disclosure.no_date": Text("borgerens svar om samtykke skal have den dato, det blev givet",
                               "a consent answer needs the date it was given",
                               "skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-11-02",
                               'e.g. "date": "2026-11-02"'),
    "disclosure.acc_not_list": Text("skal være en liste af koder for skånehensyn",
                                    "must be a list of need codes"),
    "disclosure.acc_not_own": Text("{value!r} er ikke et af borgerens skånehensyn",
                                   "{value!r} is not one of the citizen's needs",
                                   "vælg blandt: {choices}", "choose among: {choices}"),
    "disclosure.acc_no_needs": Text("{value!r} er ikke et af borgerens skånehensyn",
                                    "{value!r} is not one of the citizen's needs",
                                    "borgeren har ingen skånehensyn i profilen",
                                    "choose among: (none)"),
    "disclosure.acc_without_share": Text(
        'hensyn deles kun, når share er "accommodations"',
        'accommodations are only shared with share = "accommodations"'),
    # the store
    "citizen.no_profile": Text("borgeren {id} har endnu ingen profil (tilføjet fra en "
                               "kontaktlog)",
                               "citizen {id} has no profile yet (added from a contact log)",
                               "tilføj den med `ipsmatch citizen add FILE`",
                               "add it with `ipsmatch citizen add FILE`"),
    # what is not in the store (NotFoundError: a wrong id in a URL, a request or a command)
    "citizen.unknown": Text("borgeren {id} findes ikke", "no citizen {id}",
                            "tjek sags-id'et", "see `ipsmatch citizen list`"),
    "citizen.unknown_id": Text("der er ingen borger med sags-id'et {id!r}",
                               "unknown citizen ID {id!r}",
                               "tjek sags-id'et, eller opret borgeren først",
                               "add it with `ipsmatch citizen add`"),
    "citizen.no_profile_yet": Text("borgeren {id} har endnu ingen profil",
                                   "citizen {id} has no profile yet",
                                   "udfyld først profilen på borgerens side",
                                   "fill in the profile on the citizen page first"),
    "citizen.unknown_replace": Text("borgeren {id} findes ikke", "no citizen {id}",
                                    "opret borgeren med POST /api/v1/citizens",
                                    "create it with POST /api/v1/citizens"),
    "vacancy.unknown": Text("stillingsopslaget {key} findes ikke", "no vacancy {key}",
                            "tjek opslagets kilde og nummer, fx jobnet:123",
                            "see `ipsmatch vacancies list --all`"),
    "employer.unknown": Text("arbejdsgiveren {key} findes ikke", "no employer {key}",
                             "tjek arbejdsgiverens nummer, CVR-nummer eller navn",
                             "see `ipsmatch employers list`"),
    "job.unknown": Text("der er ingen jobstart med nummer {id}", "no job start {id}",
                        "tjek jobbets nummer", "see `ipsmatch outcomes list`"),
    "job.not_citizens": Text("borgeren {citizen} har ingen jobstart med nummer {id}",
                             "no job start {id} for {citizen}"),
    "job.other_citizen": Text("job {id} hører ikke til borgeren {citizen}",
                              "job {id} is not {citizen}'s",
                              "vælg et af borgerens egne job",
                              "see `ipsmatch outcomes list --citizen ID`"),
    "education.unknown_offer": Text("uddannelsestilbuddet {id!r} findes ikke",
                                    "no education offer {id!r}", "tjek tilbuddets id",
                                    "see `ipsmatch education list`"),
    "occupation.unknown": Text(
        "der er ingen ESCO-stillingsbetegnelse eller ISCO-gruppe med URI'en {uri!r}",
        "no ESCO occupation or ISCO group with URI {uri!r}",
        "find en med: ipsmatch occupations match TEKST",
        "find one with: ipsmatch occupations match TEXT"),
    "education.unknown_start": Text("der er ingen uddannelsesstart med nummer {id}",
                                    "no education start {id}"),
    # periods: the fidelity figures, the citizen's report, the funder export's months
    "period.ends_before_start": Text("perioden slutter ({to}) før den begynder ({from})",
                                     "the period ends ({to}) before it starts ({from})",
                                     "byt om på --from og --to", "swap --from and --to"),
    "period.ends_before_start_form": Text(
        "perioden slutter ({to}) før den begynder ({from})",
        "the period ends ({to}) before it starts ({from})",
        "byt om på Fra og Til", "swap From and To"),
    "period.year_range": Text("{value} ligger uden for årene 1900-2199",
                              "{value} is outside the years 1900-2199",
                              "skriv periodens datoer som ÅÅÅÅ-MM-DD",
                              "give the period's dates as YYYY-MM-DD"),
    "period.too_long": Text("perioden {from} til {to} er længere end {years} år",
                            "the period {from} to {to} is longer than {years} years",
                            "fideliteten gennemgås et kvartal eller et år ad gangen",
                            "fidelity is reviewed a quarter or a year at a time"),
    "period.not_month": Text("{value!r} er ikke en måned", "{value!r} is not a month",
                             "skriv ÅÅÅÅ-MM, fx 2026-09", "write YYYY-MM, e.g. 2026-09"),
    "period.months_reversed": Text(
        "den sidste måned ({last}) ligger før den første ({first})",
        "the last month ({last}) is before the first ({first})",
        "byt om på --from og --to", "swap --from and --to"),
    "period.months_reversed_form": Text(
        "den sidste måned ({last}) ligger før den første ({first})",
        "the last month ({last}) is before the first ({first})",
        "byt om på Første måned og Sidste måned", "swap the first and the last month"),
    "report.kind_unknown": Text("ukendt slags rapport {kind!r}", "unknown report kind {kind!r}",
                                "brug interval eller end", "use interval or end"),
    # personal data in free text (ipsmatch.ips.freetext, ipsmatch.privacy)
    "text.health": Text(
        "teksten ligner helbredsoplysninger ({words}); ipsmatch gemmer ingen diagnoser eller "
        "oplysninger om behandling",
        "{field} looks like health details ({words}); ipsmatch keeps no diagnoses or "
        "treatment details",
        'beskriv i stedet, hvad der hjælper på arbejdet (fx "fast kontaktperson"), ikke '
        "sygdommen",
        "describe what helps at work instead (e.g. 'fast kontaktperson'), not the illness"),
    "text.too_long": Text("{length:,} tegn; højst {max:,}",
                          "{field}: {length} characters; at most {max}",
                          "hold teksten til det, arbejdet kræver; sagsdetaljer hører ikke "
                          "hjemme i ipsmatch",
                          "keep it to what the work needs; case details do not belong in "
                          "ipsmatch"),
    "privacy.cpr": Text(
        "{where}: {field} ligner et CPR-nummer (ddmmåå-xxxx); ipsmatch gemmer aldrig "
        "CPR-numre og matcher aldrig på dem",
        "{where}: {field} looks like a CPR number (ddmmyy-xxxx); ipsmatch never stores or "
        "matches on CPR numbers",
        "fjern det; omtal borgeren med en pseudonym sagsreference som c-0042",
        "remove it; refer to the citizen by a pseudonymous case reference such as c-0042"),
    # the workspace's users and API tokens (ipsmatch.web.users, .tokens, .auth)
    "user.name_invalid": Text(
        "{name!r} er ikke et gyldigt brugernavn", "{name!r} is not a valid user name",
        "2-64 små bogstaver, cifre, '.', '_' eller '-', fx kons-anna",
        "2-64 lower-case letters, digits, '.', '_' or '-', e.g. kons-anna"),
    "user.password_short": Text("adgangskoden er for kort (mindst {min} tegn)",
                                "the password is too short (at least {min} characters)"),
    "user.lang_unknown": Text("ukendt sprog {lang!r}", "unknown language {lang!r}",
                              "brug da eller en", "use da or en"),
    "settings.lang_unknown": Text("ukendt sprog {lang!r}", "unknown language {lang!r}"),
    "user.exists": Text(
        "brugeren {name} findes allerede", "user {name} exists already",
        "vælg et andet navn, eller deaktivér den gamle bruger",
        "pick another name, or `ipsmatch users disable` the old one"),
    "user.disable_self": Text("du kan ikke deaktivere dig selv",
                              "you cannot disable yourself"),
    "user.unknown": Text("brugeren {name} findes ikke", "no user {name}",
                         "tjek brugernavnet", "see `ipsmatch users list`"),
    "role.unknown": Text("ukendt rolle {role!r}", "unknown role {role!r}",
                         _ONE_OF_DA, _ONE_OF_EN),
    "token.name_invalid": Text(
        "{name!r} er ikke et gyldigt navn på en nøgle", "{name!r} is not a token name",
        "brug 2-64 små bogstaver, cifre, '.', '_' eller '-', fx sagssystem",
        "use 2-64 lower-case letters, digits, '.', '_' or '-', e.g. sagssystem"),
    "token.user_name": Text(
        "{name!r} er en brugers navn", "{name!r} is a user's name",
        "giv nøglen sit eget navn: adgangsloggen skal kunne skelne dem",
        "give the token its own name: the access log must tell them apart"),
    "token.exists": Text(
        "der findes allerede en nøgle med navnet {name!r}",
        "a token named {name!r} exists already",
        "vælg et andet navn, fx {name}-2, når du skifter nøglen (navnet er stadig optaget, "
        "når nøglen er tilbagekaldt, af hensyn til adgangsloggen)",
        "choose another name, e.g. {name}-2 when rotating (names stay taken after a revoke, "
        "for the access log)"),
    "token.unknown": Text("der er ingen nøgle med navnet {name!r}", "no token named {name!r}",
                          "tjek navnet", "see `ipsmatch tokens list`"),
    # the API's own errors (ipsmatch.web.api.core.ApiError): who is asking, conflicts
    "api.token_missing": Text(
        "der skal en API-nøgle med", "an API token is needed",
        "send `Authorization: Bearer NØGLE`; en administrator opretter en med `ipsmatch "
        "tokens create --name NAVN --role consultant`",
        "send `Authorization: Bearer TOKEN`; an admin creates one with `ipsmatch tokens "
        "create --name NAME --role consultant`"),
    "api.token_unknown": Text(
        "API-nøglen er ukendt eller tilbagekaldt", "the API token is unknown or revoked",
        "bed en administrator om en ny (`ipsmatch tokens list` viser nøglerne)",
        "ask an admin for a new one (`ipsmatch tokens list` shows them)"),
    "api.login_needed": Text("log ind, eller send en API-nøgle",
                             "login or an API token needed",
                             "send `Authorization: Bearer NØGLE`",
                             "send `Authorization: Bearer TOKEN`"),
    "api.rate_limited": Text(
        "mere end {max} forespørgsler i dette minut med nøglen {name!r}",
        "more than {max} requests this minute with token {name!r}",
        "vent {retry} sekunder, og prøv igen", "wait {retry} s and try again"),
    "api.forbidden": Text("det kræver rollen {role!r}", "this needs the {role} role",
                          "brug en nøgle med den rolle (`ipsmatch tokens create --role ...`)",
                          "use a token with that role (`ipsmatch tokens create --role ...`)"),
    "api.citizen_exists": Text("borgeren {id} findes allerede", "citizen {id} exists already",
                               "ret borgeren med PUT /api/v1/citizens/{id}",
                               "change it with PUT /api/v1/citizens/{id}"),
    "api.id_mismatch": Text(
        "indholdet har id'et {body!r}, adressen {url!r}",
        "the body has id {body!r}, the URL {url!r}",
        "id'et kan ikke ændres: gem profilen under det nye id, og glem det gamle",
        "the id cannot change: store the profile under the new id and forget the old one"),
    "api.no_route": Text(
        "der er intet endepunkt {method} {path}", "there is no endpoint {method} {path}",
        "se endepunkterne i /api/v1/openapi.json (og docs/web.md)",
        "see the endpoints in /api/v1/openapi.json (and docs/web.md)"),
    "web.no_page": Text("siden {path} findes ikke", "there is no page {path}",
                        "brug menuen øverst", "use the menu at the top"),
    "api.vacancy_format": Text(
        "{value!r} er ikke KILDE:ID", "not SOURCE:ID: {value!r}",
        "fx jobnet:7000015 (kilden og id'et for et foreslået opslag)",
        "e.g. jobnet:7000015 (source and external_id of a suggested vacancy)"),
    # the jobudviklingsark without consent (ipsmatch.ips.disclosure)
    "sheet.consent_no": Text(
        "intet jobudviklingsark: borgeren {id} har sagt nej til, at arbejdsgivere kontaktes om "
        "borgeren",
        "no jobudviklingsark: {id} has said no to employers being contacted "
        "(disclosure.consent = no)",
        "spørg borgeren igen, hvis det er tid til det, og registrér svaret og datoen under "
        "Åbenhed",
        "ask the citizen, record the answer and the date in the profile's disclosure"),
    "sheet.not_asked": Text(
        "intet jobudviklingsark endnu: borgeren {id} er ikke spurgt, om arbejdsgivere må "
        "kontaktes",
        "no jobudviklingsark: {id} has not been asked about employer contact yet "
        "(disclosure.consent = not_asked)",
        "spørg borgeren, og registrér svaret og datoen under Åbenhed",
        "ask the citizen, record the answer and the date in the profile's disclosure"),
    # the workspace's forms (ipsmatch.web.views) and search (ipsmatch.matcher)
    "form.not_number": Text("{value!r} er ikke et tal", "{field}: {value!r} is not a number"),
    "form.hours_missing": Text("hvor mange timer om ugen nu?", "how many hours a week now?"),
    "search.empty": Text("søgeteksten er tom", "the search text is empty"),
    "search.too_long": Text("søgeteksten er {length:,} tegn; højst {max}",
                            "the search text is {length:,} characters; at most {max}",
                            "søg med få ord", "search with a few words"),
    "search.postcode_unknown": Text("{value!r} er ikke et kendt dansk postnummer",
                                    "{value!r} is not a known Danish postcode",
                                    "skriv et firecifret postnummer, fx 9400",
                                    "give a four-digit postcode, e.g. 9400"),
    "search.km_without_near": Text("en afstand i km kræver et postnummer at regne fra",
                                   "--within-km needs --near POSTCODE"),
    "search.need_unknown": Text("ukendt skånehensyn {code!r}", "unknown need {code!r}",
                                _ONE_OF_DA, _ONE_OF_EN),
    # job-development records: contacts, job starts (ipsmatch.jobdev)
    "record.date_invalid": Text("{value!r} er ikke en dato", "{value!r} is not a date",
                                "skriv datoen som ÅÅÅÅ-MM-DD, fx 2026-11-12",
                                "write dates as YYYY-MM-DD, e.g. 2026-11-12"),
    "record.cpr": Text(
        "indeholder noget, der ligner et CPR-nummer; det gemmes ikke",
        "contains what looks like a CPR number; the record is refused",
        "ipsmatch må ikke gemme CPR-numre; omtal borgeren med sags-id'et",
        "CPR numbers are personal identifiers that must not be stored in ipsmatch; refer to "
        "the citizen by the pseudonymous case id instead"),
    "record.health": Text(
        "ligner helbredsoplysninger ({words}); ipsmatch gemmer ingen diagnoser eller "
        "oplysninger om behandling",
        "looks like health details ({words}); ipsmatch keeps no diagnoses or treatment "
        "details",
        "beskriv i stedet, hvad arbejdspladsen skal tilbyde (et skånehensyn som roligt "
        "arbejdsmiljø)",
        "describe what the workplace should offer instead (a need such as "
        "quiet_workplace); if the text is deliberate, add --force"),
    "record.future": Text(
        "{value} ligger i fremtiden (i dag er det {today})",
        "{value} is in the future (today is {today})",
        "registrér det, der er sket; skriv planer som næste skridt og dato",
        "record things that have happened; put plans in next_step/next_date"),
    "record.no_employer": Text(
        "der er ikke angivet nogen arbejdsgiver", "no employer given",
        "skriv CVR-nummeret (8 cifre) eller arbejdsgiverens navn (mere end en selskabsform "
        "som A/S)",
        "give employer_cvr (8 digits) or employer_name (more than a legal form such as A/S)"),
    "record.cvr_digits": Text(
        "et CVR-nummer har præcis 8 cifre", "a CVR number has exactly 8 digits",
        "fx 12345678, uden mellemrum eller 'DK'; lad feltet stå tomt, og skriv "
        "arbejdsgiverens navn, hvis du ikke kender nummeret",
        "e.g. 12345678, without spaces or 'DK'; leave it empty and give employer_name if you "
        "do not know it"),
    "record.too_long": Text("{length:,} tegn; højst {max:,}",
                            "{length:,} characters, more than the {max:,} allowed",
                            "gør teksten kortere; længere tekst hører hjemme i noten",
                            "shorten it; longer text belongs in the note"),
    "record.citizen_id": Text(
        "skal være en sagsreference af bogstaver, cifre, '.', '_' eller '-' (højst 64 tegn, "
        "og det første skal være et bogstav eller et ciffer)",
        "must be a case reference of letters, digits, '.', '_' or '-' (at most 64 "
        "characters, starting with a letter or digit)",
        "fx c-0042, som i profilerne", "e.g. c-0042, as in the profiles"),
    "record.required": Text("skal udfyldes", "is required"),
    "job.end_before_start": Text("ligger før jobbets første dag", "is before start_date"),
    "job.hours_week": Text("{hours:g} timer er ikke en arbejdsuge",
                           "{hours:g} hours is not a working week",
                           "skriv timer om ugen, fx 15 eller 37",
                           "give hours per week, e.g. 15 or 37"),
    "hours.not_week": Text("{hours:g} timer er ikke en arbejdsuge",
                           "{hours:g} hours is not a working week"),
    "hours.before_job": Text("ligger før jobbets første dag", "is before the job started"),
    "hours.after_job": Text("ligger efter jobbets sidste dag", "is after the job ended"),
    "hours.future": Text("{value} ligger i fremtiden", "{value} is in the future",
                         "registrér en ændring, når den er sket",
                         "record a change once it has happened"),
    "plan.support_empty": Text("skal udfyldes", "is empty"),
    "followalong.future": Text("{value} ligger i fremtiden", "{value} is in the future"),
    "contact.next_before": Text("ligger før kontaktens dato", "is before the contact date",
                                "det næste skridt kommer efter kontakten",
                                "the next step comes after the contact"),
    "contact.consent_no": Text(
        "borgeren {id} har sagt nej til, at arbejdsgivere kontaktes om borgeren; kontakten "
        "gemmes ikke",
        "{id} has said no to employers being contacted about them (disclosure.consent = no); "
        "the contact is not stored",
        "registrér kontakten uden borger, hvis den kun handlede om arbejdsgiveren, eller skriv "
        "borgerens nye svar i profilen",
        "log it without --citizen if it was about the employer only, or record a new answer "
        "in the profile"),
}

#: a code whose hint speaks of the CLI's options -> the code of the same error as the
#: workspace's forms show it, with a hint that names the form's fields (:func:`as_in_form`)
FORM_CODES: dict[str, str] = {
    "period.ends_before_start": "period.ends_before_start_form",
    "period.months_reversed": "period.months_reversed_form",
}

#: the kind of a value (:func:`kind_of`) in words, for ``{kind!k}``: code -> (Danish, English)
KINDS: dict[str, tuple[str, str]] = {
    "object": ("et objekt", "an object"), "list": ("en liste", "a list"),
    "bool": ("true/false", "true/false"), "number": ("et tal", "a number"),
    "text": ("tekst", "text"),
}

#: profile fields (and the other forms' fields) as the workspace names them, for a Danish
#: error line. A field not here (``career.work_history[1].from``) is named by the nearest
#: parent that is, else as is.
FIELD_LABELS_DA: dict[str, str] = {
    "id": "Sags-id", "version": "Version", "home_postcode": "Hjemmets postnummer",
    "home": "Hjemmets position", "travel": "Transport", "travel.mode": "Transport",
    "travel.max_minutes": "Højst minutter hver vej", "hours": "Timer om ugen",
    "hours.min": "Timer om ugen, fra", "hours.max": "Timer om ugen, til",
    "hours.must": "Timetallet er et krav", "wishes": "Ønsker", "avoid": "Undgå",
    "needs": "Skånehensyn", "languages": "Sprog", "certificates": "Kørekort og beviser",
    "fleksjob_approved": "Godkendt til fleksjob",
    "accept_subsidised": "Åben for løntilskud og praktik", "consultant": "Konsulent",
    "start_date": "Startdato", "career": "Karriereprofil",
    "career.work_history": "Tidligere job", "career.education": "Uddannelse",
    "career.hours": "Timer om ugen nu og målet", "career.hours.now": "Timer om ugen nu",
    "career.hours.goal": "Mål, timer om ugen",
    "career.wants": "Det vil borgeren gerne have i sit arbejde", "career.strengths": "Styrker",
    "career.interests": "Interesser", "career.supports": "Det hjælper på arbejdet",
    "career.special_education": "Specialundervisning", "disclosure": "Åbenhed",
    "disclosure.consent": "Må vi kontakte arbejdsgivere om borgeren?",
    "disclosure.date": "Dato for borgerens svar",
    "disclosure.share": "Hvad må arbejdsgiveren få at vide?",
    "disclosure.accommodations": "Hensyn borgeren vil fortælle om",
    "disclosure.note": "Note om aftalen",
    # the fields of the workspace's other forms: contacts, job starts, support, search
    "date": "Dato", "next_date": "Næste skridt (dato)", "employer_cvr": "CVR-nummer",
    "employer_name": "Arbejdsgiver", "citizen_id": "Borger (sags-id)", "kind": "Type",
    "purpose": "Formål", "learned": "Det lærte vi", "outcome": "Resultat",
    "next_step": "Næste skridt", "note": "Note", "title": "Jobtitel",
    "hours_per_week": "Timer om ugen", "end_date": "Sidste dag", "from_date": "Fra dato",
    "contact_date": "Dato", "goal_hours": "Mål, timer om ugen",
    "end_reason": "Hvorfor sluttede det?", "within_km": "Inden for km",
    "max_hours": "Højst timer om ugen", "from": "Fra", "to": "Til",
}


def kind_of(value: Any) -> str:
    """What kind of value ``value`` is, as a :data:`KINDS` code (else its type's name)."""
    return {dict: "object", list: "list", bool: "bool", int: "number", float: "number",
            str: "text"}.get(type(value), type(value).__name__)


class _Formatter(string.Formatter):
    """:meth:`str.format` with ``!k`` (a kind's words) and, in Danish, Danish numbers."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "k":
            words = KINDS.get(value)
            return words[1 if self.lang == "en" else 0] if words else str(value)
        if conversion == "r" and self.lang != "en":
            return _da_repr(value)
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        out = super().format_field(value, format_spec)
        if self.lang != "en" and isinstance(value, int | float) and not isinstance(value, bool):
            out = _da_number(out)
        return out


_DA_DIGITS = str.maketrans(",.", ".,")


def _da_number(text: str) -> str:
    """``1,234.5`` -> ``1.234,5``: Danish decimal comma and thousands point."""
    return text.translate(_DA_DIGITS)


def _da_repr(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _da_number(repr(value))
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def format_text(template: str, params: dict[str, Any], lang: str) -> str:
    """``template`` filled in from ``params`` the way ``lang`` writes values."""
    return _Formatter(lang).vformat(template, (), params)


def english(code: str, params: dict[str, Any]) -> tuple[str, str | None]:
    """The English message and hint of ``code`` (what an error raised with it carries)."""
    text = MESSAGES[code]
    hint = format_text(text.hint_en, params, "en") if text.hint_en is not None else None
    return format_text(text.en, params, "en"), hint


def _danish(exc: Any) -> tuple[str, str | None] | None:
    """The Danish message and hint of a coded error; None when there is no Danish text."""
    code = getattr(exc, "code", None)
    text = MESSAGES.get(code) if code else None
    if text is None or not text.da:
        return None
    params = getattr(exc, "params", None) or {}
    template = text.da_many if text.da_many and params.get("count", 1) != 1 else text.da
    try:
        message = format_text(template, params, "da")
        if text.hint_da is not None:
            hint: str | None = format_text(text.hint_da, params, "da")
        else:
            hint = None if text.hint_en is None else exc.hint
    except (KeyError, IndexError, ValueError, TypeError):
        return None  # a template that does not fit its params: English rather than a crash
    return message, hint


def as_in_form(exc: Any) -> Any:
    """The error as a form in the workspace shows it: a copy with the :data:`FORM_CODES`
    code (and its English message and hint) when its code has one, so the hint names the
    form's fields, not the CLI's options; else the error itself.

        >>> from ipsmatch.errors import UsageError
        >>> exc = UsageError(code="period.months_reversed",
        ...                  params={"first": "2026-11", "last": "2026-09"})
        >>> exc.hint, as_in_form(exc).hint
        ('swap --from and --to', 'swap the first and the last month')
        >>> message_and_hint(as_in_form(exc), "da")[1]
        'byt om på Første måned og Sidste måned'
    """
    import copy

    form_code = FORM_CODES.get(getattr(exc, "code", None) or "")
    if form_code is None:
        return exc
    out = copy.copy(exc)
    out.code = form_code
    out.message, out.hint = english(form_code, out.params)
    out.args = (out.message,)
    return out


def message_and_hint(exc: Any, lang: str) -> tuple[str, str | None]:
    """The error's message and hint in ``lang`` ("da" or "en"), apart (as the API sends
    them); the English ones when there is no Danish text."""
    da = _danish(exc) if lang != "en" else None
    if da:
        return da
    return getattr(exc, "message", str(exc)), getattr(exc, "hint", None)


def message_text(exc: Any, lang: str) -> str:
    """The error's message (no hint, no field) in ``lang`` ("da" or "en")."""
    return message_and_hint(exc, lang)[0]


def error_text(exc: Any, lang: str) -> str:
    """The message and hint in ``lang``, without the field: for an error shown at its field.

        >>> from ipsmatch.errors import ProfileError
        >>> error_text(ProfileError(code="date.invalid", field="start_date",
        ...                         params={"value": "i morgen"}), "da")
        '"i morgen" er ikke en dato (skriv ÅÅÅÅ-MM-DD)'
    """
    message, hint = message_and_hint(exc, lang)
    return f"{message} ({hint})" if hint else message


def error_line(exc: Any, lang: str) -> str:
    """The whole error in ``lang``: ``str(exc)`` in English (exactly what the CLI prints); in
    Danish the field is named as the forms name it (:data:`FIELD_LABELS_DA`)."""
    if lang == "en" or _danish(exc) is None:
        return str(exc)
    text = error_text(exc, lang)
    field = getattr(exc, "field", None)
    if field:
        text = f"{field_label(field, lang)}: {text}"
    file = getattr(exc, "file", None)
    return f"{file}: {text}" if file else text


def field_label(field: str, lang: str) -> str:
    """A profile field's name in ``lang``: the form's Danish label, or the key itself."""
    if lang == "en":
        return field
    key = field
    while key:
        if key in FIELD_LABELS_DA:
            return FIELD_LABELS_DA[key]
        cut = max(key.rfind("."), key.rfind("["))
        key = key[:cut] if cut > 0 else ""
    return field
