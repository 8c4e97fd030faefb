"""A team's first week (issue 12), through the real Bolt app against the stand-in, in English and Dutch:
nothing a person writes goes unseen, and every text reads right."""
import csv
import io
import json

import pytest

from bot.standin.session import open_standin
from flows.texts import available_languages, load_pack, required_plural_forms
from tests.factories import make_workshop, many_items, summary_of
from tests.test_workshop import ANA, BRAM, CHLOE, LEAD, PEOPLE, block_text, posted_summary, section

ELSEWHERE = "C0ELSEWHERE"


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as local:
        local.web_api.add_channel(ELSEWHERE, "elsewhere", list(PEOPLE))
        yield local


def link_to(slack, message: dict) -> str:
    return slack.web_api.state.permalink(slack.channel, message["ts"])


def prompt_text(slack, prompt: dict) -> str:
    return block_text(slack.web_api.message(slack.channel, prompt["ts"]))


def summary_in_channel(slack) -> str:
    """The summary the lead posted last, in either language."""
    titles = tuple(load_pack(code).text("summary.header", title="") for code in available_languages())
    return block_text([m for m in slack.web_api.messages(slack.channel) if m["text"].startswith(titles)][-1])


def go_to_step(slack, number: int) -> None:
    for _ in range(number - 1):
        slack.command(LEAD, "next")


# -- plural rules ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "expected"), [
    ("en", ["0 answers", "1 answer", "2 answers", "1,000 answers"]),
    ("nl", ["0 antwoorden", "1 antwoord", "2 antwoorden", "1.000 antwoorden"]),
])
def test_counts_follow_the_languages_plural_rules_for_0_1_2_and_1000(code, expected):
    pack = load_pack(code)
    assert [pack.count("answers", n) for n in (0, 1, 2, 1000)] == expected


@pytest.mark.parametrize("code", available_languages())
def test_every_counted_text_has_the_forms_its_language_needs(code):
    """A language with more plural forms (say `few`) must give them all; `other` is always there."""
    pack = load_pack(code)
    counted = [pack.raw(f"counts.{noun}") for noun in pack.raw("counts")]
    counted += [pack.raw(key) for key in ("summary.votes", "reminders.sent", "reminders.everyone_answered",
                                          "anonymity.status_answered", "themes.drafts_added",
                                          "research.share_checked", "research.home_title")]
    for forms in counted:
        assert set(forms) >= required_plural_forms(code), forms


@pytest.mark.parametrize(("lang", "one", "two", "thousand"), [
    ("en", "customer journey · 1 answer from 1 person · 1 assumption, 0 from research",
     "customer journey · 2 answers from 2 people · 2 assumptions, 0 from research",
     "customer journey · 1,000 answers from 7 people · 400 assumptions, 600 from research"),
    ("nl", "klantreis · 1 antwoord van 1 persoon · 1 aanname, 0 uit onderzoek",
     "klantreis · 2 antwoorden van 2 mensen · 2 aannames, 0 uit onderzoek",
     "klantreis · 1.000 antwoorden van 7 mensen · 400 aannames, 600 uit onderzoek"),
])
def test_the_summary_counts_read_right_for_1_2_and_1000_answers(lang, one, two, thousand):
    workshop = make_workshop(lang=lang)
    items = many_items(1000, workshop)
    plain = [item for item in items if item.evidence == "assumption"]
    first, second = plain[0], next(item for item in plain if item.author_id != plain[0].author_id)
    assert summary_of(workshop, [first]).context.endswith(one.split(" · ", 1)[1])
    assert summary_of(workshop, [first, second]).context.endswith(two.split(" · ", 1)[1])
    assert summary_of(workshop, items).context.endswith(thousand.split(" · ", 1)[1])


