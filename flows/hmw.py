""""How might we …" drafts from the problem themes, worded by templates that fit each theme's wording.

A theme's wording is one of: an idea that starts with a verb ("Show the costs earlier"), a question,
a feeling word in the Feels lane ("overwhelmed"), a statement with a verb ("the price is too high"),
a short noun phrase ("slow delivery"); anything else is quoted. The words that tell them apart and
the templates are per language in the packs' [themes] table.
"""
from __future__ import annotations

import re

from flows.texts import Pack

_WORD = re.compile(r"[\w'’-]+")
NOUN_PHRASE_WORDS = 3  # a note this short without a verb reads as a noun phrase
FEELING_WORDS = 10  # "lost in a catalogue of 40 kinds of copy paper" still reads after "feel less"


def draft(wording: str, pack: Pack, *, lane: str, phase: str | None = None) -> str:
    """The "How might we" question for a theme worded ``wording`` (its label or representative note)."""
    words = pack.raw("themes")
    text = " ".join(wording.split()).rstrip(words["sentence_end"] + " ")
    tokens = [token.casefold().replace("’", "'") for token in _WORD.findall(text)]
    if not tokens:
        return pack.text("themes.hmw_quoted", text=text)
    if text.endswith("?"):
        return pack.text("themes.hmw_question", question=text)
    if tokens[0] in dict(words["action_verbs"]):
        action = _action(text, words)
        if action:
            return pack.text("themes.hmw_action", action=action)
    elif tokens[0] in words["subjectless_starts"] or re.search(r"[,;:]", text):
        pass  # "Can't pay with iDEAL" has no subject, "So much choice, I can't …" is more than a clause
    elif lane == "feels" and phase and len(tokens) <= FEELING_WORDS and _is_feeling(tokens[0], words):
        return pack.text("themes.hmw_feeling", feeling=_lower_first(text), phase=phase)
    elif _is_clause(tokens, words):
        return pack.text("themes.hmw_clause", clause=_lower_first(text))
    elif len(tokens) <= NOUN_PHRASE_WORDS and not any(_is_feeling(token, words) for token in tokens):
        if lane == "insight":  # among the opportunities, a name this short is an idea ("Guest checkout")
            return pack.text("themes.hmw_idea", text=text)
        return pack.text("themes.hmw_noun", noun=_lower_first(text))
    # anything else is a problem to solve: insights are mostly problems ("problems first, solutions later")
    return pack.text("themes.hmw_quoted", text=text)


def _action(text: str, words: dict) -> str | None:
    """The idea after "we", or None when the verb cannot be placed with confidence.

    English keeps its order ("show the costs"); Dutch puts the whole verb last ("de kosten tonen"),
    with its separable part ("bied … aan" -> "… aanbieden")."""
    verb, *rest = text.split()
    infinitive = dict(words["action_verbs"]).get(verb.casefold())
    if infinitive is None:  # "Use: …" or "Show, …": the verb is not a word on its own
        return None
    if not words["particles"]:
        return " ".join([infinitive, *rest])
    loose = [index for index, word in enumerate(rest) if word.casefold() in words["loose_particles"]]
    if len(loose) > 1:
        return None
    if loose:  # "nodig klanten uit voor een interview" -> "klanten voor een interview uitnodigen"
        particle = rest.pop(loose[0]).casefold()
        return " ".join([*rest, particle + infinitive])
    if rest and rest[-1].casefold() in words["particles"]:  # "bied afrekenen als gast aan"
        return " ".join([*rest[:-1], rest[-1].casefold() + infinitive])
    if len(rest) > 1 and rest[-1].casefold().endswith("en"):  # "laat … zien" -> "… laten zien"
        return " ".join([*rest[:-1], infinitive, rest[-1]])
    return " ".join([*rest, infinitive])


def _is_clause(tokens: list[str], words: dict) -> bool:
    """A statement with a verb after its first word, or (Dutch) a determiner, a noun and a verb-like word."""
    if any(token in words["clause_words"] for token in tokens[1:]):
        return True
    return (len(tokens) >= 3 and tokens[0] in words["determiners"] and tokens[2] not in words["prepositions"]
            and any(tokens[2].endswith(ending) for ending in words["verb_endings"]))


def _is_feeling(token: str, words: dict) -> bool:
    return token in words["feeling_words"] or any(
        token.endswith(ending) and len(token) > len(ending) + 2 for ending in words["feeling_endings"])


def _lower_first(text: str) -> str:
    """Lower case the first letter, unless the first word is "I" or an abbreviation like "iDEAL" or "PDF"."""
    first = text.split(" ", 1)[0]
    if first == "I" or any(char.isupper() for char in first[1:]):
        return text
    return text[:1].lower() + text[1:]
