"""Titles that say nothing about the job: "Ny kollega søges", "Vi søger dig!", "Job i Aalborg",
"Come work with us".

Such a title carries no job to compare a wish with. The title encoder still puts it close to
every short wish (its words are the common words of all titles: "Vi søger dig!" sits at
cosine 0.87 to "grise", more than "Landbrugsmedhjælper" at 0.81), so the semantic signal
would credit it for any wish. :func:`says_no_job` tells such titles apart: every word is a
generic word of job-ad titles (:data:`GENERIC`, written from general knowledge of Danish and
English ad titles: recruiting verbs, "kollega", "medarbejder", hours and contract words,
adjectives of the ideal applicant) or a place name (the postcode table's town names and the
Danish regions). What the ad is about then comes from its text (its topics) and its
occupation, not from the title's look.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ipsmatch.text.normalize import fold_to_ascii

_WORD = re.compile(r"[a-z]+")


def _folded(words: str) -> frozenset[str]:
    """A whitespace-separated word list, folded."""
    return frozenset(fold_to_ascii(w) for w in words.split())


#: Generic words of job-ad titles (folded). Role words that name a job ("assistent",
#: "chauffør", "hjælper") are *not* here: "medarbejder" alone says nothing, "lagermedarbejder"
#: is another word.
GENERIC = _folded("""
vi søger søges søg dig du jer os er har brug for vil være med til i på ved hos og eller af
en et den det de din dit dine vores nu snart straks hurtigst muligt gerne kan ny nye nyt
kollega kolleger kollegaer kollegaen medarbejder medarbejdere medarbejderen ansat ansatte
team teamet holdet hold afdeling afdelingen virksomhed firma job jobbet jobs stilling
stillingen stillinger ledig ledige opslag vikariat vikar vikarer fast faste deltid deltids
fuldtid fuldtids timer time timelønnet løntilskud fleksjob fleksjobber fleksjobbere
praktik praktikant sommer sommerjob sæson sæsonjob weekend pr januar februar marts april
maj juni juli august september oktober november december dygtig dygtige erfaren erfarne
engageret engagerede motiveret motiverede frisk friske oplagt oplagte stabil stabile glad
glade sød søde ansvarsfuld ansvarsfulde praktisk praktiske omsorgsfuld omsorgsfulde
hjælpende hånd hænder rolig roligt stille spændende udfordrende god gode godt super travl
travle selvstændig selvstændige mødestabil arbejdsplads arbejdspladsen mening meningsfuldt
forskel gør gøre lyst drømmejob chance mulighed muligheder fremtid fremtiden karriere
blive bliv del af be part we are is looking seeking hiring wanted new colleague colleagues
employee employees staff team join us you your our come work working with a an the to for
in at of and or position positions vacancy job jobs opening opportunity part full time
temporary permanent summer would like will want fra til med måned måneder uge uger år
deltidsstilling fuldtidsstilling morgenfrisk anlagt der noget som alle ung unge
""")
#: Regions and parts of the country that titles name ("Fleksjob i Vestjylland").
REGIONS = _folded("""
danmark denmark jylland jutland sjælland zealand fyn funen bornholm lolland falster
nordjylland midtjylland østjylland vestjylland sønderjylland sydjylland nordsjælland
vestsjælland midtsjælland sydsjælland storkøbenhavn hovedstaden hovedstadsområdet
københavn copenhagen århus aarhus midtby centrum området omegn syddanmark
""")


@lru_cache(maxsize=1)
def _towns() -> frozenset[str]:
    from ipsmatch.geo import town_names

    return frozenset(w for name in town_names() for w in _WORD.findall(fold_to_ascii(name))
                     if len(w) >= 3)


def says_no_job(title: str) -> bool:
    """True when every word of ``title`` is a generic title word, a number or a place."""
    ws = _WORD.findall(fold_to_ascii(title))
    if not ws:
        return True
    towns = _towns()
    return all(w in GENERIC or w in REGIONS or w in towns for w in ws)
