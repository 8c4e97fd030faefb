"""The canvas markdown renderer: every section of the journey, the feeling table and the checklist, read back
with a GFM parser (markdown-it-py with tables and autolinks), so what people typed shows as typed and never
becomes a heading, list, table row, link, mention, image or HTML."""
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from flows.catalog import NEGATIVE, POSITIVE
from renderers.canvas import CanvasPage, ChecklistItem, canvas_text, canvas_title, to_canvas_markdown
from tests.factories import make_item, make_workshop, sample_items, summary_of

GFM = MarkdownIt("gfm-like")  # CommonMark with tables, strikethrough and linkified bare URLs
HOSTILE = ["# Fired", "| a | b |", "<!channel> look", "[prize](https://evil.example)", "https://evil.example",
           "www.evil.example", "![](@U0LEAD)", "<@U0LEAD>", "mail me: a@evil.example", "1. first", "- item",
           "> quote", "---", "**bold** _it_ ~gone~ `code`", "<b>html</b> &amp; &#35;", "- [ ] task", "\\# slash"]


def tokens(markdown: str) -> list:
    found = []
    for token in GFM.parse(markdown):
        found.append(token)
        found.extend(token.children or ())
    return found


def texts(markdown: str) -> list[str]:
    """The text of every inline token: what a reader sees, line by line."""
    return ["".join(child.content for child in token.children if child.type in ("text", "code_inline"))
            for token in GFM.parse(markdown) if token.type == "inline"]


def structure(markdown: str) -> list[str]:
    return [token.type for token in tokens(markdown) if token.type != "text"]


def page_with(text: str, **workshop) -> CanvasPage:
    w = make_workshop(phases=[text, "Use"], **workshop)
    items = [make_item("end_user", text), make_item("feels", text, phase=1, workshop=w, feeling=NEGATIVE, why=text),
             make_item("feels", "ok", phase=2, workshop=w, feeling=POSITIVE), make_item("hmw", text),
             make_item("panel", text, step_key="story_customer")]
    return CanvasPage(summary_of(w, items), assumptions=[ChecklistItem(text, done=False, state=text)])


PLAIN_STRUCTURE = structure(to_canvas_markdown(page_with("plain")))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60).filter(str.strip))
@example('# Fired')
@example('| a | b |')
@example('<!channel>')
@example('[x](https://evil.example)')
@example('https://evil.example www.evil.example')
@example('A.AL')
@example('![](@U1)')
@example('1. one')
@example('- [x] done')
def test_any_text_shows_as_typed_and_opens_nothing(text):
    markdown = to_canvas_markdown(page_with(text))
    # the same document structure as for a harmless word: nothing opened, closed, linked or added
    assert structure(markdown) == PLAIN_STRUCTURE
    flat = " ".join(text.split())
    seen = texts(markdown)
    assert seen.count(f"{flat} — Anna de Vries") == 3  # end user, hmw, storyboard caption
    assert f":disappointed: {flat} ({flat}) — Anna de Vries" in seen  # the feeling and why
    assert f"1. {flat}" in seen  # the phase heading and its table cell
    assert f"[ ] {flat} · {flat}" in seen  # a checklist line (a GFM reader without checklists shows the box)


def test_hostile_answers_are_escaped_one_by_one():
    for text in HOSTILE:
        markdown = to_canvas_markdown(page_with(text))
        assert structure(markdown) == PLAIN_STRUCTURE, text
        assert f"- {canvas_text(text)} — Anna de Vries" in markdown
    assert canvas_text("<!channel> look") == "\\<\\!channel\\> look"
    assert canvas_text("# Fired") == "\\# Fired"
    assert canvas_text("a | b") == "a \\| b"
    assert canvas_text("see https://evil.example") == "see https\\://evil\\.example"
    assert canvas_text("A.AL and 3.5") == "A\\.AL and 3\\.5"  # a bare domain (Albania's) is no link


def test_the_journey_has_every_section_and_the_feeling_table():
    w = make_workshop()
    markdown = to_canvas_markdown(CanvasPage(summary_of(w, sample_items(w)), map_link="https://files.example/map.png"))
    assert [line for line in markdown.splitlines() if line.startswith("## ")] == [
        "## End user and problem", "## The journey", "## The feeling per phase", "## Opportunities and insights",
        "## How might we …", "## Overall experience", "## Intentions", "## Storyboard"]
    assert "| Phase | Average feeling | Spread |  |" in markdown
    assert "| 1. Research | 0.00 | 1 positive, 0 neutral, 1 negative | :neutral_face: |" in markdown
    assert "| 2. Purchase | -0.50 | 0 positive, 1 neutral, 1 negative | :disappointed: |" in markdown
    assert "- How might we show the full price before checkout? — Bram" in markdown
    assert "- :disappointed: overwhelmed (too many options) — Chloé" in markdown
    assert "· _Research: interview_" in markdown
    assert "[The journey map as a picture](https://files.example/map.png)" in markdown
    assert "### Storyboard 1 of 5: the customer and their problem" in markdown
    assert "Assumptions" not in markdown  # only during a research round


def test_votes_show_on_the_questions():
    w = make_workshop()
    items = sample_items(w)
    hmw = next(item for item in items if item.lane == "hmw")
    markdown = to_canvas_markdown(CanvasPage(summary_of(w, items, votes={hmw.id: 3})))
    assert "- How might we show the full price before checkout? — Bram · **3 votes**" in markdown


def test_the_research_round_adds_its_assumptions_as_a_checklist():
    w = make_workshop()
    page = CanvasPage(summary_of(w, sample_items(w)), assumptions=[
        ChecklistItem("Compares three web shops", done=True, state="confirmed"),
        ChecklistItem("So much choice | too much", done=False)])
    markdown = to_canvas_markdown(page)
    section = markdown[markdown.index("## Assumptions being checked"):]
    assert "- [x] Compares three web shops · _confirmed_\n- [ ] So much choice \\| too much\n" in section


def test_anonymous_canvases_name_nobody():
    w = make_workshop(anonymous=True)
    markdown = to_canvas_markdown(CanvasPage(summary_of(w, sample_items(w))))
    assert not re.search("Anna|Bram|Chloé|anonymous", markdown)


def test_dutch_canvas():
    w = make_workshop(lang="nl", phases=["Oriëntatie", "Aankoop", "Gebruik"])
    view = summary_of(w, sample_items(w))
    markdown = to_canvas_markdown(CanvasPage(view))
    assert canvas_title(view) == "Samenvatting van de reis: Ordering online"
    assert "## Het gevoel per fase" in markdown and "| Fase | Gemiddeld gevoel | Spreiding |  |" in markdown
    assert "| 1. Oriëntatie | 0,00 | 1 positief, 0 neutraal, 1 negatief | :neutral_face: |" in markdown
    assert markdown.rstrip().endswith("_Gemaakt door journeybot op 2025-03-03._")


def test_answers_not_sorted_yet_show_where_they_wait():
    w = make_workshop()
    items = [make_item("end_user", "A parent"), make_item(None, "no idea where this goes", step_key="experience"),
             make_item(None, "somewhere in research", phase=1, workshop=w)]
    view = summary_of(w, items)
    markdown = to_canvas_markdown(CanvasPage(view))
    unsorted = view.labels["summary.unsorted"]
    assert f"## {unsorted}\n\n- no idea where this goes — Anna de Vries · _" in markdown
    research = markdown[markdown.index("### 1. Research"):markdown.index("### 2. Purchase")]
    assert f"**{view.labels['lane.unsorted']}**\n\n- somewhere in research — Anna de Vries" in research
