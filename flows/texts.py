"""Prompt packs: all user-facing wording, one TOML file per language."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from flows.vocabulary import Evidence

DEFAULT_LANGUAGE = "en"


class MissingText(KeyError):
    pass


@dataclass(frozen=True)
class Pack:
    code: str
    data: dict[str, Any]

    def raw(self, key: str) -> Any:
        """The value at a dotted key, e.g. ``steps.phases.title``."""
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise MissingText(f"{self.code}: no text at {key!r}")
            node = node[part]
        return node

    def text(self, key: str, **values: Any) -> str:
        template = self.raw(key)
        return template.format(**values) if values else template

    def lane_label(self, lane: str) -> str:
        return self.raw(f"lanes.{lane}.label")

    def evidence_tags(self) -> dict[str, Evidence]:
        """Hashtag (without #) → evidence value."""
        evidence = self.raw("evidence")
        return {
            tag.lower(): Evidence(key.removeprefix("tags_"))
            for key, tags in evidence.items()
            if key.startswith("tags_")
            for tag in tags
        }


def available_languages() -> tuple[str, ...]:
    packs = resources.files("flows").joinpath("packs")
    return tuple(sorted(p.name.removesuffix(".toml") for p in packs.iterdir() if p.name.endswith(".toml")))


@cache
def load_pack(code: str = DEFAULT_LANGUAGE) -> Pack:
    if code not in available_languages():
        raise MissingText(f"no prompt pack for language {code!r}")
    text = resources.files("flows").joinpath(f"packs/{code}.toml").read_text(encoding="utf-8")
    return Pack(code=code, data=tomllib.loads(text))
