"""python -m bench.themes: how well notes are grouped into themes, on the labelled set in bench/data.

Reports pairwise precision, recall by kind of pair, the share of differing pairs wrongly merged,
the adjusted Rand index, and how long grouping 1,000 notes takes. Writes bench/results/themes.{json,md}.
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import time
import tomllib
from dataclasses import dataclass
from math import comb
from pathlib import Path

from flows import themes

DATA = Path(__file__).parent / "data"
RESULTS = Path(__file__).parent / "results"
TARGETS = {"precision": 0.8, "near_duplicate": 0.9, "differing_merged": 0.10, "ari": 0.6}
KIND_ORDER = ("para", "shared", "dup")  # a pair of two variants is as hard as the harder one


@dataclass(frozen=True)
class Note:
    cell: str
    theme: str
    kind: str  # base | dup | shared | para
    lang: str
    text: str


def load(name: str = "themes_labelled.toml") -> tuple[list[Note], dict[tuple[str, str], set[str]]]:
    """The notes, and per (cell, theme) the themes it contrasts with."""
    data = tomllib.loads((DATA / name).read_text(encoding="utf-8"))
    notes, contrasts = [], {}
    for cell in data["cell"]:
        for theme in cell["theme"]:
            contrasts[(cell["name"], theme["key"])] = set(theme.get("contrast", ()))
            notes += [Note(cell["name"], theme["key"], kind, lang, text) for kind, lang, text in theme["notes"]]
    return notes, contrasts


def pair_kind(a: Note, b: Note, contrasts: dict[tuple[str, str], set[str]]) -> str:
    if a.theme != b.theme:
        linked = b.theme in contrasts[(a.cell, a.theme)] or a.theme in contrasts[(b.cell, b.theme)]
        return "differing" if linked else "unrelated"
    if a.lang != b.lang:
        return "cross_language"
    kinds = [kind for kind in (a.kind, b.kind) if kind != "base"] or ["dup"]
    hardest = min(kinds, key=KIND_ORDER.index)
    return {"dup": "near_duplicate", "shared": "shared_words", "para": "paraphrase"}[hardest]


def adjusted_rand(truth: list[str], found: list[int]) -> float:
    table: dict[tuple[str, int], int] = {}
    for pair in zip(truth, found):
        table[pair] = table.get(pair, 0) + 1
    rows, columns = {}, {}
    for (row, column), count in table.items():
        rows[row] = rows.get(row, 0) + count
        columns[column] = columns.get(column, 0) + count
    index = sum(comb(count, 2) for count in table.values())
    row_sum, column_sum = sum(comb(n, 2) for n in rows.values()), sum(comb(n, 2) for n in columns.values())
    expected = row_sum * column_sum / comb(len(truth), 2)
    best = (row_sum + column_sum) / 2
    return 1.0 if best == expected else (index - expected) / (best - expected)


def evaluate(notes: list[Note], contrasts, threshold: float = themes.THRESHOLD) -> dict:
    found: dict[int, int] = {}  # note index -> group number, unique across cells
    cells = sorted({note.cell for note in notes})
    for cell in cells:
        indexes = [index for index, note in enumerate(notes) if note.cell == cell]
        for group in themes.group([notes[index].text for index in indexes], threshold=threshold):
            number = len(set(found.values()))
            found |= {indexes[member]: number for member in group}
    counts: dict[str, list[int]] = {}  # kind -> [pairs, merged]
    for a, b in itertools.combinations(range(len(notes)), 2):
        if notes[a].cell != notes[b].cell:
            continue
        tally = counts.setdefault(pair_kind(notes[a], notes[b], contrasts), [0, 0])
        tally[0] += 1
        tally[1] += found[a] == found[b]
    merged = sum(tally[1] for tally in counts.values())
    right = sum(tally[1] for kind, tally in counts.items() if kind not in ("differing", "unrelated"))
    same = sum(tally[0] for kind, tally in counts.items() if kind not in ("differing", "unrelated"))
    truth = [f"{note.cell}/{note.theme}" for note in notes]
    return {
        "notes": len(notes), "threshold": threshold,
        "precision": round(right / merged, 3) if merged else 1.0,
        "recall": round(right / same, 3),
        "by_kind": {kind: {"pairs": pairs, "merged": hits, "share": round(hits / pairs, 3)}
                    for kind, (pairs, hits) in sorted(counts.items())},
        "differing_merged": round(counts.get("differing", [1, 0])[1] / counts.get("differing", [1, 0])[0], 3),
        "ari": round(adjusted_rand(truth, [found[index] for index in range(len(notes))]), 3),
    }


def timing(sizes=(100, 250, 500, 1000, 2000), repeats: int = 5) -> dict[str, dict[int, float]]:
    """CPU milliseconds (best of ``repeats``) to group n new notes as the summary does (themes_of): all in one
    phase-and-lane (the worst case), and spread over 20 (5 phases of 4 lanes, a usual workshop)."""
    notes, _ = load()
    rng = random.Random(14)
    words = [word for note in notes for word in note.text.split()]
    result: dict[str, dict[int, float]] = {"one_cell": {}, "twenty_cells": {}}
    for size in sizes:
        texts = ([note.text for note in notes] + [" ".join(rng.choices(words, k=rng.randint(3, 12)))
                                                  for _ in range(max(0, size - len(notes)))])[:size]
        for name, cells in (("one_cell", [texts]), ("twenty_cells", [texts[start::20] for start in range(20)])):
            _timed(cells)  # warm the vocabulary and stem caches
            result[name][size] = round(min(_timed(cells) for _ in range(repeats)) * 1000, 1)
    return result


def _timed(cells: list[list[str]]) -> float:
    """Grouping without the cache of note features, as for notes the process has not seen yet."""
    themes.features.cache_clear()
    started = time.process_time()
    for texts in cells:
        themes.themes_of(texts, list(range(len(texts))))
    return time.process_time() - started


def markdown(results: dict) -> str:
    lines = ["# Themes: grouping the labelled notes", ""]
    for name, scores in results["sets"].items():
        lines += [f"## {name}: {scores['notes']} notes, threshold {scores['threshold']}", "",
                  f"- precision {scores['precision']} (target ≥ {TARGETS['precision']}), recall {scores['recall']}",
                  f"- differing pairs merged {scores['differing_merged']} (target ≤ {TARGETS['differing_merged']})",
                  f"- adjusted Rand index {scores['ari']} (target ≥ {TARGETS['ari']})", "",
                  "| pairs | count | merged | share |", "| --- | --- | --- | --- |"]
        lines += [f"| {kind} | {row['pairs']} | {row['merged']} | {row['share']} |"
                  for kind, row in scores["by_kind"].items()]
        lines.append("")
    lines += ["## Grouping time, CPU ms (best of 5)", "", "| notes | all in one phase-and-lane | over 20 |",
              "| --- | --- | --- |"]
    one, twenty = results["timing_ms"]["one_cell"], results["timing_ms"]["twenty_cells"]
    lines += [f"| {size} | {one[size]} | {twenty[size]} |" for size in one]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.themes", description=__doc__)
    parser.add_argument("--sweep", action="store_true", help="scores for a range of thresholds, nothing saved")
    options = parser.parse_args()
    sets = {name: load(f"{name}.toml") for name in ("themes_labelled", "themes_heldout", "themes_heldout2")
            if (DATA / f"{name}.toml").exists()}
    if options.sweep:
        for threshold in [round(0.3 + step * 0.05, 2) for step in range(9)]:
            for name, (notes, contrasts) in sets.items():
                scores = evaluate(notes, contrasts, threshold)
                print(name, threshold, {key: scores[key] for key in ("precision", "recall", "differing_merged", "ari")},
                      {kind: row["share"] for kind, row in scores["by_kind"].items()})
        return
    results = {"sets": {name: evaluate(*loaded) for name, loaded in sets.items()}, "timing_ms": timing()}
    table = markdown(results)
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "themes.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "themes.md").write_text(table)


if __name__ == "__main__":
    main()
