"""Modal submissions: saved before the modal closes, so a failure keeps it open with the text in it."""
from __future__ import annotations

import json

from slack_bolt import App

from bot.usecases import answers, home, research, themes, workshops
from bot.usecases.answers import ModalAnswer
from bot.wiring.context import AppContext


def _value(state: dict, block_id: str) -> str | None:
    element = state.get(block_id, {}).get("value", {})
    selected = element.get("selected_option") or {}
    return element.get("value") if "value" in element else selected.get("value")


def _modal_answer(body: dict, view: dict) -> ModalAnswer:
    state = view.get("state", {}).get("values", {})
    return ModalAnswer(
        team_id=(body.get("team") or {}).get("id", ""), user_id=body["user"]["id"], view_id=view["id"],
        metadata=view.get("private_metadata") or "", lane=_value(state, "lane"), text=_value(state, "text") or "",
        feeling=_value(state, "feeling"), why=_value(state, "why") or "", evidence=_value(state, "evidence"),
        pictogram=_value(state, "pictogram"))


def _asker(body: dict) -> dict:
    return {"team_id": (body.get("team") or {}).get("id", ""), "user_id": body["user"]["id"]}


def _themes_metadata(view: dict) -> dict:
    """The theme modals' private metadata: workshop id, theme id, action (what the bot put there)."""
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        metadata = {}
    workshop_id = metadata.get("w")
    return {"w": workshop_id if isinstance(workshop_id, int) else -1, "t": str(metadata.get("t", "")),
            "a": str(metadata.get("a", ""))}


def register(app: App, ctx: AppContext) -> None:
    def submit_answer(ack, view, client, body):
        answer = _modal_answer(body, view)
        outcome = answers.on_modal_answer(ctx, answer)
        if outcome.errors:
            ack(response_action="errors", errors=outcome.errors)
            return
        ack()
        if outcome.new_answer:  # not for a repeated submission, which stored nothing new
            # ctx.after_ack, not a Bolt lazy listener: that would deep-copy the whole view before Slack hears back
            ctx.after_ack(follow_up, client, answer, *outcome.new_answer)

    def follow_up(client, answer: ModalAnswer, workshop_id: int, step_key: str):
        """The prompt's count includes the new answer; the Home tab, if it was answered there, stops asking."""
        answers.refresh_count(client, ctx, workshop_id=workshop_id, step_key=step_key)
        if answer.from_home:
            home.publish_home(client, ctx, team_id=answer.team_id, user_id=answer.user_id)

    def submit_phases(ack, body, view, client):
        """The lead's phase list from the modal; a list that cannot be used keeps the modal open."""
        target = answers.parse_metadata(view.get("private_metadata") or "")
        text = _value(view.get("state", {}).get("values", {}), "phases") or ""
        try:
            lead = workshops.workshop_for_lead(ctx, team_id=(body.get("team") or {}).get("id", ""),
                                               user_id=body["user"]["id"], workshop_id=target[0] if target else -1)
            workshops.settle_phases(client, ctx, lead, text)
        except workshops.Refusal as refusal:
            ack(response_action="errors", errors={"phases": refusal.message.text})
            return
        ack()

    def research_submitter(store):
        """Evidence and findings: stored before the modal closes; the boards and the note follow."""
        def submit(ack, body, view, context):
            submission = research.Submission(
                team_id=(body.get("team") or {}).get("id", ""), user_id=body["user"]["id"], view_id=view["id"],
                metadata=view.get("private_metadata") or "",
                values={block_id: _value(view.get("state", {}).get("values", {}), block_id)
                        for block_id in view.get("state", {}).get("values", {})})
            errors, stored = store(ctx, submission)
            if errors:
                ack(response_action="errors", errors=errors)
                return
            ack()
            context["research_stored"] = stored
        return submit

    def after_research(client, context):
        if context.get("research_stored"):
            research.after_modal(client, ctx, context["research_stored"])

    def _theme_step(ack, step: themes.Step) -> None:
        if step.errors:
            ack(response_action="errors", errors=step.errors)
        else:
            ack(response_action="update", view=step.view)

    def submit_theme_choice(ack, body, view, client):
        state = view.get("state", {}).get("values", {})
        _theme_step(ack, themes.choose(client, ctx, **_asker(body), workshop_id=_themes_metadata(view)["w"],
                                       theme_id=_value(state, "theme") or "", action=_value(state, "action") or ""))

    def submit_theme_edit(ack, body, view, client):
        state = view.get("state", {}).get("values", {})
        metadata = _themes_metadata(view)
        _theme_step(ack, themes.save(client, ctx, **_asker(body), workshop_id=metadata["w"], theme_id=metadata["t"],
                                     action=metadata["a"],
                                     values={block: _value(state, block) for block in ("label", "target", "note")}))

    def submit_drafts(ack, body, view, client):
        element = view.get("state", {}).get("values", {}).get("drafts", {}).get("value", {})
        chosen = [option.get("value", "") for option in element.get("selected_options") or []]
        _theme_step(ack, themes.add_drafts(client, ctx, **_asker(body), workshop_id=_themes_metadata(view)["w"],
                                           chosen=chosen))

    app.view("answer")(submit_answer)
    app.view("themes_pick")(submit_theme_choice)
    app.view("themes_edit")(submit_theme_edit)
    app.view("hmw_drafts")(submit_drafts)
    app.view("research_evidence")(ack=research_submitter(research.on_evidence), lazy=[after_research])
    app.view("research_finding")(ack=research_submitter(research.on_finding), lazy=[after_research])
    app.view("phases")(submit_phases)
