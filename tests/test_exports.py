import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from flows.catalog import NEGATIVE, POSITIVE
from renderers.exports import CSV_COLUMNS, to_csv, to_html, to_json
from tests.factories import NAMES, make_item, make_workshop, sample_items, summary_of

SCHEMA = json.loads((Path(__file__).parents[1] / "docs" / "summary.schema.json").read_text(encoding="utf-8"))
SCRIPT = "<script>alert(1)</script>"
DUTCH = "één geïnteresseerde klant in het café"
PNG = b"\x89PNG\r\n\x1a\nnot really a picture"


def small_summary(**workshop_overrides):
    workshop = make_workshop(**workshop_overrides)
    items = sample_items(workshop)
    hmw = next(item for item in items if item.lane == "hmw")
    return summary_of(workshop, items, votes={hmw.id: 3})


def dutch_summary():
    workshop = make_workshop(title="Café één", phases=["Oriëntatie", "Aankoop"])
    items = [make_item("feels", DUTCH, phase=1, workshop=workshop, feeling=POSITIVE, why="geïnteresseerd"),
             make_item("feels", "teleurgesteld", phase=2, workshop=workshop, feeling=NEGATIVE)]
    return summary_of(workshop, items, names={"U1": "Zoë"})


class Tags(HTMLParser):
    """The start tags of a page with their attributes, and the text of its table headers."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headers: list[str] = []
        self._in_header = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_header = tag == "th"

    def handle_endtag(self, tag):
        self._in_header = self._in_header and tag != "th"

    def handle_data(self, data):
        if self._in_header:
            self.headers.append(data)


# HTML

def test_html_is_a_standalone_page_for_every_size(any_view):
    page = to_html(any_view)
    tags = Tags(page).tags
    assert page.startswith("<!doctype html>")
    assert "script" not in {tag for tag, _ in tags}
    assert not [attrs for tag, attrs in tags if tag in ("link", "img", "iframe") or "src" in attrs], \
        "the page must not load anything"
    assert "@media print" in page
    assert "<title>Journey summary: Ordering online</title>" in page


def test_html_journey_table_has_phases_as_columns_and_lanes_as_rows():
    tags = Tags(to_html(small_summary()))
    assert tags.headers == ["1. Research", "2. Purchase", "3. Use", "Does", "Thinks", "Feels",
                            "Touchpoints and channels", "Average feeling"]
    page = to_html(small_summary())
    assert "😞 -0.50</span><br>0 positive, 1 neutral, 1 negative" in page
    # the 6 research answers and 2 drafts built on research notes (the insight, the "annoyed" feeling)
    assert page.count('class="note research') == 8


def test_html_escapes_user_text():
    workshop = make_workshop(title="<b>bold</b>")
    items = [make_item("does", SCRIPT, phase=1), make_item("insight", '"><img src=x onerror=alert(1)>')]
    page = to_html(summary_of(workshop, items))
    assert SCRIPT not in page and "<img" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_html_embeds_the_journey_map_when_given():
    tags = Tags(to_html(small_summary(), map_png=PNG)).tags
    images = [attrs["src"] for tag, attrs in tags if tag == "img"]
    assert images == ["data:image/png;base64,iVBORw0KGgpub3QgcmVhbGx5IGEgcGljdHVyZQ=="]


def test_html_keeps_dutch_diacritics():
    page = to_html(dutch_summary())
    assert "Café één" in page and "Oriëntatie" in page and DUTCH in page and "Zoë" in page


# JSON

def test_json_validates_against_the_schema(any_view):
    document = json.loads(to_json(any_view))
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert document["schema"] == "journeybot.summary/4"
    assert document["counts"]["items"] == any_view.item_count


def test_schema_rejects_a_document_of_another_version():
    document = json.loads(to_json(small_summary()))
    document["schema"] = "journeybot.summary/1"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA)


def test_json_holds_phases_feelings_votes_and_drafts():
    document = json.loads(to_json(small_summary()))
    purchase = document["phases"][1]
    assert purchase["name"] == "Purchase" and purchase["average_feeling"] == -0.5
    assert purchase["feelings"] == {"positive": 0, "neutral": 1, "negative": 1}
    assert [item["feeling"] for item in purchase["lanes"]["feels"]] == [-1, 0]
    # the team's questions, most votes first; then drafts from the two negative feelings and the insight
    assert [(item["votes"], item["draft"]) for item in document["hmw"]] == [
        (3, False), (0, False), (0, True), (0, True), (0, True)]
    assert document["end_user"][0]["is_research"] is True


def test_json_anonymous_workshop_has_no_names():
    text = to_json(small_summary(anonymous=True))
    assert not any(name in text for name in NAMES.values())


def test_json_keeps_dutch_diacritics_readable():
    text = to_json(dutch_summary())
    assert DUTCH in text and json.loads(text)["phases"][0]["lanes"]["feels"][0]["why"] == "geïnteresseerd"


# CSV

def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_csv_has_a_header_and_one_row_per_answer(any_view):
    text = to_csv(any_view)
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)
    assert len(read_csv(text)) == any_view.item_count


def test_csv_rows_describe_each_answer():
    workshop = make_workshop(anonymous=True)
    items = sample_items(workshop)
    record = next(item for item in items if item.text == "overwhelmed")
    hmw = next(item for item in items if item.lane == "hmw")
    view = summary_of(workshop, items, votes={hmw.id: 3})
    rows = read_csv(to_csv(view))
    overwhelmed = next(row for row in rows if row["text"] == "overwhelmed")
    theme = next(theme for theme in view.all_themes() if record.id in theme.note_ids)
    assert overwhelmed == {
        "section": "understand", "step": "journey:1", "phase": "Research", "lane": "feels",
        "theme_id": theme.id, "theme": theme.label, "text": "overwhelmed",
        "feeling": "negative", "why": "too many options", "author": "anonymous", "evidence": "assumption",
        "votes": "0", "created_at": record.created_at.isoformat(),
        "state": "", "evidence_count": "0", "sources": "", "caption": ""}
    assert not any("change the fact that" in row["text"] for row in rows), "drafts are not answers"
    assert {row["section"] for row in rows if row["lane"] == "panel"} == {"storyboard"}
    assert max(int(row["votes"]) for row in rows) == 3


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","click")', "+1+2", "-2+3", "@SUM(A1)",
                                  "\t=1", "\r=1", " =1+1", "\n\n@SUM(A1)", "  -2+3"])
def test_csv_guards_cells_against_formulas(text):
    workshop = make_workshop(phases=["=cmd|' /C calc'!A0"])
    rows = read_csv(to_csv(summary_of(workshop, [make_item("does", text, phase=1, workshop=workshop)],
                                      names={"U1": "@admin"})))
    assert rows[0]["text"] == "'" + text
    assert rows[0]["phase"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["author"] == "'@admin"


def test_csv_leaves_ordinary_text_alone():
    rows = read_csv(to_csv(summary_of(make_workshop(), [make_item("does", "Pays €5 = fair", phase=1)])))
    assert rows[0]["text"] == "Pays €5 = fair"


def test_csv_keeps_dutch_diacritics():
    rows = read_csv(to_csv(dutch_summary()))
    assert rows[0]["text"] == DUTCH and rows[0]["phase"] == "Oriëntatie" and rows[0]["author"] == "Zoë"


def test_csv_survives_commas_quotes_and_line_breaks():
    text = 'She said "no, thanks",\nand left'
    rows = read_csv(to_csv(summary_of(make_workshop(), [make_item("does", text, phase=1)])))
    assert rows[0]["text"] == text
