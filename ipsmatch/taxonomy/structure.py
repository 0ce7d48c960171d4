"""How Danish job titles are built, as matching signals: compound heads, extra qualifiers,
coordinated titles.

Three general facts about Danish titles (no per-title rules):

- **Compounds are head-final.** "gaffel|truckfører" is a kind of "truckfører", and
  "lager|arbejder på en lædervarefabrik" a kind of "lagerarbejder". A label whose head (its
  last compound member before any prepositional qualifier) equals or ends with the query's
  head names the same kind of job: :func:`head_match`.
- **Qualifiers narrow.** A label that adds words the query did not ask for ("... på en
  lædervarefabrik", "lektor i fysik") is more specific than the query; when the query has no
  such qualifier the more generic concept is the better answer: :func:`extra_words`.
- **Coordinated and comma titles.** Jobnet names like "Programmør og systemudvikler" join two
  titles; "Adjunkt, naturvidenskab og teknik" is a title plus a field. Each part is matched on
  its own as well: :func:`segments`.

Two more, for the names Jobnet and the STAR statistics use:

- **"<role>, <field>"** ("Operatør, fødevarer", "Forsker, humaniora") names a role and narrows
  it by field: the matcher lifts the role's ESCO family (the concepts the role names and their
  descendants in ESCO's code hierarchy) in the order of their fit to the field
  (:func:`role_and_field`, :func:`role_variants`).
- **Academic ranks** (adjunkt, lektor, professor, forsker, postdoc, ph.d., assistant/associate
  professor, ...) are one family of university teaching/research posts, which ESCO files as
  "lektor" and "lektor i <field>" (:func:`is_academic_post`); and a slash title or an
  apprentice title ("-elev", "-lærling") has other readings (:func:`title_variants`).

The head/qualifier functions work on the analysed form (:func:`ipsmatch.taxonomy.lexical.analyze`).
"""

from __future__ import annotations

from functools import lru_cache

#: Function words of Danish (and English) labels; they neither carry a head nor count as an
#: extra qualifier.
STOP: frozenset[str] = frozenset({
    "en", "et", "af", "i", "paa", "for", "inden", "indenfor", "til", "med", "ved", "hos", "den",
    "det", "de", "og", "eller", "samt", "under", "fra", "om", "mod", "over", "efter", "the",
    "of", "in", "and", "at", "a", "an", "to", "on", "with", "within",
})

#: Words that open a qualifier after the head noun ("tekniker inden for ...").
_PREPS: frozenset[str] = frozenset({
    "af", "i", "paa", "for", "inden", "indenfor", "til", "med", "ved", "hos", "under", "fra",
    "om", "mod", "efter", "of", "in", "at", "on", "within", "with", "to",
})

MIN_HEAD = 4  # shortest query head that may match as the tail of a longer compound


@lru_cache(maxsize=200_000)
def head(analyzed: str) -> str:
    """The head word: the last word before the first preposition (or the last word)."""
    words = analyzed.split()
    core: list[str] = []
    for w in words:
        if w in _PREPS and core:
            break
        if w not in STOP:
            core.append(w)
    return core[-1] if core else ""


def head_match(query_head: str, label_head: str) -> float:
    """1 for the same head, 0.8 when the label is a compound ending in the query's head
    (a hyponym: "gaffeltruckfoer" for "truckfoer"), else 0."""
    if not query_head or not label_head:
        return 0.0
    if query_head == label_head:
        return 1.0
    if len(query_head) >= MIN_HEAD and label_head.endswith(query_head):
        return 0.8
    return 0.0


#: Heads of a manager's title as the analyser leaves them ("lagerchef", "butiksleder" →
#: "butiksled", "direktør" → "direkto"; "leder" alone stays "leder").
MANAGER_HEADS: tuple[str, ...] = ("chef", "leder", "led", "direkto", "formand", "manag")
#: "-leder" compounds that lead no one ("studievejleder" → "studievejled").
_NOT_MANAGERS = frozenset({"vejled", "vejleder"})


def _is_manager_word(w: str) -> bool:
    return not any(w.endswith(x) for x in _NOT_MANAGERS) and \
        any(w.endswith(m) for m in MANAGER_HEADS)


