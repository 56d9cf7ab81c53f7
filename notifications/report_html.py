"""Writing a report email: sections of plain-text cells, as plain text and as HTML that mail clients
draw alike (Gmail, Outlook): tables with HTML attributes and inline styles only, no <style>
block, no script, no image, no external asset; the chart is table cells with a background.

Every cell is text until it is written; each then goes through `html.escape` (names, jobs,
notes, categories, reasons, the org's own name: all typed by people). A link's address too, and
only http(s) links are written as links.

Gmail clips a message whose HTML is over about 102 KB. `fit` keeps the HTML under `HTML_LIMIT`
by showing fewer rows of the long tables (each says how many it shows; the attachments have all).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from html import escape

from core.catalogue import DEFAULT_LANGUAGE, phrase
from core.replies import duration
from notifications.email import Attachment

HTML_LIMIT = 96_000  # bytes of HTML; Gmail clips at about 102 KB (a margin for the encoding)
NOTE_LIMIT = 200  # a note is context, not a letter
BAR_WIDTH = 240  # pixels of the longest bar
TEXT_BAR = 30  # characters of the longest bar in the plain text

MUTED = "#667085"
ZEBRA = "#f9fafb"
HEAD = "#f2f4f7"
REGULAR_BAR = "#2e90fa"
EXTRA_BAR = "#f79009"


@dataclass(frozen=True)
class Link:
    """A cell that links somewhere (a receipt): its words, and where it goes."""

    text: str
    href: str

    def __str__(self) -> str:
        return f"{self.text} {self.href}"


Cell = str | Link


@dataclass(frozen=True)
class Table:
    """One section: plain-text cells, escaped only when written as HTML.

    `numeric` columns are right-aligned; `total` is a last row set apart (it is the sum of the
    rows as shown); `trim` says the rows may be cut to fit the HTML (the attachments have all).
    """

    title: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[Cell, ...]]
    empty: str
    numeric: frozenset[int] = frozenset()
    total: tuple[Cell, ...] | None = None
    trim: bool = False
    shown: int | None = None  # rows kept in the HTML, when cut


@dataclass(frozen=True)
class Bar:
    label: str
    regular: int  # minutes
    extra: int = 0  # minutes beyond regular (overtime, double time), drawn in another colour


@dataclass(frozen=True)
class Chart:
    title: str
    bars: Sequence[Bar]
    legend: str  # the colours, in the HTML
    text_legend: str  # the characters, in the plain text
    more: str = ""  # "and 12 more" when not every worker is drawn


@dataclass(frozen=True)
class Document:
    kicker: str  # "Punchclock daily summary"
    heading: str
    summary: str
    stats: Sequence[tuple[str, str]] = ()  # (label, value) headline numbers
    notes: Sequence[str] = ()  # insights: one line each
    notes_title: str = ""
    parts: Sequence[Table | Chart] = field(default_factory=list)
    footer: str = ""


# -- plain text ---------------------------------------------------------------------------------


def text_of(doc: Document) -> str:
    blocks = [doc.kicker, doc.heading, doc.summary]
    if doc.notes:
        blocks.append(doc.notes_title + "\n" + "\n".join(f"- {note}" for note in doc.notes))
    blocks += [_text_part(part) for part in doc.parts]
    blocks.append(doc.footer)
    return "\n\n".join(block for block in blocks if block) + "\n"


def _text_part(part: Table | Chart) -> str:
    if isinstance(part, Chart):
        return _text_chart(part)
    if not part.rows:
        return f"{part.title}\n{part.empty}"
    rows = [*part.rows, *((part.total,) if part.total else ())]
    lines = [" | ".join(part.headers), *(" | ".join(str(cell) or "-" for cell in row) for row in rows)]
    return f"{part.title}\n" + "\n".join(lines)


def _text_chart(chart: Chart) -> str:
    if not chart.bars:
        return ""
    longest = max(bar.regular + bar.extra for bar in chart.bars) or 1
    width = max(len(bar.label) for bar in chart.bars)
    lines = [
        f"{bar.label:<{width}} {'#' * round(TEXT_BAR * bar.regular / longest)}"
        f"{'+' * round(TEXT_BAR * bar.extra / longest)} {duration(bar.regular + bar.extra)}"
        for bar in chart.bars
    ]
    return "\n".join([chart.title, *lines, *((chart.more,) if chart.more else ()), chart.text_legend])


# -- HTML ---------------------------------------------------------------------------------------


def _cell(cell: Cell) -> str:
    if isinstance(cell, Link) and cell.href.startswith(("https://", "http://")):
        return f'<a href="{escape(cell.href)}" style="color:{REGULAR_BAR}">{escape(cell.text)}</a>'
    return escape(cell.text if isinstance(cell, Link) else cell)


def _title(text: str) -> str:
    return f'<h2 style="font-size:16px;margin:22px 0 6px">{escape(text)}</h2>'


_NUMBER = ' align="right" nowrap'  # a duration or an amount stays on one line


def _row(cells: Sequence[Cell], numeric: frozenset[int], shade: str | None, bold: bool = False) -> str:
    attrs = f' bgcolor="{shade}"' if shade else ""
    weight = ' style="font-weight:600"' if bold else ""
    tds = "".join(f"<td{_NUMBER if i in numeric else ''}>{_cell(cell)}</td>" for i, cell in enumerate(cells))
    return f"<tr{attrs}{weight}>{tds}</tr>"


def table_rows_html(table: Table) -> list[str]:
    return [_row(row, table.numeric, ZEBRA if i % 2 else None) for i, row in enumerate(table.rows)]


def _html_table(table: Table, rows: Sequence[str] | None = None) -> str:
    if not table.rows:
        return _title(table.title) + f'<p style="color:{MUTED};margin:0">{escape(table.empty)}</p>'
    body = rows if rows is not None else table_rows_html(table)
    head = "".join(
        f'<th align="{"right" if i in table.numeric else "left"}" style="font-weight:600;color:{MUTED}">'
        f"{escape(h)}</th>"
        for i, h in enumerate(table.headers)
    )
    total = _row(table.total, table.numeric, HEAD, bold=True) if table.total else ""
    cut = ""
    if table.shown is not None and table.shown < len(table.rows):
        words = phrase("email.report.rows_shown", shown=table.shown, total=len(table.rows))
        cut = f'<p style="color:{MUTED};font-size:12px;margin:4px 0 0">{escape(words)}</p>'
    return (
        _title(table.title)
        + '<table cellpadding="4" cellspacing="0" border="0" style="border-collapse:collapse;font-size:13px">'
        + f'<tr bgcolor="{HEAD}">{head}</tr>'
        + "".join(body)
        + total
        + "</table>"
        + cut
    )


def _bar_cells(bar: Bar, longest: int) -> str:
    regular = max(round(BAR_WIDTH * bar.regular / longest), 1 if bar.regular else 0)
    extra = max(round(BAR_WIDTH * bar.extra / longest), 1 if bar.extra else 0)
    cells = "".join(
        f'<td width="{px}" height="10" bgcolor="{colour}" style="font-size:0;line-height:0">&nbsp;</td>'
        for px, colour in ((regular, REGULAR_BAR), (extra, EXTRA_BAR))
        if px
    )
    return f'<table cellpadding="0" cellspacing="0" border="0"><tr>{cells}</tr></table>' if cells else ""


def _html_chart(chart: Chart) -> str:
    if not chart.bars:
        return ""
    longest = max(bar.regular + bar.extra for bar in chart.bars) or 1
    rows = "".join(
        f"<tr><td>{escape(bar.label)}</td><td>{_bar_cells(bar, longest)}</td>"
        f'<td align="right">{escape(duration(bar.regular + bar.extra))}</td></tr>'
        for bar in chart.bars
    )
    more = f'<p style="color:{MUTED};font-size:12px;margin:4px 0 0">{escape(chart.more)}</p>' if chart.more else ""
    legend = f'<p style="color:{MUTED};font-size:12px;margin:4px 0 0">{escape(chart.legend)}</p>'
    return (
        _title(chart.title)
        + f'<table cellpadding="3" cellspacing="0" border="0" style="font-size:13px">{rows}</table>'
        + more
        + legend
    )


def _stats(stats: Sequence[tuple[str, str]]) -> str:
    if not stats:
        return ""
    cells = "".join(
        f'<td style="padding:8px 14px 8px 0"><div style="font-size:20px;font-weight:600">{escape(value)}</div>'
        f'<div style="color:{MUTED};font-size:12px">{escape(label)}</div></td>'
        for label, value in stats
    )
    return f'<table cellpadding="0" cellspacing="0" border="0"><tr>{cells}</tr></table>'


def _notes(doc: Document) -> str:
    if not doc.notes:
        return ""
    items = "".join(f"<li>{escape(note)}</li>" for note in doc.notes)
    return _title(doc.notes_title) + f'<ul style="margin:0;padding-left:20px">{items}</ul>'


def html_of(doc: Document, parts: Sequence[str] | None = None) -> str:
    """The whole message; `parts` are the sections already written (by `fit`)."""
    written = parts if parts is not None else [_html_part(part) for part in doc.parts]
    return (
        f'<!doctype html><html lang="{DEFAULT_LANGUAGE}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(doc.heading)}</title></head>"
        '<body style="margin:0;padding:16px;font-family:system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif;'
        'color:#1d2330;font-size:14px">'
        f'<p style="color:{MUTED};margin:0">{escape(doc.kicker)}</p>'
        f'<h1 style="font-size:20px;margin:4px 0 8px">{escape(doc.heading)}</h1>'
        f"{_stats(doc.stats)}<p>{escape(doc.summary)}</p>{_notes(doc)}{''.join(written)}"
        f'<p style="color:{MUTED};font-size:12px;margin-top:22px">{escape(doc.footer)}</p>'
        "</body></html>"
    )


def _html_part(part: Table | Chart) -> str:
    return _html_chart(part) if isinstance(part, Chart) else _html_table(part)


def fit(doc: Document, limit: int = HTML_LIMIT) -> str:
    """The HTML of `doc` within `limit` bytes: when it is larger, the tables that may be trimmed
    keep as many rows as fit. The room is shared out smallest table first, each taking at most an
    equal share of what is left, so a short table stays whole and the longest gets the rest."""
    written = [_html_part(part) for part in doc.parts]
    whole = html_of(doc, written)
    if len(whole.encode()) <= limit:
        return whole
    trimmable = [i for i, part in enumerate(doc.parts) if isinstance(part, Table) and part.trim and part.rows]
    fixed = html_of(doc, [part if i not in trimmable else "" for i, part in enumerate(written)])
    room = limit - len(fixed.encode()) - 200 * len(trimmable)  # each cut table says so, in a line
    for n, i in enumerate(sorted(trimmable, key=lambda i: len(written[i].encode()))):
        table = doc.parts[i]
        assert isinstance(table, Table)
        share = room // (len(trimmable) - n)
        used = len(_html_table(replace(table, rows=table.rows[:1]), rows=[]).encode())
        kept: list[str] = []
        for row in table_rows_html(table):
            if used + len(row.encode()) > share:
                break
            kept.append(row)
            used += len(row.encode())
        written[i] = _html_table(replace(table, shown=len(kept)), rows=kept)
        room -= len(written[i].encode())
    return html_of(doc, written)


# -- the message --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportEmail:
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...]


def csv_attachment(org_id: str, name: str, csv_text: str) -> Attachment:
    """`punchclock-<org>-<name>.csv`: a file name safe on every system, whatever the org's id."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", org_id).strip("-") or "org"
    return Attachment(f"punchclock-{slug}-{name}.csv", "text/csv", csv_text.encode("utf-8"))


def cut(text: str | None) -> str:
    """A note or a reason on one line, at most NOTE_LIMIT characters."""
    text = " ".join((text or "").split())
    return text if len(text) <= NOTE_LIMIT else text[: NOTE_LIMIT - 3].rstrip() + "..."


def columns(*names: str) -> tuple[str, ...]:
    return tuple(phrase("email.column." + name) for name in names)
