"""Workshops of a given size, written straight to the database (answering 10,000 times through Slack
would measure the answers, not the summary). Deterministic: the same size gives the same workshop."""
from __future__ import annotations

import random

from sqlalchemy.engine import Engine

from flows.catalog import load_catalog
from flows.engine import build_plan
from flows.texts import load_pack
from storage import repository as repo
from storage.db import unit_of_work
from storage.models import Item

PHASES = tuple(load_pack("en").raw("kinds.customer.default_phases"))  # five, the customer default
AUTHORS = {f"U0P{number:02d}": name for number, name in enumerate(
    ("Ana", "Bram", "Chloé", "Dries", "Eva", "Farid", "Greet", "Hugo", "Ines", "Jonas", "Kim", "Lotte"))}
# Where answers land, by share: most of a workshop is its journey phases.
LANE_SHARES = (("end_user", 0.05), ("journey", 0.70), ("insight", 0.08), ("hmw", 0.05), ("experience", 0.02),
               ("intentions", 0.02), ("panel", 0.08))
JOURNEY_LANES = ("does", "thinks", "feels", "touchpoints")
STORY_STEPS = ("story_customer", "story_pain", "story_solution", "story_discovery", "story_outcome")
WORDS = ("compares", "prices", "checkout", "shipping", "the form", "forgets", "my address", "delivery", "is quick",
         "support", "chat", "<unclear>", "& then", "waits", "for the", "confirmation", "e-mail", "*again*", "😕",
         "orders", "monthly", "office supplies", "for the team", "without", "a purchasing department")


def seed_workshop(engine: Engine, *, team_id: str, channel_id: str, lead_id: str, size: int, seed: int = 8) -> int:
    """A customer-journey workshop with `size` answers from twelve people whose names are stored."""
    rng = random.Random(seed)
    plan = build_plan(template="full", phases=PHASES, catalog=load_catalog())
    with unit_of_work(engine) as session:
        workshop = repo.create_workshop(session, team_id=team_id, channel_id=channel_id, title=f"{size} answers",
                                        kind="customer", template="full", lang="en", lead_id=lead_id,
                                        phases=PHASES, first_step=plan.first().key)
        workshop.current_step = "journey:1"
        session.add_all(_item(rng, workshop.id, number) for number in range(size))
        for user_id, name in AUTHORS.items():
            repo.remember_person(session, team_id=team_id, user_id=user_id, name=name)
        return workshop.id


def _item(rng: random.Random, workshop_id: int, number: int) -> Item:
    lane = rng.choices([lane for lane, _ in LANE_SHARES], [share for _, share in LANE_SHARES])[0]
    step_key, phase, feeling = {"end_user": "end_user", "insight": "opportunities", "hmw": "hmw",
                                "experience": "experience", "intentions": "experience"}.get(lane), None, None
    if lane == "journey":
        phase_number = rng.randrange(len(PHASES)) + 1
        lane, step_key, phase = rng.choice(JOURNEY_LANES), f"journey:{phase_number}", PHASES[phase_number - 1]
        feeling = rng.choice((-1, 0, 1)) if lane == "feels" else None
    elif lane == "panel":
        step_key = rng.choice(STORY_STEPS)
    text = " ".join(rng.choices(WORDS, k=rng.randrange(3, 14)))
    return Item(workshop_id=workshop_id, step_key=step_key, phase=phase, lane=lane, text=text, feeling=feeling,
                why=rng.choice((None, None, "because " + rng.choice(WORDS))) if feeling is not None else None,
                evidence=rng.choice(("assumption",) * 3 + ("interview", "observation")),
                author_id=rng.choice(list(AUTHORS)), source="thread", dedupe_key=f"seed:{workshop_id}:{number}")