def adds_manager(query_analyzed: str, label_analyzed: str) -> bool:
    """True when the label makes the query's field a manager's title: "lager" →
    "lagerchef", "koekk" → "koekkenchef", "vaerksted" → "leder af serviceværksted". A wish
    for a field ("lager", "butik") asks for the work in it, not for running it; a query that
    names a manager itself ("butiksleder", "chef") is left alone."""
    q_words = content_words(query_analyzed)
    if not q_words or any(_is_manager_word(w) for w in q_words):
        return False
    lh = head(label_analyzed)
    if not _is_manager_word(lh):
        return False
    qh = head(query_analyzed)
    if len(qh) >= 3 and lh.startswith(qh) and lh != qh:
        return True  # "lager" → "lagerchef"
    # a bare manager head qualified by the query's field: "leder af serviceværksted"
    return lh in MANAGER_HEADS and any(_covers(q, w) for q in q_words
                                       for w in content_words(label_analyzed) if w != lh)


def _covers(q: str, w: str) -> bool:
    if q == w:
        return True
    short, long_ = (q, w) if len(q) <= len(w) else (w, q)
    # A compound member ("lager" in "lagerarbejd") or a shared stem of 5+ letters.
    return (len(short) >= MIN_HEAD and (long_.endswith(short) or long_.startswith(short))) \
        or (len(short) >= 5 and long_[:5] == short[:5])


@lru_cache(maxsize=200_000)
def content_words(analyzed: str) -> tuple[str, ...]:
    """The words of ``analyzed`` that carry meaning (function words dropped)."""
    return tuple(w for w in analyzed.split() if w not in STOP)


def extra_words(query_words: tuple[str, ...], label: str) -> int:
    """How many content words of ``label`` the query does not cover."""
    return sum(1 for w in content_words(label) if not any(_covers(q, w) for q in query_words))


def segments(text: str, *, comma: bool = True) -> list[str]:
    """Sub-titles of a composite title, for matching each on its own (empty when simple).

    "Programmør og systemudvikler" → ["Programmør", "systemudvikler"];
    "Adjunkt, fysik" → ["adjunkt i fysik"] when ``comma`` (after a comma comes a field, which
    Danish labels attach with a preposition: "lektor i fysik");
    "Lager- og logistikmedarbejder" → both expanded words.
    Works on the raw text; callers analyse the parts.
    """
    from ipsmatch.text.normalize import normalize

    norm = normalize(title_part(text))
    words = norm.split()
    parts: list[str] = []
    cur: list[str] = []
    for w in words:
        if w in ("og", "eller"):
            if cur:
                parts.append(" ".join(cur))
            cur = []
        else:
            cur.append(w)
    if cur:
        parts.append(" ".join(cur))
    if len(parts) > 1:
        return parts
    title, _, field = text.partition(",")
    if comma and field.strip() and title.strip():
        # Danish labels name the field with a preposition ("lektor i fysik", "tekniker
        # inden for ..."): "Adjunkt, fysik" is matched as "Adjunkt i fysik" too.
        return [normalize(f"{title} i {field}")]
    return []


def title_part(text: str) -> str:
    """The part before the first comma: in "Adjunkt, naturvidenskab og teknik" the title;
    what follows names a field (kept for matching as a whole, but it carries no head)."""
    return text.split(",")[0]


# --- "<role>, <field>" titles and academic posts -------------------------------------------

#: Ranks of university teaching and research staff (folded spelling). Danish vacancy and
#: statistics titles name the rank ("Adjunkt", "Forsker", "Postdoc", "Assistant professor"),
#: ESCO names the occupation: "lektor" (higher education lecturer) and its field-specific
#: children "lektor i historie", "lektor i fysik", ... So every rank stands for that family.
ACADEMIC_RANKS: frozenset[str] = frozenset({
    "adjunkt", "lektor", "professor", "docent", "forsker", "seniorforsker", "postdoc",
    "postdoktor", "phd", "forskningsassistent", "amanuensis", "lecturer", "researcher",
    "undervisningsassistent",
})
#: Words that may qualify a rank without changing the family ("Senior forsker", "Ekstern
#: lektor", "Associate professor", "Ph.d.-studerende", "Tenure track assistant professor").
_ACADEMIC_MODIFIERS: frozenset[str] = frozenset({
    "senior", "junior", "ekstern", "klinisk", "adjungeret", "gaeste", "assistant", "associate",
    "full", "tenure", "track", "studerende", "stipendiat", "research", "videnskabelig",
    "assistent", "mso", "visiting", "post", "doc",
})
#: The ESCO label every academic rank resolves to.
ACADEMIC_FAMILY_LABEL = "lektor"


