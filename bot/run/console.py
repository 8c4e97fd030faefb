"""`journeybot console`: a workshop channel in the terminal, in the spirit of errbot's text backend.

The real Bolt app runs against the local stand-in for Slack; each line typed becomes what a person
does in Slack (a slash command, a message, a click, a modal filled in). After each line the console
prints what changed in the channel: new messages, updated ones (as a diff), and the private
messages the current person can see. Messages keep the number they were first shown with.

Lines are read from standard input without any terminal library, so a script can be piped in.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from bot.run.demo import (
    database_location,
    display_names,
    load_script,
    local_database_url,
    user_id_for,
)
from bot.standin.session import Standin, open_standin
from bot.run.terminal import blocks_lines, message_text
from bot.wiring.context import AppContext
from bot.wiring.settings import Settings
from bot.standin.payloads import initial_value
from bot.usecases import workshops
from bot.wiring.app import make_web_client
from flows.commands import SUBCOMMANDS
from flows.texts import Pack
from renderers.mrkdwn import escape
from storage import repository as repo
from storage.models import Workshop

CONSOLE_DATABASE_URL = "sqlite:///journeybot-console.sqlite3"
THREAD_INDENT = "    "
BODY_INDENT = "    "
CANCEL = "cancel"


@dataclass(frozen=True)
class Entry:
    """A message the current person can see, where the console shows it."""

    message: dict
    thread_of: str | None  # ts of the thread's parent, for replies
    only_you: bool = False

    @property
    def ts(self) -> str:
        return self.message["ts"]


class Cancelled(Exception):
    """The person closed a modal, or the input ended while it was open."""


class Console:
    def __init__(self, local: Standin, people: dict[str, str], *, speaker: str,
                 read: Callable[[str], str | None], out: TextIO):
        self.local = local
        self.people = dict(people)  # user ID → name
        self.speaker = speaker
        self.read = read
        self.out = out
        self.numbers: dict[str, int] = {}  # ts → the number it was first shown with
        self.shown: dict[str, str] = {}  # ts → its text as last shown
        self.ctx = AppContext(engine=local.engine, settings=local.settings)
        self.verbs: dict[str, Callable[[str], None]] = {
            "say": self.say, "reply": self.reply, "click": self.click, "edit": self.edit, "delete": self.delete,
            "as": self.become, "people": self.list_people, "show": self.show_all, "home": self.home,
            "canvas": self.canvas, "help": self.help,
        }

    # ---- talking to the person ----------------------------------------------------------------

    @property
    def pack(self) -> Pack:
        """The console speaks as the bot does in the channel: its workshop's language, before any the default."""
        return self.ctx.pack(workshops.channel_language(self.ctx, team_id=self.local.web_api.team_id,
                                                        channel_id=self.local.channel))

    def tell(self, key: str, **values: object) -> None:
        print(self.pack.text(key, **values), file=self.out, flush=True)

    @property
    def names(self) -> dict[str, str]:
        return display_names(self.local, self.people)

    def run(self) -> None:
        self.tell("console.welcome", channel=self.local.web_api.channel_name(self.local.channel),
                  database=database_location(self.local.settings.database_url), name=self.people[self.speaker])
        self._mention_earlier_workshop()
        while (line := self.read(self.pack.text("console.prompt", name=self.people[self.speaker]))) is not None:
            word, _, rest = line.strip().partition(" ")
            if word in ("quit", "exit"):
                break
            if word:
                self.do(word, rest.strip())
                self.refresh()
        self.tell("console.bye", database=database_location(self.local.settings.database_url))

    def do(self, word: str, rest: str) -> None:
        if word.startswith("/"):
            self.local.people.slash(self.speaker, self._as_slack_sends(rest), channel=self.local.channel, command=word)
        elif word in self.verbs:
            self.verbs[word](rest)
        elif word.lower() in SUBCOMMANDS:  # `status` typed without `/journey`
            command = f"/journey {word.lower()} {rest}".strip()
            self.tell("console.slash_command", word=word, command=command)
        else:
            self.tell("console.unknown", word=word)

    def _as_slack_sends(self, text: str) -> str:
        """Typed text as Slack sends it: `&`, `<` and `>` encoded, and `@Ana` (a name `people` lists, or an ID)
        as a mention, `<@U…|ana>`."""
        names = {name.casefold(): user_id for user_id, name in self.people.items()}
        names |= {user_id.casefold(): user_id for user_id in self.people}
        pattern = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))

        def mention(match: re.Match) -> str:
            user_id = names[match.group(1).casefold()]
            return f"<@{user_id}|{self.people[user_id].casefold()}>"
        return re.sub(rf"(?<!\S)@({pattern})(?!\w)", mention, escape(text), flags=re.IGNORECASE)

    def _mention_earlier_workshop(self) -> None:
        with self.ctx.unit() as session:
            workshop = repo.active_workshop(session, team_id=self.local.web_api.team_id, channel_id=self.local.channel)
        if workshop:
            self.tell("console.earlier_workshop", title=workshop.title)
            self._restore_prompts(workshop)
            self.refresh()

    def _restore_prompts(self, workshop: Workshop) -> None:
        """An earlier session's Slack is gone, but its workshop is not: its prompts are drawn again as they
        stand, at their old places, so their threads and Answer buttons work (earlier replies are not shown)."""
        with self.ctx.unit() as session:
            posts = repo.step_posts_of(session, workshop_id=workshop.id)
        client = make_web_client(self.local.settings)
        for post in posts:  # all first, so a closed prompt can link to the open one
            self.local.web_api.restore_bot_message(post.channel_id, post.ts)
        for post in posts:
            workshops.refresh_prompt(client, self.ctx, workshop_id=workshop.id, step_key=post.step_key)

    def _usage(self, verb: str) -> None:
        usage = next(line for line in self.pack.text("console.help").splitlines() if line.startswith(verb + " "))
        self.tell("console.usage", usage=usage.split("  ")[0])

    # ---- what people do ------------------------------------------------------------------------

    def say(self, text: str) -> None:
        if not text:
            return self._usage("say")
        self.local.people.say(self.speaker, self._as_slack_sends(text), channel=self.local.channel)

    def reply(self, rest: str) -> None:
        number, text = _number_and_text(rest)
        if number is None or not text:
            return self._usage("reply")
        entry = self._entry(number)
        thread = entry and (entry.thread_of or (None if entry.only_you else entry.ts))
        if not thread:
            return self.tell("console.no_message", number=number)
        self.local.people.say(self.speaker, self._as_slack_sends(text), channel=self.local.channel, thread_ts=thread)

    def edit(self, rest: str) -> None:
        number, text = _number_and_text(rest)
        if number is None or not text:
            return self._usage("edit")
        entry = self._own_entry(number)
        if entry:
            self.local.people.edit(self.speaker, self.local.channel, entry.ts, self._as_slack_sends(text))

    def delete(self, rest: str) -> None:
        number, _ = _number_and_text(rest)
        if number is None:
            return self._usage("delete")
        entry = self._own_entry(number)
        if entry:
            self.local.people.delete(self.speaker, self.local.channel, entry.ts)

    def click(self, rest: str) -> None:
        number, label = _number_and_text(rest)
        if number is None or not label:
            return self._usage("click")
        entry = self._entry(number)
        if entry is None:
            return self.tell("console.no_message", number=number)
        buttons = _buttons(entry.message)
        chosen = _button(buttons, label)
        if isinstance(chosen, list):  # several buttons fit what was typed
            return self.tell("console.ambiguous_button", number=number, count=len(chosen), label=chosen[0].label,
                             example_label=chosen[0].label.split()[0])
        if chosen is None:
            return self.tell("console.no_button", number=number, label=label, buttons=", ".join(
                f"[{button.label}]" for button in buttons) or self.pack.text("console.no_buttons"))
        value = None
        if chosen.menu is not None:  # a select menu: which of its options
            value = self.pick_option(chosen)
            if value is None:
                return self.tell("console.menu_unchanged")
        views_before = {view["id"] for view in self.local.web_api.open_views(self.speaker)}
        self.local.people.click(self.speaker, channel=self.local.channel, message_ts=entry.ts,
                                action_id=chosen.action_id, value=value)
        self.refresh()  # what the click changed, before any modal asks questions
        opened = [view for view in self.local.web_api.open_views(self.speaker) if view["id"] not in views_before]
        if opened:
            self.fill_modal(opened[-1])

    def pick_option(self, menu: Button) -> str | None:
        """The option the person picks in a message's select menu; None to leave it as it is."""
        try:
            return self.ask_field({"element": menu.menu, "label": {"text": menu.label}},
                                  initial_value(menu.menu))
        except Cancelled:
            return None

    def become(self, name: str) -> None:
        if not name:
            return self._usage("as")
        user_id = next((uid for uid, known in self.people.items() if known.casefold() == name.casefold()), None)
        if user_id is None:
            name = name[:1].upper() + name[1:]
            user_id = user_id_for(name, taken=self.people)
            self.local.web_api.add_user(user_id, name)
            self.local.web_api.join(self.local.channel, user_id)
            self.people[user_id] = name
            self.tell("console.joined", name=name, channel=self.local.web_api.channel_name(self.local.channel))
        self.speaker = user_id
        self.tell("console.you_are", name=self.people[user_id])

    def list_people(self, _: str) -> None:
        with self.ctx.unit() as session:
            workshop = repo.active_workshop(session, team_id=self.local.web_api.team_id, channel_id=self.local.channel)
            leads = set(repo.lead_ids(session, workshop_id=workshop.id)) if workshop else set()
        names = [self.pack.text("console.lead_marker" if user_id in leads else "console.person", name=name,
                                user_id=user_id) for user_id, name in self.people.items()]
        other = next((name for user_id, name in self.people.items() if user_id != self.speaker), self.people[self.speaker])
        self.tell("console.people", channel=self.local.web_api.channel_name(self.local.channel), names=", ".join(names),
                  name=self.people[self.speaker], other=other)

    def home(self, _: str) -> None:
        self.local.people.open_home(self.speaker)
        view = self.local.web_api.home(self.speaker)
        if view is None:
            return self.tell("console.no_home")
        print("\n".join(blocks_lines(view.get("blocks") or [], self.names)), file=self.out, flush=True)

    def canvas(self, _: str) -> None:
        """The canvas the channel sees (its tab's, or one shared with it), as the markdown Slack was given."""
        channel = self.local.channel
        shown = [c for c in self.local.web_api.canvases() if c["tab_channel"] == channel or channel in c["access"]]
        if not shown:
            return self.tell("console.no_canvas")
        canvas = shown[-1]
        self.tell("console.canvas_title", title=canvas["title"], edits=canvas["edits"])
        print(canvas["markdown"], file=self.out, flush=True)

    def help(self, _: str) -> None:
        self.tell("console.help")

    # ---- modals ------------------------------------------------------------------------------------

    def fill_modal(self, view: dict) -> None:
        """Asks for each input of the modal, submits it, and asks again for what the app says is wrong."""
        self.tell("console.modal_title", title=view.get("title", {}).get("text", ""))
        for line in blocks_lines([block for block in view["blocks"] if block["type"] != "input"], self.names):
            print(BODY_INDENT + line, file=self.out, flush=True)
        inputs = [block for block in view["blocks"] if block["type"] == "input"]
        values: dict[str, str] = {}
        to_ask = inputs
        try:
            while True:
                for block in to_ask:
                    value = self.ask_field(block, values.get(block["block_id"], initial_value(block["element"])))
                    if value is not None:
                        values[block["block_id"]] = value
                errors = self.local.people.submit(self.speaker, view["id"], values)
                if not errors:
                    return self._after_submit(view)
                self.tell("console.modal_errors")
                labels = {block["block_id"]: block["label"]["text"] for block in inputs}
                for block_id, error in errors.items():
                    self.tell("console.modal_error_line", label=labels.get(block_id, block_id), error=error)
                to_ask = [block for block in inputs if block["block_id"] in errors] or inputs
        except Cancelled:
            self.local.people.close_view(self.speaker, view["id"])
            self.tell("console.modal_cancelled")

    def _after_submit(self, view: dict) -> None:
        """The app may answer a submission with the modal's next step (response_action update): fill that in,
        or show it when it only tells something, and close it as a person would after reading."""
        follow = next((open_view for open_view in self.local.web_api.open_views(self.speaker)
                       if open_view["id"] == view["id"]), None)
        if follow is None or follow["blocks"] == view["blocks"]:
            return self.tell("console.modal_sent")
        if any(block["type"] == "input" for block in follow["blocks"]):
            return self.fill_modal(follow)
        for line in blocks_lines(follow["blocks"], self.names):
            print(BODY_INDENT + line, file=self.out, flush=True)
        self.local.people.close_view(self.speaker, follow["id"])

    def ask_field(self, block: dict, current: str | None) -> str | list[str] | None:
        """One input's value from the person; None keeps what it holds (or leaves an optional one empty)."""
        element, label = block["element"], block["label"]["text"]
        options = {option["value"]: option["text"]["text"] for option in element.get("options") or []}
        hints = [self.pack.text("console.field_optional")] if block.get("optional") else []
        if current:
            hints.append(self.pack.text("console.field_default", value=options.get(current, current)))
        print(f"{label}" + (f" ({'; '.join(hints)})" if hints else ""), file=self.out, flush=True)
        if options:
            choices = "  ".join(f"{number}) {text}" for number, text in enumerate(options.values(), start=1))
            self.tell("console.field_options", options=choices)
        while True:
            line = self.read(f"{BODY_INDENT}{label}> ")
            if line is None or line.strip() == CANCEL:
                raise Cancelled()
            answer = line.strip()
            if not answer:
                if current or block.get("optional"):
                    return None
                self.tell("console.field_required")
                continue
            if not options:
                return answer
            if element["type"] == "multi_static_select":  # "1, 3": several choices
                several = [_option(options, part.strip()) for part in answer.split(",") if part.strip()]
                if several and None not in several:
                    return several
            else:
                chosen = _option(options, answer)
                if chosen is not None:
                    return chosen
            self.tell("console.field_bad_option")

    # ---- showing the channel -----------------------------------------------------------------------

    def visible(self) -> list[Entry]:
        """What the current person sees, in reading order: each top-level message followed by its thread."""
        web_api, channel = self.local.web_api, self.local.channel
        top: list[Entry] = []
        threads: dict[str, list[Entry]] = {}
        for message in web_api.messages(channel):
            top.append(Entry(message, None))
            if message.get("reply_count"):
                threads[message["ts"]] = [Entry(reply, message["ts"]) for reply in web_api.thread(channel, message["ts"])[1:]]
        for ephemeral in web_api.ephemerals(self.speaker):
            parent = ephemeral.get("thread_ts")
            if parent and parent in threads:
                threads[parent].append(Entry(ephemeral, parent, only_you=True))
            else:
                top.append(Entry(ephemeral, None, only_you=True))
        ordered: list[Entry] = []
        for entry in sorted(top, key=lambda e: float(e.ts)):
            ordered.append(entry)
            ordered += sorted(threads.get(entry.ts, []), key=lambda e: float(e.ts))
        return ordered

    def refresh(self) -> None:
        """Prints what changed since the last look: new messages, updated ones, deleted ones."""
        visible = self.visible()
        for entry in visible:
            text = message_text(entry.message, self.names)
            if entry.ts not in self.shown:
                self._print_entry(entry, text)
            elif self.shown[entry.ts] != text:
                self._print_update(entry, self.shown[entry.ts], text)
            self.shown[entry.ts] = text
        still_there = {entry.ts for entry in visible}
        for ts in [ts for ts in self.shown if ts not in still_there and not self._hidden_ephemeral(ts)]:
            del self.shown[ts]
            self.tell("console.deleted", number=self.numbers[ts])

    def show_all(self, _: str = "") -> None:
        for entry in self.visible():
            self.shown[entry.ts] = text = message_text(entry.message, self.names)
            self._print_entry(entry, text)

    def _hidden_ephemeral(self, ts: str) -> bool:
        """Another person's private message: not gone, just not shown to the current person."""
        return any(e["ts"] == ts for e in self.local.web_api.ephemerals()) and ts not in (
            e["ts"] for e in self.local.web_api.ephemerals(self.speaker))

    def _print_entry(self, entry: Entry, text: str) -> None:
        indent = self._header(entry, None)
        for line in text.splitlines():
            print(f"{indent}{BODY_INDENT}{line}", file=self.out)
        self.out.flush()

    def _print_update(self, entry: Entry, before: str, after: str) -> None:
        indent = self._header(entry, self.pack.text("console.updated"))
        old, new = before.splitlines(), after.splitlines()
        for line in (f"- {line}" for line in old if line not in new):
            print(f"{indent}{BODY_INDENT}{line}", file=self.out)
        for line in (f"+ {line}" for line in new if line not in old):
            print(f"{indent}{BODY_INDENT}{line}", file=self.out)
        self.out.flush()

    def _header(self, entry: Entry, note: str | None) -> str:
        """Prints the message's number, author and notes; returns the indent of its lines."""
        number = self.numbers.setdefault(entry.ts, len(self.numbers) + 1)
        message = entry.message
        author_id = self.local.web_api.bot_user_id if message.get("bot_id") else message.get("user", "")
        author = self.names.get(author_id, author_id)
        notes = [note] if note else []
        if entry.only_you:
            notes.append(self.pack.text("console.only_you"))
        if entry.thread_of:
            notes.append(self.pack.text("console.in_thread", number=self.numbers.get(entry.thread_of, "?")))
        indent = THREAD_INDENT if entry.thread_of else ""
        print(f"{indent}#{number} {author}" + "".join(f" · {n}" for n in notes), file=self.out)
        return indent

    # ---- finding messages ----------------------------------------------------------------------------

    def _entry(self, number: int) -> Entry | None:
        return next((entry for entry in self.visible() if self.numbers.get(entry.ts) == number), None)

    def _own_entry(self, number: int) -> Entry | None:
        entry = self._entry(number)
        if entry is None or entry.only_you:
            self.tell("console.no_message", number=number)
            return None
        if entry.message.get("user") != self.speaker or entry.message.get("bot_id"):
            self.tell("console.not_yours", number=number)
            return None
        return entry


