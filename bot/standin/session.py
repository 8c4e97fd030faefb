"""journeybot against the local stand-in for Slack: the real Bolt app, a web_api Web API and
a database, wired together for the demo, the console and the tests."""
from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from slack_bolt import App
from sqlalchemy.engine import Engine

from bot.wiring.app import create_app
from bot.wiring.settings import Settings
from bot.standin import WebAPI, People, TrackingExecutor
from storage.db import make_engine
from storage.schema import upgrade

CHANNEL_ID, CHANNEL_NAME = "C0WORKSHOP", "journey-workshop"


@dataclass
class Standin:
    web_api: WebAPI
    app: App
    engine: Engine
    settings: Settings
    people: People
    channel: str = CHANNEL_ID

    def command(self, user: str, text: str) -> str:
        """Runs `/journey <text>` as ``user`` and returns what the bot answered them privately."""
        before = len(self.web_api.ephemerals(user))
        self.people.slash(user, text, channel=self.channel)
        answers = self.web_api.ephemerals(user)[before:]
        return "\n".join(answer["text"] for answer in answers)

    def prompts(self) -> list[dict]:
        """The workshop's prompts in the channel, oldest first."""
        return [message for message in self.web_api.messages(self.channel)
                if any(block.get("type") == "header" for block in message.get("blocks") or [])]

    def open_prompt(self) -> dict:
        """The prompt that still has its Answer button: the current step."""
        return next(message for message in reversed(self.prompts()) if _has_action(message, "answer"))

    def reply(self, user: str, text: str, *, prompt_ts: str | None = None) -> dict:
        """``user`` answers in the thread of a prompt (the open one unless given); returns their message."""
        return self.people.say(user, text, channel=self.channel, thread_ts=prompt_ts or self.open_prompt()["ts"])

    def answer_with_modal(self, user: str, values: Mapping[str, str]) -> dict:
        """``user`` presses Answer on the open prompt and submits ``values`` (by block id); returns any errors."""
        self.people.click(user, channel=self.channel, message_ts=self.open_prompt()["ts"], action_id="answer")
        view = self.web_api.open_views(user)[-1]
        return self.people.submit(user, view["id"], dict(values))

    # -- the research round ------------------------------------------------------------------

    def boards(self) -> list[dict]:
        """The research boards in the channel, oldest first."""
        return [message for message in self.web_api.messages(self.channel)
                if any(str(block.get("block_id", "")).startswith("note_") for block in message.get("blocks") or [])]

    def board_of(self, text: str) -> tuple[dict, int]:
        """The board showing the assumption whose text contains ``text``, and the assumption's id."""
        for message in self.boards():
            for block in message["blocks"]:
                if block["block_id"].startswith("note_") and text in block["text"]["text"]:
                    return message, int(block["block_id"].removeprefix("note_"))
        raise LookupError(f"no research board shows {text!r}")

    def press(self, user: str, text: str, choice: str) -> str:
        """``user`` presses confirmed, refuted, unclear or check on an assumption; returns what they were told."""
        message, item_id = self.board_of(text)
        before = len(self.web_api.ephemerals(user))
        self.people.click(user, channel=self.channel, message_ts=message["ts"], action_id=f"research:{choice}:{item_id}")
        return "\n".join(answer["text"] for answer in self.web_api.ephemerals(user)[before:])

    def give_evidence(self, user: str, text: str, verdict: str, values: Mapping[str, str]) -> tuple[dict, str]:
        """Presses Confirmed or Refuted and submits the evidence modal; returns (errors, what they were told)."""
        told = self.press(user, text, verdict)
        if told:
            raise LookupError(f"no evidence modal opened: {told}")
        view = self.web_api.open_views(user)[-1]
        before = len(self.web_api.ephemerals(user))
        errors = self.people.submit(user, view["id"], dict(values))
        return errors, "\n".join(answer["text"] for answer in self.web_api.ephemerals(user)[before:])


def _has_action(message: dict, action_id: str) -> bool:
    return any(element.get("action_id") == action_id
               for block in message.get("blocks") or [] for element in block.get("elements", []))


@contextmanager
def open_standin(*, database_url: str, people: Mapping[str, str], lang: str = "en",
                raise_listener_errors: bool = True, font_path: str | None = None,
                templates_path: str | None = None, progress_interval: float = 0,
                canvas_default: bool = False) -> Iterator[Standin]:
    """``people`` maps Slack user IDs to names; all of them are in the workshop channel. Prompt counts
    follow every answer at once unless ``progress_interval`` says otherwise."""
    signing_secret = secrets.token_hex(16)
    with WebAPI() as web_api:
        for user_id, name in people.items():
            web_api.add_user(user_id, name)
        web_api.add_channel(CHANNEL_ID, CHANNEL_NAME, list(people))
        settings = Settings(bot_token="xoxb-local-stand-in", signing_secret=signing_secret,
                            database_url=database_url, slack_api_url=web_api.base_url, default_lang=lang,
                            font_path=font_path, templates_path=templates_path, canvas_default=canvas_default)
        engine = make_engine(database_url)
        upgrade(engine)
        executor = TrackingExecutor()
        try:
            app = create_app(settings, engine, listener_executor=executor,
                             progress_interval=progress_interval)
            workspace = People(web_api, app, signing_secret=signing_secret, channel=CHANNEL_ID,
                                       listener_executor=executor, raise_listener_errors=raise_listener_errors)
            yield Standin(web_api=web_api, app=app, engine=engine, settings=settings, people=workspace)
        finally:
            executor.shutdown()
            engine.dispose()
