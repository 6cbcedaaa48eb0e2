"""Logging helpers of the web app."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """Keep the one-line record of a 4xx answer (a refused or missing page) but drop its traceback.

    A 403 or 404 is the expected answer to a person's request, not a fault in the code; the
    traceback Django attaches would make every such line look like a crash in the logs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
