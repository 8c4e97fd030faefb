"""The floor: journeybot's app shape minus journeybot. The same Bolt settings (`process_before_response=True`,
journeybot's Web API client) and, for every surface the benchmarks touch, a listener that acks and hands
the rest to a lazy function that does nothing."""
from __future__ import annotations

from concurrent.futures import Executor

from slack_bolt import App

from bot.wiring.app import make_web_client
from bot.wiring.settings import Settings


def floor_app(api_url: str, signing_secret: str, executor: Executor | None = None) -> App:
    settings = Settings(bot_token="xoxb-floor", signing_secret=signing_secret, slack_api_url=api_url)
    app = App(signing_secret=signing_secret, client=make_web_client(settings), process_before_response=True,
              token_verification_enabled=False, listener_executor=executor)

    def acknowledge(ack):
        ack()

    def nothing():
        pass

    app.command("/journey")(ack=acknowledge, lazy=[nothing])
    app.event("message")(ack=acknowledge, lazy=[nothing])
    app.action("answer")(ack=acknowledge, lazy=[nothing])
    app.view("answer")(ack=acknowledge, lazy=[nothing])
    return app
