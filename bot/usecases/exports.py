"""Files for a workshop: the journey map picture and the exports, uploaded with files_upload_v2."""
from __future__ import annotations

import ctypes
import functools
import gc
import importlib
import re
import unicodedata
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from slack_sdk import WebClient

from bot.wiring.context import AppContext
from flows.catalog import Catalog
from flows.engine import plan_of
from flows.summary import SummaryView
from storage import repository as repo
from storage.models import Workshop


@dataclass(frozen=True)
class ExportFormat:
    kind: str
    extension: str
    render: Callable[[SummaryView, str | None], bytes]  # (view, font path) → file content


def _renderer(name: str):
    """A module of renderers/, imported when the first file is made: templates and pictures load slowly
    and most requests need neither."""
    return importlib.import_module(f"renderers.{name}")


FORMATS = {
    "md": ExportFormat("summary", "md", lambda view, font: _renderer("markdown").to_markdown(view).encode()),
    "html": ExportFormat("summary", "html", lambda view, font: _renderer("exports").to_html(
        view, map_png=_renderer("pictures").journey_map_png(view, font_path=font)).encode()),
    "json": ExportFormat("summary", "json", lambda view, font: _renderer("exports").to_json(view).encode()),
    "csv": ExportFormat("items", "csv", lambda view, font: _renderer("exports").to_csv(view).encode("utf-8-sig")),
    # the export has every note; the summary's picture may show themes (see reporting.publish_summary)
    "png": ExportFormat("journey-map", "png", lambda view, font: _renderer("pictures").journey_map_png(
        view, font_path=font, every_note=True)),
    "storyboard": ExportFormat("storyboard", "png",
                               lambda view, font: _renderer("pictures").storyboard_png(view, font_path=font)),
}


# Every file is drawn on this one thread, so the fonts and glyph caches are filled by one thread at a time.
# After each drawing, cyclic garbage is collected and freed heap handed back to the system: without that,
# a worker grew by about 10 MB per summary (when matplotlib drew the curves) until a full collection ran.
# A full collection walks every object of the process, about 100 ms for the app, its libraries and the
# fonts (some 190,000 objects), so after the first drawing those are frozen (gc.freeze): they live as
# long as the process, and later collections walk only what was made since. What another request had
# in hand at that moment is frozen too; garbage of it in a cycle stays, once, not per summary.
_DRAWING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journeybot-drawing")


def render(fmt: str, view: SummaryView, font_path: str | None) -> bytes:
    """One export's content, drawn on the drawing thread."""
    return drawn(FORMATS[fmt].render, view, font_path)


def drawn(draw: Callable, *arguments):
    """``draw(*arguments)`` on the drawing thread, for every picture (the summary's too)."""
    return _DRAWING.submit(_draw_and_trim, draw, *arguments).result()


def _draw_and_trim(draw, *arguments):
    try:
        return draw(*arguments)
    finally:
        gc.collect()
        _freeze_long_lived()
        _malloc_trim(0)


@functools.cache
def _freeze_long_lived() -> None:
    gc.freeze()


_malloc_trim = getattr(ctypes.CDLL(None), "malloc_trim", lambda pad: 0)


def has_storyboard(workshop: Workshop, catalog: Catalog) -> bool:
    """Whether the workshop's template asks the storyboard steps (`template:understand` does not)."""
    return any(ref.step.section == "storyboard" for ref in plan_of(workshop, catalog).refs)


def slug(title: str) -> str:
    """A file-name-safe form of a title: ``Café één!`` → ``cafe-een``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60] or "workshop"


def upload(client: WebClient, ctx: AppContext, workshop: Workshop, view: SummaryView, fmt: str, *,
           thread_ts: str | None = None, comment: str | None = None) -> dict:
    """Renders one format and uploads it to the workshop's channel; remembers the file for deletion.
    Returns Slack's file object (its id, permalink, …)."""
    export = FORMATS[fmt]
    return upload_content(client, ctx, workshop, render(fmt, view, ctx.settings.font_path), kind=export.kind,
                          extension=export.extension, record_as=fmt, thread_ts=thread_ts, comment=comment)


def upload_content(client: WebClient, ctx: AppContext, workshop: Workshop, content: bytes, *, kind: str,
                   extension: str, record_as: str, thread_ts: str | None = None, comment: str | None = None) -> dict:
    """Uploads a rendered file to the workshop's channel and remembers it (as ``record_as``) for deletion.
    Returns Slack's file object."""
    filename = f"{kind}-{slug(workshop.title)}.{extension}"
    response = client.files_upload_v2(
        channel=workshop.channel_id, thread_ts=thread_ts, filename=filename, title=f"{workshop.title} ({kind})",
        content=content, initial_comment=comment)
    uploaded = response["file"]
    with ctx.unit() as session:
        repo.record_file(session, workshop_id=workshop.id, file_id=uploaded["id"], kind=record_as)
    return uploaded
