"""Prompt packs: all user-facing wording, one TOML file per language."""
from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from types import MappingProxyType
from typing import Any

from babel import Locale
from babel.numbers import format_decimal
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

    def plural(self, key: str, count: int, **values: Any) -> str:
        """The form of a counted text that the language's plural rules pick for ``count`` (CLDR, via Babel).

        The value at ``key`` is a table of forms (``one``, ``other``, …); ``{count}`` is the number written
        the language's way (1,000 in English, 1.000 in Dutch)."""
        forms = self.raw(key)
        form = forms.get(plural_category(self.code, count), forms["other"])
        return form.format(count=format_number(self.code, count), **values)

    def count(self, noun: str, count: int) -> str:
        """``count`` with its noun, e.g. "1 answer", "2 answers" (the forms are in ``[counts.<noun>]``)."""
        return self.plural(f"counts.{noun}", count)

    def lane_label(self, lane: str) -> str:
        return self.raw(f"lanes.{lane}.label")

    def evidence_tags(self) -> Mapping[str, Evidence]:
        """Hashtag (without #) → evidence value."""
        return self._evidence_tags

    @cached_property
    def _evidence_tags(self) -> Mapping[str, Evidence]:  # read for every thread reply
        evidence = self.raw("evidence")
        return MappingProxyType({
            tag.lower(): Evidence(key.removeprefix("tags_"))
            for key, tags in evidence.items()
            if key.startswith("tags_")
            for tag in tags
        })


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def plural_category(code: str, count: int) -> str:
    """The CLDR plural category (``one``, ``few``, ``other``, …) of ``count`` in a language."""
    return _locale(code).plural_form(abs(count))


def required_plural_forms(code: str) -> frozenset[str]:
    """The plural categories a language distinguishes; ``other`` is always one of them."""
    return _locale(code).plural_form.tags | {"other"}


def format_number(code: str, number: int) -> str:
    return format_decimal(number, locale=_locale(code))


def format_signed(code: str, number: float) -> str:
    """A number with its sign and two decimals in the language's notation: ``+0.33``, ``-0,50``; zero, and
    what rounds to it, is neutral and has no sign: ``0.00``."""
    rounded = round(number, 2) + 0.0  # a rounded -0.0 becomes 0.0
    return format_decimal(rounded, format="+0.00;-0.00" if rounded else "0.00", locale=_locale(code))


def available_languages() -> tuple[str, ...]:
    packs = resources.files("flows").joinpath("packs")
    return tuple(sorted(p.name.removesuffix(".toml") for p in packs.iterdir() if p.name.endswith(".toml")))


@cache
def load_pack(code: str = DEFAULT_LANGUAGE) -> Pack:
    if code not in available_languages():
        raise MissingText(f"no prompt pack for language {code!r}")
    text = resources.files("flows").joinpath(f"packs/{code}.toml").read_text(encoding="utf-8")
    return Pack(code=code, data=tomllib.loads(text))
