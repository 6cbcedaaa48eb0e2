"""`make bench`, the PDF renderers side by side on the same frameworks: wall time and peak memory.

Candidates, each run in a fresh Python process per framework (one warm-up, then the median of the
timed runs; peak memory is the largest resident size of that process or any process it started,
read from ``ru_maxrss`` of itself and of its children):

- ``weasyprint``: WeasyPrint laying out the HTML export with its print stylesheet (the renderer
  before Typst);
- ``weasyprint_simple``: WeasyPrint with a plain print stylesheet (no grid, no page-break rules,
  no generated footer, automatic table layout) — what a simpler layout buys;
- ``typst``: the chosen renderer (`trellis.framework.render.pdf_document`): Typst, compiled in a
  child process;
- ``chromium``: Debian's Chromium printing the HTML export to PDF through Playwright (a browser
  as a runtime dependency of the web app and worker: measured, not chosen).

Frameworks: the large benchmark framework (`bench.large_framework`) and the demo company's
(`trellis demo`: the starter library's five families at growth size). Targets (reported, never
asserted): the large framework under 2 s and under 300 MB, the demo's under 1 s.
"""

from __future__ import annotations

import io
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.figures import emit, peak_resident_bytes

CANDIDATES = ("weasyprint", "weasyprint_simple", "typst", "chromium")
CHOSEN = "typst"
LARGE_TARGET_SECONDS = 2.0
LARGE_TARGET_MB = 300.0
DEMO_TARGET_SECONDS = 1.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGUMENTS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: The plain print layout: one column, tables in their natural layout, no page rules beyond A4.
SIMPLE_PRINT_CSS = """
@page { size: A4; margin: 15mm; }
html { font-family: "DejaVu Sans", sans-serif; font-size: 8pt; line-height: 1.35; }
.skip-link, .contents { display: none; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.5pt solid #ccc; padding: 2pt 3pt; text-align: left; vertical-align: top; }
.track-kind, .competency-meta, .level-title, .crossover-note-mark { display: block; color: #555; }
.family { break-before: page; }
"""


def demo_framework_yaml() -> str:
    """The demo company's framework as `trellis demo` publishes it (the same starter call)."""
    from trellis.framework.templates import starter
    from trellis.framework.yaml_io import dumps

    # The values of trellis.web.people.demo (which needs Django to import): five families, growth.
    families = ["engineering", "product", "marketing", "sales", "people"]
    framework = starter(families, "growth", name="Northwind Labs")
    framework = framework.model_copy(
        update={
            "description": "How people grow at Northwind Labs: one ladder per family, IC and management equal."
        }
    )
    return dumps(framework)


# --- the candidates (run in the child process) ---------------------------------------------------


def _weasyprint(page: str) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    document = HTML(string=page, url_fetcher=URLFetcher(allowed_protocols=frozenset()), media_type="print")
    pdf: bytes = document.write_pdf()
    return pdf


def _candidate(name: str) -> tuple[Callable[..., bytes], Callable[[], None]]:
    """The candidate's render function (framework → PDF bytes) and what to close afterwards."""
    from trellis.framework.render import Edition, render
    from trellis.framework.render.html_document import render_html, stylesheet

    edition = Edition.version(number=1, published=None)
    if name == "weasyprint":
        return (lambda framework: _weasyprint(render_html(framework, edition))), lambda: None
    if name == "weasyprint_simple":
        style = re.compile(re.escape(stylesheet().rstrip("\n")))

        def simple(framework: object) -> bytes:
            page = style.sub(lambda _: SIMPLE_PRINT_CSS, render_html(framework, edition), count=1)  # type: ignore[arg-type]
            return _weasyprint(page)

        return simple, lambda: None
    if name == "typst":
        return (lambda framework: render(framework, "pdf", edition)), lambda: None
    if name == "chromium":
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGUMENTS)

        def print_page(framework: object) -> bytes:
            page = browser.new_page()
            page.set_content(render_html(framework, edition))  # type: ignore[arg-type]
            pdf = page.pdf(format="A4", print_background=True)
            page.close()
            return pdf

        def close() -> None:
            browser.close()
            playwright.stop()

        return print_page, close
    raise SystemExit(f"unknown candidate {name}")


