"""Bounded uploads: wall time and peak memory of reading each upload bomb, and normal large files.

Every file is read in a fresh child process (the raw reader, `trellis.tabular`, iterating every
sheet; and the framework matrix import), so the peak resident memory (ru_maxrss) belongs to that
read alone, plus the interpreter and its imports, printed as the baseline. Targets: read or
refused within 2 s per MB of upload and under 300 MB peak.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.tabular import bombs

_CHILD = r"""
import sys
from pathlib import Path
mode, path = sys.argv[1], sys.argv[2]
from trellis.framework.matrix import read_matrix
from trellis.tabular import TabularError, open_spreadsheet
data = Path(path).read_bytes()
if mode == "baseline":
    print("imports only")
elif mode == "reader":
    try:
        with open_spreadsheet(data, Path(path).name) as spreadsheet:
            rows = sum(1 for sheet in spreadsheet.sheets for _ in spreadsheet.rows(sheet))
        print(f"read {rows} rows")
    except TabularError as error:
        print("refused:", error.reason)
else:
    result = read_matrix(data, Path(path).name, family="Engineering")
    if result.framework is not None:
        print(f"read {sum(len(t.expectations) for t in result.framework.families[0].tracks)} competency rows")
    else:
        print("refused:", result.diagnostics[0].message)
"""


def _measure(mode: str, path: Path) -> tuple[float, float, str]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", _CHILD, mode, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    output = process.stdout.read().decode().strip()
    errors = process.stderr.read().decode().strip()
    process.stdout.close()
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench uploads: {mode} {path.name} failed:\n{errors}")
    return elapsed, usage.ru_maxrss * 1024 / 2**20, output


def _large_matrix() -> bytes:
    from bench.large_framework import large_framework
    from trellis.framework.matrix import export_matrix_xlsx

    framework = large_framework()
    return export_matrix_xlsx(framework, framework.families[0].id)


def _large_people_xlsx(rows: int = 20_000) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Staff")
    sheet.append(["Employee ID", "E-mail", "Full name", "Title", "Team", "Family", "Level", "Manager", "Hired on"])
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
        lambda: bombs.xlsx(bombs.matrix_rows(), shared_strings=bombs.shared_strings(30_000_000)),
    ),
    "many_rows_xlsx": ("rows.xlsx", lambda: bombs.xlsx(bombs.many_rows(1_000_000))),
    "many_rows_csv": ("rows.csv", lambda: bombs.csv_many_rows(1_500_000)),
    "trailing_commas_csv": ("padded.csv", lambda: bombs.csv_trailing_commas(1_000, 60)),
    "trailing_commas_bomb_csv": ("padded_bomb.csv", lambda: bombs.csv_trailing_commas(200, 100_000)),
    "large_matrix_xlsx": ("matrix.xlsx", _large_matrix),
    "large_people_xlsx": ("people.xlsx", _large_people_xlsx),
}


def emit(name: str, value: float, unit: str, label: str) -> None:
    print(f"  {label:<52} {value:>10.3f} {unit}")
    print(f"bench: {name} {value:.4f} {unit}")


def main(repeats: int = 1) -> None:
    print("Uploads (fresh child process per read; time and peak resident memory):")
    with tempfile.TemporaryDirectory() as folder:
        baseline_path = Path(folder) / "empty.csv"
        baseline_path.write_bytes(b"a\n")
        _, baseline, _ = _measure("baseline", baseline_path)
        emit("uploads.baseline.peak_rss", baseline, "MB", "interpreter and imports alone, peak memory")
        for name, (file_name, build) in CASES.items():
            path = Path(folder) / file_name
            path.write_bytes(build())
            size = path.stat().st_size / 2**20
            emit(f"uploads.{name}.size", size, "MB", f"{name}: file size")
            for mode in ("reader", "matrix"):
                if name == "large_people_xlsx" and mode == "matrix":
                    continue  # not a matrix
                elapsed, peak, outcome = min(_measure(mode, path) for _ in range(max(1, repeats)))
                print(f"  {name} via {mode}: {outcome[:110]}")
                emit(f"uploads.{name}.{mode}.wall", elapsed * 1000, "ms", f"{name} via {mode}, wall time")
                emit(f"uploads.{name}.{mode}.peak_rss", peak, "MB", f"{name} via {mode}, peak memory")


if __name__ == "__main__":
    main()