def _number_and_text(rest: str) -> tuple[int | None, str]:
    first, _, text = rest.partition(" ")
    first = first.removeprefix("#")
    return (int(first), text.strip()) if first.isdigit() else (None, rest)


@dataclass(frozen=True)
class Button:
    action_id: str
    label: str
    beside: str  # the text next to it: its section's text, or the text of the block before its row
    menu: dict | None = None  # a static select (named by its placeholder): the element, to ask for an option


def _buttons(message: dict) -> list[Button]:
    """A message's buttons and select menus in reading order, with the text each one stands next to."""
    buttons, before = [], ""
    for block in message.get("blocks") or []:
        text = (block.get("text") or {}).get("text", "") if isinstance(block.get("text"), dict) else ""
        elements = list(block.get("elements") or []) + ([block["accessory"]] if block.get("accessory") else [])
        for element in elements:
            if element.get("type") == "button":
                buttons.append(Button(element["action_id"], element["text"]["text"], text or before))
            elif element.get("type") == "static_select" and element.get("placeholder"):
                buttons.append(Button(element["action_id"], element["placeholder"]["text"], text or before, element))
        before = text or before
    return buttons


def _button(buttons: list[Button], typed: str) -> Button | list[Button] | None:
    """The button the person means: by its label (`Vote`); when labels repeat, by position (`Vote 2`) or by
    words next to it (`Vote returns`). A list when several still fit, None when none does."""
    words = typed.split()
    for cut in range(len(words), 0, -1):
        label, hint = " ".join(words[:cut]), " ".join(words[cut:]).casefold()
        exact = [b for b in buttons if b.label.casefold() == label.casefold()]
        named = exact or [b for b in buttons if label.casefold() in b.label.casefold()]
        if not named:
            continue
        if hint.isdigit():
            return named[int(hint) - 1] if 1 <= int(hint) <= len(named) else None
        if hint:
            named = [b for b in named if hint in b.beside.casefold()]
        if named:
            return named[0] if len(named) == 1 else named
    return None


