"""Buttons: Answer opens the modal; the clarifying questions file an answer under a lane or feeling;
Vote adds or takes back a dot vote on a "How might we" question; the lead confirms or cancels deleting a workshop;
Edit themes and Add drafts to the vote (under the summary) open the lead's modals for them; the menu beside
a storyboard panel in the summary picks its caption.
The research boards' verdicts, volunteers and Add a finding."""
from __future__ import annotations

import logging
import re

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.usecases import answers, canvases, captions, deletion, research, themes, votes, workshops
from bot.listeners.common import acknowledge, team_of
from bot.wiring.context import AppContext
from renderers.slack import notice_modal, phases_modal, text_message

log = logging.getLogger(__name__)


def _channel(body: dict) -> str:
    return (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", "")


def _tell(client, channel_id: str, user_id: str, message) -> None:
    """A private answer in the channel, if there is one to give."""
    if message is not None:
        client.chat_postEphemeral(channel=channel_id, user=user_id, text=message.text, blocks=message.blocks)


def register(app: App, ctx: AppContext) -> None:
    def open_answer_modal(body, action, client):
        workshop_id, _, step_key = (action.get("value") or "").partition(":")
        channel_id = _channel(body)
        with ctx.unit() as session:
            found = workshop_id.isdigit() and answers.answerable_step(
                session, ctx.catalog, team_id=team_of(body), workshop_id=int(workshop_id), step_key=step_key,
                channel_id=channel_id)
        pack = ctx.pack(found[0].lang if found else None)
        if not found:
            message = text_message(pack.text("messages.step_closed"))
            client.chat_postEphemeral(channel=channel_id, user=body["user"]["id"], text=message.text, blocks=message.blocks)
            return
        try:
            client.views_open(trigger_id=body.get("trigger_id"), view=answers.answer_view(ctx, *found))
        except SlackApiError as error:  # a second click's stale trigger: the first click's modal is open
            log.warning("could not open the answer modal: %s", error.response.get("error"))

    def open_phases_modal(body, action, client, respond):
        try:
            lead = workshops.workshop_for_lead(ctx, team_id=team_of(body), user_id=body["user"]["id"],
                                               channel_id=_channel(body))
        except workshops.Refusal as refusal:
            respond(response_type="ephemeral", replace_original=False, text=refusal.message.text,
                    blocks=refusal.message.blocks)
            return
        if action.get("value") == str(lead.workshop.id):
            client.views_open(trigger_id=body["trigger_id"], view=phases_modal(
                lead.pack, workshop_id=lead.workshop.id, phases=lead.workshop.phases))

    def choose(body, action, respond, client):
        field = action["action_id"].split(":")[0].removeprefix("set_")
        item_id, _, value = (action.get("value") or "").partition(":")
        if not item_id.isdigit():
            answer = text_message(ctx.pack().text("messages.not_this_workshop"))
            respond(replace_original=True, text=answer.text, blocks=answer.blocks)
            return
        choice = answers.on_choice(ctx, team_id=team_of(body), user_id=body["user"]["id"], item_id=int(item_id),
                                   **{field: value})
        respond(replace_original=True, text=choice.message.text, blocks=choice.message.blocks)
        answers.refresh_prompts(client, ctx, choice)

    def confirm_delete(body, action, client, respond):
        workshop_id = action.get("value") or ""
        if workshop_id.isdigit():
            answer = deletion.confirm(client, ctx, team_id=team_of(body), channel_id=_channel(body),
                                      user_id=body["user"]["id"], workshop_id=int(workshop_id))
        else:
            answer = text_message(ctx.pack().text("delete.gone"))
        respond(replace_original=True, text=answer.text, blocks=answer.blocks)

    def cancel_delete(respond):
        answer = text_message(ctx.pack().text("delete.kept"))
        respond(replace_original=True, text=answer.text, blocks=answer.blocks)

    def vote(body, action, client):
        channel_id = _channel(body)
        click = votes.Click(team_id=team_of(body), channel_id=channel_id, user_id=body["user"]["id"],
                            message_ts=(body.get("container") or {}).get("message_ts"), value=action.get("value") or "")
        note = votes.toggle_vote(client, ctx, click)
        client.chat_postEphemeral(channel=channel_id, user=click.user_id, text=note.text, blocks=note.blocks)

    def research_click(body, action, client):
        """Confirmed, Refuted, Not clear yet or I'll check this on an assumption of a research board."""
        channel_id = _channel(body)
        click = research.Click(team_id=team_of(body), channel_id=channel_id, user_id=body["user"]["id"],
                               choice=action["action_id"].split(":")[1], value=action.get("value") or "",
                               trigger_id=body.get("trigger_id"))
        _tell(client, channel_id, click.user_id, research.on_click(client, ctx, click))
        # after the answer: a settled dispute is on the canvas (a verdict with evidence follows its modal)
        canvases.catch_up(client, ctx, team_id=click.team_id, channel_id=channel_id)

    def add_finding(body, action, client):
        channel_id, user_id = _channel(body), body["user"]["id"]
        _tell(client, channel_id, user_id, research.open_finding_modal(
            client, ctx, team_id=team_of(body), channel_id=channel_id, user_id=user_id,
            value=action.get("value") or "", trigger_id=body.get("trigger_id")))

    def summary_button(body, action, client, respond):
        """The lead's buttons under the summary, in the channel (a refusal answered privately there) or in
        the Home tab's summary modal (the next modal pushed over it)."""
        over_modal = (body.get("container") or {}).get("type") == "view"
        workshop_id = action.get("value") or ""
        opener = themes.open_editor if action["action_id"] == "themes_edit" else themes.open_drafts
        try:
            if not workshop_id.isdigit():
                raise workshops.refuse(ctx.pack(), "messages.not_this_workshop")
            opener(client, ctx, team_id=team_of(body), user_id=body["user"]["id"],
                   workshop_id=int(workshop_id), trigger_id=body["trigger_id"], over_modal=over_modal)
        except workshops.Refusal as refusal:
            if over_modal:
                client.views_push(trigger_id=body["trigger_id"], view=notice_modal(ctx.pack(), refusal.message.text))
            else:
                respond(response_type="ephemeral", replace_original=False, text=refusal.message.text,
                        blocks=refusal.message.blocks)

    def pick_caption(body, action, client, respond):
        """A lead's pick in a storyboard panel's caption menu (action_id ``caption:<workshop>:<step>``), in the
        channel's summary (answered privately there) or a Home tab modal (a notice pushed over it)."""
        over_modal = (body.get("container") or {}).get("type") == "view"
        workshop_id, _, step_key = action["action_id"].removeprefix("caption:").partition(":")
        try:
            picked = captions.pick(client, ctx, team_id=team_of(body), user_id=body["user"]["id"],
                                   workshop_id=workshop_id, step_key=step_key,
                                   value=(action.get("selected_option") or {}).get("value", ""))
            message = picked.message
        except workshops.Refusal as refusal:
            picked, message = None, refusal.message
        if over_modal:
            client.views_push(trigger_id=body["trigger_id"], view=notice_modal(ctx.pack(), message.text))
        else:
            respond(response_type="ephemeral", replace_original=False, text=message.text, blocks=message.blocks)
        if picked is not None:  # after the answer: the canvas shows the new caption
            canvases.catch_up(client, ctx, team_id=team_of(body), channel_id=picked.workshop.channel_id)

    app.action("answer")(ack=acknowledge, lazy=[open_answer_modal])
    app.action(re.compile(r"^caption:"))(ack=acknowledge, lazy=[pick_caption])
    app.action("themes_edit")(ack=acknowledge, lazy=[summary_button])
    app.action("hmw_drafts")(ack=acknowledge, lazy=[summary_button])
    app.action(re.compile(r"^research:"))(ack=acknowledge, lazy=[research_click])
    app.action("research_finding")(ack=acknowledge, lazy=[add_finding])
    app.action("edit_phases")(ack=acknowledge, lazy=[open_phases_modal])
    app.action(re.compile(r"^set_(lane|feeling):"))(ack=acknowledge, lazy=[choose])
    app.action(re.compile(r"^hmw_vote:"))(ack=acknowledge, lazy=[vote])
    app.action("delete_confirm")(ack=acknowledge, lazy=[confirm_delete])
    app.action("delete_cancel")(ack=acknowledge, lazy=[cancel_delete])
