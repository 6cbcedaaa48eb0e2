"""One entry point for "what is wrong with this framework text": parse, references and lint rules.

Used by `trellis lint` and by the web editor, so both report exactly the same findings.
"""

from __future__ import annotations

from collections.abc import Collection

from trellis.framework.diagnostics import Diagnostic, Location
from trellis.framework.model import Framework
from trellis.framework.yaml_io import ParseResult, parse


def _sort_key(diagnostic: Diagnostic) -> tuple[int, int, str]:
    location = diagnostic.location or Location("", 0, 0)
    return (location.line, location.column, diagnostic.code)


def check_framework(
    framework: Framework,
    *,
    result: ParseResult | None = None,
    select: Collection[str] = (),
    ignore: Collection[str] = (),
    lint_budget: float | None = None,
) -> list[Diagnostic]:
    """Lint rule findings for an already-parsed framework, located when `result` has a source map.

    `lint_budget` (seconds) bounds the time of the lint rules; see `lint`."""
    from trellis.framework.lint import lint

    found = lint(framework, budget=lint_budget)
    if result is not None:
        found = [d.located(result.source_map, result.file) for d in found]
    return _filter(sorted(found, key=_sort_key), select, ignore)


def check_text(
    data: bytes | str,
    file: str = "<framework>",
    *,
    select: Collection[str] = (),
    ignore: Collection[str] = (),
    lint_budget: float | None = None,
) -> tuple[ParseResult, list[Diagnostic]]:
    """Parse `data` and return the parse result with every diagnostic, sorted by position.

    `lint_budget` (seconds) bounds the time of the lint rules; see `lint`."""
    result = parse(data, file)
    found = list(result.diagnostics)
    if result.framework is not None:
        from trellis.framework.lint import lint

        found.extend(d.located(result.source_map, file) for d in lint(result.framework, budget=lint_budget))
    return result, _filter(sorted(found, key=_sort_key), select, ignore)


def _filter(
    diagnostics: list[Diagnostic], select: Collection[str], ignore: Collection[str]
) -> list[Diagnostic]:
    def wanted(code: str) -> bool:
        if select and not any(code.startswith(prefix) for prefix in select):
            return False
        return not any(code.startswith(prefix) for prefix in ignore)

    return [d for d in diagnostics if wanted(d.code)]
