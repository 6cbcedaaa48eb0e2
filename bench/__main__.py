"""`make bench`: speed and memory of Trellis, printed as figures (never asserted).

Every figure is printed once as a readable line and once as ``bench: <name> <value> <unit>`` so runs
can be compared over time (``make bench | grep '^bench:'``).

In-process figures are measured in a fresh Python process per operation, so each peak resident
memory figure belongs to that operation alone (plus the interpreter and imports). Wall times are
the median of several runs after one warm-up run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.figures import emit

REPEATS = 5


# --- one operation in a child process -------------------------------------------------------

_CHILD = r"""
import json, statistics, sys, time, tracemalloc
from pathlib import Path
from bench.figures import peak_resident_bytes
operation, path = sys.argv[1], sys.argv[2]
repeats = int(sys.argv[3])
from trellis.framework.yaml_io import load_path, loads
data = Path(path).read_bytes()
framework = loads(data, path)
if operation == "load":
    work = lambda: loads(data, path)
elif operation == "lint":
    from trellis.framework.checking import check_text
    work = lambda: check_text(data, path)
elif operation == "dump":
    from trellis.framework.yaml_io import dumps
    work = lambda: dumps(framework)
else:
    from trellis.framework.render import render
    work = lambda: render(framework, operation)
work()  # warm-up: imports, caches
times = []
for _ in range(repeats):
    started = time.perf_counter()
    work()
    times.append(time.perf_counter() - started)
