"""The HTML transcript: one self-contained page to read on screen or print.

Inline CSS only: no JavaScript, no external fonts, images or links, and a
Content-Security-Policy that forbids them anyway. Every piece of user text goes
through `html.escape(quote=True)` and is only ever element content, never an
attribute value. Tag counts are drawn as an inline SVG bar chart.
"""

from __future__ import annotations

import re
from html import escape

from workshop.kinds.base import Section
from workshop.model import Scenario, Session
from workshop.report import (
    RANKED,
    CountTable,
    Report,
    agreement_details,
    build_report,
    duration,
)
from workshop.text import counted

SIDE_COLOURS = ("#b03a6f", "#2563a8", "#2f7d4f", "#a35a00", "#6b4fa8", "#4f6470")
"""Bar and accent colour of each side, by position (then repeated)."""

_LANG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")

_STATE_MARK = {"done": "✓", "current": "●", "upcoming": "○"}

CSS = """
:root {
  --ink: #1d2125; --muted: #5b636b; --line: #dcd8cf; --paper: #fbfaf6; --card: #ffffff;
  --accent: #2563a8;
}
* { box-sizing: border-box; }
html { background: var(--paper); color: var(--ink); }
body {
  margin: 0 auto; max-width: 64rem; padding: 2.5rem 1.5rem 4rem;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu,
    Cantarell, "Helvetica Neue", Arial, sans-serif;
}
.u { unicode-bidi: isolate; overflow-wrap: anywhere; }
.said { white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: plaintext; }
h1, h2, h3 { line-height: 1.2; margin: 0; }
h1 { font-size: 2.2rem; letter-spacing: -0.01em; }
h2 {
  font-size: 1.45rem; margin: 0 0 1rem; padding-bottom: .35rem;
  border-bottom: 2px solid var(--ink);
}
h3 { font-size: 1.1rem; }
.cover { margin-bottom: 2.5rem; }
.kicker {
  margin: 0 0 .4rem; color: var(--muted); font-size: .9rem; letter-spacing: .06em;
  text-transform: uppercase;
}
.facts {
  display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
  gap: .4rem 1.5rem; margin: 1.2rem 0 0;
}
.facts dt { color: var(--muted); font-size: .8rem; text-transform: uppercase;
  letter-spacing: .05em; }
.facts dd { margin: 0; }
.stats { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1.5rem 0 0; padding: 0;
  list-style: none; }
.stats li {
  flex: 1 1 9rem; background: var(--card); border: 1px solid var(--line);
  border-radius: .5rem; padding: .6rem .9rem;
}
.stats b { display: block; font-size: 1.6rem; line-height: 1.1; }
.stats span { color: var(--muted); font-size: .85rem; }
.finding {
  margin: 1.2rem 0 0; padding: .7rem 1rem; background: #eef3f9;
  border-left: 4px solid var(--accent); border-radius: 0 .4rem .4rem 0;
}
section.part { margin: 2.75rem 0 0; }
table { border-collapse: collapse; width: 100%; background: var(--card); }
th, td { text-align: left; padding: .45rem .7rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: 700; border-bottom: 2px solid var(--ink); }
.timeline { display: flex; height: 1.1rem; border-radius: .3rem; overflow: hidden;
  background: #ebe8e0; margin: 0 0 1rem; }
.timeline span { display: block; height: 100%; border-right: 2px solid var(--paper);
  overflow: hidden; color: #fff; font-size: .7rem; line-height: 1.1rem; text-align: center; }
td.share { width: 28%; }
.timeline span:nth-child(odd) { background: #5a7fa8; }
.timeline span:nth-child(even) { background: #93aecb; }
.bar { height: .55rem; background: #5a7fa8; border-radius: .2rem; min-width: 1px; }
.state { width: 1.5rem; color: var(--muted); }
tr.current td { background: #fff6dc; }
tr.upcoming td { color: var(--muted); }
.sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr));
  gap: 1.25rem; }
.side { background: var(--card); border: 1px solid var(--line); border-top: 5px solid;
  border-radius: .5rem; padding: 1rem 1.1rem .6rem; }
.side h3 { display: flex; gap: .5rem; align-items: baseline; flex-wrap: wrap; }
.side h3 small { color: var(--muted); font-weight: 400; font-size: .85rem; }
.side ol { margin: .8rem 0 0; padding-left: 1.6rem; }
.side li { margin: 0 0 .7rem; break-inside: avoid; }
.who { font-weight: 700; }
.tags { display: inline-flex; flex-wrap: wrap; gap: .25rem; margin: .2rem 0 0; padding: 0;
  list-style: none; }
.tags li { margin: 0; font-size: .75rem; padding: .05rem .5rem; border-radius: 1rem;
  background: #eceae4; color: #343a40; }
.empty { color: var(--muted); font-style: italic; }
.chart { display: block; width: 100%; height: auto; margin: 0 0 1rem; background: var(--card);
  border: 1px solid var(--line); border-radius: .5rem; }
.chart text { font: 13px system-ui, sans-serif; fill: var(--ink); }
.chart .axis { stroke: var(--line); }
.chart .num { fill: var(--muted); font-size: 12px; }
.checklist { list-style: none; padding: 0; margin: 0; }
.checklist li { display: flex; gap: .75rem; padding: .65rem .2rem;
  border-bottom: 1px solid var(--line); break-inside: avoid; }
.box { flex: none; width: 1.05rem; height: 1.05rem; margin-top: .2rem;
  border: 2px solid var(--ink); border-radius: .2rem; }
.box.ticked { background: var(--ink); color: var(--card); font-size: .8rem; font-weight: 700;
  line-height: 1.05rem; text-align: center; }
.meta { display: block; color: var(--muted); font-size: .9rem; }
.reference dt { font-weight: 700; margin-top: .6rem; }
.reference dd { margin: .1rem 0 0; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
@media print {
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  html { background: #fff; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  @page { margin: 16mm 14mm; }
  section.part { break-before: page; margin: 0; }
  h2, h3 { break-after: avoid; }
  tr, .side li, .checklist li { break-inside: avoid; }
  .sides { display: block; }
  .side { margin: 0 0 1rem; border-left: 1px solid var(--line); }
  .chart, .stats li, .side, table { border-color: #bbb; }
  .finding { background: none; }
}
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _u(text: str) -> str:
    return f'<span class="u">{_e(text)}</span>'


def _section(section: Section) -> str:
    """A step's own part: heading, lead, then its list, table and ranking."""
    out = [f'<section class="part" id="step-{_e(section.key)}"><h2>{_u(section.title)}</h2>']
    if section.lead:
        out.append(f"<p>{_u(section.lead)}</p>")
    if section.entries:
        out.append('<ul class="checklist">')
        for entry in section.entries:
            if entry.done is None:
                box = ""
            elif entry.done:
                box = '<span class="box ticked" role="img" aria-label="ticked">✓</span>'
            else:
                box = '<span class="box" role="img" aria-label="not ticked"></span>'
            meta = f'<span class="meta">{_u(entry.detail)}</span>' if entry.detail else ""
            out.append(f'<li>{box}<div><span dir="auto">{_u(entry.text)}</span>{meta}</div></li>')
        out.append("</ul>")
    if section.columns:
        head = "".join(f"<th>{_u(c)}</th>" for c in section.columns)
        out.append(f'<table class="step-table"><thead><tr>{head}</tr></thead><tbody>')
        for row in section.rows:
            cells = "".join(f'<td><span class="said" dir="auto">{_e(c)}</span></td>' for c in row)
            out.append(f"<tr>{cells}</tr>")
        out.append("</tbody></table>")
    if section.bars:
        peak = max(bar.count for bar in section.bars) or 1
        out.append('<table class="ranking"><thead><tr><th class="n">#</th><th>Option</th>')
        out.append('<th class="n">Count</th><th class="share"></th></tr></thead><tbody>')
        for rank, bar in enumerate(section.bars, start=1):
            width = f"{100 * bar.count / peak:.1f}%"
            out.append(
                f'<tr><td class="n">{rank}</td><td><span dir="auto">{_u(bar.label)}</span></td>'
                f'<td class="n">{bar.count}</td>'
                f'<td class="share"><div class="bar" style="width:{width}"></div></td></tr>'
            )
        out.append("</tbody></table>")
    if not (section.entries or section.rows or section.bars) and section.empty:
        out.append(f'<p class="empty">{_u(section.empty)}</p>')
    out.append("</section>")
    return "\n".join(out)


