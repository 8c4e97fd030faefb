"""A Dutch workshop end to end through the real Bolt app: Dutch prompts, Dutch lane prefixes and
hashtags, a Dutch summary."""
import pytest

from bot.standin.session import open_standin
from tests.test_workshop import ANA, BRAM, CHLOE, LEAD, PEOPLE, block_text, section


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as local:
        yield local


def title_of(slack):
    return slack.open_prompt()["blocks"][1]["text"]["text"]


def test_a_dutch_workshop_from_start_to_summary(slack):
    assert "Je bent *Online bestellen* begonnen" in slack.command(LEAD, "start Online bestellen lang:nl template:understand")
    kickoff = slack.web_api.messages(slack.channel)[0]
    assert "workshop over de customer journey" in kickoff["text"] and "`#observatie`" in kickoff["text"]
    assert title_of(slack) == "De eindgebruiker en het probleem"
    assert "Wie is de *eindgebruiker*" in block_text(slack.open_prompt())
    slack.reply(ANA, "Een zzp'er die elke maand kantoorartikelen bestelt #interview")

    assert "Door naar stap 2 van" in slack.command(LEAD, "next")
    assert "Onderzoek, Aankoop, Gebruik" in slack.command(LEAD, "phases Onderzoek, Aankoop, Gebruik")
    slack.command(LEAD, "next")
    assert title_of(slack) == "Fase 1 van 3: Onderzoek"
    assert "`doet:`, `denkt:` of `voelt:`" in block_text(slack.open_prompt())
    slack.reply(ANA, "doet: vergelijkt drie webwinkels")
    slack.reply(BRAM, "voelt: :( overweldigd door de keus #observatie")
    slack.reply(CHLOE, "denkt: Er is zoveel keus, ik zie door de bomen het bos niet meer")
    slack.reply(CHLOE, "contactpunt: de website van de winkel")
    slack.reply(ANA, "voelt: moe")
    assert "Hoe voelt de eindgebruiker zich hier?" in slack.web_api.ephemerals(ANA)[-1]["text"]
    slack.reply(BRAM, "zoekt een kortingscode")
    assert "Waar hoort je antwoord bij?" in slack.web_api.ephemerals(BRAM)[-1]["text"]
    button = slack.open_prompt()["blocks"][3]["elements"][0]
    assert (button["action_id"], button["text"]["text"]) == ("answer", "Antwoorden")

    for _ in range(3):
        slack.command(LEAD, "next")
    assert title_of(slack) == "Kansen en inzichten"
    slack.reply(BRAM, "De verzendkosten verschijnen pas bij het afrekenen.")
    slack.command(LEAD, "next")
    slack.command(LEAD, "next")
    slack.reply(ANA, "intentie: bestelt opnieuw, maar vergelijkt eerst prijzen")
    assert "laatste stap" in slack.command(LEAD, "next")

    assert "De samenvatting staat in het kanaal." in slack.command(LEAD, "summary")
    posted = [m for m in slack.web_api.messages(slack.channel) if m["text"].startswith("Samenvatting van de reis")]
    summary = block_text(posted[-1])
    # Bram's unsorted answer counts and shows (this test once left it out of the counts, and so of the summary).
    assert "Nog bezig" in summary and "customer journey · 9 antwoorden van 3 mensen · 7 aannames, 2 uit onderzoek" in summary
    assert "zzp'er die elke maand kantoorartikelen bestelt — _Ana_ `onderzoek`" in section(summary, "Eindgebruiker en probleem")
    research = section(summary, "1. Onderzoek")
    assert "Gemiddeld gevoel: :disappointed: -1,00 (0 positief, 0 neutraal, 1 negatief)" in research
    assert "vergelijkt drie webwinkels — _Ana_" in research.split("_Doet_")[1]
    assert ":disappointed: overweldigd door de keus — _Bram_ `onderzoek`" in research.split("_Voelt_")[1]
    assert "ik zie door de bomen het bos niet meer" in research.split("_Denkt_")[1]
    assert "de website van de winkel" in research.split("_Contactpunten en kanalen_")[1]
    assert "zoekt een kortingscode — _Bram_" in research.split("_Nog niet ingedeeld_")[1]
    hmw = section(summary, "Hoe kunnen we …")
    assert ("Hoe kunnen we ervoor zorgen dat de eindgebruiker zich minder overweldigd door de keus voelt"
            " in de fase Onderzoek? _(voorstel)_") in hmw
    assert "Hoe kunnen we het probleem “de verzendkosten verschijnen pas bij het afrekenen” oplossen? _(voorstel)_" in hmw
    assert "bestelt opnieuw" in section(summary, "Intenties")


def test_the_default_language_comes_from_the_settings(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'nl.sqlite3'}", people=PEOPLE, lang="nl") as slack:
        assert "Geef de workshop een titel" in slack.command(LEAD, "start")
        slack.command(LEAD, "start Zonder taaloptie")
        assert title_of(slack) == "De eindgebruiker en het probleem"
        assert "Ik ken `dance` niet." in slack.command(LEAD, "dance")
