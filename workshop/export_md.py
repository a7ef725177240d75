"""The Markdown transcript: readable as plain text, and literal on any Markdown viewer.

Every piece of user text goes through `md_text` (one line) or `md_block` (several
lines), which backslash-escape what CommonMark (and GitHub's tables, strikethrough,
autolinks and @mentions, and renderers that linkify bare addresses) would otherwise read
as markup, so nothing a participant typed can become a link, an image, a heading, a
list, a table cell or raw HTML.
"""

from __future__ import annotations

import re

from workshop.kinds.base import Section
from workshop.model import Scenario, Session
from workshop.report import (
    RANKED,
    AgreementDetail,
    CountTable,
    Report,
    agreement_details,
    build_report,
    duration,
)
from workshop.text import counted

_INLINE = re.compile(
    r"[\\`*_\[\]<|~#@]"  # markup, tables, strikethrough; @ starts e-mail links and mentions
    r"|&(?=#?[A-Za-z0-9]+;)"  # entities
    r"|:(?=//)|(?<=[A-Za-z]):(?=\S)|/(?=/)"  # schemes (http://, mailto:) and //host
    r"|(?<=[Ww]{3})\.|\.(?=[^\W\d_])"  # www. and dots before a letter (evil.com, file.md)
)
"""Characters that are markup anywhere in a line, or that a linkifier reads as a link.

An escaped character renders as itself but splits the text a linkifier looks at, so
`ana\\@evil\\.com` shows as ana@evil.com and is no link.
"""

_LINE_START = re.compile(r"[-+=>]|\d{1,9}(?=[.)])")
"""What is markup only at the start of a line: lists, quotes, setext underlines."""


def md_text(text: str) -> str:
    """`text` on one line, escaped so that it renders literally."""
    line = " ".join(text.replace("\r", "\n").split("\n")).strip()
    line = _INLINE.sub(lambda m: "\\" + m.group(0), line)
    start = _LINE_START.match(line)
    if start is None:
        return line
    if start.group(0).isdigit():
        end = start.end()
        return line[:end] + "\\" + line[end:]
    return "\\" + line


def md_block(text: str, indent: int) -> str:
    """`text` escaped line by line, joined by hard line breaks indented by `indent`."""
    lines = [md_text(line) for line in text.replace("\r", "\n").split("\n") if line.strip()]
    if not lines:
        return "*(empty)*"
    return ("\\\n" + " " * indent).join(lines)


def _detail(detail: AgreementDetail) -> str:
    if detail.kind == "tag":
        return f"*{md_text(detail.text)}*"
    return detail.label + (detail.text if detail.kind in ("due", "dots") else md_text(detail.text))


def _cell(text: str) -> str:
    return md_text(text) or " "


def _table(header: list[str], align: list[str], rows: list[list[str]]) -> list[str]:
    marks = {"l": "---", "r": "---:"}
    out = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks[a] for a in align) + " |"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def _counts(table: CountTable) -> list[str]:
    header = ["Tag", *(_cell(label) for label, _ in table.per_side), "Total"]
    rows = [
        [_cell(tag), *(str(counts[i]) for _, counts in table.per_side), f"**{table.total[i]}**"]
        for i, tag in enumerate(table.tags)
    ]
    totals = [sum(counts) for _, counts in table.per_side]
    rows.append(["**All tags**", *(f"**{n}**" for n in totals), f"**{sum(table.total)}**"])
    return _table(header, ["l", *("r" for _ in table.per_side), "r"], rows)