def _colour(index: int) -> str:
    return SIDE_COLOURS[index % len(SIDE_COLOURS)]


def _short(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chart_svg(table: CountTable) -> str:
    """A horizontal grouped bar chart of `table`: one group per tag, one bar per side."""
    sides = len(table.per_side)
    bar, gap, group_gap = 16, 3, 18
    label_w, width, top = 190, 760, 40
    plot_w = width - label_w - 50
    group_h = sides * (bar + gap) - gap
    height = top + len(table.tags) * (group_h + group_gap) + 10
    peak = max((n for _, counts in table.per_side for n in counts), default=0) or 1
    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img">',
        f"<title>{_e(table.title)}: tag counts per side</title>",
    ]
    x = label_w
    for i, (label, _) in enumerate(table.per_side):
        out.append(
            f'<rect x="{x}" y="12" width="12" height="12" rx="2" fill="{_colour(i)}"/>'
            f'<text x="{x + 18}" y="22">{_e(_short(label, 20))}</text>'
        )
        x += 30 + 8 * min(len(label), 20)
    for t, tag in enumerate(table.tags):
        y0 = top + t * (group_h + group_gap)
        out.append(
            f'<text x="{label_w - 10}" y="{y0 + group_h / 2 + 4:.1f}" '
            f'text-anchor="end">{_e(_short(tag))}</text>'
        )
        for s, (_, counts) in enumerate(table.per_side):
            n = counts[t]
            y = y0 + s * (bar + gap)
            w = plot_w * n / peak
            out.append(
                f'<rect class="bar-{s}" x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}"'
                f' rx="2" fill="{_colour(s)}"/>'
                f'<text class="num" x="{label_w + w + 6:.1f}" y="{y + bar - 4}">{n}</text>'
            )
    out.append(
        f'<line class="axis" x1="{label_w}" y1="{top - 6}" x2="{label_w}" y2="{height - 6}"/>'
    )
    out.append("</svg>")
    return "".join(out)


