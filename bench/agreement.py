"""Rater agreement at company size (`--only agreement`): Krippendorff's alpha of 100,000 units
(a person and competency) rated by four raters with a fifth of the ratings missing, per level of
measurement, alone and with a 1,000-replicate bootstrap interval; and the `trellis agreement`
command on the same ratings as a CSV file (reading included)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from bench.figures import emit
from trellis.evaluation.agreement import LevelOfMeasurement, agreement

UNITS = 100_000
RATERS = 4
MISSING_SHARE = 0.2
REPLICATES = 1000


def ratings() -> tuple[np.ndarray, np.ndarray]:
    generator = np.random.default_rng(1)
    truth = generator.integers(1, 6, size=UNITS)
    matrix = np.clip(truth + generator.integers(-1, 2, size=(RATERS, UNITS)), 1, 5).astype(float)
    matrix[generator.random(matrix.shape) < MISSING_SHARE] = np.nan
    return np.tile(np.arange(UNITS), RATERS), matrix.ravel()


def timed(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(repeats: int = 3) -> None:
    print(f"Rater agreement: {UNITS:,} units × {RATERS} raters, {MISSING_SHARE:.0%} missing")
    units, values = ratings()
    for level in LevelOfMeasurement:
        alone = timed(lambda level=level: agreement(units, values, level=level, replicates=0), repeats)
        emit(f"agreement_alpha_{level.value}", alone * 1000, "ms", f"alpha, {level.value}")
    with_interval = timed(lambda: agreement(units, values, replicates=REPLICATES), 1)
    emit(
        "agreement_bootstrap_ordinal",
        with_interval,
        "s",
        f"alpha and {REPLICATES:,}-replicate interval, ordinal",
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ratings.csv"
        lines = ["unit,rater,value"]
        for unit, rater, value in zip(units, np.repeat(np.arange(RATERS), UNITS), values, strict=True):
            lines.append(f"p{unit},r{rater},{'' if np.isnan(value) else int(value)}")
        path.write_text("\n".join(lines) + "\n")
        command = [sys.executable, "-m", "trellis.cli", "agreement", str(path), "--replicates", "0"]
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        emit(
            "agreement_cli_100k",
            time.perf_counter() - started,
            "s",
            "trellis agreement, 400,000-row CSV, no interval",
        )


if __name__ == "__main__":
    main()