# Python allocations are traced in a separate run: tracing slows the timed runs several-fold.
tracemalloc.start()
work()
_, python_peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
print(json.dumps({
    "median": statistics.median(times),
    "python_peak": python_peak,
    "max_rss": peak_resident_bytes(),
}))
"""


def in_process(operation: str, path: Path, repeats: int) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, operation, str(path), str(repeats)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def cli_run(arguments: list[str], repeats: int) -> tuple[float, float]:
    """Median wall time and the largest peak RSS of the `trellis` command over `repeats` runs."""
    executable = Path(sys.executable).with_name("trellis")
    times = []
    peak = 0
    for index in range(repeats + 1):
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(executable), *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise SystemExit(f"trellis {' '.join(arguments)} exited {code}")
        if index:  # the first run warms the file cache
            times.append(elapsed)
            peak = max(peak, usage.ru_maxrss * 1024)
    return statistics.median(times), peak


def framework_benchmarks(repeats: int) -> None:
    from bench.large_framework import large_framework
    from trellis.framework.yaml_io import dumps

    framework = large_framework()
    expectations = sum(
        len(by_level)
        for family in framework.families
        for track in family.tracks
        for by_level in track.expectations.values()
    )
    print(
        f"Large framework: {len(framework.families)} families × 2 tracks × 7 levels × 12 competencies "
        f"({expectations} behaviours)"
    )
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "large.yaml"
        source.write_text(dumps(framework), encoding="utf-8")
        emit("framework.yaml_size", source.stat().st_size / 1024, "KiB", "YAML file size")
        print(f"In-process (median of {repeats} runs, fresh process per operation):")
        operations = ["load", "dump", "lint", "md", "html", "csv", "xlsx", "pdf"]
        for operation in operations:
            result = in_process(operation, source, repeats if operation != "pdf" else max(1, repeats // 2))
            name = {"load": "yaml_load", "dump": "yaml_dump"}.get(operation, operation)
            if operation in ("md", "html", "csv", "xlsx", "pdf"):
                name = f"render_{operation}"
            emit(f"{name}.inprocess.wall", result["median"] * 1000, "ms", f"{name} wall time")
            emit(
                f"{name}.inprocess.peak_rss", result["max_rss"] / 2**20, "MB", f"{name} peak resident memory"
            )
            emit(
                f"{name}.inprocess.python_peak",
                result["python_peak"] / 2**20,
                "MB",
                f"{name} peak Python allocations",
            )
        print(f"As CLI runs (median of {repeats} runs, whole process):")
        commands = {
            "lint": ["lint", "--quiet", str(source)],
            "render_md": ["render", str(source), "--to", "md", "-o", str(Path(folder) / "out.md")],
            "render_html": ["render", str(source), "--to", "html", "-o", str(Path(folder) / "out.html")],
            "render_csv": ["render", str(source), "--to", "csv", "-o", str(Path(folder) / "out.csv")],
            "render_xlsx": ["render", str(source), "--to", "xlsx", "-o", str(Path(folder) / "out.xlsx")],
            "render_pdf": ["render", str(source), "--to", "pdf", "-o", str(Path(folder) / "out.pdf")],
        }
        for name, arguments in commands.items():
            wall, peak = cli_run(arguments, repeats if name != "render_pdf" else max(1, repeats // 2))
            emit(f"{name}.cli.wall", wall * 1000, "ms", f"trellis {name.replace('_', ' ')} wall time")
            emit(f"{name}.cli.peak_rss", peak / 2**20, "MB", f"trellis {name.replace('_', ' ')} peak memory")


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="make bench",
        epilog=(
            "Without --only every benchmark runs, the reviews one on a company of 10,000 people "
            "(about 2 minutes per engine); --only reviews measures 10,000 and 100,000 people (9.6 million "
            "ratings; about 15 minutes per engine on 2 cores), or the sizes given with --people. The growth one "
            "(path explorer, matching everyone to 1,000 opportunities) always runs on 100,000 people (about 10 "
            "minutes per engine; TRELLIS_BENCH_KEEP=<dir> keeps and reuses the companies of growth and heatmap)."
        ),
    )
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument(
        "--only",
        choices=[
            "framework",
            "lint",
            "uploads",
            "pdf",
            "exports",
            "web",
            "people_import",
            "people",
            "readiness",
            "readiness_web",
            "review_cycles",
            "agreement",
            "measuring",
            "calibration",
            "feedback",
            "reviews",
            "growth",
            "heatmap",
        ],
        default=None,
    )
    parser.add_argument(
        "--people",
        type=int,
        action="append",
        metavar="N",
        help="company size of the reviews benchmark (repeat for several)",
    )
    arguments = parser.parse_args()
    if arguments.only in (None, "framework"):
        framework_benchmarks(arguments.repeats)
    if arguments.only in (None, "lint"):
        from bench import lint_adversarial

        lint_adversarial.main(arguments.repeats)
    if arguments.only in (None, "uploads"):
        from bench import uploads

        uploads.main()
    if arguments.only in (None, "pdf"):
        from bench import pdf_candidates

        pdf_candidates.main(arguments.repeats)
    if arguments.only in (None, "exports"):
        from bench import exports

        exports.main(arguments.repeats)
    if arguments.only in (None, "agreement"):
        from bench import agreement

        agreement.main()
    if arguments.only in (None, "measuring"):
        from bench import measuring

        measuring.main()
    if arguments.only in (None, "calibration"):
        from bench import calibration

        calibration.main()
    if arguments.only in (None, "web"):
        try:
            from bench import web  # added with the web app
        except ImportError:
            return
        web.main(arguments.repeats)
    if arguments.only in (None, "people_import"):
        from bench import people_import

        people_import.main()
    if arguments.only in (None, "people"):
        from bench import people

        people.main()
    if arguments.only in (None, "readiness"):
        from bench import readiness

        readiness.main(arguments.repeats)
    if arguments.only in (None, "readiness_web"):
        from bench import readiness_web

        readiness_web.main()
    if arguments.only in (None, "review_cycles"):
        from bench import review_cycles

        review_cycles.main()
    if arguments.only in (None, "feedback"):
        from bench import feedback

        feedback.main(arguments.repeats)
    if arguments.only in (None, "reviews"):
        from bench import reviews

        default = (
            (reviews.DEFAULT_PEOPLE,) if arguments.only is None else (reviews.DEFAULT_PEOPLE, reviews.PEOPLE)
        )
        reviews.main(tuple(arguments.people or default))
    if arguments.only in (None, "growth", "heatmap"):
        _on_the_large_company(arguments.only)


def _on_the_large_company(only: str | None) -> None:
    """bench.growth and bench.heatmap, on the 100,000-person company: generated once per engine for
    both when they run together (kept in a temporary directory, and its PostgreSQL database, for the
    run), or where ``TRELLIS_BENCH_KEEP`` says."""
    import contextlib
    import shutil

    from bench import growth, heatmap
    from bench.reviews import DATABASE_VARIABLE, KEEP_VARIABLE
    from bench.web import _postgres_admin

    temporary = None
    if only is None and not os.environ.get(KEEP_VARIABLE):
        temporary = tempfile.mkdtemp(prefix="trellis-bench-company-")
        os.environ[KEEP_VARIABLE] = temporary
    try:
        if only in (None, "growth"):
            growth.main()
        if only in (None, "heatmap"):
            heatmap.main()
    finally:
        if temporary is not None:
            del os.environ[KEEP_VARIABLE]
            shutil.rmtree(temporary, ignore_errors=True)
            database = os.environ.get(DATABASE_VARIABLE, "trellis_bench_reviews")
            with contextlib.suppress(Exception):
                _postgres_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
