"""The journey map as a picture in Slack, and exports people can take to a meeting."""
import csv
import io
import json

import pytest
from PIL import Image
from sqlmodel import select

from bot.standin.session import open_standin
from storage import repository as repo
from storage.db import unit_of_work
from storage.models import FileRef

LEAD, ANA = "U0LEAD", "U0ANA"


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}",
                     people={LEAD: "Lena", ANA: "Ana"}) as local:
        local.command(LEAD, "start Ordering online template:understand")
        local.reply(ANA, "A parent who orders school books")
        yield local


def files_in(slack, *, thread_ts=None):
    messages = slack.web_api.thread(slack.channel, thread_ts) if thread_ts else slack.web_api.messages(slack.channel)
    return [file for message in messages for file in message.get("files", [])]


def content_of(slack, file):
    return next(f["content"] for f in slack.web_api.files() if f["id"] == file["id"])


def test_the_leads_summary_comes_with_the_journey_map_picture(slack):
    slack.command(LEAD, "summary")
    summary, picture_post = slack.web_api.messages(slack.channel)[-2:]
    assert summary["text"] == "Journey summary: Ordering online"
    (picture,) = picture_post["files"]
    assert picture["name"] == "journey-map-ordering-online.png"
    image = Image.open(io.BytesIO(content_of(slack, picture)))
    assert image.format == "PNG" and image.width >= 1600
    with unit_of_work(slack.engine) as session:
        assert [ref.file_id for ref in session.exec(select(FileRef))] == [picture["id"]]


def test_a_summary_too_big_for_one_message_attaches_the_whole_of_it(slack):
    with unit_of_work(slack.engine) as session:
        workshop = repo.active_workshop(session, team_id=slack.web_api.team_id, channel_id=slack.channel)
        for number in range(400):
            repo.add_item(session, workshop_id=workshop.id, step_key="end_user", phase=None, lane="end_user",
                          text=f"End user note number {number} with some words to make it longer", author_id=ANA,
                          source="thread", dedupe_key=f"seed:{number}")
    slack.command(LEAD, "summary")
    summary = next(m for m in slack.web_api.messages(slack.channel) if m["text"].startswith("Journey summary"))
    assert len(summary["blocks"]) <= 50
    assert "The full summary is attached as a file." in json.dumps(summary["blocks"])
    (full,) = files_in(slack, thread_ts=summary["ts"])
    markdown = content_of(slack, full).decode()
    assert full["name"].endswith(".md") and "End user note number 399 with some words" in markdown


@pytest.mark.parametrize("fmt, check", [
    ("csv", lambda data: list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))[0]["text"]
     == "A parent who orders school books"),
    ("json", lambda data: json.loads(data)["schema"] == "journeybot.summary/4"),
    ("md", lambda data: b"A parent who orders school books" in data),
    ("html", lambda data: data.lower().startswith(b"<!doctype html>") and b"A parent who orders school books" in data),
    ("png", lambda data: Image.open(io.BytesIO(data)).format == "PNG"),
])
def test_each_export_is_uploaded_to_the_channel(slack, fmt, check):
    assert f"The `{fmt}` export is posted" in slack.command(LEAD, f"export {fmt}")
    (upload,) = files_in(slack)
    assert check(content_of(slack, upload))


def test_exports_are_for_leads_and_unknown_formats_are_listed(slack):
    assert "Only the workshop's leads post files" in slack.command(ANA, "export csv")
    assert "`md`, `html`, `json`, `csv`, `png`, `storyboard`" in slack.command(LEAD, "export pdf")
    assert not files_in(slack)


@pytest.mark.parametrize("lang, end_user, phases, panel", [
    ("en", "End user and problem", "Awareness", "the customer and their problem"),
    ("nl", "Eindgebruiker en probleem", "Bewustwording", "de klant en zijn probleem"),
])
def test_a_storyboard_workshop_is_summed_up_as_a_storyboard_without_an_empty_journey(tmp_path, lang, end_user,
                                                                                       phases, panel):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}",
                      people={LEAD: "Lena", ANA: "Ana"}) as slack:
        slack.command(LEAD, f"start Bakery orders template:storyboard lang:{lang}")
        slack.reply(ANA, "Sam runs a bakery and misses orders while baking")
        slack.command(LEAD, "summary")
        summary = next(m for m in slack.web_api.messages(slack.channel)
                       if m.get("blocks") and m["blocks"][0]["type"] == "header")
        blocks = json.dumps(summary["blocks"], ensure_ascii=False)
        assert panel in blocks and "Sam runs a bakery" in blocks
        assert end_user not in blocks and phases not in blocks
        assert [file["name"] for file in files_in(slack)] == ["storyboard-bakery-orders.png"]
        slack.command(LEAD, "export md")
        markdown = content_of(slack, files_in(slack)[-1]).decode()
        assert panel in markdown and end_user not in markdown and phases not in markdown


def test_a_workshop_without_the_storyboard_has_no_storyboard_section(slack):
    slack.command(LEAD, "export md")
    markdown = content_of(slack, files_in(slack)[-1]).decode()
    assert "End user and problem" in markdown and "Storyboard" not in markdown