def child(name: str, path: str, repeats: int) -> None:
    """In the child process: time the candidate on the framework file; print one JSON line."""
    from pypdf import PdfReader

    from trellis.framework.yaml_io import loads

    framework = loads(Path(path).read_bytes(), path)
    work, close = _candidate(name)
    pdf = work(framework)  # warm-up: imports, fonts, the browser
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work(framework)
        times.append(time.perf_counter() - started)
    close()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "median": statistics.median(times),
                "peak_rss": peak_resident_bytes(),
                "own_rss": own * 1024,
                "pages": len(PdfReader(io.BytesIO(pdf)).pages),
            }
        )
    )


# --- the parent ----------------------------------------------------------------------------------


def available(name: str) -> str | None:
    """Why the candidate cannot run here (None when it can)."""
    if name == "chromium" and not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (scripts/ensure-system-packages.sh installs it)"
    module = {"weasyprint": "weasyprint", "weasyprint_simple": "weasyprint", "chromium": "playwright"}.get(
        name
    )
    if module is not None:
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (a dev dependency)"
    return None


def measure(name: str, path: Path, repeats: int) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-m", "bench.pdf_candidates", name, str(path), str(repeats)],
        check=False,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{name} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(repeats: int) -> None:
    from bench.large_framework import large_framework
    from trellis.framework.yaml_io import dumps

    print("PDF renderers side by side (fresh process per candidate and framework; median after a warm-up):")
    with tempfile.TemporaryDirectory() as folder:
        frameworks = {"large": Path(folder) / "large.yaml", "demo": Path(folder) / "demo.yaml"}
        frameworks["large"].write_text(dumps(large_framework()), encoding="utf-8")
        frameworks["demo"].write_text(demo_framework_yaml(), encoding="utf-8")
        results: dict[tuple[str, str], dict[str, float]] = {}
        for name in CANDIDATES:
            missing = available(name)
            if missing is not None:
                print(f"  {name}: skipped, {missing}")
                continue
            for framework_name, path in frameworks.items():
                # The slow candidates get one timed run: each takes tens of seconds on the large one.
                runs = repeats if name in ("typst", "chromium") else 1
                figures = measure(name, path, max(1, runs))
                results[(name, framework_name)] = figures
                scope = f"pdf.{name}.{framework_name}"
                label = f"{name}, {framework_name} framework ({figures['pages']:.0f} pages)"
                emit(f"{scope}.wall", figures["median"] * 1000, "ms", f"{label} wall time")
                emit(f"{scope}.peak_rss", figures["peak_rss"] / 2**20, "MB", f"{label} peak memory")
    _targets(results)


def _targets(results: dict[tuple[str, str], dict[str, float]]) -> None:
    print(f"Targets for the chosen renderer ({CHOSEN}; reported, not asserted):")
    large = results.get((CHOSEN, "large"))
    demo = results.get((CHOSEN, "demo"))
    if large is not None:
        seconds, megabytes = large["median"], large["peak_rss"] / 2**20
        print(
            f"  large: {seconds:.2f} s < {LARGE_TARGET_SECONDS:.0f} s: {'met' if seconds < LARGE_TARGET_SECONDS else 'MISSED'}"
        )
        print(
            f"  large: {megabytes:.0f} MB < {LARGE_TARGET_MB:.0f} MB: {'met' if megabytes < LARGE_TARGET_MB else 'MISSED'}"
        )
    if demo is not None:
        seconds = demo["median"]
        print(
            f"  demo: {seconds:.2f} s < {DEMO_TARGET_SECONDS:.0f} s: {'met' if seconds < DEMO_TARGET_SECONDS else 'MISSED'}"
        )


if __name__ == "__main__":
    child(sys.argv[1], sys.argv[2], int(sys.argv[3]))
