"""A team's own templates and step wording, read from a TOML file (see docs/templates.md).

The file can add templates (or replace a built-in one), add steps, and reword built-in
steps per language. ``load_flows`` checks it completely and returns the ``Flows`` the bot
runs with: the built-in catalog and packs with the file laid over them. Every problem is
reported with the file, the line and what to change.
"""
from __future__ import annotations

import copy
import re
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from flows.catalog import Catalog, StepDef, load_catalog
from flows.texts import Pack, available_languages, load_pack
from flows.vocabulary import Lane

WORDING_KEYS = ("short", "title", "prompt", "example")
# The placeholders the bot fills in per wording key; short and example are shown as written.
PLACEHOLDERS = {"title": {"phase", "phase_number", "phase_count"},
                "prompt": {"kind", "phases", "phase", "touchpoint_hint"}}
# A new step's answers must have a place in the summary: outside the per-phase journey,
# the summary lists these lanes, and each storyboard step is a panel.
LANES_BY_SECTION = {"understand": (Lane.END_USER, Lane.INSIGHT, Lane.HMW, Lane.EXPERIENCE, Lane.INTENTIONS),
                    "storyboard": (Lane.PANEL,)}
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")  # lowercase: /journey options are read in lowercase


class TemplateFileError(ValueError):
    def __init__(self, path: str | Path, line: int | None, problem: str):
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, eq=False)
class Flows:
    """The steps and templates, and the wording per language, that a running bot uses."""

    catalog: Catalog
    packs: Mapping[str, Pack]

    def pack(self, lang: str) -> Pack:
        return self.packs[lang]


def standard_flows() -> Flows:
    return Flows(load_catalog(), {code: load_pack(code) for code in available_languages()})


def load_flows(path: str | Path | None, *, default_lang: str) -> Flows:
    """The standard flows, with the team's file (if any) laid over them."""
    if path is None:
        return standard_flows()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise TemplateFileError(path, None, f"cannot be read ({error.strerror}).") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problem, line = _decode_error(error)
        raise TemplateFileError(path, line, f"is not valid TOML: {problem}.") from None
    return _Reader(path, text, default_lang).flows(raw)


def _decode_error(error: tomllib.TOMLDecodeError) -> tuple[str, int | None]:
    """tomllib's message and line (Python before 3.14 has them only in the text)."""
    match = re.match(r"^(.*?) \((?:at line (\d+), column \d+|at end of document)\)$", str(error))
    if not match:
        return str(error), None
    return match.group(1), int(match.group(2)) if match.group(2) else None


