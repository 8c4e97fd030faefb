"""Prompt packs stay complete: every key the code names exists in every language, with the same placeholders."""
import ast
import re
import string
from pathlib import Path

import pytest

from flows.texts import available_languages, load_pack

ROOT = Path(__file__).resolve().parents[1]
SOURCE_PACKAGES = ("bot", "flows", "renderers")
DOTTED_KEY = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")  # file names like summary.html.j2 do not match
FILE_TYPES = {"md", "html", "json", "csv", "png", "toml"}  # ...nor summary.csv, a file name too


def _strings(node, prefix=""):
    """(dotted key, text) for every string in a pack, list entries included."""
    if isinstance(node, dict):
        for name, child in node.items():
            yield from _strings(child, f"{prefix}{name}.")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _strings(child, f"{prefix}{index}.")
    elif isinstance(node, str):
        yield prefix.rstrip("."), node


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def _key_literals() -> set[str]:
    """String constants in the code that name a pack key: a dotted path starting with a top-level table."""
    tables = set(load_pack("en").data)
    found = set()
    for package in SOURCE_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            f_string_parts = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
            found |= {node.value for node in ast.walk(tree)
                      if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in f_string_parts
                      and DOTTED_KEY.match(node.value) and node.value.split(".")[0] in tables
                      and node.value.rsplit(".", 1)[1] not in FILE_TYPES}
    return found


def test_the_code_names_pack_keys_and_the_scan_finds_them():
    keys = _key_literals()
    assert {"messages.no_workshop", "modal.title", "help.text"} <= keys


@pytest.mark.parametrize("code", available_languages())
def test_every_key_the_code_names_exists_in_every_pack(code):
    pack = load_pack(code)
    for key in sorted(_key_literals()):
        assert pack.raw(key) is not None


@pytest.mark.parametrize("code", [code for code in available_languages() if code != "en"])
def test_every_text_has_the_same_placeholders_as_the_english_one(code):
    english = dict(_strings(load_pack("en").data))
    for key, text in _strings(load_pack(code).data):
        if key in english:
            assert _placeholders(text) == _placeholders(english[key]), f"{code}: {key}"
