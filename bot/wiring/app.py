"""The Bolt app: one factory for every run mode, the demo, the console and the tests."""
from __future__ import annotations

import logging
from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from sqlalchemy.engine import Engine

from bot.wiring import keepalive, oauth
from bot.listeners import actions, commands, events, home, uninstall, views
from bot.wiring.context import AppContext
from bot.wiring.settings import Settings

# Bolt tries listeners in the order they were registered, each match costing as much as the rest of
# routing: thread replies, by far the most frequent request, are matched first.
LISTENER_MODULES = (events, commands, actions, views, home, uninstall)


def make_web_client(settings: Settings, token: str | None = None, logger: logging.Logger | None = None) -> WebClient:
    """A Web API client that waits out rate limits and retries transient failures, as slack_sdk offers."""
    return WebClient(
        token=token or settings.bot_token,
        base_url=settings.slack_api_url,
        timeout=10,
        logger=logger,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
            ServerErrorRetryHandler(max_retry_count=2),
        ],
    )


PROGRESS_INTERVAL = 1.0  # a prompt's count follows its answers within a second, in one chat.update per burst


def create_app(settings: Settings, engine: Engine, *, listener_executor: Executor | None = None,
               logger: logging.Logger | None = None, progress_interval: float = PROGRESS_INTERVAL) -> App:
    """``progress_interval`` 0 updates a prompt's count after every answer (the stand-in's tests read it at once)."""
    settings.check()  # a wrong setting (a templates file with a mistake) stops here, before any request
    keepalive.install()  # for our Web API clients and the ones Bolt builds for each request
    listener_executor = listener_executor or ThreadPoolExecutor(max_workers=10, thread_name_prefix="journeybot")
    app = App(
        **oauth.app_options(settings, engine),
        signing_secret=settings.signing_secret,
        client=make_web_client(settings),  # carries the bot token
        listener_executor=listener_executor,
        logger=logger,
        # Slack hears back only after an answer is stored (so an acknowledged answer is never
        # lost); every listener does its slow work after the ack, in a lazy function or ctx.after_ack.
        process_before_response=True,
    )
    ctx = AppContext(engine=engine, settings=settings, background=listener_executor, logger=app.logger,
                     progress_interval=progress_interval)
    for module in LISTENER_MODULES:
        module.register(app, ctx)
    return app
