"""Wiring: settings, the Bolt app factory, OAuth and the context every use case gets."""
