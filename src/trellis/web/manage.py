"""Django's management commands for the web app: `trellis manage ARGS...` or `python -m trellis.web.manage`."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the management command in `argv` (``["manage", "migrate", ...]``, as sys.argv reads).

    Returns the exit status: 0 on success; Django's own errors exit through SystemExit as usual.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trellis.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(list(argv) if argv is not None else sys.argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