@pytest.mark.parametrize(("lang", "none", "one", "two"), [
    ("en", "0 answers from 0 people so far.", "1 answer from 1 person so far.", "2 answers from 2 people so far."),
    ("nl", "Tot nu toe 0 antwoorden van 0 mensen.", "Tot nu toe 1 antwoord van 1 persoon.",
     "Tot nu toe 2 antwoorden van 2 mensen."),
])
def test_the_prompts_count_reads_right_in_slack(slack, lang, none, one, two):
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    prompt = slack.open_prompt()
    first = slack.reply(ANA, "A freelance designer")
    assert one in prompt_text(slack, prompt)
    slack.reply(BRAM, "A retired teacher")
    assert two in prompt_text(slack, prompt)
    slack.people.delete(ANA, slack.channel, first["ts"])
    slack.people.delete(BRAM, slack.channel, slack.web_api.thread(slack.channel, prompt["ts"])[-1]["ts"])
    assert none in prompt_text(slack, prompt)


def test_votes_and_reminders_read_right_for_one(slack):
    slack.command(LEAD, "start Ordering online votes:1")
    slack.command(ANA, "hmw add How might we help?")
    assert "1 question, 1 vote each" in slack.command(LEAD, "hmw")
    board = [m for m in slack.web_api.messages(slack.channel) if m["text"].startswith("Vote:")][-1]
    assert "Everyone has 1 vote." in block_text(board)


# -- after /journey next, the previous prompt says the step is closed --------------------------------

@pytest.mark.parametrize(("lang", "closed", "wrong"), [
    ("en", "This step is closed. Answers now go to *The phases of the journey*: <{link}|reply in its thread>.",
     "This workshop is closed"),
    ("nl", "Deze stap is gesloten. Antwoorden gaan nu naar *De fasen van de reis*: <{link}|antwoord in de thread daarvan>.",
     "Deze workshop is gesloten"),
])
def test_after_next_the_previous_prompt_says_the_step_is_closed_and_where_to_answer(slack, lang, closed, wrong):
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    first = slack.open_prompt()
    slack.reply(ANA, "A freelance designer")
    slack.command(LEAD, "next")
    second = slack.open_prompt()
    text = prompt_text(slack, first)
    assert closed.format(link=link_to(slack, second)) in text
    assert wrong not in text
    assert ("1 answer from 1 person" if lang == "en" else "1 antwoord van 1 persoon") in text  # the count stays

    slack.command(LEAD, "close")
    assert wrong in prompt_text(slack, second)  # only a closed workshop says so


# -- counts stay true after every change -------------------------------------------------------------

def test_every_change_to_a_steps_answers_leaves_its_count_true(slack):
    slack.command(LEAD, "start Ordering online")
    go_to_step(slack, 3)  # Phase 1: several lanes
    prompt = slack.open_prompt()

    def count() -> str:
        return prompt_text(slack, prompt).rsplit("\n", 1)[-1]

    kept = slack.reply(ANA, "does: compares prices")
    assert count() == "1 answer from 1 person so far."
    assert slack.answer_with_modal(BRAM, {"lane": "thinks", "text": "so many shops"}) == {}
    assert count() == "2 answers from 2 people so far."
    unsorted = slack.reply(CHLOE, "reads reviews")  # no lane: stored, not sorted yet, and counted
    assert count() == "3 answers from 3 people so far."
    question = slack.web_api.ephemerals(CHLOE)[-1]
    slack.people.click(CHLOE, message_ts=question["ts"], action_id="set_lane:does")
    assert count() == "3 answers from 3 people so far."
    slack.people.edit(ANA, slack.channel, kept["ts"], "thinks: compares prices")
    assert count() == "3 answers from 3 people so far."
    slack.people.delete(CHLOE, slack.channel, unsorted["ts"])
    assert count() == "2 answers from 2 people so far."

    slack.command(LEAD, "next")  # a deletion in a closed step's thread still recounts its prompt
    slack.people.delete(ANA, slack.channel, kept["ts"])
    text = prompt_text(slack, prompt)
    assert "1 answer from 1 person. · This step is closed." in text  # no "so far" once the step is closed


def test_a_deleted_answer_recounts_in_dutch(slack):
    slack.command(LEAD, "start Online bestellen lang:nl")
    prompt = slack.open_prompt()
    gone = slack.reply(ANA, "Een zzp'er")
    slack.reply(BRAM, "Een student")
    slack.people.delete(ANA, slack.channel, gone["ts"])
    assert "Tot nu toe 1 antwoord van 1 persoon." in prompt_text(slack, prompt)


