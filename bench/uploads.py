"""Bounded uploads: wall time and peak memory of reading each upload bomb, and normal large files.

Every file is read in a fresh child process (the raw reader, `trellis.tabular`, iterating every
sheet; the framework matrix import; and the people import's reading, `read_table`), so the peak resident memory (the child's own high-water
mark, VmHWM) belongs to that read alone, plus the interpreter and its imports, printed as the
baseline. The wall time is the read's, imports excluded. Targets: read or
refused within 2 s per MB of upload and under 300 MB peak.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from tests.tabular import bombs

from bench.figures import emit

_CHILD = r"""
import json, sys, time
from pathlib import Path
mode, path = sys.argv[1], sys.argv[2]
from trellis.framework.matrix import read_matrix
from trellis.organisation.import_reading import UnreadableFile, read_table
from trellis.tabular import TabularError, open_spreadsheet
data = Path(path).read_bytes()
started, cpu_started = time.perf_counter(), time.process_time()
if mode == "baseline":
    print("imports only")
elif mode == "reader":
    try:
        with open_spreadsheet(data, Path(path).name) as spreadsheet:
            rows = sum(1 for sheet in spreadsheet.sheets for _ in spreadsheet.rows(sheet))
        print(f"read {rows} rows")
    except TabularError as error:
        print("refused:", error.reason)
elif mode == "people":
    try:
        print(f"read {len(read_table(data, Path(path).name).rows)} people rows")
    except UnreadableFile as error:
        print("refused:", error.messages[0])
else:
    result = read_matrix(data, Path(path).name, family="Engineering")
    if result.framework is not None:
        print(f"read {sum(len(t.expectations) for t in result.framework.families[0].tracks)} competency rows")
    else:
        print("refused:", result.diagnostics[0].message)
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
# VmHWM is this process's own peak resident memory: ru_maxrss would also count the pages of the
# parent that forked it (Linux carries the high-water mark across exec).
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"read": elapsed, "cpu": cpu, "peak_kib": peak}))
"""


def _measure(mode: str, path: Path) -> tuple[float, float, float, str]:
    """Seconds the read took (imports excluded), its CPU seconds, the child's peak memory in MB,
    and what it said."""
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"bench uploads: {mode} {path.name} failed:\n{result.stderr}")
    *said, figures = result.stdout.strip().splitlines()
    measured = json.loads(figures)
    return measured["read"], measured["cpu"], measured["peak_kib"] / 1024, " ".join(said)


def _large_matrix() -> bytes:
    from bench.large_framework import large_framework
    from trellis.framework.matrix import export_matrix_xlsx

    framework = large_framework()
    return export_matrix_xlsx(framework, framework.families[0].id)


def _large_people_xlsx(rows: int = 20_000) -> bytes:
    from openpyxl import Workbook

    # The normal (not write-only) mode writes shared strings, as Excel and HR systems do.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Staff"
    sheet.append(
        ["Employee ID", "E-mail", "Full name", "Title", "Team", "Family", "Level", "Manager", "Hired on"]
    )
    for number in range(rows):
        sheet.append(
            [
                f"E{number:06d}",
                f"person{number}@example.com",
                f"Person Number {number}",
                "Senior Engineer",
                f"Team {number % 300}",
                "engineering",
                f"IC{number % 7 + 1}",
                f"E{number // 10:06d}",
                "2021-03-01",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "wide_row": ("wide.xlsx", lambda: bombs.xlsx([*bombs.matrix_rows(), *bombs.wide_row(1_000_000, row=4)])),
    "probe_wide_row": ("probe.xlsx", lambda: bombs.xlsx(bombs.empty_cells_row(13_000_000))),
    "shared_strings": (
        "strings.xlsx",
        lambda: bombs.xlsx(bombs.matrix_rows(), shared_strings=bombs.shared_strings(2_500_000)),
    ),
    "many_rows_xlsx": ("rows.xlsx", lambda: bombs.xlsx(bombs.many_rows(1_000_000))),
    "many_rows_csv": ("rows.csv", lambda: bombs.csv_many_rows(1_500_000)),
    "trailing_commas_csv": ("padded.csv", lambda: bombs.csv_trailing_commas(1_000, 60)),
    "trailing_commas_bomb_csv": ("padded_bomb.csv", lambda: bombs.csv_trailing_commas(200, 100_000)),
    "large_matrix_xlsx": ("matrix.xlsx", _large_matrix),
    # The largest matrix the import accepts: 4,990 competencies × 7 levels, every cell filled.
    "largest_matrix_xlsx": ("largest.xlsx", lambda: bombs.xlsx(bombs.matrix_rows(4_990, 7), sheet="IC")),
    "large_people_xlsx": ("people.xlsx", _large_people_xlsx),
}


#: Normal matrix files, measured through the matrix import only.
_MATRIX_ONLY = {"large_matrix_xlsx", "largest_matrix_xlsx"}


def main(repeats: int = 1) -> None:
    print("Uploads (fresh child process per read; read time and peak resident memory):")
    with tempfile.TemporaryDirectory() as folder:
        baseline_path = Path(folder) / "empty.csv"
        baseline_path.write_bytes(b"a\n")
        _, _, baseline, _ = _measure("baseline", baseline_path)
        emit("uploads.baseline.peak_rss", baseline, "MB", "interpreter and imports alone, peak memory")
        for name, (file_name, build) in CASES.items():
            path = Path(folder) / file_name
            path.write_bytes(build())
            size = path.stat().st_size / 2**20
            emit(f"uploads.{name}.size", size, "MB", f"{name}: file size")
            for mode in ("reader", "matrix", "people"):
                if name == "large_people_xlsx" and mode == "matrix":
                    continue  # not a matrix
                if name in _MATRIX_ONLY and mode == "people":
                    continue  # a valid matrix, not an HRIS export: nothing to learn
                elapsed, cpu, peak, outcome = min(_measure(mode, path) for _ in range(max(1, repeats)))
                print(f"  {name} via {mode}: {outcome[:110]}")
                emit(f"uploads.{name}.{mode}.wall", elapsed * 1000, "ms", f"{name} via {mode}, wall time")
                emit(f"uploads.{name}.{mode}.cpu", cpu * 1000, "ms", f"{name} via {mode}, CPU time")
                emit(
                    f"uploads.{name}.{mode}.seconds_per_mb",
                    elapsed / max(size, 1 / 1024),
                    "s/MB",
                    f"{name} via {mode}, wall seconds per MB of upload",
                )
                emit(f"uploads.{name}.{mode}.peak_rss", peak, "MB", f"{name} via {mode}, peak memory")


if __name__ == "__main__":
    main()