def _named(labels: dict[str, str], typed: str) -> str | None:
    """The key whose label is what the person typed; else the only one whose label contains it
    (`click 4 negative` presses “:disappointed: negative”)."""
    wanted = typed.casefold()
    exact = [key for key, label in labels.items() if label.casefold() == wanted]
    partial = [key for key, label in labels.items() if wanted in label.casefold()]
    matches = exact or partial
    return matches[0] if len(matches) == 1 else None


def _option(options: dict[str, str], answer: str) -> str | None:
    """The value of the option the person named by its number, its label or its value."""
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return list(options)[int(answer) - 1]
    return answer if answer in options else _named(options, answer)


def _reader(stdin: TextIO, out: TextIO) -> Callable[[str], str | None]:
    """input() for any stream: shows the prompt, returns the line or None at the end of the input.
    When the input is not a terminal the line is echoed, so a piped session reads like a typed one."""
    echo = not stdin.isatty()

    def read(prompt: str) -> str | None:
        out.write(prompt)
        out.flush()
        line = stdin.readline()
        if not line:
            out.write("\n")
            return None
        if echo:
            out.write(line if line.endswith("\n") else line + "\n")
        return line.rstrip("\r\n")

    return read


def run_console(settings: Settings, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    database_url = local_database_url(settings, own=CONSOLE_DATABASE_URL)
    cast = load_script().cast
    people = {user_id_for(name): name for name in cast.values()}
    with open_standin(database_url=database_url, people=people, lang=settings.default_lang,
                     font_path=settings.font_path, raise_listener_errors=False) as local:
        console = Console(local, people, speaker=next(iter(people)), read=_reader(stdin, out), out=out)
        console.run()
    return 0
