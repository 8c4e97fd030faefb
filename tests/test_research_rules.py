"""The research round's rules without Slack: a note's state from its verdicts, and what the evidence modal accepts."""
from dataclasses import dataclass

import pytest

from flows.replies import clean_text
from flows.research import EvidenceError, EvidenceErrors, note_state, read_evidence, read_link

SOURCES = ("interview", "observation", "diary", "survey", "analytics", "support")


@dataclass
class V:
    verdict: str
    settled: bool = False
    item_id: int = 1
    user_id: str = "U1"


@pytest.mark.parametrize("verdicts, state", [
    ([], "open"),
    ([V("unclear")], "open"),
    ([V("confirmed"), V("unclear")], "confirmed"),
    ([V("refuted"), V("refuted")], "refuted"),
    ([V("confirmed"), V("refuted")], "disputed"),
    ([V("confirmed"), V("refuted"), V("refuted", settled=True)], "refuted"),
])
def test_a_notes_state_follows_its_verdicts_and_a_leads_settling_wins(verdicts, state):
    assert note_state(verdicts) == state


@pytest.mark.parametrize("link", ["https://wiki.example.com/interviews?q=1#top", "http://intranet.example.nl/a"])
def test_links_that_are_web_addresses_are_kept(link):
    assert read_link(f"  {link} ") == link


@pytest.mark.parametrize("link", ["javascript:alert(1)", "www.example.com", "https://localhost/x", "ftp://example.com/f",
                                  "https://exa mple.com", "https://example.com/<!channel>", "https://example.com/a|b"])
def test_anything_else_is_refused_rather_than_guessed_at(link):
    with pytest.raises(EvidenceError):
        read_link(link)


def test_every_wrong_field_is_named_at_once():
    with pytest.raises(EvidenceErrors) as raised:
        read_evidence(text=" ", source="rumour", people="-3", link="nope", sources=SOURCES, clean=clean_text)
    assert {error.field for error in raised.value.errors} == {"found", "source", "people", "link"}
    ok = read_evidence(text="seen\x00 it", source="survey", people="120", link="", sources=SOURCES, clean=clean_text)
    assert (ok.text, ok.people, ok.link) == ("seen it", 120, None)


def test_the_home_tab_lists_every_assumption_of_a_large_round_within_100_blocks():
    from flows.home import HomeNote, HomeResearch, HomeView, HomeWorkshop
    from flows.texts import load_pack
    from renderers.slack import MAX_VIEW_BLOCKS, home_view
    from tests.test_workshop import block_text

    notes = tuple(HomeNote(phase % 5 + 1, f"Phase {phase % 5 + 1}", "does", f"assumption number {phase}", "open")
                  for phase in range(300))
    round_ = HomeResearch(title="Big", lang="en", notes=tuple(sorted(notes, key=lambda n: n.phase_number)),
                          checks=notes[:3],
                          evidence=())
    row = HomeWorkshop(workshop_id=1, title="Big", channel_id="C1", step_key="end_user", step="The end user",
                       number=1, count=10, answers=0, lang="en")
    shown = block_text(home_view(load_pack("en"), HomeView(active=(row,), past=(), research=(round_,)),
                                 pack_of=load_pack))
    assert all(f"assumption number {n} " in shown for n in range(300))

    crowded = tuple(HomeWorkshop(workshop_id=n, title=f"W{n}", channel_id=f"C{n}", step_key="end_user", step="x",
                                 number=1, count=10, answers=0, lang="en", waiting=True) for n in range(200))
    view = home_view(load_pack("en"), HomeView(active=crowded, past=crowded, research=(round_, round_)),
                     pack_of=load_pack)
    assert len(view["blocks"]) <= MAX_VIEW_BLOCKS
    assert "Research in *Big*" in block_text(view) and "more." in block_text(view)
