"""Hostile text in every user field stays text: in the HTML page and in the Markdown."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from workshop.export_html import CSS, to_html
from workshop.export_md import md_block, md_text, to_markdown
from workshop.limits import MAX_FIELD_CHARS
from workshop.model import Scenario, Session
from workshop.scenario import discover
from workshop.store import Store
from workshop.transcript import from_transcript, to_transcript

LONG_LINE = ("Ω [x](http://evil) <b>bold</b> | `tick` *star* # " * 100)[: MAX_FIELD_CHARS - 2]
UNBROKEN = "W" * (MAX_FIELD_CHARS - 2)
"""As long as a name may be (one field holds MARK and " 2"): each goes into every field."""

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "](javascript:x)",
    "[x](http://evil)",
    "![img](http://evil/x.png)",
    "<http://evil.example>",
    "see www.evil.example or https://evil.example/x",
    "mail me: ana@evil.example",
    "write to ana.lopez@evil.com, or (bo@evil.co.uk)",
    "mailto:ana@evil.example and MAILTO:bo@evil.com",
    "xmpp:ana@evil.example",
    "evil.com and sub.evil.org/path?q=1 and readme.md",
    "//localhost:80/x and //evil.com",
    "FTP://evil.com http://localhost www.evil",
    "@ana and @bo-berg/team",
    "файл.рф",
    "# heading",
    "## also a heading #",
    "| a | b |",
    "|---|---|",
    "`code` and ```fence```",
    "~~~",
    "[/]",
    "[bold]markup[/bold] [@click=app.quit]x[/]",
    "*emph* _em_ **strong** __strong__ ~~strike~~",
    "&lt;b&gt; &amp; &#x3C;script&#x3E; &copy;",
    "> quote",
    "- item",
    "+ item",
    "* item",
    "1. first",
    "2) second",
    "===",
    "---",
    "\\ backslash \\",
    "[ref]: http://evil",
    "[ref]",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)",
    "</style><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<!-- comment --> <![CDATA[x]]>",
    "<svg onload=alert(1)>",
    "emoji 🎉👩‍💻🇪🇺",
    "RTL שלום עולם مرحبا بكم \u202eevil\u202c done",
    LONG_LINE,
    UNBROKEN,
]
"""Each one goes, alone, into every user field of a session."""

BENIGN = "plain words"


MARK = "@@MARK@@"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The transcript of a session with MARK in every field a user can type into."""
    scenario = next(s for s in discover()[0] if s.id == "mars-venus")
    store = Store(tmp_path_factory.mktemp("safety"))
    s = store.create_session(scenario, MARK, MARK, MARK, [MARK, f"{MARK} 2"])
    for side in ("marketing", "it"):
        st = store.add_statement(s.id, side, MARK, speaker=MARK)
        store.toggle_tag(s.id, st.id, "roles")
        store.toggle_tag(s.id, st.id, "goals")
        store.add_statement(s.id, side, f"{MARK} again")
    voted = store.add_agreement(s.id, MARK, tag="roles", owner=MARK, due=date(2026, 12, 1))
    store.add_agreement(s.id, MARK)
    store.set_rating(s.id, "opening", "pace", 2, MARK)
    # the kinds of the 2.0.0 pack: a ticked rule, hands and dots, the call and a better line
    store.set_mark(s.id, "ground-rules", "inner-voice", True)
    store.set_mark(s.id, "first-guess", "personality", True, count=5)
    store.set_mark(s.id, "what-first", voted.id, True, count=7)
    said = store.add_turn(s.id, "the-call", "marketing", MARK, thought=MARK, speaker=MARK)
    store.set_turn_tags(s.id, said.id, ("roles",))
    store.reveal_thoughts(s.id, [said.id])
    store.add_turn(s.id, "the-call", "it", MARK, thought=MARK, private=True)
    store.set_mark(s.id, "better-call", said.id, True, value=MARK)
    store.go_to_step(s.id, 2)
    data = to_transcript(store.session(s.id))
    store.close_all()
    data["scenario"]["title"] = MARK
    for item in data["sides"] + data["taxonomy"]:
        item["label"] = MARK
    for i, step in enumerate(data["steps"]):
        step["title"] = MARK
        if step["key"] == "opening":
            step["type"] = "rating"  # Mars & Venus rates nothing; import takes only real ratings
        step["seconds_spent"] = 60.0 * i if i <= 2 else 0.0  # not the test's own timing
        for item in step.get("items", []):  # checklist items, poll options: a file may say
            item["label"] = MARK
    for digest in data["summary"]["steps"].values():  # the options the items name
        for option in digest["options"] if isinstance(digest, dict) else ():
            option["label"] = MARK
    return data


def _session(base: dict[str, Any], text: str) -> Session:
    """The session of `base` with `text` in every field a user (or an imported file) sets."""
    raw = json.dumps(base).replace(MARK, json.dumps(text)[1:-1])
    return from_transcript(json.loads(raw), "hostile.json")


