"""The local stand-in for Slack: the demo, the console and the tests run the real Bolt app against it.

    web_api = WebAPI().start()                       # Slack's Web API on 127.0.0.1
    executor = TrackingExecutor()
    app = App(client=WebClient(base_url=web_api.base_url, token="xoxb-..."), signing_secret=SECRET,
              listener_executor=executor)
    people = People(web_api, app, signing_secret=SECRET, listener_executor=executor)
    people.slash("U0LEAD", "start")                  # signed, Slack-shaped, waits for the listeners

`bot.standin.socket_mode.SocketModeServer` is Slack's end of Socket Mode for a bot process connected with
an app-level token; `People(web_api, socket_mode_server, ...)` then acts through it.

`bot.standin.session.open_standin()` wires all of it to journeybot's own app and a database, for the
demo, the console and the tests.
"""

from bot.standin.executor import TrackingExecutor
from bot.standin.webapi import WebAPI
from bot.standin.people import ListenerError, People

__all__ = ["WebAPI", "ListenerError", "People", "TrackingExecutor"]
