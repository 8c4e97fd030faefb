"""Deleting data: `/journey delete` (the lead, after confirming) removes a workshop and every row that
belongs to it; uninstalling the app removes the workspace's workshops (see bot/usecases/uninstall.py)."""
import pytest
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from bot.standin.session import open_standin
from bot.standin import People
from storage import repository as repo
from storage.models import Person, Vote, Workshop
from tests.test_workshop import ANA, BRAM, LEAD, PEOPLE

OTHER_CHANNEL, OTHER_TEAM, OTTO = "C0OTHER", "T0ELSEWHERE", "U0OTTO"


@pytest.fixture
def slack(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}",
                     people={**PEOPLE, OTTO: "Otto"}) as slack:
        slack.web_api.add_channel(OTHER_CHANNEL, "other-workshop", [LEAD, ANA, BRAM, OTTO])
        yield slack


def rows_of_workshop(slack, workshop_id: int) -> dict[str, int]:
    """Rows per table that belong to the workshop; every table with a workshop in it is counted."""
    counts = {}
    with Session(slack.engine) as session:
        for table in SQLModel.metadata.sorted_tables:
            column = table.c.get("workshop_id") if table.name != "workshop" else table.c.id
            if column is not None:
                counts[table.name] = session.execute(select(func.count()).where(column == workshop_id)).scalar()
    return counts


def a_busy_workshop(slack, channel: str) -> int:
    """A workshop with answers by thread and modal, a second lead, a vote, an uploaded file, a canvas, a theme
    correction, a caption pick and a research round (a volunteer, evidence with its verdict and history, a finding)."""
    slack.people.slash(LEAD, "start Ordering online canvas:on", channel=channel)
    prompt = next(m for m in reversed(slack.web_api.messages(channel)) if m.get("blocks"))
    slack.people.say(ANA, "A parent ordering school books", channel=channel, thread_ts=prompt["ts"])
    slack.people.slash(LEAD, "next", channel=channel)
    slack.people.slash(LEAD, "next", channel=channel)
    prompt = next(m for m in reversed(slack.web_api.messages(channel)) if m.get("blocks"))
    slack.people.say(ANA, "does: compares prices", channel=channel, thread_ts=prompt["ts"])
    slack.people.slash(LEAD, "research", channel=channel)
    board = slack.web_api.messages(channel)[-1]
    note = next(b["block_id"].removeprefix("note_") for b in board["blocks"] if b["block_id"].startswith("note_"))
    slack.people.click(ANA, channel=channel, message_ts=board["ts"], action_id=f"research:check:{note}")
    slack.people.click(ANA, channel=channel, message_ts=board["ts"], action_id=f"research:confirmed:{note}")
    slack.people.submit(ANA, slack.web_api.open_views(ANA)[-1]["id"], {"found": "Seen in 3 interviews", "source": "interview"})
    slack.people.say(BRAM, "reads reviews first #survey", channel=channel, thread_ts=board["ts"])
    with Session(slack.engine) as session:  # votes and files have no Slack surface yet
        workshop = repo.active_workshop(session, team_id=slack.web_api.team_id, channel_id=channel)
        repo.add_lead(session, workshop_id=workshop.id, user_id=BRAM)
        item = repo.items_of(session, workshop_id=workshop.id)[0]
        session.add(Vote(workshop_id=workshop.id, item_id=item.id, user_id=ANA))
        repo.record_file(session, workshop_id=workshop.id, file_id="F0MAP", kind="map")
        repo.add_theme_edit(session, workshop_id=workshop.id, action="rename", item_id=item.id, label="Parents",
                            user_id=LEAD)
        repo.pick_caption(session, workshop_id=workshop.id, step_key="story_customer", item_id=item.id, user_id=LEAD)
        session.commit()
        return workshop.id