# -- unplaceable replies are stored and shown as not sorted yet ---------------------------------------

def exported(slack, fmt: str) -> str:
    slack.command(LEAD, f"export {fmt}")
    return slack.web_api.files()[-1]["content"].decode("utf-8")


def test_unplaceable_replies_show_everywhere_as_not_sorted_yet_and_their_author_sorts_them_at_home(slack):
    slack.command(LEAD, "start Ordering online template:understand")
    go_to_step(slack, 3)
    slack.reply(ANA, "compares prices")
    go_to_step(slack, 8)  # seven steps on: Overall experience and intentions
    slack.reply(BRAM, "would buy again")

    slack.command(LEAD, "summary")
    summary = posted_summary(slack)
    assert "_Not sorted yet_\n• compares prices — _Ana_" in section(summary, "1. Awareness")
    assert "• would buy again · _Overall experience and intentions_ — _Bram_" in section(summary, "Not sorted yet")
    assert "2 answers from 2 people" in summary

    markdown = exported(slack, "md")
    assert "**Not sorted yet**\n\n- compares prices — Ana" in markdown
    assert "## Not sorted yet\n\n- would buy again · _Overall experience and intentions_ — Bram" in markdown
    data = json.loads(exported(slack, "json"))
    assert "unsorted" in data["lanes"]
    assert [item["text"] for item in data["phases"][0]["lanes"]["unsorted"]] == ["compares prices"]
    assert [(item["text"], item["author"]) for item in data["unsorted"]] == [("would buy again", "Bram")]
    rows = list(csv.DictReader(io.StringIO(exported(slack, "csv"))))
    assert {(row["text"], row["lane"]) for row in rows} == {("compares prices", "unsorted"),
                                                            ("would buy again", "unsorted")}
    assert "Not sorted yet" in exported(slack, "html")

    # Ana's question has vanished (Slack reloaded); the Home tab still lets her sort her answer.
    slack.people.open_home(ANA)
    home = slack.web_api.home(ANA)
    assert "*Your answers that are not sorted yet*" in block_text(home)
    assert "“compares prices”\n*Ordering online* · Phase 1 of 5: Awareness · Ana" in block_text(home)
    menu = next(block["accessory"] for block in home["blocks"] if block.get("accessory", {}).get("type") == "static_select")
    assert [option["text"]["text"] for option in menu["options"]] == [
        "Does", "Thinks", "Feels: positive", "Feels: neutral", "Feels: negative", "Touchpoints and channels",
        "Opportunities and insights"]
    assert "would buy again" not in block_text(home)  # Bram's, and Ana does not lead
    slack.people.click_in_view(ANA, home["id"], menu["action_id"], value="feels:-1")
    assert "not sorted yet" not in block_text(slack.web_api.home(ANA))

    slack.command(LEAD, "summary")
    awareness = section(posted_summary(slack), "1. Awareness")
    assert ":disappointed: compares prices — _Ana_" in awareness.split("_Feels_")[1]
    assert "_Not sorted yet_" not in awareness


@pytest.mark.parametrize(("lang", "title", "line", "author"), [
    ("en", "*Answers not sorted yet*", "“would buy again”\n*Ordering online* · Overall experience and intentions · ",
     "anonymous"),
    ("nl", "*Antwoorden die nog niet zijn ingedeeld*", "“koopt weer”\n*Ordering online* · Ervaring in het algemeen en intenties · ",
     "anoniem"),
])
def test_a_lead_sorts_anyones_unsorted_answer_from_home_and_anonymity_holds(tmp_path, lang, title, line, author):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE, lang=lang) as slack:
        lead_sorts_an_anonymous_answer(slack, lang, title, line, author)


