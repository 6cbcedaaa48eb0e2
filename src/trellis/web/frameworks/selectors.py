"""Reading the company's framework. The published framework is public to every signed-in person."""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass

from trellis.framework.model import Framework
from trellis.web.frameworks.models import FrameworkVersion


@dataclass(frozen=True, slots=True)
class PublishedFramework:
    """The current published version: its number and date, and the parsed framework.

    The `framework` object is shared by every request of the process: read it, never modify it.
    """

    version_id: int
    number: int
    published_at: datetime.datetime
    framework: Framework


_cache_lock = threading.Lock()
_cached: PublishedFramework | None = None


def current_published_framework() -> PublishedFramework | None:
    """The current published version, or None before the first publication.

    Parsed once per process and version: one small query per call once cached, two the first time.
    The cache key includes the publication time as well as the id, because SQLite hands out a rolled-back
    row's id again and a cached framework must never be mistaken for a different one.
    """
    global _cached
    row = FrameworkVersion.objects.filter(is_current=True).values_list("id", "number", "published_at").first()
    if row is None:
        return None
    version_id, number, published_at = row
    cached = _cached
    if cached is not None and (cached.version_id, cached.published_at) == (version_id, published_at):
        return cached
    content = FrameworkVersion.objects.values_list("content", flat=True).get(pk=version_id)
    published = PublishedFramework(
        version_id=version_id,
        number=number,
        published_at=published_at,
        framework=Framework.model_validate(content),
    )
    with _cache_lock:
        _cached = published
    return published


def current_framework() -> Framework | None:
    """The parsed framework of the current published version, or None before the first one."""
    published = current_published_framework()
    return published.framework if published is not None else None