def _counts_table(table: CountTable) -> str:
    head = "".join(f'<th class="n">{_u(label)}</th>' for label, _ in table.per_side)
    rows = []
    for t, tag in enumerate(table.tags):
        cells = "".join(f'<td class="n">{counts[t]}</td>' for _, counts in table.per_side)
        rows.append(f'<tr><td>{_u(tag)}</td>{cells}<td class="n"><b>{table.total[t]}</b></td></tr>')
    sums = "".join(f'<td class="n">{sum(counts)}</td>' for _, counts in table.per_side)
    rows.append(
        f'<tr class="total"><td>All tags</td>{sums}<td class="n">{sum(table.total)}</td></tr>'
    )
    return (
        f'<table><thead><tr><th>Tag</th>{head}<th class="n">Total</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _finding(report: Report) -> str:
    if not report.counts:
        return ""
    table = report.counts[0]
    total = sum(table.total)
    if not total:
        return ""

    def which(n: int) -> str:
        labels = [
            f"<b>{_u(tag)}</b>" for tag, m in zip(table.tags, table.total, strict=True) if m == n
        ]
        return ", ".join(labels)

    most, least = max(table.total), min(table.total)
    text = f"Most often tagged: {which(most)} ({most} of {total} tags)."
    if least != most:
        text += f" Least often: {which(least)} ({least} of {total})."
    return f'<p class="finding">{text}</p>'


def render_html(report: Report, language: str = "en") -> str:
    """The HTML page of `report`."""
    title = report.title
    statements = sum(len(side.lines) for side in report.sides)
    tags = sum(sum(t.total) for t in report.counts)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{language if _LANG.fullmatch(language) else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{_e(title)} · transcript</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        '<header class="cover">',
    ]
    if report.scenario:
        out.append(f'<p class="kicker">{_u(report.scenario)}</p>')
    out.append(f"<h1>{_u(title)}</h1>")
    out.append('<dl class="facts">')
    out += [f"<div><dt>{_e(k)}</dt><dd>{_u(v)}</dd></div>" for k, v in report.facts]
    out.append("</dl>")
    stats = [
        (str(statements), "statements"),
        (str(tags), "tags"),
        (str(len(report.agreements)), "agreements"),
        (duration(report.total_seconds), "time spent"),
    ]
    out.append('<ul class="stats">')
    out += [f"<li><b>{_e(v)}</b><span>{_e(k)}</span></li>" for v, k in stats]
    out.append("</ul>")
    out.append(_finding(report))
    out.append("</header>")
    out.append("<main>")

    # agenda and timeline
    out.append('<section class="part" id="agenda"><h2>Agenda</h2>')
    spent = [row.seconds for row in report.agenda]
    whole = sum(spent)
    if whole > 0:
        out.append('<div class="timeline">')
        out += [
            f'<span style="width:{100 * row.seconds / whole:.2f}%">{row.number}</span>'
            for row in report.agenda
            if row.seconds / whole >= 0.002
        ]
        out.append("</div>")
    peak = max(spent, default=0) or 1
    rows = []
    for row in report.agenda:
        time_cell = duration(row.seconds) if row.state != "upcoming" else "–"
        note = " <small>(current step)</small>" if row.state == "current" else ""
        bar = (
            f'<div class="bar" style="width:{100 * row.seconds / peak:.1f}%"></div>'
            if row.seconds > 0
            else ""
        )
        rows.append(
            f'<tr class="{row.state}"><td class="state">{_STATE_MARK[row.state]}</td>'
            f'<td class="n">{row.number}</td><td>{_u(row.title)}{note}</td>'
            f'<td class="share">{bar}</td><td class="n">{time_cell}</td></tr>'
        )
    rows.append(
        '<tr class="total"><td></td><td></td><td>Total</td><td></td>'
        f'<td class="n">{duration(report.total_seconds)}</td></tr>'
    )
    out.append(
        '<table><thead><tr><th></th><th class="n">#</th><th>Step</th><th>Share</th>'
        f'<th class="n">Time spent</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
    out.append("</section>")

    # self-talk
    out.append('<section class="part" id="self-talk"><h2>Self-talk</h2><div class="sides">')
    for i, side in enumerate(report.sides):
        count = len(side.lines)
        about = counted(count, "statement")
        if side.role:
            about = f"{_u(side.role)} · {about}"
        out.append(
            f'<article class="side" style="border-top-color:{_colour(i)}">'
            f"<h3>{_u(side.label)}<small>{about}</small></h3>"
        )
        if not side.lines:
            out.append('<p class="empty">Nothing was captured for this side.</p>')
        else:
            out.append("<ol>")
            for line in side.lines:
                who = f'<span class="who u">{_e(line.speaker)}:</span> ' if line.speaker else ""
                tag_list = ""
                if line.tags:
                    tag_list = (
                        '<ul class="tags">'
                        + "".join(f"<li>{_u(t)}</li>" for t in line.tags)
                        + "</ul>"
                    )
                out.append(
                    f'<li>{who}<span class="said" dir="auto">{_e(line.text)}</span>'
                    f"{'<br>' + tag_list if tag_list else ''}</li>"
                )
            out.append("</ol>")
        out.append("</article>")
    out.append("</div></section>")

    # tag counts
    for n, table in enumerate(report.counts):
        heading = "Tag counts" if table.title == "Tags" else table.title
        out.append(f'<section class="part" id="counts-{n}"><h2>{_u(heading)}</h2>')
        out.append(chart_svg(table))
        out.append(_counts_table(table))
        out.append("</section>")

    # agreements
    out.append('<section class="part" id="agreements"><h2>Agreements</h2>')
    if not report.agreements:
        out.append('<p class="empty">No agreements were recorded.</p>')
    else:
        if report.ranked_by_dots:
            out.append(f"<p>{_e(RANKED)}</p>")
        out.append('<ul class="checklist">')
        for action in report.agreements:
            details = [
                d.label + (_e(d.text) if d.kind in ("due", "dots") else _u(d.text))
                for d in agreement_details(action)
            ]
            meta = f'<span class="meta">{" · ".join(details)}</span>' if details else ""
            out.append(
                '<li><span class="box"></span>'
                f'<div><span class="said" dir="auto">{_e(action.text)}</span>{meta}</div></li>'
            )
        out.append("</ul>")
    out.append("</section>")

    # ratings
    if report.scores:
        out.append('<section class="part" id="ratings"><h2>Ratings</h2><table><thead><tr>')
        out.append('<th>Step</th><th>Item</th><th class="n">Score</th><th>Note</th></tr></thead>')
        out.append("<tbody>")
        for s in report.scores:
            score = f"{s.score} / {s.scale}" if s.scale else str(s.score)
            out.append(
                f'<tr><td>{_u(s.step)}</td><td>{_u(s.item)}</td><td class="n">{score}</td>'
                f'<td><span class="said" dir="auto">{_e(s.note)}</span></td></tr>'
            )
        out.append("</tbody></table></section>")

    out += [_section(section) for section in report.steps]

    # reference
    if report.definitions:
        out.append('<section class="part reference" id="reference"><h2>What the tags mean</h2>')
        for group in report.definitions:
            out.append(f"<h3>{_u(group.title)}</h3><dl>")
            out += [f"<dt>{_u(label)}</dt><dd>{_u(text)}</dd>" for label, text in group.tags]
            out.append("</dl>")
        out.append("</section>")

    out.append("</main>")
    out.append(f"<footer>Transcript of {_u(title)}.</footer>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(part for part in out if part) + "\n"


def to_html(
    session: Session,
    scenario: Scenario | None = None,
    anonymize: bool = False,
    include_private: bool = False,
) -> str:
    """The HTML transcript of `session` (see `workshop.report.build_report`)."""
    report = build_report(session, scenario, anonymize, include_private)
    return render_html(report, session.language)