def lead_sorts_an_anonymous_answer(slack, lang, title, line, author):
    slack.command(LEAD, "start Ordering online template:understand anonymous:on")
    go_to_step(slack, 10)
    prompt = slack.open_prompt()
    slack.reply(BRAM, "would buy again" if lang == "en" else "koopt weer")
    slack.people.open_home(LEAD)
    home = slack.web_api.home(LEAD)
    assert title in block_text(home) and line + author in block_text(home)
    assert "Bram" not in json.dumps(home)
    menu = next(block["accessory"] for block in home["blocks"] if block.get("accessory", {}).get("type") == "static_select")
    assert [option["value"] for option in menu["options"]] == ["experience", "intentions"]
    slack.people.click_in_view(LEAD, home["id"], menu["action_id"], value="intentions")
    assert title not in block_text(slack.web_api.home(LEAD))
    assert ("1 answer from 1 person" if lang == "en" else "1 antwoord van 1 persoon") in prompt_text(slack, prompt)
    slack.command(LEAD, "summary")
    summary = summary_in_channel(slack)
    assert ("would buy again" in section(summary, "Intentions") if lang == "en"
            else "koopt weer" in section(summary, "Intenties"))


# -- a reply to the kickoff -------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "said"), [
    ("en", "Answers go in the thread of each prompt, not here. The open one is *The end user and their problem*: "
           "<{link}|reply in its thread> or press *Answer* on it. Nothing was stored."),
    ("nl", "Antwoorden horen in de thread van elke vraag, niet hier. De open vraag is *De eindgebruiker en het probleem*: "
           "<{link}|antwoord in de thread daarvan> of druk daar op *Antwoorden*. Er is niets opgeslagen."),
])
def test_a_reply_to_the_kickoff_is_told_where_answers_go_and_nothing_is_stored(slack, lang, said):
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    kickoff = slack.web_api.messages(slack.channel)[0]
    reply = slack.people.say(ANA, "A freelance designer", channel=slack.channel, thread_ts=kickoff["ts"])
    assert slack.web_api.ephemerals(ANA)[-1]["text"] == said.format(link=link_to(slack, slack.open_prompt()))
    assert slack.web_api.reactions(slack.channel, reply["ts"]) == {}
    assert ("Nobody has answered" if lang == "en" else "Nog niemand") in slack.command(ANA, "status")

    slack.command(LEAD, "close")
    slack.people.say(BRAM, "too late", channel=slack.channel, thread_ts=kickoff["ts"])
    assert slack.web_api.ephemerals(BRAM)[-1]["text"] == load_pack(lang).text("kickoff_thread.closed")


# -- touchpoints in a user journey ------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "reply", "said"), [
    ("en", "touchpoint: the app store", "Touchpoints belong to customer journeys; this user journey asks what the "
                                        "end user does, thinks and feels.\nWhere does your answer belong? “the app store”"),
    ("nl", "contactpunt: de app store", "Contactpunten horen bij een klantreis; deze gebruikersreis vraagt wat de "
                                        "eindgebruiker doet, denkt en voelt.\nWaar hoort je antwoord bij? “de app store”"),
])
def test_a_touchpoint_in_a_user_journey_is_told_in_one_sentence_and_kept_unsorted(slack, lang, reply, said):
    slack.command(LEAD, f"start Signing up kind:user template:understand lang:{lang}")
    go_to_step(slack, 3)
    slack.reply(ANA, reply)
    question = slack.web_api.ephemerals(ANA)[-1]
    assert question["text"].startswith(said)
    labels = [element["text"]["text"] for element in question["blocks"][1]["elements"]]
    pack = load_pack(lang)  # does, thinks, feels and (about this phase) the opportunities: no touchpoints here
    assert labels == [pack.lane_label(lane) for lane in ("does", "thinks", "feels", "insight")]
    slack.command(LEAD, "summary")
    summary = summary_in_channel(slack)
    assert ("• " + reply.split(": ", 1)[1] + " — _Ana_") in summary


# -- close once, the channel's language, short option errors -------------------------------------------

def test_close_is_said_once_in_the_channel(slack):
    slack.command(LEAD, "start Ordering online")
    before = len(slack.web_api.ephemerals(LEAD))
    assert slack.command(LEAD, "close") == ""
    assert len(slack.web_api.ephemerals(LEAD)) == before
    notes = [m for m in slack.web_api.messages(slack.channel) if "is closed" in m["text"]]
    assert len(notes) == 1 and "0 answers from 0 people" in notes[0]["text"]


