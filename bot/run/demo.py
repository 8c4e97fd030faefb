"""`journeybot demo`: a whole workshop, played by five people in the local stand-in for Slack.

The script is data (demo_script.toml); every action is a Slack-shaped request through the real Bolt
app (the Standin verbs). At the end the summary is printed as the channel shows it and written
out in every export format, with the Web API transcript and the database the workshop lives in.
"""
from __future__ import annotations

import itertools
import json
import re
import sys
import tomllib
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import make_url

from bot.standin.session import Standin, open_standin
from bot.run.terminal import decode, message_text
from bot.wiring.context import AppContext
from bot.wiring.settings import Settings
from bot.standin import ListenerError
from bot.usecases.reporting import channel_workshop, workshop_summary
from flows.texts import load_pack
from renderers.exports import JSON_SCHEMA_ID, to_csv, to_html, to_json
from renderers.markdown import to_markdown
from renderers.pictures import journey_map_png, storyboard_png
from storage import repository as repo
from storage.db import DEFAULT_DATABASE_URL
from storage.models import Workshop

DEFAULT_FOLDER = Path("journeybot-demo")
DATABASE_FILE = "journeybot.sqlite3"


@dataclass(frozen=True)
class Script:
    cast: dict[str, str]  # person key → display name; the first one leads
    start: str
    steps: list[list[dict]]
    research: list[dict]  # on the research boards, after the last step
    finish: list[str]

    @property
    def lead(self) -> str:
        return next(iter(self.cast))


def load_script() -> Script:
    data = tomllib.loads(resources.files("bot.run").joinpath("demo_script.toml").read_text(encoding="utf-8"))
    return Script(cast=data["cast"], start=data["workshop"]["start"],
                  steps=[step["actions"] for step in data["steps"]],
                  research=data.get("research", {}).get("actions", []), finish=data["finish"]["commands"])


def user_id_for(name: str, taken: Collection[str] = ()) -> str:
    """A Slack-like user ID made from a name, so a name means the same person in the demo and the console."""
    letters = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    base = "U0" + (re.sub(r"[^A-Z0-9]", "", letters)[:9] or "PERSON")
    return next(user_id for user_id in (base if n == 1 else f"{base}{n}" for n in itertools.count(1))
                if user_id not in taken)


def display_names(local: Standin, people: dict[str, str]) -> dict[str, str]:
    """The people's names by user ID, the bot's, and the channels' by channel ID, for showing messages as text."""
    bot = local.web_api.bot_user_id
    return {**local.web_api.channel_names(), **people, bot: local.web_api.user(bot)["name"]}


class DemoError(Exception):
    """The demo cannot go on; ``key`` and ``values`` make the pack message that says why."""

    def __init__(self, key: str, **values: object):
        super().__init__(key)
        self.key = key
        self.values = values