def _section(section: Section) -> list[str]:
    """A step's own part: heading, lead, then its list, table and ranking."""
    out = [f"## {md_text(section.title)}", ""]
    if section.lead:
        out += [md_text(section.lead), ""]
    for entry in section.entries:
        box = "" if entry.done is None else ("[x] " if entry.done else "[ ] ")
        detail = f" — {md_text(entry.detail)}" if entry.detail else ""
        out.append(f"- {box}{md_text(entry.text)}{detail}")
    if section.entries:
        out.append("")
    if section.columns:
        rows = [[_cell(cell) for cell in row] for row in section.rows]
        align = ["l"] * len(section.columns)
        out += [*_table([_cell(c) for c in section.columns], align, rows), ""]
    if section.bars:
        peak = max(bar.count for bar in section.bars) or 1
        rows = [
            [str(rank), _cell(bar.label), str(bar.count), "█" * round(20 * bar.count / peak)]
            for rank, bar in enumerate(section.bars, start=1)
        ]
        out += [*_table(["#", "Option", "Count", " "], ["r", "l", "r", "l"], rows), ""]
    if not (section.entries or section.rows or section.bars) and section.empty:
        out += [f"*{md_text(section.empty)}*", ""]
    return out


def render_markdown(report: Report) -> str:
    """The Markdown text of `report`."""
    out: list[str] = [f"# {md_text(report.title)}", ""]
    if report.scenario:
        out += [f"*{md_text(report.scenario)}*", ""]
    out += [f"- **{label}:** {md_text(value)}" for label, value in report.facts]
    out.append("")

    out += ["## Agenda", ""]
    rows = []
    for row in report.agenda:
        title = _cell(row.title)
        if row.state == "current":
            title += " *(current step)*"
        spent = duration(row.seconds) if row.state != "upcoming" else "–"
        rows.append([str(row.number), title, spent])
    rows.append([" ", "**Total**", f"**{duration(report.total_seconds)}**"])
    out += _table(["#", "Step", "Time spent"], ["r", "l", "r"], rows)
    out.append("")

    out += ["## Self-talk", ""]
    for side in report.sides:
        heading = md_text(side.label)
        if side.role:
            heading += f" · {md_text(side.role)}"
        count = len(side.lines)
        out += [f"### {heading}", "", f"{counted(count, 'statement')}.", ""]
        for line in side.lines:
            marker = f"{line.number}. "
            text = md_block(line.text, len(marker))
            if line.speaker:
                text = f"**{md_text(line.speaker)}:** {text}"
            if line.tags:
                text += " · *" + ", ".join(md_text(t) for t in line.tags) + "*"
            out.append(marker + text)
        if side.lines:
            out.append("")

    for table in report.counts:
        title = "Tag counts" if table.title == "Tags" else md_text(table.title)
        out += [f"## {title}", ""]
        out += _counts(table)
        out.append("")

    out += ["## Agreements", ""]
    if report.ranked_by_dots:
        out += [f"*{md_text(RANKED)}*", ""]
    if not report.agreements:
        out += ["*No agreements were recorded.*", ""]
    for action in report.agreements:
        details = [_detail(d) for d in agreement_details(action)]
        item = f"- [ ] {md_block(action.text, 6)}"
        if details:
            item += " — " + " · ".join(details)
        out.append(item)
    if report.agreements:
        out.append("")

    if report.scores:
        out += ["## Ratings", ""]
        rows = [
            [
                _cell(s.step),
                _cell(s.item),
                f"{s.score} / {s.scale}" if s.scale else str(s.score),
                _cell(s.note),
            ]
            for s in report.scores
        ]
        out += _table(["Step", "Item", "Score", "Note"], ["l", "l", "r", "l"], rows)
        out.append("")

    for section in report.steps:
        out += _section(section)

    if report.definitions:
        out += ["## What the tags mean", ""]
        for group in report.definitions:
            out += [f"**{md_text(group.title)}**", ""]
            out += [f"- **{md_text(label)}:** {md_text(text)}" for label, text in group.tags]
            out.append("")

    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def to_markdown(
    session: Session,
    scenario: Scenario | None = None,
    anonymize: bool = False,
    include_private: bool = False,
) -> str:
    """The Markdown transcript of `session` (see `workshop.report.build_report`)."""
    return render_markdown(build_report(session, scenario, anonymize, include_private))
