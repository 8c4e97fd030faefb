"""Many workspaces: installing through /slack/install, each workspace answered with its own bot token,
and uninstalling forgets the workspace. Over HTTP, through bot.run.wsgi, on SQLite and PostgreSQL."""
from __future__ import annotations

import re
import urllib.request
from contextlib import contextmanager
from email.message import Message
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.wiring import oauth
from bot.wiring.oauth import BOT_SCOPES
from bot.wiring.settings import Settings
from bot.standin import WebAPI, People
from bot.run.wsgi import make_wsgi_app
from storage import repository as repo
from storage.db import unit_of_work
from tests.wsgi_server import serving

SECRET, CLIENT_ID, CLIENT_SECRET = "oauth-signing-secret", "111.222", "client-secret"
FIRST, SECOND = ("T0FIRST", "C0FIRST", "U0ANNA"), ("T0SECOND", "C0SECOND", "U0BRAM")


class TokenSpy(WebAPI):
    """WebAPI that also remembers which token each Web API call came with (its call log leaves tokens out)."""

    def __init__(self):
        super().__init__(team_id=FIRST[0])
        self.tokens: list[tuple[str, str | None, str | None]] = []

    def call_api(self, call):
        self.tokens.append((call.method, call.token, call.params.get("channel")))
        return super().call_api(call)

    def tokens_posting_to(self, channel: str) -> set[str]:
        return {token for method, token, to in self.tokens if method == "chat.postMessage" and to == channel}


@contextmanager
def answering_as(web_api: WebAPI, team_id: str):
    """WebAPI plays one workspace; while another installs, its oauth.v2.access answers for that one."""
    with web_api.state.lock:
        web_api.state.team_id, home = team_id, web_api.state.team_id
    try:
        yield
    finally:
        with web_api.state.lock:
            web_api.state.team_id = home


@pytest.fixture
def web_api():
    with TokenSpy() as web_api:
        for team_id, channel, person in (FIRST, SECOND):
            web_api.add_user(person, person.lower())
            web_api.add_channel(channel, "journeys", [person])
        yield web_api


@pytest.fixture
def server(web_api, engine, database_url, executor):
    settings = Settings(signing_secret=SECRET, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                        database_url=database_url, slack_api_url=web_api.base_url)
    with serving(make_wsgi_app(settings, listener_executor=executor)) as root:
        yield root


def get(url: str, headers: dict | None = None) -> tuple[int, Message, str]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
        return response.status, response.headers, response.read().decode()


def install(server: str, web_api: WebAPI, team_id: str, installer: str) -> str:
    """Clicks "Add to Slack" on /slack/install, approves, and comes back to /slack/oauth_redirect; returns the page."""
    _, headers, page = get(f"{server}/slack/install")
    authorize = urlsplit(unescape(re.search(r'<a href="([^"]+)"', page).group(1)))
    # people approve on Slack itself: the host SLACK_API_URL names (here the stand-in)
    assert (authorize.netloc, authorize.path) == (urlsplit(web_api.base_url).netloc, "/oauth/v2/authorize")
    assert parse_qs(authorize.query)["scope"] == [",".join(BOT_SCOPES)]
    code = f"code-{team_id}"
    web_api.add_oauth_code(code, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, installer=installer)
    query = urlencode({"code": code, "state": parse_qs(authorize.query)["state"][0]})
    with answering_as(web_api, team_id):
        status, _, done = get(f"{server}/slack/oauth_redirect?{query}",
                              headers={"Cookie": headers["Set-Cookie"].split(";")[0]})
    assert status == 200
    return done


def workspace(web_api, server, executor, team) -> People:
    team_id, channel, _ = team
    return People(web_api, f"{server}/slack/events", signing_secret=SECRET, team_id=team_id, channel=channel,
                          listener_executor=executor)


def bot_token(engine, team_id: str) -> str | None:
    bot = SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=engine).find_bot(enterprise_id=None, team_id=team_id)
    return bot.bot_token if bot else None


def test_each_installed_workspace_is_answered_with_its_own_bot_token(web_api, server, engine, executor):
    for team_id, _, person in (FIRST, SECOND):
        assert "Thank you" in install(server, web_api, team_id, person)
    tokens = {team_id: bot_token(engine, team_id) for team_id in (FIRST[0], SECOND[0])}
    assert tokens[FIRST[0]].startswith("xoxb-") and tokens[FIRST[0]] != tokens[SECOND[0]]

    for team in (FIRST, SECOND):
        workspace(web_api, server, executor, team).slash(team[2], "start Onboarding")

    for team_id, channel, _ in (FIRST, SECOND):
        assert web_api.tokens_posting_to(channel) == {tokens[team_id]}
        assert len(web_api.messages(channel)) == 2  # the kickoff and the first prompt


def test_a_state_that_was_not_issued_installs_nothing(web_api, server, engine):
    web_api.add_oauth_code("stolen", client_id=CLIENT_ID, client_secret=CLIENT_SECRET, installer=FIRST[2])
    with pytest.raises(urllib.error.HTTPError) as refused:
        get(f"{server}/slack/oauth_redirect?code=stolen&state=made-up",
            headers={"Cookie": "slack-app-oauth-state=made-up"})
    assert refused.value.code == 401
    assert bot_token(engine, FIRST[0]) is None
    assert web_api.calls_of("oauth.v2.access") == []  # the code was never even tried


def test_uninstalling_forgets_that_workspace_only(web_api, server, engine, executor):
    for team_id, _, person in (FIRST, SECOND):
        install(server, web_api, team_id, person)
    first, second = (workspace(web_api, server, executor, team) for team in (FIRST, SECOND))
    first.slash(FIRST[2], "start Onboarding")
    second.slash(SECOND[2], "start Onboarding")

    first.event({"type": "app_uninstalled"})

    assert bot_token(engine, FIRST[0]) is None and bot_token(engine, SECOND[0])
    with unit_of_work(engine) as session:
        assert repo.workshops_for_team(session, team_id=FIRST[0]) == []
        assert len(repo.workshops_for_team(session, team_id=SECOND[0])) == 1


def test_a_revoked_bot_token_is_forgotten(web_api, server, engine, executor):
    install(server, web_api, FIRST[0], FIRST[2])
    workspace(web_api, server, executor, FIRST).event(
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [web_api.bot_user_id]}})
    assert bot_token(engine, FIRST[0]) is None


def test_the_install_scopes_are_the_manifests():
    yaml = pytest.importorskip("yaml")
    manifest = yaml.safe_load((Path(__file__).parents[1] / "manifest.yml").read_text())
    assert tuple(manifest["oauth_config"]["scopes"]["bot"]) == BOT_SCOPES


@pytest.mark.parametrize("slack_api_url, approve_at", [
    ("https://slack.com/api/", "https://slack.com/oauth/v2/authorize"),
    ("https://slack-gov.com/api/", "https://slack-gov.com/oauth/v2/authorize"),
])
def test_add_to_slack_follows_the_configured_slack_host(slack_api_url, approve_at):
    assert oauth.authorization_url(slack_api_url) == approve_at
