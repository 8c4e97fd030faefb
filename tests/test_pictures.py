import glob
import math
import io
import warnings

import numpy as np
import pytest
from PIL import Image

from flows.catalog import NEGATIVE, NEUTRAL, POSITIVE
from renderers.pictures import (
    BAND_COLOR,
    CURVE_COLOR,
    LABEL_WIDTH,
    CURVE_ROW_HEIGHT,
    FEELING_COLORS,
    HEADER_HEIGHT,
    MARGIN,
    PHASE_ROW_HEIGHT,
    INLINE_MAX_HEIGHT,
    journey_map,
    journey_map_png,
    storyboard_png,
)
from renderers import png, shapes
from renderers.sheet import DPI, MUTED, Sheet
from tests.factories import (
    STORY_STEPS,
    drawn_texts,
    make_item,
    make_workshop,
    many_items,
    summary_of,
)
from tests.requirements import missing

CJK_FONTS = sorted(glob.glob("/usr/share/fonts/**/NotoSansCJK-Regular.tt[cf]", recursive=True)
                   + glob.glob("/usr/share/fonts/**/*CJK*.tt[cf]", recursive=True))


def picture(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image.convert("RGB")


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def pixels_of(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 30) -> list[tuple[int, int]]:
    """(x, y) of every pixel within ``tolerance`` (summed over R, G, B) of ``colour``."""
    distance = np.abs(np.asarray(image, dtype=np.int16) - np.array(colour, dtype=np.int16)).sum(axis=2)
    ys, xs = np.nonzero(distance <= tolerance)
    return list(zip(xs.tolist(), ys.tolist()))


def bubble_colour(feeling: int) -> tuple[int, int, int]:
    """A feeling's colour as the map's translucent bubbles show it on white."""
    return tuple(round(0.35 * channel + 0.65 * 255) for channel in rgb(FEELING_COLORS[feeling]))


def feelings_workshop(feelings_per_phase: list[list[int]]):
    workshop = make_workshop(phases=[f"Phase {number}" for number in range(1, len(feelings_per_phase) + 1)])
    items = [make_item("feels", f"feeling {value}", phase=number, workshop=workshop, feeling=value)
             for number, values in enumerate(feelings_per_phase, start=1) for value in values]
    return summary_of(workshop, items)


def test_journey_map_decodes_at_a_slack_friendly_size(any_view):
    image = picture(journey_map_png(any_view))
    assert 1600 <= image.width <= 2400
    assert 600 <= image.height <= INLINE_MAX_HEIGHT * DPI


def test_a_picture_file_holds_exactly_the_pixels_drawn():
    """The PNG writer (renderers/png.py) filters rows and compresses them in bands: a picture
    taller than a band, in every colour, must open as drawn, to the last pixel."""
    drawn = Image.fromarray(np.random.default_rng(14).integers(0, 256, (1100, 37, 3), dtype=np.uint8))
    drawn.paste((255, 255, 255), (0, 500, 37, 600))  # flat runs too, as the maps have
    assert np.array_equal(np.asarray(picture(png.encode(drawn))), np.asarray(drawn))


def test_a_dashed_curve_reads_apart_from_a_solid_one_and_a_ring_is_hollow_without_colour():
    """The assumed curve is dashed and the one from research solid, so a black-and-white print
    still tells them apart; the moment to fix is a ring around the point, not a blot over it."""
    sheet = Sheet(4, 1.6, None)
    sheet.shape(shapes.polyline([(0.2, 0.3), (3.8, 0.3)], 3.5, dashes=shapes.DASHED), "#000000")
    sheet.shape(shapes.polyline([(0.2, 0.7), (3.8, 0.7)], 3.5, round_caps=True), "#000000")
    sheet.shape([shapes.Stroke("ring", (2, 1.2), size=0.17, width=2.5)], "#000000")
    dark = np.asarray(picture(sheet.png()).convert("L")) < 128
    dashed, solid = dark[30, 25:375], dark[70, 25:375]
    assert solid.all()
    dashes = np.count_nonzero(dashed[1:] & ~dashed[:-1]) + dashed[0]
    assert 10 <= dashes <= 16, "about fourteen dashes of 13 points with 6-point gaps over 3.6 inches"
    assert dark[120, 200 - 17] and dark[120, 200 + 17] and not dark[120, 200], "dark on the ring, light inside"


def test_journey_map_is_wider_with_more_phases_and_taller_with_more_lanes():
    three = picture(journey_map_png(summary_of(make_workshop(), [])))
    eight = picture(journey_map_png(summary_of(make_workshop(phases=[f"P{n}" for n in range(8)]), [])))
    user = picture(journey_map_png(summary_of(make_workshop(kind="user"), [])))  # no touchpoints lane
    assert eight.width > three.width
    assert user.height < three.height


def test_empty_workshops_draw_a_map_without_a_curve():
    for view in (summary_of(make_workshop(phases=[]), []), summary_of(make_workshop(), [])):
        image = picture(journey_map_png(view))
        assert not pixels_of(image, rgb(CURVE_COLOR))


def test_feeling_curve_is_drawn_across_the_phases_near_the_top():
    image = picture(journey_map_png(feelings_workshop([[NEGATIVE], [NEUTRAL], [POSITIVE]])))
    curve = pixels_of(image, rgb(CURVE_COLOR))
    xs, ys = [x for x, _ in curve], [y for _, y in curve]
    assert min(xs) < image.width * 0.35 and max(xs) > image.width * 0.75, "the curve spans the phase columns"
    curve_row = (MARGIN + HEADER_HEIGHT + PHASE_ROW_HEIGHT) * DPI
    assert curve_row < min(ys) and max(ys) < curve_row + CURVE_ROW_HEIGHT * DPI, "the curve sits in its row, above the lanes"


def test_feeling_curve_rises_from_an_unhappy_to_a_happy_phase():
    for feelings, rising in (([[NEGATIVE, NEGATIVE], [NEUTRAL], [POSITIVE, POSITIVE]], True),
                             ([[POSITIVE], [NEUTRAL], [NEGATIVE, NEGATIVE, NEGATIVE]], False)):
        curve = pixels_of(picture(journey_map_png(feelings_workshop(feelings))), rgb(CURVE_COLOR))
        left, right = min(x for x, _ in curve), max(x for x, _ in curve)
        tenth = (right - left) / 10

        def mean_y(points):
            return sum(y for _, y in points) / len(points)

        start = mean_y([point for point in curve if point[0] < left + tenth])
        end = mean_y([point for point in curve if point[0] > right - tenth])
        assert (end < start) == rising  # y grows downwards


def test_journey_map_shows_disagreement_not_just_the_average():
    split = picture(journey_map_png(feelings_workshop([[POSITIVE, NEGATIVE]])))
    agreed = picture(journey_map_png(feelings_workshop([[POSITIVE, POSITIVE]])))
    assert pixels_of(split, bubble_colour(POSITIVE), 6) and pixels_of(split, bubble_colour(NEGATIVE), 6)
    assert pixels_of(agreed, bubble_colour(POSITIVE), 6) and not pixels_of(agreed, bubble_colour(NEGATIVE), 6)


def render_without_missing_glyphs(render, view, **kwargs) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render(view, **kwargs)
    return [str(warning.message) for warning in caught if "missing from font" in str(warning.message)]


def test_dutch_diacritics_render_in_the_bundled_font():
    workshop = make_workshop(title="Café één", phases=["Oriëntatie", "Aankoop"])
    view = summary_of(workshop, [make_item("does", "één geïnteresseerde klant", phase=1, workshop=workshop),
                                 make_item("panel", "Zoë's café", step_key="story_pain")])
    assert render_without_missing_glyphs(journey_map_png, view) == []
    assert render_without_missing_glyphs(storyboard_png, view) == []


def test_font_path_renders_cjk_text():
    if not CJK_FONTS:
        missing("no CJK font installed (apt-get install fonts-noto-cjk)")
    workshop = make_workshop(title="オンライン注文", phases=["调查", "구매"])
    view = summary_of(workshop, [make_item("does", "在网站上搜索产品，选择太多了", phase=1,
                                           workshop=workshop),
                                 make_item("panel", "顧客の問題", step_key="story_customer")])
    assert render_without_missing_glyphs(journey_map_png, view, font_path=CJK_FONTS[0]) == []
    assert render_without_missing_glyphs(storyboard_png, view, font_path=CJK_FONTS[0]) == []


def test_a_missing_font_file_is_reported():
    with pytest.raises(FileNotFoundError, match="no-such-font.ttf"):
        journey_map_png(summary_of(make_workshop(), []), font_path="/nowhere/no-such-font.ttf")


def test_storyboard_decodes_for_every_size(any_view):
    image = picture(storyboard_png(any_view))
    assert image.width == 1600 and 300 <= image.height <= 2400


def test_storyboard_without_storyboard_steps_still_draws():
    image = picture(storyboard_png(summary_of(make_workshop(template="understand"), [])))
    assert image.width == 1600


# -- every note readable ------------------------------------------------------------------------------------


def flat(text: str) -> str:
    """Drawn text with its line breaks undone, to find a wrapped note in it."""
    return " ".join(text.split())


def test_a_busy_cell_shows_every_note_in_full():
    workshop = make_workshop()
    long_note = ("The onboarding process asks for the address three times and then shows the shipping costs "
                 "only at the very end, so people give up before they pay.")
    notes = [make_item("does", f"Step {number}: {long_note}", phase=1, workshop=workshop) for number in range(15)]
    view = summary_of(workshop, notes)
    assert not journey_map(view).grouped
    drawn = flat(drawn_texts(pytest.MonkeyPatch(), journey_map_png, view))
    for number in range(15):
        assert f"Step {number}: {long_note}" in drawn
    assert "more" not in drawn and "…" not in drawn


def test_a_very_long_note_is_shortened_and_the_map_says_so():
    workshop = make_workshop()
    words = " ".join(f"word{number}" for number in range(600))  # about 4,000 characters
    view = summary_of(workshop, [make_item("thinks", words, phase=2, workshop=workshop)])
    result = journey_map(view)
    assert result.shortened and not result.grouped
    drawn = flat(drawn_texts(pytest.MonkeyPatch(), journey_map_png, view))
    assert "word0 word1" in drawn and "word599" not in drawn and "…" in drawn


def grouped_by_ten(monkeypatch):
    """Themes of ten notes each, named by the lead, whatever the grouping does: the picture must draw them all."""
    import flows.summary
    from flows.themes import Grouped

    def themes_of(texts, ids, edits=()):
        return [Grouped(tuple(range(start, min(start + 10, len(texts)))), start, f"Theme of {texts[start][:8].strip()}")
                for start in range(0, len(texts), 10)]

    monkeypatch.setattr(flows.summary, "themes_of", themes_of)


def test_a_1000_note_workshop_shows_every_theme_and_attaches_every_note(monkeypatch):
    grouped_by_ten(monkeypatch)
    workshop = make_workshop()
    view = summary_of(workshop, many_items(1000, workshop))
    result = journey_map(view)
    assert result.grouped, "1,000 notes do not fit Slack's preview: the map shows themes"
    inline, full = picture(result.inline), picture(result.full)
    assert inline.height <= INLINE_MAX_HEIGHT * DPI < full.height
    shown = drawn_texts(monkeypatch, journey_map_png, view)
    labels = [theme.label for phase in view.phases for themes in phase.themes.values() for theme in themes]
    labels += [theme.label for theme in view.insight_themes]
    assert labels and all(label in shown for label in labels)
    assert "more" not in shown and "×10" in shown
    every_note = flat(drawn_texts(monkeypatch, journey_map_png, view, every_note=True))
    phase_notes = [note for phase in view.phases for notes in phase.lanes.values() for note in notes]
    assert all(note.text in every_note for note in [*phase_notes, *view.insights])
    assert "more" not in every_note


def test_themes_that_do_not_fit_the_preview_say_how_many_more_the_full_map_has(monkeypatch):
    from flows.themes import Grouped

    workshop = make_workshop()  # today's grouping may leave 1,000 distinct notes as 1,000 themes
    monkeypatch.setattr("flows.summary.themes_of", lambda texts, ids, edits=(): [
        Grouped((index,), index, None) for index in range(len(texts))])
    view = summary_of(workshop, many_items(1000, workshop))
    result = journey_map(view)
    assert picture(result.inline).height <= INLINE_MAX_HEIGHT * DPI
    shown = drawn_texts(monkeypatch, journey_map_png, view)
    assert "more themes in the full map" in shown
    assert "more" not in drawn_texts(monkeypatch, journey_map_png, view, every_note=True)


# -- where insights go, and the moment to fix ----------------------------------------------------------------


def drawn_at(monkeypatch, draw, view) -> list[tuple[float, str]]:
    """(x in inches, text) of every text drawn."""
    drawn = []
    original = Sheet.text
    monkeypatch.setattr(Sheet, "text", lambda sheet, x, y, text, *args, **kwargs: (
        drawn.append((x, text)), original(sheet, x, y, text, *args, **kwargs))[1])
    draw(view)
    monkeypatch.setattr(Sheet, "text", original)
    return drawn


def column_of(x: float, view) -> int:
    """The phase number whose column holds ``x`` (0 left of the phases)."""
    from renderers.pictures import LABEL_WIDTH, MAX_WIDTH, MIN_WIDTH, COLUMN_WIDTH

    width = min(MAX_WIDTH, max(MIN_WIDTH, 2 * MARGIN + LABEL_WIDTH + COLUMN_WIDTH * len(view.phases)))
    column = (width - 2 * MARGIN - LABEL_WIDTH) / len(view.phases)
    return max(0, math.floor((x - MARGIN - LABEL_WIDTH) / column) + 1)


def test_insights_sit_in_the_phase_they_name_or_in_a_band_for_the_whole_journey(monkeypatch):
    workshop = make_workshop()
    view = summary_of(workshop, [
        make_item("insight", "Purchase: shipping costs show up too late", workshop=workshop),
        make_item("insight", "research: too many shops look alike", workshop=workshop),
        make_item("insight", "People want to talk to a person", workshop=workshop),
    ])
    drawn = drawn_at(monkeypatch, journey_map_png, view)
    where = {text: x for x, text in drawn}
    assert column_of(where["shipping costs show up too late"], view) == 2
    assert column_of(where["too many shops look alike"], view) == 1
    assert "Across the whole journey" in where
    assert where["People want to talk to a person"] < where["Across the whole journey"] + 0.5


@pytest.mark.parametrize("lang, title", [("en", "Across the whole journey"), ("nl", "Over de hele journey")])
def test_the_whole_journeys_band_spans_the_phases_and_its_notes_do_not_line_up_under_them(monkeypatch, lang, title):
    workshop = make_workshop(lang=lang)  # three phases
    notes = [f"whole journey note {number}" for number in range(8)]
    view = summary_of(workshop, [make_item("does", "compares prices", phase=number, workshop=workshop)
                                 for number in (1, 2, 3)]
                      + [make_item("insight", note, workshop=workshop) for note in notes])
    drawn = drawn_at(monkeypatch, journey_map_png, view)
    where = {text: x for x, text in drawn}
    phase_lefts = [x for x, text in drawn if text == "compares prices"]
    band_lefts = {where[note] for note in notes}
    assert len(band_lefts) == 4, "one column more than there are phases"
    inner = sorted(band_lefts)[1:]  # past the first, which starts at the left edge as the first phase does
    assert all(abs(band - phase) > 0.3 for band in inner for phase in phase_lefts), \
        "no other column of the band starts where a phase's notes start"
    image = picture(journey_map_png(view))
    assert title in where and abs(where[title] * DPI - (MARGIN + LABEL_WIDTH) * DPI - body_middle(image)) < 5
    band = pixels_of(image, rgb(BAND_COLOR), 0)
    left, right = (MARGIN + LABEL_WIDTH) * DPI, image.width - MARGIN * DPI
    assert min(x for x, _ in band) < left + 10 and max(x for x, _ in band) > right - 10, "tinted from edge to edge"


def body_middle(image: Image.Image) -> float:
    """Half the width of the phases' columns, in pixels."""
    return (image.width - (2 * MARGIN + LABEL_WIDTH) * DPI) / 2


def test_a_bubbles_count_stays_readable_where_the_curve_runs_through_it(monkeypatch):
    # both phases neutral: the curve runs level, right through the second phase's neutral count
    view = feelings_workshop([[NEUTRAL] * 3, [NEUTRAL] * 3])
    count_x = max(x for x, text in drawn_at(monkeypatch, journey_map_png, view) if text == "3")
    image = picture(journey_map_png(view))
    curve = pixels_of(image, rgb(CURVE_COLOR))
    level = sorted(y for _, y in curve)[len(curve) // 2]
    around = image.crop((round(count_x * DPI) - 8, level - 4, round(count_x * DPI), level + 4))
    assert not pixels_of(around, rgb(CURVE_COLOR), 60), "the curve does not run over the count"
    assert pixels_of(around, rgb(MUTED), 60), "the count is drawn there"


def test_the_lowest_average_is_marked_as_the_moment_to_fix(monkeypatch):
    view = feelings_workshop([[POSITIVE], [NEGATIVE, NEGATIVE, NEUTRAL], [NEUTRAL]])
    drawn = drawn_at(monkeypatch, journey_map_png, view)
    (fix_x,) = [x for x, text in drawn if text == "Moment to fix"]
    assert column_of(fix_x, view) == 2
    assert any("the moment to fix" in text for _, text in drawn), "the legend explains the ring"
    calm = drawn_at(monkeypatch, journey_map_png, feelings_workshop([[POSITIVE], [POSITIVE]]))
    assert not [text for _, text in calm if "moment to fix" in text.casefold()]


def test_the_legend_names_only_what_the_map_shows(monkeypatch):
    workshop = make_workshop()
    view = summary_of(workshop, [make_item("does", "compares prices", phase=1, workshop=workshop)])
    legend = [text for _, text in drawn_at(monkeypatch, journey_map_png, view)]
    assert "assumption" in legend and "research" not in legend and "negative" not in legend[-6:]


# -- complex scripts against a shaping engine ----------------------------------------------------------------

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def ink(image: Image.Image) -> Image.Image:
    """The image cropped to its dark pixels, as black and white."""
    dark = np.asarray(image.convert("L")) < 128
    ys, xs = np.nonzero(dark)
    return Image.fromarray(dark[ys.min():ys.max() + 1, xs.min():xs.max() + 1])


def drawn_by_the_map(text: str, shaped: bool = True) -> Image.Image:
    """``text`` as the pictures draw it in a right-aligned sticky (or, unshaped, letter after letter
    in the order typed, as a renderer that does not shape draws it)."""
    if not shaped:
        from PIL import ImageDraw, ImageFont

        font = ImageFont.truetype(DEJAVU, round(40 * DPI / 72), layout_engine=ImageFont.Layout.BASIC)
        image = Image.new("L", (1400, 200), 255)
        ImageDraw.Draw(image).text((20, 20), text, font=font, fill=0)
        return ink(image)
    sheet = Sheet(12, 1.5, None)
    sheet.text(11.8, 0.2, text, 40, ha="right")
    return ink(picture(sheet.png()))


def shaped_reference(text: str, font: str) -> Image.Image:
    """``text`` laid out by HarfBuzz and FriBidi (Pillow's raqm layout) in the same font and size."""
    from PIL import ImageDraw, ImageFont, features

    if not features.check("raqm"):
        missing("Pillow without raqm (libfribidi0 missing): no shaping engine to compare against")
    font = ImageFont.truetype(font, round(40 * DPI / 72), layout_engine=ImageFont.Layout.RAQM)
    image = Image.new("L", (1400, 200), 255)
    ImageDraw.Draw(image).text((20, 20), text, font=font, fill=0)
    return ink(image)


def overlap(reference: Image.Image, drawn: Image.Image) -> float:
    """Intersection over union of the ink, with ``drawn`` scaled to the reference's size."""
    a = np.asarray(reference, dtype=bool)
    b = np.asarray(drawn.resize(reference.size).convert("1"), dtype=bool)
    return (a & b).sum() / (a | b).sum()


@pytest.mark.parametrize("text", ["مرحبا بالعالم", "السعر ٢٠ ريال", "שלום עולם", "השם: Anna"])
def test_right_to_left_text_matches_a_shaping_engine(text):
    reference = shaped_reference(text, DEJAVU)
    assert overlap(reference, drawn_by_the_map(text)) > 0.75
    assert overlap(reference, drawn_by_the_map(text, shaped=False)) < 0.4, "the comparison can tell wrong from right"


def test_cjk_is_drawn_from_the_cjk_font_not_as_boxes():
    regular = [path for path in CJK_FONTS if path.endswith("NotoSansCJK-Regular.ttc")]
    if not regular:
        missing("no CJK font installed (apt-get install fonts-noto-cjk)")
    reference = shaped_reference("选择太多了", regular[0])
    assert overlap(reference, drawn_by_the_map("选择太多了")) > 0.75
    assert overlap(reference, drawn_by_the_map("\ufffd" * 5)) < 0.4, "the comparison can tell boxes from glyphs"


def test_arabic_hebrew_cjk_and_emoji_in_one_picture_print_no_warning():
    workshop = make_workshop(title="طلب · オンライン注文", phases=["البحث", "קנייה", "使用"])
    view = summary_of(workshop, [
        make_item("does", "مرحبا بالعالم", phase=1, workshop=workshop),
        make_item("thinks", "שלום, המחיר גבוה מדי", phase=2, workshop=workshop),
        make_item("does", "在网站上搜索产品 and English", phase=3, workshop=workshop),
        make_item("feels", "happy 😀 🚀 👍🏽 \U0001FAE8 \ue000", phase=3, workshop=workshop, feeling=POSITIVE),
        make_item("panel", ":rocket: مرحبا", step_key="story_solution"),
    ])
    assert render_without_missing_glyphs(journey_map_png, view) == []
    assert render_without_missing_glyphs(storyboard_png, view) == []


# -- the storyboard as a story -------------------------------------------------------------------------------


def storyboard_texts(monkeypatch, items, votes=None) -> str:
    workshop = make_workshop()
    return drawn_texts(monkeypatch, storyboard_png, summary_of(workshop, items, votes=votes))


def test_a_storyboard_without_answers_draws_five_scenes_waiting_for_them(monkeypatch):
    drawn = storyboard_texts(monkeypatch, [])
    assert drawn.count("No answer yet.") == 5
    for title in ("The customer and their problem", "Why it hurts", "The product as the solution",
                  "How they find it", "A satisfied customer"):
        assert title in flat(drawn)
    assert "Storyboard 1 of 5" not in drawn and "Other answers" not in drawn
    assert "assumption" not in drawn and "research" not in drawn, "no legend for what is not drawn"


def test_one_answer_is_its_panels_caption_in_full_with_the_teams_pictogram(monkeypatch):
    caption = ("Sam runs a small bakery and loses orders because the phone rings while her hands are in the "
               "dough, and by the time she has washed them the customer has hung up and gone elsewhere.")
    drawn = storyboard_texts(monkeypatch, [make_item("panel", f":bread: {caption}", step_key=STORY_STEPS[0])])
    assert caption in flat(drawn) and "…" not in drawn
    assert "🍞" in drawn.split("\n"), "the emoji the team wrote is the scene's pictogram"
    assert ":bread:" not in drawn and "Other answers" not in drawn
    assert drawn.count("No answer yet.") == 4


def test_many_answers_the_most_voted_is_the_caption_the_others_listed_small(monkeypatch):
    answers = [make_item("panel", f"Answer {number} about why it hurts", step_key=STORY_STEPS[1], id=900 + number,
                         evidence="interview" if number == 3 else "assumption") for number in range(6)]
    drawn = storyboard_texts(monkeypatch, answers, votes={903: 4, 901: 2})
    lines = drawn.split("\n")
    assert "Answer 3 about why it hurts" in lines, "the caption is the most voted answer"
    assert "Other answers" in lines
    for number in (0, 1, 2, 4, 5):
        assert f"Answer {number} about why it hurts — Anna de Vries" in flat(drawn)
    assert "Anna de Vries · Research: interview" in lines
    assert "research" not in lines and "assumption" not in lines, "no legend for colours the strip does not use"


def test_without_votes_the_first_answer_is_the_caption(monkeypatch):
    answers = [make_item("panel", f"Answer {number}", step_key=STORY_STEPS[2]) for number in range(3)]
    drawn = storyboard_texts(monkeypatch, answers).split("\n")
    assert drawn.index("Answer 0") < drawn.index("Other answers")


@pytest.mark.parametrize(("lang", "average"), [("en", "+0.50"), ("nl", "+0,50")])
def test_the_curves_averages_are_written_in_the_workshops_language(monkeypatch, lang, average):
    workshop = make_workshop(lang=lang)
    items = [make_item("feels", "relieved", phase=1, workshop=workshop, feeling=1),
             make_item("feels", "fine", phase=1, workshop=workshop, feeling=0)]
    assert average in drawn_texts(monkeypatch, journey_map_png, summary_of(workshop, items)).split("\n")