def test_commands_in_a_dutch_workshops_channel_answer_in_dutch_and_elsewhere_in_the_default(slack):
    slack.command(LEAD, "start Online bestellen lang:nl")
    assert slack.command(BRAM, "help").startswith("*journeybot* leidt in dit kanaal een workshop")
    assert slack.command(BRAM, "dans").startswith("Ik ken `dans` niet.\n*journeybot* leidt")
    assert slack.command(BRAM, "start Nog een kind:banaan") == (
        "`kind:banaan` is geen van de keuzes: `kind` kan zijn: `kind:customer`, `kind:user`. "
        "`/journey help` toont alle opdrachten.")
    slack.command(LEAD, "close")
    assert slack.command(BRAM, "help").startswith("*journeybot* leidt")  # the channel's latest workshop

    slack.people.slash(BRAM, "help", channel=ELSEWHERE)
    assert slack.web_api.ephemerals(BRAM)[-1]["text"].startswith("*journeybot* runs a customer-journey")


@pytest.mark.parametrize(("text", "said"), [
    ("start X kind:banana", "`kind:banana` is not one of the choices: `kind` can be `kind:customer`, `kind:user`."),
    ("start X lang:fr", "`lang:fr` is not one of the choices: `lang` can be `lang:en`, `lang:nl`."),
    ("start X votes:0", "`votes:0` is not one of the choices: `votes` can be `votes:1` … `votes:10`."),
])
def test_an_option_error_says_what_is_wrong_and_the_valid_values_in_one_line(slack, text, said):
    assert slack.command(ANA, text) == f"{said} `/journey help` shows every command."
    assert not slack.web_api.messages(slack.channel)


# -- back then next keeps one live prompt per step -------------------------------------------------------

@pytest.mark.parametrize(("lang", "note"), [
    ("en", ":arrow_right: *The phases of the journey* is open again: <{link}|reply in its thread> or press *Answer* on it."),
    ("nl", ":arrow_right: *De fasen van de reis* is weer open: <{link}|antwoord in de thread> of druk daar op *Antwoorden*."),
])
def test_back_then_next_reopens_the_steps_one_prompt_with_a_note(slack, lang, note):
    slack.command(LEAD, f"start Ordering online lang:{lang}")
    slack.command(LEAD, "next")
    second = slack.open_prompt()
    slack.reply(ANA, "Research, Purchase", prompt_ts=second["ts"])
    slack.command(LEAD, "back")
    slack.command(LEAD, "next")

    assert len(slack.prompts()) == 2  # no second copy of step 2
    assert slack.open_prompt()["ts"] == second["ts"]
    assert note.format(link=link_to(slack, second)) in slack.web_api.messages(slack.channel)[-1]["text"]
    slack.reply(BRAM, "Use, Loyalty", prompt_ts=second["ts"])
    assert ("2 answers from 2 people" if lang == "en" else "2 antwoorden van 2 mensen") in prompt_text(slack, second)
    first = slack.prompts()[0]
    assert "prompt_actions" not in json.dumps(slack.web_api.message(slack.channel, first["ts"]))


def test_the_journey_map_draws_a_not_sorted_yet_row_until_the_answer_is_sorted(slack):
    from PIL import Image

    slack.command(LEAD, "start Ordering online template:understand")
    go_to_step(slack, 3)
    slack.reply(ANA, "compares prices")

    def map_height() -> int:
        slack.command(LEAD, "export png")
        return Image.open(io.BytesIO(slack.web_api.files()[-1]["content"])).height

    with_unsorted = map_height()
    slack.people.open_home(ANA)
    home = slack.web_api.home(ANA)
    menu = next(block["accessory"] for block in home["blocks"] if block.get("accessory", {}).get("type") == "static_select")
    slack.people.click_in_view(ANA, home["id"], menu["action_id"], value="does")
    assert map_height() < with_unsorted  # one lane row fewer once nothing waits to be sorted
