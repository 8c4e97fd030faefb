"""The local stand-in for Slack: the demo, the console and the tests run the real Bolt app against it.

    fake = FakeSlack().start()                       # Slack's Web API on 127.0.0.1
    executor = TrackingExecutor()
    app = App(client=WebClient(base_url=fake.base_url, token="xoxb-..."), signing_secret=SECRET,
              listener_executor=executor)
    people = LocalWorkspace(fake, app, signing_secret=SECRET, listener_executor=executor)
    people.slash("U0LEAD", "start")                  # signed, Slack-shaped, waits for the listeners
"""

from bot.standin.executor import TrackingExecutor
from bot.standin.webapi import FakeSlack
from bot.standin.workspace import ListenerError, LocalWorkspace

__all__ = ["FakeSlack", "ListenerError", "LocalWorkspace", "TrackingExecutor"]
