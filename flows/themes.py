"""Themes: the notes of one phase-and-lane that say the same thing, grouped offline and deterministically.

Each note becomes a vector of what it is about: its words stemmed (English and Dutch), with words
that mean the same mapped to one concept by a hand-written bilingual table (flows/data/themes.toml),
plus character trigrams that catch typos and word forms the table misses. Notes are grouped by
average linkage: taking pairs of notes from the most alike down, their two groups become one when
all their notes are, on average, at least ``THRESHOLD`` alike. Ties are broken by position, so the
same notes always give the same themes. bench/themes.py measures it on a labelled set.
"""
from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Protocol

from flows.vocabulary import ThemeAction

if TYPE_CHECKING:
    import numpy as np

# numpy's OpenBLAS runs every matrix product on a thread per core; on a busy machine those threads spin
# against each other and the small products of a summary take 30 times as long (measured: 1.8 ms of
# wall clock with one thread, 37 ms with the default). numpy is first imported after this (lazily, below),
# so one thread is what the bot runs with, unless the environment already says otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

THRESHOLD = 0.35  # the average similarity two groups need to become one theme (tuned in bench/themes.py)
CONCEPT_SHARE = 0.8  # how much the meaning counts against the spelling (character trigrams)
WEAK_WEIGHT = 0.5
CONFLICT_FACTOR = 0.5  # how alike two notes still are when they comment differently on one topic
LABEL_CHARS = 48

_WORD = re.compile(r"[^\W_]+(?:['’&][^\W_]+)*")
# Longest first, so "heid" goes before "d"; English and Dutch suffixes together: a note may mix them.
_SUFFIXES = ("ations", "ation", "ingen", "nesses", "ness", "heden", "heid", "lijk", "ings", "ing", "ies",
             "ers", "er", "ed", "es", "en", "ly", "te", "de", "s", "e", "t")


class Edit(Protocol):
    """A lead's correction (storage.models.ThemeEdit): merge, move or rename, naming notes by id."""
    action: str
    item_id: int
    target_item_id: int | None
    label: str | None


@dataclass(frozen=True)
class Grouped:
    members: tuple[int, ...]  # indexes into the cell's notes, in their order
    representative: int  # one of members
    label: str | None  # the lead's, if renamed


@dataclass(frozen=True)
class _Vocabulary:
    concepts: dict[str, tuple[str, ...]]  # stem -> concepts it stands for
    comments: frozenset[str]  # concepts that say what is wrong or right about a topic
    weak: frozenset[str]
    stopwords: frozenset[str]
    phrases: re.Pattern[str]  # any of the phrases, longest first
    phrase_words: dict[str, str]  # phrase -> the word it reads as