def test_a_lead_deletes_a_workshop_and_no_row_of_it_remains(slack):
    deleted, kept = a_busy_workshop(slack, slack.channel), a_busy_workshop(slack, OTHER_CHANNEL)
    assert all(rows_of_workshop(slack, deleted).values())

    question = slack.command(BRAM, "delete")  # any lead may
    assert "Delete *Ordering online* with every answer" in question
    ephemeral = slack.web_api.ephemerals(BRAM)[-1]
    confirm = next(e for b in ephemeral["blocks"] for e in b.get("elements", []) if e["action_id"] == "delete_confirm")
    assert confirm["value"] == str(deleted) and confirm["style"] == "danger"
    assert confirm["confirm"]["title"]["text"] == "Delete the workshop?"
    slack.people.click(BRAM, message_ts=ephemeral["ts"], action_id="delete_confirm")

    assert "are deleted from journeybot" in slack.web_api.ephemerals(BRAM)[-1]["text"]
    assert "<@U0BRAM> deleted the workshop *Ordering online*" in slack.web_api.messages(slack.channel)[-1]["text"]
    assert set(rows_of_workshop(slack, deleted)) == {"workshop", "workshoplead", "steppost", "item", "vote", "fileref",
                                                     "workshopcanvas", "theme_edit", "researchround", "researchpost",
                                                     "evidence", "verdict", "volunteer", "researchchange",
                                                     "caption_pick"}
    assert not any(rows_of_workshop(slack, deleted).values())
    assert all(rows_of_workshop(slack, kept).values())
    assert "no journey workshop yet" in slack.command(ANA, "status")


def test_a_closed_workshop_can_be_deleted_and_replies_to_its_prompts_are_ignored(slack):
    workshop_id = a_busy_workshop(slack, slack.channel)
    slack.command(LEAD, "close")
    slack.command(LEAD, "delete")
    slack.people.click(LEAD, message_ts=slack.web_api.ephemerals(LEAD)[-1]["ts"], action_id="delete_confirm")
    assert not any(rows_of_workshop(slack, workshop_id).values())
    before = len(slack.web_api.ephemerals(ANA))
    slack.reply(ANA, "late answer", prompt_ts=slack.prompts()[-1]["ts"])
    assert len(slack.web_api.ephemerals(ANA)) == before and not any(rows_of_workshop(slack, workshop_id).values())


def test_cancel_deletes_nothing(slack):
    workshop_id = a_busy_workshop(slack, slack.channel)
    slack.command(LEAD, "delete")
    slack.people.click(LEAD, message_ts=slack.web_api.ephemerals(LEAD)[-1]["ts"], action_id="delete_cancel")
    assert slack.web_api.ephemerals(LEAD)[-1]["text"] == "Nothing was deleted."
    assert all(rows_of_workshop(slack, workshop_id).values())


def test_uninstalling_deletes_that_workspaces_workshops_and_names_only(slack):
    ours = a_busy_workshop(slack, slack.channel)
    slack.command(LEAD, "summary")  # remembers names
    elsewhere = People(slack.web_api, slack.app, signing_secret=slack.settings.signing_secret, team_id=OTHER_TEAM,
                               channel=OTHER_CHANNEL, listener_executor=slack.people.executor)
    elsewhere.slash(OTTO, "start Theirs")
    with Session(slack.engine) as session:
        theirs = repo.active_workshop(session, team_id=OTHER_TEAM, channel_id=OTHER_CHANNEL).id

    # the event shapes of ../shared/slack-reference/payloads/event_callback_{tokens_revoked,app_uninstalled}.json
    assert elsewhere.event({"type": "tokens_revoked", "tokens": {"oauth": [OTTO], "bot": ["U0JOURNEYBOT"]}}).status == 200
    assert rows_of_workshop(slack, theirs)["workshop"] == 1
    assert elsewhere.event({"type": "app_uninstalled"}).status == 200
    assert not any(rows_of_workshop(slack, theirs).values())
    assert all(rows_of_workshop(slack, ours).values())
    with Session(slack.engine) as session:
        assert set(session.scalars(select(Person.team_id))) == {slack.web_api.team_id}
        assert list(session.scalars(select(Workshop.id))) == [ours]

