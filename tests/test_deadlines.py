"""Deadlines and reminders, through the real Bolt app: the prompt shows the deadline in each reader's own
time zone, Slack holds the one scheduled reminder, and `/journey remind` nudges privately."""
import re
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.usecases import reminders
from bot.standin.session import open_standin
from tests.test_workshop import block_text

LEAD, ANA, BRAM, CHLOE = "U0LEAD", "U0ANA", "U0BRAM", "U0CHLOE"
PEOPLE = {LEAD: "Lena Lead", ANA: "Ana", BRAM: "Bram", CHLOE: "Chloé"}
DAY, HOUR = 24 * 3600, 3600
DATE_TOKEN = re.compile(r"<!date\^(\d+)\^\{date_short_pretty\} at \{time\}\|[^>]+>")


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE) as local:
        local.command(LEAD, "start Ordering online template:understand")
        yield local


def deadline_on(message: dict) -> int | None:
    """The deadline a prompt shows, as the Unix time in Slack's date token."""
    match = re.search(r"Answers due " + DATE_TOKEN.pattern, block_text(message))
    return int(match.group(1)) if match else None


def reminders_scheduled(slack) -> list[dict]:
    return slack.web_api.scheduled()


def test_next_with_a_deadline_shows_it_on_the_prompt_and_schedules_one_reminder_in_its_thread(slack):
    before = time.time()
    answer = slack.command(LEAD, "next due:2d")
    after = time.time()
    assert "Moved on to step 2" in answer and "are due <!date^" in answer
    prompt = slack.open_prompt()
    due = deadline_on(prompt)
    assert int(before) + 2 * DAY <= due <= after + 2 * DAY
    (reminder,) = reminders_scheduled(slack)
    assert reminder["thread_ts"] == prompt["ts"] and reminder["channel_id"] == slack.channel
    assert reminder["post_at"] == due - DAY  # a day before the deadline
    assert "The phases of the journey" in reminder["text"] and str(due) in reminder["text"]
    assert "<@" not in reminder["text"]

    slack.reply(ANA, "Research, Purchase, Use")
    assert deadline_on(slack.web_api.message(slack.channel, prompt["ts"])) == due  # the count update keeps it

    slack.command(LEAD, "next")
    assert reminders_scheduled(slack) == []
    assert deadline_on(slack.open_prompt()) is None
    assert deadline_on(slack.web_api.message(slack.channel, prompt["ts"])) is None  # a closed step shows no deadline


