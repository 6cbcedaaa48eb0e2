"""The quality rules of `trellis lint`.

``lint(framework)`` returns every finding as a :class:`~trellis.framework.diagnostics.Diagnostic`
with the path of the node at fault; the caller locates it through the source map. ``RULES`` lists
the lint rules (TRL2xx) and ``ALL_CODES`` every code, including those of the loader (TRL0xx) and
the reference checks (TRL1xx), so documentation and the web app can show the catalogue.
"""

from trellis.framework.lint.registry import ALL_CODES, LINT_STOPPED, LOAD_AND_REFERENCE_CODES, RULES, lint
from trellis.framework.lint.rule import Finding, Rule

__all__ = ["ALL_CODES", "LINT_STOPPED", "LOAD_AND_REFERENCE_CODES", "RULES", "Finding", "Rule", "lint"]
