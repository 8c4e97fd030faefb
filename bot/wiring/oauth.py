"""Many workspaces: Slack's OAuth install flow, with installations kept in journeybot's own database.

With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set, Bolt answers each request with the bot token of the
workspace it comes from, found in slack_sdk's SQLAlchemy installation store (tables made by migration
0002, not by the stores' create_tables). Without them, the one SLACK_BOT_TOKEN serves one workspace.
"""
from __future__ import annotations

from urllib.parse import urljoin

from sqlalchemy.engine import Engine

from bot.wiring.settings import Settings

# What installing asks a workspace for: the same list as manifest.yml's oauth_config.scopes.bot.
BOT_SCOPES = ("commands", "chat:write", "chat:write.public", "channels:join", "channels:history", "groups:history",
              "reactions:write", "users:read", "files:write", "channels:read", "groups:read", "canvases:write")
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# Ten minutes from clicking "Add to Slack" to coming back; the state row is deleted when used.
STATE_EXPIRATION_SECONDS = 600


def app_options(settings: Settings, engine: Engine) -> dict:
    """App(...) arguments for many workspaces; none for one, whose SLACK_BOT_TOKEN the app's WebClient carries."""
    if not settings.uses_oauth:
        return {}
    # Imported here: the stores pull in SQLAlchemy's asyncio layer, which one workspace never needs.
    from slack_bolt.oauth.oauth_settings import OAuthSettings
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    store = SQLAlchemyInstallationStore(client_id=settings.client_id, engine=engine)
    oauth_settings = OAuthSettings(
        client_id=settings.client_id, client_secret=settings.client_secret, scopes=list(BOT_SCOPES),
        installation_store=store, install_path=INSTALL_PATH, redirect_uri_path=REDIRECT_PATH,
        authorization_url=authorization_url(settings.slack_api_url),
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine),
    )
    # The store is passed to App too, so Bolt's per-request authorization (and token rotation) uses
    # the app's WebClient, which talks to SLACK_API_URL, as the OAuth token exchange does.
    return {"installation_store": store, "oauth_settings": oauth_settings}


def authorization_url(slack_api_url: str) -> str:
    """Where "Add to Slack" sends people to approve: the same Slack host as the Web API (slack.com, slack-gov.com)."""
    return urljoin(slack_api_url, "/oauth/v2/authorize")
