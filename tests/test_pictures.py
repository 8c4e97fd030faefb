import glob
import io
import warnings

import numpy as np
import pytest
from PIL import Image

from flows.catalog import NEGATIVE, NEUTRAL, POSITIVE
from renderers.pictures import (
    CURVE_COLOR,
    FEELING_COLORS,
    journey_map_png,
    storyboard_png,
)
from tests.factories import (
    STORY_STEPS,
    make_item,
    make_workshop,
    many_items,
    sample_items,
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
    assert 1000 <= image.height <= 2400


def test_journey_map_keeps_its_size_however_many_notes():
    workshop = make_workshop()
    small = picture(journey_map_png(summary_of(workshop, sample_items(workshop))))
    large = picture(journey_map_png(summary_of(workshop, many_items(1000, workshop))))
    assert large.size == small.size


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
    assert image.height * 0.1 < min(ys) and max(ys) < image.height * 0.3, "the curve sits in its row, above the lanes"


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
    assert render_without_missing_glyphs(journey_map_png, view), "DejaVu Sans should lack these glyphs"
    assert render_without_missing_glyphs(journey_map_png, view, font_path=CJK_FONTS[0]) == []
    assert render_without_missing_glyphs(storyboard_png, view, font_path=CJK_FONTS[0]) == []


def test_a_missing_font_file_is_reported():
    with pytest.raises(FileNotFoundError, match="no-such-font.ttf"):
        journey_map_png(summary_of(make_workshop(), []), font_path="/nowhere/no-such-font.ttf")


def test_storyboard_decodes_for_every_size(any_view):
    image = picture(storyboard_png(any_view))
    assert image.width == 1600 and 400 <= image.height <= 900


def test_storyboard_shows_research_answers_in_their_panel():
    workshop = make_workshop()
    research = picture(storyboard_png(summary_of(workshop, [
        make_item("panel", "interviewed", step_key=STORY_STEPS[4], evidence="interview")])))
    above_legend = research.height * 0.85  # the legend at the bottom has a research swatch too
    notes = [x for x, y in pixels_of(research, (0xCD, 0xEA, 0xFE), 3) if y < above_legend]
    assert notes and min(notes) > research.width * 0.78, "the research note is drawn in the fifth panel"


def test_storyboard_without_storyboard_steps_still_draws():
    image = picture(storyboard_png(summary_of(make_workshop(template="understand"), [])))
    assert image.width == 1600
