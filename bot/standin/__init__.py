"""The local stand-in for Slack: a fake Web API server and a workspace that plays people against a Bolt app."""
