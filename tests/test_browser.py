"""The HTML transcript in a real headless browser (Debian's chromium).

The page, a screenshot, a PDF print and the DOM chromium built are written to
tests/artifacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.transcript_fixtures import mars_venus_session
from workshop.cli import main
from workshop.model import Scenario
from workshop.store import Store

ARTIFACTS = Path(__file__).parent / "artifacts"
WIDTH, HEIGHT = 1200, 1600


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


CHROMIUM = _chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium binary on this machine (CI installs Debian's 'chromium' package)",
)


def _browse(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _png_size_and_colours(path: Path) -> tuple[int, int, int]:
    """(width, height, distinct byte values of the pixel data) of a PNG file."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML export of a Mars & Venus session, with some hostile text in it."""
    from workshop.scenario import discover

    data_dir = tmp_path_factory.mktemp("browser") / "data"
    store = Store(data_dir)
    scenario: Scenario = next(s for s in discover()[0] if s.id == "mars-venus")
    sid = mars_venus_session(store, scenario)
    session = store.open_session(sid)
    store.add_statement(
        session.id, "it", "<script>alert(1)</script> <img src=x onerror=alert(1)> 🎉 שלום"
    )
    store.close_all()
    ARTIFACTS.mkdir(exist_ok=True)
    out = ARTIFACTS / "transcript.html"
    args = ["--data-dir", str(data_dir), "export", sid, "--format", "html", "-o", str(out)]
    assert main([*args, "--force"]) == 0
    return out


def test_the_page_loads_without_console_errors_and_shows_the_chart(
    page: Path, tmp_path: Path
) -> None:
    result = _browse(
        tmp_path / "profile",
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=2000",
        "--dump-dom",
        page.as_uri(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    (ARTIFACTS / "transcript.dom.html").write_text(dom, encoding="utf-8")

    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], "the page wrote to the console:\n" + "\n".join(console)
    refused = [line for line in result.stderr.splitlines() if "Refused to" in line]
    assert refused == [], "\n".join(refused)

    assert "<h1>" in dom and "Acme CRM kick-off" in dom
    assert "<script" not in dom and "<img" not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    charts = re.findall(r'<svg class="chart".*?</svg>', dom, re.DOTALL)
    assert len(charts) == 1
    widths = [float(w) for w in re.findall(r'<rect class="bar-\d" [^>]*width="([\d.]+)"', dom)]
    assert len(widths) == 8  # four clarity gaps, two sides
    assert sum(w > 0 for w in widths) >= 5


def test_a_screenshot_of_the_page_is_written(page: Path, tmp_path: Path) -> None:
    shot = ARTIFACTS / "transcript.png"
    shot.unlink(missing_ok=True)
    result = _browse(
        tmp_path / "profile",
        f"--screenshot={shot}",
        f"--window-size={WIDTH},{HEIGHT}",
        page.as_uri(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.exists(), result.stderr[-2000:]
    width, height, colours = _png_size_and_colours(shot)
    assert (width, height) == (WIDTH, HEIGHT)
    assert shot.stat().st_size > 30_000
    assert colours > 100, "the screenshot is nearly blank"


def test_the_page_prints_with_a_page_per_part(page: Path, tmp_path: Path) -> None:
    pdf = ARTIFACTS / "transcript.pdf"
    pdf.unlink(missing_ok=True)
    result = _browse(
        tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()
    )
    assert result.returncode == 0, result.stderr[-2000:]
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    # cover, agenda, self-talk, clarity gaps, agreements, reference: each starts a page
    assert pages >= 6, pages
