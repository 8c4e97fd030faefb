"""The closed sets of words journeybot stores, as types: a misspelt value is a type error, and the
database refuses any other value (storage/models.py gives each column a CHECK constraint).

A new value needs an Alembic migration that widens the column's CHECK constraint."""
from __future__ import annotations

from enum import StrEnum


class WorkshopStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class JourneyKind(StrEnum):
    CUSTOMER = "customer"  # every touchpoint with a brand, before and after the purchase
    USER = "user"  # one user doing one task with one product


class Lane(StrEnum):
    """Where an answer lands on the journey map; flows/data/steps.toml names them per step."""

    END_USER = "end_user"
    PHASE_IDEA = "phase_idea"
    DOES = "does"
    THINKS = "thinks"
    FEELS = "feels"
    TOUCHPOINTS = "touchpoints"
    INSIGHT = "insight"
    HMW = "hmw"
    EXPERIENCE = "experience"
    INTENTIONS = "intentions"
    PANEL = "panel"


class Evidence(StrEnum):
    """Where an answer comes from: an assumption until research (one of the others) backs it."""

    ASSUMPTION = "assumption"
    INTERVIEW = "interview"
    OBSERVATION = "observation"
    DIARY = "diary"
    SURVEY = "survey"  # these three came with the research round (migration 0006_research)
    ANALYTICS = "analytics"
    SUPPORT = "support"  # support tickets


class AnswerSource(StrEnum):
    """How an answer reached the bot."""

    THREAD = "thread"
    MODAL = "modal"
    COMMAND = "command"


class ThemeAction(StrEnum):
    """A lead's correction of the themes (flows/themes.py replays them)."""

    RENAME = "rename"  # the theme of a note gets a label
    MERGE = "merge"  # the themes of two notes become one
    MOVE = "move"  # a note joins another note's theme, or a theme of its own
