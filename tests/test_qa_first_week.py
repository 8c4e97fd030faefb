"""What a quality pass through a team's first week found, through the real Bolt app against the stand-in,
in English and Dutch."""
import pytest

from bot.standin.session import open_standin
from flows.texts import load_pack, required_plural_forms
from tests.test_workshop import ANA, BRAM, CHLOE, LEAD, PEOPLE, block_text


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as local:
        yield local


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "I don't know what to do with `due 2d`: `/journey next` takes only `due:`, like `/journey next due:2d`. "
           "Nothing was changed."),
    ("nl", "Ik weet niet wat ik met `due 2d` moet: `/journey next` kent alleen `due:`, zoals `/journey next due:2d`. "
           "Er is niets veranderd."),
])
def test_next_with_a_deadline_typed_as_words_is_refused_not_silently_dropped(slack, lang, said):
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    first = slack.open_prompt()
    assert said in slack.command(LEAD, "next due 2d")
    assert slack.open_prompt()["ts"] == first["ts"]  # the workshop did not move

    slack.command(LEAD, "next due:2d")
    assert slack.open_prompt()["ts"] != first["ts"]
    assert ":alarm_clock:" in block_text(slack.web_api.message(slack.channel, slack.open_prompt()["ts"]))
    assert "`/journey back` " in slack.command(LEAD, "back please")


def test_start_refusals_in_a_dutch_channel_answer_in_dutch(slack):
    slack.command(LEAD, "start Online bestellen lang:nl")
    assert slack.command(LEAD, "start").startswith("Geef de workshop een titel: `/journey start &lt;titel&gt;`")
    assert slack.command(LEAD, "start Nog een").startswith("In dit kanaal loopt al een workshop: *Online bestellen*")
    assert slack.command(LEAD, "start Another one lang:en").startswith("This channel already has a workshop running")
    assert slack.command(LEAD, "start " + "x" * 121).startswith("Die titel is 121 tekens lang")


@pytest.mark.parametrize(("lang", "too_long"), [
    ("en", "That title is 121 characters long; it can be at most 120 characters."),
    ("nl", "Die titel is 121 tekens lang; hij mag hoogstens 120 tekens zijn."),
])
def test_a_title_of_the_limit_starts_and_one_longer_is_told_the_limit_it_may_reach(slack, lang, too_long):
    assert slack.command(LEAD, f"start {'x' * 121} lang:{lang}") == too_long
    slack.command(LEAD, f"start {'x' * 120} lang:{lang}")
    assert slack.prompts()  # exactly the limit is allowed, as the refusal says


@pytest.mark.parametrize(("lang", "suggested", "step"), [
    ("en", "Suggested: Research, Purchase, Use.", "Step 2 of 13"),
    ("nl", "Voorstel: Research, Purchase, Use.", "Stap 2 van 13"),
])
def test_settled_phases_show_at_once_in_the_open_prompt(slack, lang, suggested, step):
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    slack.command(LEAD, "next")
    slack.command(LEAD, "phases Research, Purchase, Use")
    prompt = block_text(slack.web_api.message(slack.channel, slack.open_prompt()["ts"]))
    assert suggested in prompt and step in prompt and "Loyal" not in prompt


@pytest.mark.parametrize(("lang", "one", "two"), [
    ("en", "Only the workshop's lead (<@U0LEAD>) can do that.",
     "Only the workshop's leads ("),
    ("nl", "Alleen de leider van de workshop (<@U0LEAD>) kan dat doen.",
     "Alleen de leiders van de workshop ("),
])
def test_only_the_leads_is_said_in_the_plural_once_there_is_a_co_lead(slack, lang, one, two):
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    assert slack.command(BRAM, "next").startswith(one)
    slack.command(LEAD, f"lead <@{ANA}>")
    refused = slack.command(BRAM, "next")
    assert refused.startswith(two) and f"<@{LEAD}>" in refused and f"<@{ANA}>" in refused
    assert ("can do that." if lang == "en" else "kunnen dat doen.") in refused
    assert load_pack(lang).raw("messages.only_lead").keys() >= required_plural_forms(lang)


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "Everyone in this channel but you has answered *The end user and their problem*. Nobody needed a reminder."),
    ("nl", "Iedereen in dit kanaal behalve jij heeft *De eindgebruiker en het probleem* beantwoord. "
           "Niemand had een herinnering nodig."),
])
def test_remind_when_only_the_asking_lead_has_not_answered_says_so_and_nudges_nobody(slack, lang, said):
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    for person in (ANA, BRAM, CHLOE):
        slack.reply(person, "A freelance designer")
    assert slack.command(LEAD, "remind") == said
    assert not any(slack.web_api.messages(slack.web_api.im_channel(person)) for person in (ANA, BRAM, CHLOE, LEAD))


@pytest.mark.parametrize(("lang", "empty"), [
    ("en", "Your reply was empty, so nothing was stored."),
    ("nl", "Je antwoord was leeg, dus er is niets opgeslagen."),
])
def test_a_reply_of_only_invisible_characters_is_empty_and_emoji_joined_by_them_are_kept(slack, lang, empty):
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    prompt = slack.open_prompt()
    for invisible in ("\u200b", "\u200b \ufeff", "\u2060\u200b"):
        slack.reply(ANA, invisible)
        assert slack.web_api.ephemerals(ANA)[-1]["text"] == empty
    assert ("1 answer" if lang == "en" else "1 antwoord") not in block_text(slack.web_api.message(slack.channel, prompt["ts"]))
    slack.reply(ANA, "\U0001F469\u200d\U0001F4BB a developer")  # woman technologist: two emoji and a joiner
    slack.command(ANA, "summary")
    assert "\U0001F469\u200d\U0001F4BB a developer" in block_text(slack.web_api.ephemerals(ANA)[-1])
