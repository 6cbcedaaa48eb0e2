"""Running the `trellis` command and Python in a child process, on a scratch SQLite database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: A secret key as an operator would set it: long and random-looking (check --deploy wants 50+).
PRODUCTION_SECRET_KEY = "k3Xq9v2LrT8mZp4sW7yB1nC6dF0gH5jK-aE_tU2iO8pQ3rS9vX1zY4wM7bN0cV6"


def child_environment(data_dir: Path, **variables: str) -> dict[str, str]:
    """This process's environment for a child using SQLite in `data_dir` (never the test
    database of the parent, whatever DATABASE_URL says), plus `variables`."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "TRELLIS_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(TRELLIS_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="trellis.web.settings")
    environment.update(variables)
    return environment


def run_trellis(
    data_dir: Path, *arguments: str, timeout: float = 120, **variables: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trellis.cli", *arguments],
        env=child_environment(data_dir, **variables),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_python(data_dir: Path, code: str, **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=child_environment(data_dir, **variables),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
