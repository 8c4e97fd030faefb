import re

from flows.catalog import NEGATIVE, POSITIVE
from renderers.markdown import to_markdown
from tests.factories import NAMES, make_item, make_workshop, sample_items, summary_of

DUTCH = "één geïnteresseerde klant in het café"


def small_summary(**workshop_overrides):
    workshop = make_workshop(**workshop_overrides)
    items = sample_items(workshop)
    hmw = next(item for item in items if item.lane == "hmw")
    return summary_of(workshop, items, votes={hmw.id: 3})


def test_every_renderer_input_size_gives_a_titled_document(any_view):
    text = to_markdown(any_view)
    assert text.startswith("# Journey summary: Ordering online\n")
    assert any_view.progress in text and any_view.context in text
    bullets = [line for line in text.splitlines() if line.lstrip(" ").startswith("- ")]
    drafts = sum(item.draft for item in any_view.hmw)
    theme_heads = sum(theme.count > 1 for theme in any_view.all_themes())
    assert len(bullets) == any_view.item_count + drafts + theme_heads


def test_empty_workshop_says_nothing_yet_in_every_section():
    text = to_markdown(summary_of(make_workshop(phases=[]), []))
    sections = re.findall(r"^## .*\n\n(.*)$", text, flags=re.MULTILINE)
    assert len(sections) == 7
    assert all(body.startswith("_Nothing yet._") or body.startswith("### ") for body in sections)


def test_phases_show_lanes_average_feeling_and_spread():
    text = to_markdown(small_summary())
    research = text[text.index("### 1. Research"):text.index("### 2. Purchase")]
    assert [line for line in research.splitlines() if line.startswith("**")] == [
        "**Does**", "**Thinks**", "**Feels**", "**Touchpoints and channels**"]
    assert "Average feeling: :neutral_face: **0.00** (1 positive, 0 neutral, 1 negative)" in research
    assert ":disappointed: **-0.50** (0 positive, 1 neutral, 1 negative)" in text
    assert ":slightly_smiling_face: **+1.00**" in text
    assert "- :disappointed: overwhelmed (too many options) — Chloé" in research


def test_user_journeys_have_no_touchpoints_lane():
    assert "Touchpoints" not in to_markdown(small_summary(kind="user"))


def test_hmw_lists_votes_then_drafts():
    text = to_markdown(small_summary())
    hmw = text[text.index("## How might we"):text.index("## Overall experience")]
    lines = [line for line in hmw.splitlines() if line.startswith("- ")]
    assert lines[0] == "- How might we show the full price before checkout? — Bram · **3 votes**"
    assert "votes" not in lines[1]
    assert lines[2:] == [
        "- How might we help the end user feel less overwhelmed in the Research phase? _(draft)_",
        "- How might we help the end user feel less annoyed in the Purchase phase? _(draft)_ · _Research: interview_",
        "- How might we change the fact that shipping costs show up only at checkout? _(draft)_"
        " · _Research: interview_"]
    assert "_(draft)_" not in lines[0] + lines[1]


def test_research_items_are_marked_and_assumptions_are_not():
    text = to_markdown(small_summary())
    end_user = "- A freelance designer who orders office supplies once a month"
    assert f"{end_user} — Anna de Vries · _Research: interview_" in text
    assert "- Compares three web shops — Bram\n" in text


def test_anonymous_workshop_shows_no_names():
    text = to_markdown(small_summary(anonymous=True))
    assert not any(name in text for name in NAMES.values())
    assert "— anonymous" in text


def test_user_text_cannot_inject_html_or_links():
    workshop = make_workshop()
    items = [make_item("insight", "<script>alert(1)</script> & [click](javascript:alert(1))"),
             make_item("does", "# not a heading", phase=1), make_item("thinks", "1. not a list", phase=1)]
    text = to_markdown(summary_of(workshop, items))
    assert "<script>" not in text and "[click](" not in text
    assert "\\<script\\>alert(1)\\</script\\> \\& \\[click\\](javascript:alert(1))" in text
    assert "- \\# not a heading" in text and "- 1\\. not a list" in text


def test_multi_line_answers_stay_in_their_bullet():
    text = to_markdown(summary_of(make_workshop(), [make_item("insight", "first line\n\n## second line")]))
    assert "- first line ## second line — Anna de Vries" in text


def test_dutch_diacritics_survive():
    workshop = make_workshop(title="Café één", phases=["Oriëntatie", "Aankoop"])
    items = [make_item("feels", DUTCH, phase=1, workshop=workshop, feeling=POSITIVE),
             make_item("feels", "teleurgesteld", phase=2, workshop=workshop, feeling=NEGATIVE)]
    text = to_markdown(summary_of(workshop, items))
    assert "# Journey summary: Café één" in text and "### 1. Oriëntatie" in text and DUTCH in text