@pytest.fixture
def mars_venus(scenarios: dict[str, Scenario]) -> Scenario:
    return scenarios["mars-venus"]


# -- HTML ----------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Every start tag with its attributes, and all text, of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)

    def handle_comment(self, data: str) -> None:
        raise AssertionError(f"a comment in the page: {data!r}")

    def unknown_decl(self, data: str) -> None:
        raise AssertionError(f"a declaration in the page: {data!r}")

    @property
    def shape(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(tag, tuple(sorted(name for name, _ in attrs))) for tag, attrs in self.tags]


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "main",
    "footer",
    "section",
    "article",
    "div",
    "p",
    "span",
    "b",
    "small",
    "br",
    "h1",
    "h2",
    "h3",
    "dl",
    "dt",
    "dd",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "svg",
    "rect",
    "text",
    "line",
}
ALLOWED_ATTRIBUTES = {
    "aria-label",
    "lang",
    "charset",
    "name",
    "content",
    "http-equiv",
    "class",
    "id",
    "style",
    "dir",
    "xmlns",
    "viewbox",
    "width",
    "height",
    "role",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "rx",
    "fill",
    "text-anchor",
}

NEW_KIND_STEPS = ("ground-rules", "first-guess", "the-call", "better-call", "what-first")
"""The steps of the checklist, poll, dialogue and reframe kinds `base` fills in."""

ARIA_LABELS = {"ticked", "not ticked"}
"""The only values an aria-label takes: fixed words, never user text."""


@pytest.mark.parametrize("with_pack", [True, False], ids=["with-pack", "without-pack"])
@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_html_keeps_hostile_text_as_text(
    base: dict[str, Any], mars_venus: Scenario, text: str, with_pack: bool
) -> None:
    scenario = mars_venus if with_pack else None
    page = to_html(_session(base, text), scenario)
    hostile = _parse(page)
    benign = _parse(to_html(_session(base, BENIGN), scenario))

    assert hostile.shape == benign.shape, "user text changed the structure of the page"
    for tag, attrs in hostile.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs:
            assert name in ALLOWED_ATTRIBUTES, (tag, name)
            for bad in ("alert", "evil", "javascript", "<", ">", "\u202e", "W" * 10):
                assert bad not in (value or ""), (tag, name, value)
            if name == "aria-label":  # a checklist box says what it shows, in our words
                assert value in ARIA_LABELS, (tag, value)
    assert hostile.styles == [CSS]

    body = "".join(hostile.text)
    shown = body.count(text)
    # title (3), scenario, facts (3), sides, tags, statements, speakers, steps, agreements...
    assert shown >= 30, f"only {shown} literal copies of the text"
    for key in NEW_KIND_STEPS:  # each new kind's own part shows the text, as text
        part = re.search(rf'<section class="part" id="step-{key}">.*?</section>', page, re.S)
        assert part is not None, key
        assert text in "".join(_parse(part.group(0)).text), key


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_html_escapes_multi_line_statements(store: Store, mars_venus: Scenario, text: str) -> None:
    s = store.create_session(mars_venus, "Lines")
    body = f"first line\n{text}\n\n  {text}"
    stored = store.add_statement(s.id, "it", body).text
    page = _parse(to_html(store.session(s.id), mars_venus))
    assert stored in "".join(page.text)
    assert {tag for tag, _ in page.tags} <= ALLOWED_TAGS


# -- Markdown ---------------------------------------------------------------------------------

COMMONMARK = MarkdownIt("commonmark")
GFM_TABLES = MarkdownIt("commonmark").enable(["table", "strikethrough"])
GFM_LINKIFY = MarkdownIt("gfm-like")
"""Tables, strikethrough and linkify-it's links: bare addresses, e-mails, //host."""
RENDERERS = (COMMONMARK, GFM_TABLES, GFM_LINKIFY)

FORBIDDEN_TOKENS = {
    "html_block",
    "html_inline",
    "link_open",
    "image",
    "code_inline",
    "code_block",
    "fence",
    "blockquote_open",
    "hr",
    "s_open",
}


