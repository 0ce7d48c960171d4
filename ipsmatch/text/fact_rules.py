"""The rules ipsmatch reads facts from ad text with: per fact key, what a phrase states
(present or absent, said or implied) and the pattern that finds it, in Danish and English.

:mod:`ipsmatch.text.facts` runs them (sentences, negation, working-time ranges); the weighing
of what several sources say is :func:`ipsmatch.needs.weigh`. docs/profile.md, "Facts and their
sources", states the rules in words; ``benchmarks/facts_eval.py`` judges them on labelled ads.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: how every rule's pattern is compiled
FLAGS = re.IGNORECASE | re.UNICODE


class Val(NamedTuple):
    """What a rule states: ``value`` (present/absent), ``implied`` (suggested, not said)."""

    value: bool
    implied: bool = False


T, F_, IMPLIED_T, IMPLIED_F = Val(True), Val(False), Val(True, True), Val(False, True)

# (key, what it states, pattern). Every rule that hits a sentence counts (not only the
# first): the facts of one key are weighed by ipsmatch.needs.fact_value. A True rule hit
# preceded by a negation ("ingen nattevagter") states the absence instead.
RULES: list[tuple[str, Val, str]] = [
    # --- stated absence ------------------------------------------------------------------
    # "kun dagarbejde", "day shifts only": names the day, so no evening or night is implied
    # (a statement of night work elsewhere wins)
    ("night", IMPLIED_F, r"\bkun\s+(?:dag(?:arbejde|vagt\w*|timer\w*|tid|hold)?|i\s+dagtimerne)\b"),
    ("evening", IMPLIED_F,
     r"\bkun\s+(?:dag(?:arbejde|vagt\w*|timer\w*|tid|hold)?|i\s+dagtimerne)\b"),
    ("night", IMPLIED_F,
     r"\b(?:day\s*time|day)\s+(?:work\s+|shifts?\s+)?only\b|\bonly\s+day(?:time)?\b"),
    ("evening", IMPLIED_F,
     r"\b(?:day\s*time|day)\s+(?:work\s+|shifts?\s+)?only\b|\bonly\s+day(?:time)?\b"),
    ("weekend", F_,
     r"\bfri\s+(?:i|om|alle)\s+weekend(?:en|erne)\b|\bweekend(?:en|erne)\s+(?:er\s+)?fri\b"
     r"|\bkun\s+(?:på\s+)?hverdage\b|\bweekends\s+off\b|\bno\s+weekend\s+work\b"),
    # weekdays named as the working days: no weekend, implied
    ("weekend", IMPLIED_F,
     r"\bmandag\s*(?:-|–|til)\s*fredag\b|\bmonday\s*(?:-|–|to)\s*friday\b|\bhverdage\b"
     r"|\bweekdays\b"),
    # a fixed day shift says no evening or night
    ("evening", F_, r"\b(?:permanent|fixed)\s+day[- ]?shifts?\b|\bfast\s+på\s+daghold\b"),
    ("night", F_, r"\b(?:permanent|fixed)\s+day[- ]?shifts?\b|\bfast\s+på\s+daghold\b"),
    # a fixed schedule: not rotation
    ("shifts", F_,
     r"\b(?:permanent|fixed)\s+(?:day|evening)[- ]?shifts?\b|\bfast\s+på\s+(?:dag|aften)hold\b"
     r"|\b(?:day|evening)\s+shifts?\s+only\b|\bfaste\s+arbejdstider\b|\bfixed\s+(?:working\s+)?"
     r"hours\b"),
    # several shift types, not saying who works which: ask
    ("shifts", IMPLIED_T,
     r"\b(?:dag|aften|nat)(?:hold|vagt(?:er)?)?\s+(?:og|eller|/)\s+(?:dag|aften|nat)(?:te)?"
     r"(?:hold|vagt(?:er)?)\b"
     r"|\b(?:dag|aften)-\s*(?:,\s*(?:aften|nat)-\s*)?(?:og|eller)\s+(?:aften|nat)(?:te)?"
     r"(?:hold|vagt)\w*"
     r"|\b(?:day|evening|night)(?:\s+shifts?)?\s*(?:,|and|or|/)\s*(?:(?:day|evening|night)"
     r"(?:\s+shifts?)?\s*(?:,|and|or)\s*)?(?:day|evening|night)\s+shifts?\b"
     r"|\beither\s+day(?:,\s*evening)?\s+or\s+(?:evening|night)\b|\btil\s+dag\s+og\s+aften\b"),
    # --- schedule ---------------------------------------------------------------------------
    ("day", T,
     r"\bdag(?:vagt|arbejde|timer|hold|skift|tjeneste)\w*|\bi\s+dagtimerne\b"
     r"|\bdag\s*(?:-\s*)?(?:og|eller|/|,)\s*(?:aften|nat)(?:en|ten|vagt\w*|arbejde\w*|hold\w*"
     r"|skift\w*|undervisning\w*|timer\w*)?\b|\bmorgen\s*/\s*dag\b"
     r"|\bday\s*time\b|\bday\s+shifts?\b|\bdaytime\b|\bkun\s+dag\w*"
     r"|\bday\s*(?:,|and|or|/)\s*(?:evening|night)s?\b|\bduring\s+the\s+day\b"
     # a døgnvagt (24-hour shift) is day, evening and night work
     r"|\bdøgnvagt\w*"),
    ("evening", T,
     r"\baften(?:vagt|arbejde|hold|skift|tjeneste|timer|undervisning|team)\w*"
     r"|\b(?:om|i|til|og|/)\s*aften(?:en|er|erne)?\b|\baften\s*(?:/|og)\s*nat\b"
     r"|\barbejde\s+aftener\b|\bevening(?:s|\s+shifts?|\s+work|\s+team)?\b|\bdøgnvagt\w*"),
    ("night", T,
     r"\bnat(?:te)?(?:vagt|arbejde|hold|skift|tjeneste)\w*|\bom\s+natten\b"
     r"|\b(?:aften|dag|og)\s*/\s*nat\b|\b(?:dag|aften)\s+og\s+nat\b|\bdøgnvagt\w*"
     r"|\bnight\s*(?:shifts?|work|duty)\b|\bnights\b|\bovernight\s+shifts?\b"
     r"|\b[1-4]\s+om\s+(?:natten|morgenen)\b"),
    ("weekend", T,
     r"\bweekend(?:vagt|arbejde|tjeneste|hold|skift)\w*|\bweekend(?:er|erne|en|s)?\b"
     r"|\blørdag(?:e)?\s*(?:og|/|,|eller)\s*søndag(?:e)?\b|\b(?:lørdag|søndag)e\b"
     r"|\b(?:om|på)\s+(?:lørdag|søndag)(?:en|e)\b|\b(?:on|at)\s+(?:saturdays?|sundays?)\b"
     r"|\b(?:lørdag|søndag)(?:en)?\s+(?:fra\s+)?(?:kl\.?\s*)?\d{1,2}[.:]\d\d"
     r"|\b(?:lørdag|søndag)\s+til\s+(?:og\s+med\s+)?\w+dag\b|\b(?:saturdays|sundays)\b"
     r"|\bsaturdays?\s+and\s+sundays?\b|\bsunday\s+(?:through|to)\s+\w+day\b"),
    # rotating shift work: the citizen's hours change from week to week
    ("shifts", T,
     r"\bskifteholds?\w*|\b\w*holds?skift\w*|\bskift(?:e)?arbejde\b|\bskiftende\s+(?:vagter|"
     r"arbejdstider)\b|\b(?:rulle|vagt)plan\w*|\bvagter\s+i\s+rul\b|\brullende\s+vagt\w*"
     r"|\bdøgnvagt\w*|\bblandede\s+(?:\w+-\s+og\s+)?\w*vagter\b|\bvagterne\s+varierer\b"
     r"|\barbejdstiderne\s+(?:kan\s+)?(?:svinge|svinger|varierer)\b|\bskiftevis\s+dag"
     r"|\bshift\s*work\b|\brotating\s+(?:shifts?|roster|rota|schedule)\b|\brota\b"
     r"|\bwork(?:ing)?\s+(?:in\s+)?shifts\b|\b(?:2|3|two|three)[- ]shift\b"),
    # the employee picks the shift: "you can work either day or evening", "du kan selv vælge
    # mellem dag- og aftenvagter". Not a choice: "flexibility regarding shifts" (who chooses?)
    # and "du kan arbejde dag eller nathold" without "enten" (what the applicant can do: a
    # list of availabilities, as in ad 5383165's profile section)
    ("shift_choice", T,
     r"\b(?:can|may)\s+(?:work\s+)?either\s+(?:the\s+)?(?:day|morning)(?:\s+shifts?)?"
     r"(?:\s*,\s*(?:evening|night)(?:\s+shifts?)?)?\s+or\s+(?:the\s+)?(?:evening|night)\b"
     r"|\b(?:choose|pick)\s+(?:between\s+|whether\s+to\s+work\s+)?(?:the\s+)?(?:day|morning)"
     r"(?:\s+shifts?)?\s*(?:,|or|and)\s*(?:the\s+)?(?:evening|night)\b"
     r"|\b(?:choose|pick)\s+your\s+(?:own\s+)?shifts\b"
     r"|\b(?:selv\s+)?vælge\s+(?:mellem\s+|om\s+du\s+vil\s+arbejde\s+)?(?:dag|morgen)"
     r"(?:vagt\w*|hold\w*)?-?\s*(?:,\s*aften-?\s*)?(?:og|eller)\s+(?:aften|nat)(?:te)?\w*"
     r"|\bkan\s+arbejde\s+enten\s+(?:om\s+)?dag(?:en)?\s+eller\s+(?:om\s+)?(?:aften|nat)\w*"
     r"|\b(?:du|i)\s+vælger\s+selv\s+(?:dine\s+|jeres\s+)?vagter\b"
     r"|\bselv\s+vælge\s+(?:dine\s+|jeres\s+)?vagter\b"),
    # --- physical and social demands -----------------------------------------------------
    ("heavy_lifting", T,
     r"\btunge?\s+løft\w*|\bløft\w*\s+af\s+tunge\b|\bløfte\s+tung\w*|\bfysisk\s+(?:hårdt|"
     r"krævende|hårde?)\b|\bheavy\s+lifting\b|\blift(?:ing)?\s+heavy\b|\bphysically\s+"
     r"(?:demanding|hard)\b|\btunge\s+(?:ting|emner|kasser|varer)\b"),
    ("standing", T,
     r"\bstående\s+arbejde\b|\barbejde(?:r)?\s+stående\b|\bstå(?:r)?\s+op\s+(?:det\s+meste\s+af"
     r"|hele|store\s+dele\s+af)\b|\bpå\s+benene\s+(?:hele|det\s+meste)\b|\bon\s+your\s+feet\b"
     r"|\bstanding\s+(?:work|job|for\s+long)\b|\bstand(?:ing)?\s+for\s+long\b"
     r"|\bstår\s+(?:du\s+)?ved\s+(?:et|en|vores)\s+\w*(?:bånd|linje|maskine)\b"),
    ("customer_contact", T,
     r"\bkunde(?:kontakt|service|betjening|henvendelser|dialog)\w*|\bbetjen(?:e|ing\s+af)\s+"
     r"(?:vores\s+)?kunde\w*|\bkontakt\s+med\s+(?:vores\s+)?kunde\w*|\bcustomer[- ](?:service|"
     r"contact|facing)\b|\bcontact\s+with\s+customers\b|\bserving\s+customers\b"
     r"|\b(?:kontakt|relationer)\s+(?:til|med)\s+(?:vores\s+|vore\s+|de\s+)?(?:mange\s+)?"
     r"(?:kunder|gæster|borgere|patienter|pårørende|publikum)\b"
     r"|\b(?:vejlede|betjene|servicere|rådgive|modtage|byde\s+velkommen\s+til)\s+(?:vores\s+|"
     r"vore\s+|de\s+)?(?:kunder\w*|gæster\w*)|\bsammen\s+med\s+(?:vores\s+)?kunder\b"
     r"|\bskaffe\s+(?:nye\s+)?kunder\b|\bserve\s+(?:our\s+)?(?:customers|guests)\b"),
    # soft facts need a phrase that says them: "travlt"/"busy" is not a high pace
    ("high_tempo", T,
     r"\bhøjt?\s+tempo\b|\bhektisk\w*|\bfast[- ]paced\b|\bhigh\s+pace\b|\bhigh\s+tempo\b"),
    ("low_tempo", T,
     r"\broligt\s+tempo\b|\bi\s+(?:dit\s+)?eget\s+tempo\b|\bstille\s+og\s+roligt\b"
     r"|\bat\s+your\s+own\s+pace\b|\b(?:calm|relaxed|steady)\s+pace\b"),
    ("flexible_start", T,
     r"\bfleksib(?:el|le)\s+(?:mødetid\w*|arbejdstid\w*|arbejdstider)\b|\bfle[kx]s(?:tid|ible)?"
     r"\s*tid\b|\bflekstid\b|\bflextid\b|\barbejdstid(?:en|erne)?\s+er\s+(?:meget\s+)?fleksib\w+"
     r"|\bflexible\s+(?:working\s+)?(?:hours|start|schedule)\b|\bflexitime\b"),
    ("part_time_possible", T,
     r"\bmulighed\s+for\s+(?:at\s+arbejde\s+)?(?:på\s+)?(?:deltid|nedsat\s+tid)\b"
     r"|\bnedsat\s+(?:tid|arbejdstid)\b|\bdeltid\s+er\s+(?:også\s+)?en\s+mulighed\b"
     r"|\bønske\s+om\s+deltid\w*|\bdeltid\s+kan\s+(?:også\s+)?(?:aftales|arrangeres)\b"
     r"|\bfuldtid\s+eller\s+deltid\b|\bfull[- ]time\s+or\s+part[- ]time\b"
     r"|\bpart[- ]time\s+(?:work\s+)?(?:is\s+)?(?:possible|an\s+option|can\s+(?:also\s+)?be\s+"
     r"arranged)\b|\boption\s+(?:of|for)\s+part[- ]time\b"
     # fewer than five days a week as the least the job asks for
     r"|\b(?:minimum|mindst|min\.)\s+(?:[1-4]|en|to|tre|fire)\s+dage?\s+(?:om|pr\.?|i)\s+ugen\b"
     r"|\b(?:minimum|at\s+least|min\.)\s+(?:[1-4]|one|two|three|four)\s+days?\s+(?:a|per)\s+"
     r"week\b"),
    ("quiet_workplace", T,
     r"\b(?:rolige|stille)\s+omgivelser\b|\bstille\s+arbejdsplads\b|\brolig(?:t)?\s+"
     r"(?:miljø|arbejdsmiljø|arbejdsplads)\b|\bquiet\s+(?:work\w*|environment|office|"
     r"surroundings)\b|\bcalm\s+(?:work\w*|environment|surroundings)\b"),
    ("quiet_workplace", F_,
     r"\b(?:miljøet|omgivelserne)\s+er\s+(?:hektisk|støjende|larmende)\b|\bstøjende\s+"
     r"(?:miljø|omgivelser)\b|\bnoisy\s+(?:environment|surroundings|workplace)\b"),
    ("fixed_tasks", T,
     r"\bfaste\s+(?:arbejds)?opgaver\b|\brutine(?:opgaver|prægede?|arbejde)\b|\bfaste\s+rammer"
     r"\b|\bfast\s+struktur\b|\b(?:genkendelige|ensartede)\s+(?:arbejds)?opgaver\b"
     r"|\b(?:routine|repetitive|fixed)\s+tasks\b"),
    ("fixed_tasks", F_,
     r"\b(?:alsidige|forskelligartede|varierede|skiftende|afvekslende)\s+(?:arbejds)?opgaver\b"
     r"|\bafvekslende\s+(?:hverdag|arbejdsdag)\b|\bveksle\s+mellem\s+(?:forskellige\s+)?"
     r"(?:arbejds)?opgaver\b|\bomskiftelig\s+hverdag\b|\bchanging\s+(?:projects|tasks)\b"
     r"|\bvaried\s+tasks\b"
     r"|\b(?:alsidig[te]?|(?:af)?vekslende|varieret|forskelligartet)\s+(?:arbejde|job|"
     r"arbejdsdag|hverdag)\b|\bvaried\s+(?:work|job)\b"),
    # a person assigned to you; training by working beside a colleague is not a mentor
    ("mentor", T,
     r"\bmentor\w*|\bfast\s+kontaktperson\b|\bbuddy\b|\bmakkerordning\b"),
    ("extra_breaks", T,
     r"\bpauser\s+efter\s+behov\b|\b(?:ekstra|hyppige|flere)\s+pauser\b|\bbreaks\s+as\s+needed\b"
     r"|\b(?:extra|frequent)\s+breaks\b"),
    # --- requirements (checked against the profile's certificates and languages) ---------
    ("driving_licence", T,
     r"(?<![\w])(?:[BC]E?-)?kører?kort\b|\bdriv(?:er'?s|ing)\s+licen[cs]e\b"),
    ("truck_licence", T,
     r"(?<![\w])[CD]E?-?kørekort\b|\bkørekort\s+(?:til\s+)?(?:kategori\s+)?[CD]E?\b"
     r"|\blastbilkørekort\b|\b(?:HGV|C\+E|CE)\s+licen[cs]e\b|\btruck\s+driving\s+licen[cs]e\b"),
    ("own_car", T,
     r"\begen\s+bil\b|\bbil\s+til\s+rådighed\b|\bown\s+car\b|\bcar\s+(?:available|at\s+your"
     r"\s+disposal)\b"),
    ("forklift_certificate", T,
     r"\btruck(?:kort|certifikat|bevis)\w*|\btruck\s*(?:certifikat|certificate|licen[cs]e)\b"
     r"|\bforklift\s+(?:licen[cs]e|certificate)\b"),
    ("criminal_record", T,
     r"\bstraffeattest\w*|\bbørneattest\w*|\bcriminal\s+record\b|\bpolice\s+(?:check|"
     r"certificate|clearance)\b"),
    ("language_required", T,
     r"\b(?:tale|taler|skrive|skriver|læse|læser|forstå|forstår|beherske|behersker|fortrolig"
     r"\s+med|flydende\s+i)\b[^.;]{0,40}?\b(?:dansk|engelsk|tysk)\b"
     r"|\b(?:fluent|fluency|proficiency|proficient|speak|speaks|speaking|read|write|written\s+"
     r"and\s+spoken)\b[^.;]{0,70}?\b(?:danish|english|german)\b"
     r"|\b(?:danish|english)-?\s*(?:and|or)\s+(?:danish|english)-speaking\b"
     r"|\b(?:danish|english)-speaking\b"
     r"|\b(?:danish|english)\s+is\s+(?:required|essential|a\s+must|a\s+requirement)\b"
     r"|\bapplication\s+must\s+be\s+(?:written\s+)?in\s+(?:english|danish)\b"),
]


# Danish suspended compounds name a schedule without its head: "aften- og nattevagter",
# "dag-, aften- og weekendvagter", "nat- eller weekendarbejde". The part before the hyphen
# is a schedule of its own when the list ends in a word with a schedule head.
_SUSPENDED_TAIL = (r"-\s*(?:,|og\b|eller\b|&|/)\s*(?:\w+-\s*(?:,|og\b|eller\b|&|/)\s*)*"
                   r"\w*(?:vagt|arbejde|hold|skift|tjeneste|timer|undervisning)\w*")
for _i, (_k, _v, _p) in enumerate(RULES):
    _lead = {"day": r"dag", "evening": r"aften", "night": r"nat(?:te)?",
             "weekend": r"weekend"}.get(_k) if _v == T else None
    if _lead is not None:
        RULES[_i] = (_k, _v, _p + rf"|\b{_lead}{_SUSPENDED_TAIL}")