def _academic_words(text: str) -> list[str]:
    from ipsmatch.text.normalize import normalize

    norm = f" {normalize(text)} "
    for a, b in ((" ph d ", " phd "), (" post doc ", " postdoc "),
                 (" post doktor ", " postdoktor ")):
        norm = norm.replace(a, b)
    return norm.split()


def is_academic_post(text: str) -> bool:
    """True when ``text`` is an academic rank and nothing else ("Senior forsker", "ph.d.",
    "Associate professor"), i.e. a university teaching/research post."""
    words = _academic_words(text)
    return bool(words) and any(w in ACADEMIC_RANKS for w in words) \
        and all(w in ACADEMIC_RANKS or w in _ACADEMIC_MODIFIERS for w in words)


def role_and_field(text: str) -> tuple[str, str] | None:
    """Split a "<role>, <field>" title (Jobnet/STAR style: "Operatør, fødevarer",
    "Forsker, humaniora") into its role and field; None for other titles.

    A trailing comma is ignored; everything after the first comma is the field.
    """
    role, sep, field = text.strip().rstrip(",").partition(",")
    role, field = role.strip(), field.strip().strip(",").strip()
    if not sep or not role or not field:
        return None
    return role, field


def role_variants(role: str) -> list[str]:
    """The texts a role can be looked up as among taxonomy labels: itself, each side of a
    slash ("Forsker/Adjunkt"), and for an academic rank also the ESCO family label
    ("Forsker" → "lektor")."""
    out = [role, *slash_parts(role)]
    if is_academic_post(role):
        out.append(ACADEMIC_FAMILY_LABEL)
    return list(dict.fromkeys(out))


#: Apprentice/trainee suffixes: "Laborantelev", "Murerlærling" are trainees *in* the trade,
#: and ESCO names the trade ("laborant", "murer"), not the training position.
_APPRENTICE_SUFFIXES: tuple[str, ...] = ("elever", "elev", "lærlinge", "lærling", "laerling")


#: "A/B" between two words of at least this many letters is an alternative, not an
#: abbreviation ("A/S", "I/S", "24/7" stay whole).
_MIN_SLASH_PART = 3


def slash_parts(text: str) -> list[str]:
    """The alternatives of a slash title: "Steward / stewardesse" → both words; a bilingual
    Jobnet title "Lagermedarbejdere i Horsens/Warehouse workers in Horsens" → both halves.
    Empty when there is no such slash."""
    if "/" not in text:
        return []
    rf = role_and_field(text)
    if rf is not None and "/" in rf[0]:
        # "Forsker/Adjunkt, humaniora": the alternatives share the field.
        return [f"{r}, {rf[1]}" for r in slash_parts(rf[0])]
    parts = [x.strip() for x in text.split("/")]
    if len(parts) < 2 or any(sum(ch.isalpha() for ch in x) < _MIN_SLASH_PART for x in parts):
        return []
    return parts


def title_variants(text: str) -> list[str]:
    """Other ways to say the same title, matched beside the text itself.

    - a slash title names alternatives: "Steward / stewardesse" → each side (:func:`slash_parts`);
    - an apprentice title names its trade: "Procesoperatørelev" → "Procesoperatør";
    - an academic rank on its own names the university-teacher family: "Postdoc" → "lektor".
    """
    raw = text.strip()
    out: list[str] = slash_parts(raw)
    low = raw.lower()
    for suf in _APPRENTICE_SUFFIXES:
        if low.endswith(suf) and len(raw) - len(suf) >= 4 and " " not in raw[-len(suf) - 1:]:
            stem_ = raw[:-len(suf)].rstrip("-")
            if stem_ and stem_[-1].isalpha():
                out.append(stem_)
            break
    if "," not in raw and is_academic_post(raw):
        out.append(ACADEMIC_FAMILY_LABEL)
    # Distinct, and never the text itself (it is matched anyway).
    seen = {raw.casefold()}
    distinct = []
    for v in out:
        if v.casefold() not in seen:
            seen.add(v.casefold())
            distinct.append(v)
    return distinct