class _Reader:
    """Checks one file and builds the flows from it; ``fail`` names the line of the offending key."""

    def __init__(self, path: str | Path, text: str, default_lang: str):
        self.path, self.lines, self.default_lang = path, text.splitlines(), default_lang
        self.base = load_catalog()
        self.languages = available_languages()

    def fail(self, key_path: Sequence[str], problem: str, *, value: str | None = None) -> TemplateFileError:
        return TemplateFileError(self.path, _line_of(self.lines, tuple(key_path), value), problem)

    def flows(self, raw: dict[str, Any]) -> Flows:
        for key in raw:
            if key not in ("steps", "templates", "default_template"):
                raise self.fail([key], f"unknown key {key!r}; the file can have [steps.…], [templates.…] "
                                       "and default_template.")
        steps, wording = self._steps(raw.get("steps", {}))
        templates, template_names = self._templates(raw.get("templates", {}), steps)
        default_template = raw.get("default_template", self.base.default_template)
        if default_template not in templates:
            raise self.fail(["default_template"], f"default_template names {default_template!r}, which is not a "
                                                  f"template; use one of: {', '.join(templates)}.")
        catalog = replace(self.base, steps=steps, templates=templates, default_template=default_template)
        packs = {code: _overlay(load_pack(code), wording, template_names, code, self.default_lang)
                 for code in self.languages}
        return Flows(catalog, packs)

    # -- steps --------------------------------------------------------------------------

    def _steps(self, raw: dict[str, Any]) -> tuple[dict[str, StepDef], dict[str, dict[str, dict[str, str]]]]:
        if not isinstance(raw, dict):
            raise self.fail(["steps"], "steps must be tables: [steps.<id>].")
        steps, wording = dict(self.base.steps), {}
        for step_id, spec in raw.items():
            where = ["steps", step_id]
            if not _NAME.match(step_id):
                raise self.fail(where, f"step id {step_id!r} must be lowercase letters, digits, _ or -.")
            if not isinstance(spec, dict):
                raise self.fail(where, f"steps.{step_id} must be a table: [steps.{step_id}].")
            languages = {key: value for key, value in spec.items() if key in self.languages}
            structure = {key: value for key, value in spec.items() if key not in self.languages}
            wording[step_id] = {code: self._wording(where + [code], text) for code, text in languages.items()}
            if step_id in self.base.steps:
                if structure:
                    raise self.fail(where + [next(iter(structure))], f"{step_id!r} is a built-in step: only its "
                                    f"wording can change ([steps.{step_id}.<language>]).")
                continue
            steps[step_id] = self._new_step(step_id, structure)
            missing = [key for key in WORDING_KEYS if key not in wording[step_id].get(self.default_lang, {})]
            if missing:
                raise self.fail(where, f"the new step {step_id!r} needs {', '.join(missing)} in the default language "
                                       f"{self.default_lang!r}: add them under [steps.{step_id}.{self.default_lang}].")
        return steps, wording

    def _new_step(self, step_id: str, spec: dict[str, Any]) -> StepDef:
        where = ["steps", step_id]
        for key in spec:
            if key not in ("section", "lanes"):
                raise self.fail(where + [key], f"unknown key {key!r} in step {step_id!r}; a step has section, lanes "
                                               f"and its wording per language ({', '.join(self.languages)}).")
        section = spec.get("section")
        if section not in LANES_BY_SECTION:
            raise self.fail(where + (["section"] if "section" in spec else []),
                            f"step {step_id!r} needs a section: one of {', '.join(LANES_BY_SECTION)}.")
        allowed = LANES_BY_SECTION[section]
        lanes = spec.get("lanes", list(allowed[:1]))
        if not isinstance(lanes, list) or not lanes:
            raise self.fail(where + ["lanes"], f"lanes of step {step_id!r} must be a list of lanes, "
                                               f"like {[str(lane) for lane in allowed]}.")
        for lane in lanes:
            if lane not in allowed:
                raise self.fail(where + ["lanes"], f"step {step_id!r} cannot collect into lane {lane!r}; in the "
                                f"{section} section the summary shows these lanes: {', '.join(allowed)}.", value=lane)
        return StepDef(id=step_id, section=section, lanes=tuple(Lane(lane) for lane in lanes))

    def _wording(self, where: list[str], text: Any) -> dict[str, str]:
        if not isinstance(text, dict):
            raise self.fail(where, f"{'.'.join(where)} must be a table of texts: [{'.'.join(where)}].")
        for key, value in text.items():
            if key not in WORDING_KEYS:
                raise self.fail(where + [key], f"unknown wording {key!r}; a step's wording is "
                                               f"{', '.join(WORDING_KEYS)}.")
            if not isinstance(value, str) or not value.strip():
                raise self.fail(where + [key], f"{key} must be a text that is not empty.")
            self._check_placeholders(where + [key], key, value)
        return text

    def _check_placeholders(self, where: list[str], key: str, text: str) -> None:
        if key not in PLACEHOLDERS:
            return
        try:
            fields = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
        except ValueError:
            fields = {"}"}
        unknown = sorted(fields - PLACEHOLDERS[key])
        if unknown:
            raise self.fail(where, f"{key} uses {{{unknown[0]}}}, which the bot does not fill in; it can use "
                                   + ", ".join(f"{{{name}}}" for name in sorted(PLACEHOLDERS[key]))
                                   + " (write {{ and }} for a brace).")

    # -- templates ----------------------------------------------------------------------------

    def _templates(self, raw: dict[str, Any], steps: Mapping[str, StepDef]
                   ) -> tuple[dict[str, tuple[str, ...]], dict[str, dict[str, str]]]:
        if not isinstance(raw, dict):
            raise self.fail(["templates"], "templates must be tables: [templates.<name>].")
        templates, names = dict(self.base.templates), {}
        for name, spec in raw.items():
            where = ["templates", name]
            if not _NAME.match(name):
                raise self.fail(where, f"template name {name!r} must be lowercase letters, digits, _ or -.")
            if not isinstance(spec, dict) or not isinstance(spec.get("steps"), list) or not spec["steps"]:
                raise self.fail(where, f"template {name!r} needs its steps: steps = [\"end_user\", \"journey\", …].")
            for step_id in spec["steps"]:
                if step_id not in steps:
                    raise self.fail(where + ["steps"], f"template {name!r} names the unknown step {step_id!r}; "
                                    f"known steps: {', '.join(steps)}.", value=step_id)
            names[name] = {}
            for key, value in spec.items():
                if key == "steps":
                    continue
                if key not in self.languages or not isinstance(value, dict) or set(value) != {"name"}:
                    raise self.fail(where + [key], f"template {name!r} has steps and a name per language: "
                                                   f"[templates.{name}.{self.default_lang}] name = \"…\".")
                names[name][key] = value["name"]
            if name not in self.base.templates and self.default_lang not in names[name]:
                raise self.fail(where, f"the new template {name!r} needs a name in the default language "
                                       f"{self.default_lang!r}: [templates.{name}.{self.default_lang}] name = \"…\".")
            templates[name] = tuple(spec["steps"])
        return templates, names


def _overlay(pack: Pack, wording: Mapping[str, Mapping[str, Mapping[str, str]]],
             template_names: Mapping[str, Mapping[str, str]], code: str, default_lang: str) -> Pack:
    """The pack with the file's wording in it; a new step or template not worded in this
    language borrows the default language's words."""
    data = copy.deepcopy(pack.data)
    for step_id, per_language in wording.items():
        texts = data["steps"].setdefault(step_id, {})
        if step_id not in pack.data["steps"]:
            texts.update(per_language.get(default_lang, {}))
        texts.update(per_language.get(code, {}))
    for name, per_language in template_names.items():
        label = per_language.get(code) or per_language.get(default_lang)
        if label:
            data["templates"][name] = label
    return Pack(code=pack.code, data=data)


def _line_of(lines: Sequence[str], key_path: tuple[str, ...], value: str | None) -> int | None:
    """The 1-based line where ``key_path`` is set (as a table header or a key), or where
    ``value`` first appears after it; None if the file does not spell it out."""
    table: tuple[str, ...] = ()
    for number, line in enumerate(lines, start=1):
        stripped = line.split("#", 1)[0].strip()
        header = re.match(r"^\[+([^\]]+)\]+$", stripped)
        if header:
            table = _dotted(header.group(1))
            here = table
        else:
            assignment = re.match(r"^([A-Za-z0-9_\-\".' ]+?)\s*=", stripped)
            if not assignment:
                continue
            here = table + _dotted(assignment.group(1))
        if here[:len(key_path)] == key_path:
            return _value_line(lines, number, value) if value is not None else number
    return None


def _value_line(lines: Sequence[str], start: int, value: str) -> int:
    for number in range(start, len(lines) + 1):
        if re.search(rf"[\"']{re.escape(value)}[\"']", lines[number - 1]):
            return number
    return start


def _dotted(key: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in key.split("."))
