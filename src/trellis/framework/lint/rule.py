"""What a lint rule is: its identity (code, name, severity, summary) and what its check yields."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from trellis.framework.diagnostics import Path, Severity

if TYPE_CHECKING:
    from trellis.framework.lint.context import LintContext


@dataclass(frozen=True, slots=True)
class Rule:
    """One entry of the rule catalogue; `name` is the stable kebab-case name docs and the app show."""

    code: str
    name: str
    severity: Severity
    summary: str


class Finding(NamedTuple):
    """What a check reports: the registry adds the rule's code and severity to make a Diagnostic.

    `path` names the exact node at fault (keys and list indexes from the document root); when the
    node is absent from the file the source map falls back to its nearest written ancestor.
    """

    path: Path
    message: str
    hint: str = ""


#: A check looks at the whole framework (through the shared context) and yields its findings in
#: document order. It never raises on a framework whose references are broken: it skips what it
#: cannot resolve, because the reference checks already report it.
Check = Callable[["LintContext"], Iterator[Finding]]