def test_a_date_ends_at_midnight_in_the_leads_own_time_zone_asked_of_slack_once(slack):
    day = date.today() + timedelta(days=10)
    slack.command(LEAD, f"next due:{day.isoformat()}")
    end_of_day = datetime(day.year, day.month, day.day, 23, 59, tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert deadline_on(slack.open_prompt()) == int(end_of_day.timestamp())
    slack.command(LEAD, f"due {(day + timedelta(days=1)).isoformat()}")
    assert deadline_on(slack.open_prompt()) == int((end_of_day + timedelta(days=1)).timestamp())
    assert [call["params"]["user"] for call in slack.web_api.calls_of("users.info")] == [LEAD]


def test_short_deadlines_are_reminded_halfway(slack):
    before = time.time()
    slack.command(LEAD, "next due:12h")
    (reminder,) = reminders_scheduled(slack)
    assert before + 6 * HOUR - 1 <= reminder["post_at"] <= time.time() + 6 * HOUR


def test_due_moves_the_deadline_without_moving_the_step_and_off_removes_it(slack):
    slack.command(LEAD, "next due:2d")
    prompt = slack.open_prompt()
    messages = len(slack.web_api.messages(slack.channel))
    (first,) = reminders_scheduled(slack)

    answer = slack.command(LEAD, "due 3d")
    assert "are due" in answer
    (moved,) = reminders_scheduled(slack)
    # "2d" and "3d" count from each command's own moment, which may lie a second or two apart
    assert moved["id"] != first["id"] and abs(moved["post_at"] - (first["post_at"] + DAY)) <= 2
    assert slack.open_prompt()["ts"] == prompt["ts"] and len(slack.web_api.messages(slack.channel)) == messages
    assert deadline_on(slack.open_prompt()) == moved["post_at"] + DAY

    assert "no deadline any more" in slack.command(LEAD, "due off")
    assert reminders_scheduled(slack) == [] and deadline_on(slack.open_prompt()) is None


def test_back_and_close_cancel_the_reminder_of_the_step_left(slack):
    slack.command(LEAD, "next due:2d")
    slack.command(LEAD, "back")
    assert reminders_scheduled(slack) == []
    assert deadline_on(slack.open_prompt()) is None
    slack.command(LEAD, "back due:1d")  # reopening with a new deadline
    slack.command(LEAD, "next due:1d")
    assert len(reminders_scheduled(slack)) == 1
    slack.command(LEAD, "close")
    assert reminders_scheduled(slack) == []


@pytest.mark.parametrize("command, expected", [
    ("next due:soon", "can't read `soon` as a deadline"),
    ("next due:0d", "already passed"),
    (f"next due:{(date.today() - timedelta(days=1)).isoformat()}", "already passed"),
    ("next due:121d", "at most 120 days ahead"),
    (f"next due:{(date.today() + timedelta(days=200)).isoformat()}", "at most 120 days ahead"),
    ("due 2026-13-45", "can't read"),
    ("due", "Give the deadline"),
])
def test_impossible_deadlines_are_refused_politely_and_nothing_changes(slack, command, expected):
    prompt = slack.open_prompt()
    messages = len(slack.web_api.messages(slack.channel))
    assert expected in slack.command(LEAD, command)
    assert slack.open_prompt()["ts"] == prompt["ts"] and deadline_on(slack.open_prompt()) is None
    assert len(slack.web_api.messages(slack.channel)) == messages and reminders_scheduled(slack) == []


def test_when_slack_refuses_the_reminder_the_step_still_moves_and_the_lead_is_told(slack):
    slack.web_api.fail("chat.scheduleMessage", error="time_too_far")
    answer = slack.command(LEAD, "next due:2d")
    assert "Moved on to step 2" in answer and "did not accept the reminder" in answer
    assert deadline_on(slack.open_prompt()) is not None and reminders_scheduled(slack) == []


def test_only_a_lead_sets_deadlines_or_reminds(slack):
    for command in ("due 2d", "remind", "next due:2d"):
        assert "Only the workshop's lead" in slack.command(ANA, command)
    assert reminders_scheduled(slack) == [] and not slack.web_api.calls_of("conversations.members")


# -- /journey remind ------------------------------------------------------------------------------

def direct_messages(slack, user: str) -> list[dict]:
    return slack.web_api.messages(slack.web_api.im_channel(user))


def test_remind_nudges_only_the_people_who_have_not_answered_privately(slack, monkeypatch):
    monkeypatch.setattr(reminders, "MEMBERS_PAGE", 2)  # the channel's members come in several pages
    with slack.web_api.state.lock:
        slack.web_api.state.add_user("U0HELPER", "standup-bot", is_bot=True)
        slack.web_api.state.channels[slack.channel].members.append("U0HELPER")
    slack.command(LEAD, "due 2d")
    slack.reply(ANA, "A parent ordering school books")
    channel_before = slack.web_api.messages(slack.channel)

    answer = slack.command(LEAD, "remind")

    assert "1 of 4 people in this channel have answered" in answer and "Reminded 2 of the others" in answer
    for person in (BRAM, CHLOE):
        (nudge,) = direct_messages(slack, person)
        assert "Ordering online" in nudge["text"] and f"<#{slack.channel}>" in nudge["text"]
        assert "/archives/" in nudge["text"] and "(due <!date^" in nudge["text"]
    for person in (ANA, LEAD, "U0HELPER", slack.web_api.bot_user_id):
        assert not direct_messages(slack, person)
    assert slack.web_api.messages(slack.channel) == channel_before  # nothing public, so no one is named
    assert not slack.web_api.ephemerals(BRAM) and not slack.web_api.ephemerals(CHLOE)
    assert len(slack.web_api.calls_of("conversations.members")) == 3


def test_remind_when_everyone_has_answered_sends_nothing(slack):
    for person in (LEAD, ANA, BRAM, CHLOE):
        slack.reply(person, f"An answer from {person}")
    assert "All 4 people in this channel have answered" in slack.command(LEAD, "remind")
    assert not any(direct_messages(slack, person) for person in (ANA, BRAM, CHLOE))
