"""Reads the text of a `/journey …` command.

Subcommand and option names are the command's syntax (like Slack's own
commands they stay English in every language); messages come from the packs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flows.catalog import Catalog
from flows.replies import clean_text
from flows.texts import available_languages
from flows.vocabulary import JourneyKind

# subcommand → options it accepts
SUBCOMMANDS: dict[str, frozenset[str]] = {
    "start": frozenset({"kind", "template", "lang", "anonymous", "votes", "canvas"}),
    "phases": frozenset(),
    "next": frozenset({"due"}),
    "back": frozenset({"due"}),
    "due": frozenset(),
    "remind": frozenset(),
    "research": frozenset(),
    "lead": frozenset(),
    "hmw": frozenset(),
    "close": frozenset(),
    "delete": frozenset(),
    "status": frozenset(),
    "summary": frozenset(),
    "export": frozenset(),
    "canvas": frozenset(),
    "help": frozenset(),
}
# subcommands that take options only: words after them (say `due 2d` for `due:2d`) would be lost unread
OPTIONS_ONLY = frozenset({"next", "back"})
MAX_TITLE = 120
_OPTION = re.compile(r"^([a-z]+):(?!//)(\S+)$")


@dataclass(frozen=True)
class Command:
    name: str
    argument: str = ""
    options: dict[str, str] = field(default_factory=dict)


class CommandError(ValueError):
    """A command that cannot be carried out; ``key`` and ``values`` make the pack message."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values


def option_choices(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    return {
        "kind": tuple(JourneyKind),
        "template": tuple(catalog.templates),
        "lang": available_languages(),
        "anonymous": ("on", "off"),
        "canvas": ("on", "off"),
    }


def parse_command(text: str, catalog: Catalog) -> Command:
    """The command in ``text``; ``template:`` options are checked against the workspace's ``catalog``."""
    text = clean_text(text)  # control characters never make it into a title or a phase name
    words = text.split()
    if not words:
        return Command("help")
    name = words[0].lower()
    if name not in SUBCOMMANDS:
        raise CommandError("messages.unknown_command", command=words[0][:40])
    rest = text.strip()[len(words[0]):].strip()
    if not SUBCOMMANDS[name]:  # no options: the rest is taken as typed (phase lists keep their line breaks)
        return Command(name, rest)
    options: dict[str, str] = {}
    argument_words: list[str] = []
    for word in rest.split():
        match = _OPTION.match(word)
        if not match:
            argument_words.append(word)
            continue
        key, value = match.groups()
        if key not in SUBCOMMANDS[name]:
            raise CommandError("messages.unknown_option", option=word[:40], command=name,
                               options=", ".join(f"`{option}:`" for option in sorted(SUBCOMMANDS[name])))
        options[key] = _checked_value(key, value, option_choices(catalog), given=word[:40])
    if argument_words and name in OPTIONS_ONLY:
        raise CommandError("command_words.unexpected", words=" ".join(argument_words)[:40], command=name,
                           options=", ".join(f"`{option}:`" for option in sorted(SUBCOMMANDS[name])))
    return Command(name, " ".join(argument_words), options)


def _checked_value(key: str, value: str, all_choices: dict[str, tuple[str, ...]], *, given: str) -> str:
    choices = all_choices.get(key)
    if choices is not None:
        value = value.lower()
        if value not in choices:
            raise CommandError("messages.bad_option_value", option=key, given=given,
                               choices=", ".join(f"`{key}:{c}`" for c in choices))
    if key == "votes" and not (value.isdigit() and 1 <= int(value) <= 10):
        raise CommandError("messages.bad_option_value", option=key, given=given, choices="`votes:1` … `votes:10`")
    return value
