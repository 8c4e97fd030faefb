"""An average feeling of zero is neutral and has no sign ("0.00", not "+0.00" or "-0.00"): in the journey
map picture's curve labels and in every summary that prints the averages; JSON keeps numbers."""
import json

import pytest

from bot.standin.session import open_standin
from renderers.pictures import journey_map_png
from renderers.words import signed
from tests.factories import drawn_texts, make_item, make_workshop, summary_of
from tests.test_summary_files import content_of, files_in
from tests.test_workshop import ANA, BRAM, LEAD, PEOPLE, block_text


def test_an_average_feeling_that_rounds_to_zero_has_no_sign_and_others_keep_theirs():
    cases = [(0.0, "0.00", "0,00"), (-0.0, "0.00", "0,00"), (-0.004, "0.00", "0,00"), (0.004, "0.00", "0,00"),
             (1 / 3, "+0.33", "+0,33"), (-0.5, "-0.50", "-0,50"), (0.006, "+0.01", "+0,01"), (-1, "-1.00", "-1,00")]
    assert [(signed(average, "en"), signed(average, "nl")) for average, _, _ in cases] == [
        (en, nl) for _, en, nl in cases]


@pytest.mark.parametrize(("lang", "zero"), [("en", "0.00"), ("nl", "0,00")])
def test_the_journey_maps_curve_labels_a_neutral_phase_without_a_sign(monkeypatch, lang, zero):
    workshop = make_workshop(phases=["Research", "Purchase"], lang=lang)
    items = [make_item("feels", text, phase=phase, workshop=workshop, feeling=feeling)
             for text, phase, feeling in [("glad", 1, 1), ("annoyed", 1, -1), ("lost", 2, -1)]]
    drawn = drawn_texts(monkeypatch, journey_map_png, summary_of(workshop, items)).splitlines()
    assert zero in drawn and f"+{zero}" not in drawn and f"-{zero}" not in drawn
    assert ("-1.00" if lang == "en" else "-1,00") in drawn


@pytest.mark.parametrize(("lang", "phases", "feels", "line"), [
    ("en", "Research, Purchase", "feels", "Average feeling: :neutral_face: 0.00 (1 positive, 0 neutral, 1 negative)"),
    ("nl", "Oriëntatie, Aankoop", "voelt", "Gemiddeld gevoel: :neutral_face: 0,00 (1 positief, 0 neutraal, 1 negatief)"),
])
def test_a_summary_with_an_average_feeling_of_zero_prints_it_without_a_sign(tmp_path, lang, phases, feels, line):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as slack:
        slack.command(LEAD, f"start Ordering online template:understand lang:{lang}")
        slack.command(LEAD, "next")
        slack.command(LEAD, f"phases {phases}")
        slack.command(LEAD, "next")
        slack.reply(ANA, f"{feels}: :) glad to find it")
        slack.reply(BRAM, f"{feels}: :( lost among the choices")
        slack.command(LEAD, "summary")
        summary = block_text(next(m for m in slack.web_api.messages(slack.channel)
                                  if m.get("blocks") and m["blocks"][0]["type"] == "header"))
        exports = {}
        for kind in ("md", "html", "json"):
            slack.command(LEAD, f"export {kind}")
            exports[kind] = content_of(slack, files_in(slack)[-1]).decode()
    zero = line.split(":neutral_face: ")[1].split(" ")[0]
    assert line in summary
    assert f"**{zero}**" in exports["md"] and f"+{zero}" not in exports["md"]
    assert f" {zero}</span>" in exports["html"] and f"+{zero}" not in exports["html"]
    assert json.loads(exports["json"])["phases"][0]["average_feeling"] == 0