def _flat(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        out.append(token)
        if token.children:
            out.extend(_flat(token.children))
    return out


def _shape(tokens: list[Token]) -> list[str]:
    """Token types (and heading levels), with runs of text tokens counted once."""
    shape: list[str] = []
    for token in _flat(tokens):
        kind = f"{token.type}:{token.tag}" if token.type.startswith("heading") else token.type
        if kind == "text" and shape and shape[-1] == "text":
            continue
        shape.append(kind)
    return shape


def _rendered_text(md: MarkdownIt, source: str) -> str:
    return "".join(_parse(md.render(source)).text)


@pytest.mark.parametrize("with_pack", [True, False], ids=["with-pack", "without-pack"])
@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_markdown_keeps_hostile_text_as_text(
    base: dict[str, Any], mars_venus: Scenario, text: str, with_pack: bool
) -> None:
    scenario = mars_venus if with_pack else None
    hostile = to_markdown(_session(base, text), scenario)
    benign = to_markdown(_session(base, BENIGN), scenario)

    for md in RENDERERS:
        tokens = md.parse(hostile)
        found = {t.type for t in _flat(tokens)} & FORBIDDEN_TOKENS
        assert not found, f"user text became {found}"
        assert _shape(tokens) == _shape(md.parse(benign)), "user text changed the structure"

    inlines = [t.content for t in _flat(COMMONMARK.parse(hostile)) if t.type == "inline"]
    assert inlines[0] == md_text(text)  # the title heading, escaped
    shown = _rendered_text(COMMONMARK, hostile).count(text.strip())
    assert shown >= 25, f"only {shown} literal copies of the text"


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_markdown_multi_line_statements_stay_in_their_item(
    store: Store, mars_venus: Scenario, text: str
) -> None:
    s = store.create_session(mars_venus, "Lines")
    store.add_statement(s.id, "it", f"first line\n{text}\n\n    {text}\n{text}", speaker="Bo")
    hostile = to_markdown(store.session(s.id))
    store.add_statement(s.id, "marketing", "first line\nplain\n\n    plain\nplain", speaker="Bo")
    both = COMMONMARK.parse(to_markdown(store.session(s.id)))
    for md in RENDERERS:
        assert not {t.type for t in _flat(md.parse(hostile))} & FORBIDDEN_TOKENS
    # the hostile side's list has the same shape as the plain side's
    lists = [i for i, t in enumerate(both) if t.type == "ordered_list_open"]
    closes = [i for i, t in enumerate(both) if t.type == "ordered_list_close"]
    first = _shape(both[lists[0] : closes[0] + 1])
    second = _shape(both[lists[1] : closes[1] + 1])
    assert first == second
    for md in RENDERERS:
        rendered = _rendered_text(md, hostile)
        assert f"first line\n{text.strip()}\n{text.strip()}\n{text.strip()}" in rendered


# -- the escaping functions, against random markup soup -------------------------------------

SOUP = list("#*_`[]()<>!|~\\-+=.:&;/'\" \taZ19") + [
    "http://",
    "www.",
    "mailto:",
    "a@b.com",
    ".org",
    "//",
    "@",
    "&amp;",
    "&#x3C;",
    "](",
    "<a>",
    "\u202e",
    "🎉",
]


def _soup(rng: random.Random) -> str:
    return "".join(rng.choice(SOUP) for _ in range(rng.randint(1, 14)))


def test_md_text_renders_any_soup_literally() -> None:
    rng = random.Random(4)
    for _ in range(3000):
        text = _soup(rng)
        if not text.strip():
            continue
        for md in (COMMONMARK, GFM_LINKIFY):
            tokens = md.parse(md_text(text))
            assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
            children = tokens[1].children or []
            assert {c.type for c in children} == {"text"}, (text, [c.type for c in children])
            assert "".join(c.content for c in children) == text.strip(), text


def test_md_block_renders_any_soup_literally_inside_a_list_item() -> None:
    rng = random.Random(7)
    for _ in range(1500):
        lines = [_soup(rng) for _ in range(rng.randint(1, 4))]
        text = "\n".join(lines)
        kept = [line.strip() for line in lines if line.strip()]
        if not kept:
            continue
        md = GFM_LINKIFY if len(kept) % 2 else COMMONMARK
        tokens = md.parse("1. " + md_block(text, 3))
        assert [t.type for t in tokens] == [
            "ordered_list_open",
            "list_item_open",
            "paragraph_open",
            "inline",
            "paragraph_close",
            "list_item_close",
            "ordered_list_close",
        ], text
        children = tokens[3].children or []
        assert {c.type for c in children} <= {"text", "hardbreak"}, text
        joined = "".join("\n" if c.type == "hardbreak" else c.content for c in children)
        assert joined == "\n".join(kept), text


def test_markdown_and_html_of_an_anonymized_hostile_session(
    base: dict[str, Any], mars_venus: Scenario
) -> None:
    session = _session(base, "<script>alert(1)</script>")
    name = "<b>Ana</b> [Lopez](http://evil)"
    session = replace(
        session,
        participants=[name],
        statements=[
            replace(st, speaker=name, text=f"{st.text} {name} said") for st in session.statements
        ],
    )
    html = to_html(session, mars_venus, anonymize=True)
    assert "<script>" not in html and "Ana" not in html and "Lopez" not in html
    assert "Participant 1 said" in "".join(_parse(html).text)
    md = to_markdown(session, mars_venus, anonymize=True)
    assert "Ana" not in md and "Lopez" not in md
    for renderer in RENDERERS:
        assert not {t.type for t in _flat(renderer.parse(md))} & FORBIDDEN_TOKENS