def _fold(text: str) -> str:
    """Lower case without accents, so "café" and "cafe", "reëel" and "reeel" match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A crude stem, the same for English and Dutch inflections of a word ("shows", "tonen" -> "show", "ton")."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2]:  # "stopp(ed)", "bell(en)" -> "stop", "bel"
        word = word[:-1]
    return word


@cache
def _vocabulary() -> _Vocabulary:
    data = tomllib.loads(resources.files("flows").joinpath("data/themes.toml").read_text(encoding="utf-8"))
    concepts: dict[str, list[str]] = {}
    for concept, words in sorted(data["concepts"].items()):
        for word in words:
            bucket = concepts.setdefault(stem(_fold(word)), [])
            if concept not in bucket:
                bucket.append(concept)
    phrase_words = {_fold(phrase): word for phrase, word in data["phrases"].items()}
    phrases = re.compile(r"\b(?:" + "|".join(re.escape(phrase) for phrase in sorted(phrase_words, key=len, reverse=True))
                         + r")\b")
    return _Vocabulary(
        concepts={key: tuple(value) for key, value in concepts.items()},
        comments=frozenset(data["comments"]["concepts"]),
        weak=frozenset(stem(_fold(word)) for word in data["weak"]["words"]),
        stopwords=frozenset(_fold(word) for words in data["stopwords"].values() for word in words),
        phrases=phrases, phrase_words=phrase_words)


@lru_cache(maxsize=16384)
def _concepts_of(word: str) -> tuple[str, ...]:
    """The concepts a word stands for; a compound of two known words ("verzendkosten") stands for both."""
    vocabulary = _vocabulary()
    stemmed = stem(word)
    if stemmed in vocabulary.concepts:
        return vocabulary.concepts[stemmed]
    for cut in range(3, len(word) - 2):
        head, tail = vocabulary.concepts.get(stem(word[:cut])), vocabulary.concepts.get(stem(word[cut:]))
        if head and tail:
            return head + tail
    return ()


@lru_cache(maxsize=4096)  # a workshop's summary is asked for again and again, with the same notes
def features(text: str) -> tuple[dict[str, float], dict[str, float]]:
    """What a note is about (concepts and stems, weighted) and how it is spelled (character trigrams).

    Cached: the dicts are shared, so callers only read them."""
    vocabulary = _vocabulary()
    folded = vocabulary.phrases.sub(lambda match: vocabulary.phrase_words[match.group(0)], _fold(text))
    meaning: dict[str, float] = {}
    spelling: dict[str, float] = {}
    for word in _WORD.findall(folded):
        if word in vocabulary.stopwords:
            continue
        stemmed = stem(word)
        weight = WEAK_WEIGHT if stemmed in vocabulary.weak else 1.0
        for key in _concepts_of(word) or (f"~{stemmed}",):
            meaning[key] = max(meaning.get(key, 0.0), weight)
        padded = f" {stemmed} "
        for start in range(len(padded) - 2):
            gram = padded[start:start + 3]
            spelling[gram] = spelling.get(gram, 0.0) + weight
    return meaning, spelling


def _unit_rows(rows: Sequence[dict[str, float]]) -> np.ndarray:
    """The rows as a matrix of unit vectors over their shared keys (sorted, so deterministic)."""
    import numpy as np  # numpy is slow to import: not at start-up, only when a summary is built

    keys = {key: index for index, key in enumerate(sorted({key for row in rows for key in row}))}
    matrix = np.zeros((len(rows), max(len(keys), 1)))
    for index, row in enumerate(rows):
        for key, value in row.items():
            matrix[index, keys[key]] = value
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


def similarities(texts: Sequence[str]) -> np.ndarray:
    """Pairwise similarity of the notes, 0 (nothing alike) to 1 (the same)."""
    import numpy as np  # numpy is slow to import: not at start-up, only when a summary is built

    meanings, spellings = zip(*(features(text) for text in texts)) if texts else ((), ())
    meaning, spelling = _unit_rows(meanings), _unit_rows(spellings)
    similarity = CONCEPT_SHARE * (meaning @ meaning.T) + (1 - CONCEPT_SHARE) * (spelling @ spelling.T)
    comments = _vocabulary().comments
    said = np.array([[concept in row for concept in sorted(comments)] for row in meanings], dtype=float)
    topics = _unit_rows([{key: 1.0 for key in row if key not in comments} for row in meanings])
    commenting, on_topic = said.any(axis=1), topics.any(axis=1)
    conflict = np.outer(commenting, commenting) & ((said @ said.T) == 0)
    conflict |= np.outer(on_topic, on_topic) & ((topics @ topics.T) == 0)
    return np.where(conflict, similarity * CONFLICT_FACTOR, similarity)


def group(texts: Sequence[str], *, threshold: float = THRESHOLD) -> list[list[int]]:
    """Groups of indexes into ``texts``, each sorted, groups in order of their first index."""
    return _group(similarities(texts), threshold) if texts else []


def _group(similarity: np.ndarray, threshold: float) -> list[list[int]]:
    import numpy as np  # numpy is slow to import: not at start-up, only when a summary is built

    # totals[a, b]: the summed similarity between the notes of groups a and b (rows of merged groups go stale)
    totals = similarity.copy()
    sizes = np.ones(len(similarity))
    owner = np.arange(len(similarity))
    # Only pairs alike enough could ever start a merge; the most alike first, ties by position.
    first, second = np.nonzero(np.triu(similarity >= threshold, 1))
    for index in np.lexsort((second, first, -similarity[first, second])):
        a, b = owner[first[index]], owner[second[index]]
        if a == b or totals[a, b] < threshold * sizes[a] * sizes[b]:
            continue
        keep, gone = min(a, b), max(a, b)
        totals[keep, :] += totals[gone, :]
        totals[:, keep] += totals[:, gone]
        sizes[keep] += sizes[gone]
        owner[owner == gone] = keep
    groups: dict[int, list[int]] = {}
    for index, root in enumerate(owner.tolist()):
        groups.setdefault(root, []).append(index)
    return list(groups.values())


def themes_of(texts: Sequence[str], ids: Sequence[int], edits: Iterable[Edit] = ()) -> list[Grouped]:
    """The cell's notes grouped, with the lead's edits replayed in order over the automatic grouping.

    Edits about notes of other cells are ignored, so all of a workshop's edits can be passed."""
    if not texts:
        return []
    similarity = similarities(texts)
    position = {note_id: index for index, note_id in enumerate(ids)}
    where = {index: number for number, members in enumerate(_group(similarity, THRESHOLD)) for index in members}
    labels: dict[int, str] = {}
    fresh = len(texts)  # numbers for themes a move creates
    for edit in edits:
        item, target = position.get(edit.item_id), position.get(edit.target_item_id)
        if item is None:
            continue
        if edit.action == ThemeAction.RENAME and edit.label:
            labels[where[item]] = edit.label
        elif edit.action == ThemeAction.MERGE and target is not None and where[item] != where[target]:
            gone, kept = where[item], where[target]
            where = {index: kept if number == gone else number for index, number in where.items()}
            if kept not in labels and gone in labels:
                labels[kept] = labels[gone]
        elif edit.action == ThemeAction.MOVE:
            where[item] = where[target] if target is not None else fresh
            fresh += 1
    groups: dict[int, list[int]] = {}
    for index in range(len(texts)):
        groups.setdefault(where[index], []).append(index)
    return [Grouped(tuple(members), _most_central(similarity, members), labels.get(number))
            for number, members in groups.items()]


def _most_central(similarity: np.ndarray, members: list[int]) -> int:
    """The member most like the others (the first of equals)."""
    if len(members) < 3:  # one or two notes: each is as like the other
        return members[0]
    import numpy as np  # numpy is slow to import: not at start-up, only when a summary is built

    totals = similarity[np.ix_(members, members)].sum(axis=1).round(9)  # equal up to rounding is a tie
    return members[int(np.argmax(totals))]  # argmax returns the first maximum


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    """The text on one line, cut at a word boundary with an ellipsis when longer than ``limit``."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0] if " " in line[: limit - 1] else line[: limit - 1]
    return cut.rstrip(" ,;:.-–") + "…"
