"""The framework's YAML as an export: the text as stored, under a comment naming its edition.

The comment changes nothing a reader loads (``trellis lint`` and the import read the same
framework), so the exported file still round-trips.
"""

from __future__ import annotations

from trellis.framework.render.edition import Edition


def yaml_with_edition(yaml_text: str, *, name: str, edition: Edition) -> str:
    """`yaml_text` under one comment line: ``# Northwind Labs — Version 3, published 2 December 2026``."""
    # One line whatever the name holds: a line break would end the comment and start YAML.
    title = " ".join(f"{name} — {edition.describe()}".split()) if name.strip() else edition.describe()
    return f"# {title}\n{yaml_text}"