class Player:
    """Plays the script's actions as its people, through the Standin verbs."""

    def __init__(self, local: Standin, script: Script, user_ids: dict[str, str]):
        self.local = local
        self.script = script
        self.user_ids = user_ids
        self.named_replies: dict[str, str] = {}  # the script's name for a reply → its ts
        self.ctx = AppContext(engine=local.engine, settings=local.settings)

    @property
    def lead(self) -> str:
        return self.user_ids[self.script.lead]

    def start(self) -> str:
        """Starts the workshop as its lead; returns its title."""
        answer = self.local.command(self.lead, f"start {self.script.start}")
        if not self.local.prompts():
            people = {user_id: self.script.cast[key] for key, user_id in self.user_ids.items()}
            raise DemoError("demo.already_running", answer=decode(answer, display_names(self.local, people)))
        return self.workshop().title

    def workshop(self) -> Workshop:
        return channel_workshop(self.ctx, team_id=self.local.web_api.team_id, channel_id=self.local.channel,
                                active_only=True)

    def play_step(self, actions: list[dict], *, last: bool) -> tuple[str, int]:
        """Plays one prompt's actions, then the lead moves on; returns the prompt's title and its answers."""
        title = next(block["text"]["text"] for block in self.local.open_prompt()["blocks"] if block["type"] == "header")
        for action in actions:
            self.act(action)
        workshop = self.workshop()
        with self.ctx.unit() as session:
            answers, _ = repo.answer_counts(session, workshop_id=workshop.id, step_key=workshop.current_step)
        if not last:
            self.local.command(self.lead, "next")
        return title, answers

    def research(self) -> int:
        """Opens the research round and plays its actions on the boards; returns how many assumptions were checked."""
        self.local.command(self.lead, "research")
        for action in self.script.research:
            self.act_on_board(action)
        return len(self.script.research)

    def act_on_board(self, action: dict) -> None:
        user = self.user_ids[action["by"]]
        if "check" in action:
            self.local.press(user, action["check"], "check")
        elif "unclear" in action:
            self.local.press(user, action["unclear"], "unclear")
        elif "settle" in action:
            self.local.press(user, action["settle"], action["verdict"])
        elif "evidence" in action:
            inputs = {key: action[key] for key in ("found", "source", "people", "link") if key in action}
            errors, _ = self.local.give_evidence(user, action["evidence"], action["verdict"], inputs)
            if errors:
                raise self._refused(errors)
        else:
            board, _ = self.local.board_of(action["on"])
            self.local.reply(user, action["finding"], prompt_ts=board["ts"])

    def finish(self) -> list[dict]:
        """Runs the closing commands as the lead; returns the channel messages they posted."""
        before = len(self.local.web_api.messages(self.local.channel))
        for command in self.script.finish:
            self.local.command(self.lead, command)
        return self.local.web_api.messages(self.local.channel)[before:]

    def act(self, action: dict) -> None:
        user = self.user_ids[action["by"]]
        verb = next(verb for verb in ("reply", "modal", "edit", "delete", "command", "caption") if verb in action)
        getattr(self, f"_{verb}")(user, action)

    def _reply(self, user: str, action: dict) -> None:
        message = self.local.reply(user, action["reply"])
        if "name" in action:
            self.named_replies[action["name"]] = message["ts"]
        if "choose" in action:  # the bot asked privately where the answer belongs
            question = self.local.web_api.ephemerals(user)[-1]
            choice = next(element["action_id"] for block in question["blocks"] for element in block.get("elements", [])
                          if element.get("action_id", "").endswith(f":{action['choose']}"))
            self.local.people.click(user, message_ts=question["ts"], action_id=choice)

    def _modal(self, user: str, action: dict) -> None:
        errors = self.local.answer_with_modal(user, action["modal"])
        if errors:
            raise self._refused(errors)

    def _refused(self, errors: dict[str, str]) -> ValueError:
        """The bot sent a form of the script back: what it said is wrong, for the demo's failure line."""
        return ValueError(self.ctx.pack().text("demo.form_refused", errors="; ".join(errors.values())))

    def _edit(self, user: str, action: dict) -> None:
        self.local.people.edit(user, self.local.channel, self.named_replies[action["edit"]], action["text"])

    def _delete(self, user: str, action: dict) -> None:
        self.local.people.delete(user, self.local.channel, self.named_replies[action["delete"]])

    def _command(self, user: str, action: dict) -> None:
        self.local.command(user, action["command"])

    def _caption(self, user: str, action: dict) -> None:
        """A lead picks the open step's caption in the Home tab's Storyboard captions modal."""
        people = self.local.people
        people.open_home(user)
        home = self.local.web_api.home(user)
        people.click_in_view(user, home["id"], f"home_captions:{self.workshop().id}")
        modal = self.local.web_api.open_views(user)[-1]
        menu = next(block["accessory"] for block in modal["blocks"]
                    if block.get("accessory", {}).get("action_id", "").endswith(f":{self.workshop().current_step}"))
        option = next(option for option in menu["options"] if action["caption"] in option["text"]["text"])
        people.click_in_view(user, modal["id"], menu["action_id"], option["value"])
        for view in reversed(self.local.web_api.open_views(user)):  # the confirmation, then the modal
            people.close_view(user, view["id"])


Say = Callable[..., None]


def play(player: Player, say: Say) -> list[dict]:
    """The whole script, one progress line per step; returns the messages the closing commands posted."""
    script = player.script
    pack = load_pack(player.local.settings.default_lang)
    say("started", lead=script.cast[script.lead], title=player.start())
    for number, actions in enumerate(script.steps, start=1):
        try:
            title, answers = player.play_step(actions, last=number == len(script.steps))
        except (ListenerError, LookupError, ValueError) as error:
            raise DemoError("demo.failed", number=number, error=error) from error
        say("step", number=number, count=len(script.steps), title=title, answers=pack.count("answers", answers))
    if script.research:
        try:
            player.research()
        except (ListenerError, LookupError, ValueError) as error:
            raise DemoError("demo.failed", number=len(script.steps) + 1, error=error) from error
        say("research", actions=len(script.research))
    return player.finish()


def run_demo(settings: Settings, folder: Path = DEFAULT_FOLDER, out: TextIO = sys.stdout) -> int:
    pack = load_pack(settings.default_lang)

    def say(key: str, **values: object) -> None:
        print(pack.text(f"demo.{key}", **values), file=out, flush=True)

    own_url = f"sqlite:///{folder / DATABASE_FILE}"
    url = local_database_url(settings, own=own_url)
    own_database = url == own_url
    if own_database:
        _remove_database(folder / DATABASE_FILE)  # each demo starts afresh in its own database
    script = load_script()
    user_ids = {key: user_id_for(name) for key, name in script.cast.items()}
    people = {user_ids[key]: name for key, name in script.cast.items()}
    with open_standin(database_url=url, people=people, lang=settings.default_lang,
                     font_path=settings.font_path) as local:
        say("intro", people=pack.count("people", len(people)), channel=local.web_api.channel_name(local.channel),
            database=database_location(url))
        try:
            posted = play(Player(local, script, user_ids), say)
        except DemoError as error:
            say(error.key.removeprefix("demo."), **error.values)
            return 1
        say("channel_shows")
        for message in posted:
            print(f"\n{message_text(message, display_names(local, people))}\n", file=out, flush=True)
        written = write_files(local, folder)
    if own_database:
        written[DATABASE_FILE] = ("about_database", {})
    say("files", folder=folder)
    for name, (key, values) in written.items():
        say("file_line", name=name, about=pack.text(f"demo.{key}", **values))
    say("next_steps", database_url=url, lead=script.cast[script.lead])
    return 0


def write_files(local: Standin, folder: Path) -> dict[str, tuple[str, dict]]:
    """Writes the summary in every format, the canvas (if the workshop has one) and the Web API transcript;
    returns file name → (pack key, values)."""
    ctx = AppContext(engine=local.engine, settings=local.settings)
    workshop = channel_workshop(ctx, team_id=local.web_api.team_id, channel_id=local.channel, active_only=False)
    view = workshop_summary(local.app.client, ctx, workshop)
    journey_map = journey_map_png(view, font_path=local.settings.font_path)
    transcript = local.web_api.transcript()
    files = {
        "summary.md": (to_markdown(view), ("about_markdown", {})),
        **{"canvas.md": (canvas["markdown"], ("about_canvas", {"edits": canvas["edits"]}))
           for canvas in local.web_api.canvases()[-1:]},
        "summary.html": (to_html(view, map_png=journey_map), ("about_html", {})),
        "summary.json": (to_json(view), ("about_json", {"schema": JSON_SCHEMA_ID})),
        "summary.csv": (to_csv(view), ("about_csv", {})),
        "journey-map.png": (journey_map, ("about_journey_map", {})),
        "storyboard.png": (storyboard_png(view, font_path=local.settings.font_path), ("about_storyboard", {})),
        "slack-transcript.json": (json.dumps(transcript, ensure_ascii=False, indent=2),
                                  ("about_transcript", {"calls": len(transcript)})),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, (content, _) in files.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return {name: about for name, (_, about) in files.items()}


def local_database_url(settings: Settings, *, own: str) -> str:
    """DATABASE_URL when it is set, else ``own``: the real bot's default database is never played in."""
    return own if settings.database_url == DEFAULT_DATABASE_URL else settings.database_url


def database_location(database_url: str) -> str:
    """A database as a person looks for it: the file, or the URL without its password."""
    url = make_url(database_url)
    return url.database if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)


def _remove_database(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
