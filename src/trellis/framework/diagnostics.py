"""Diagnostics: every problem Trellis reports about a framework, with where it is and what to do.

A diagnostic names its place in the framework by *path* — the keys and list positions from the
document root, e.g. ``("families", 0, "tracks", 1, "levels", 2, "code")``. A :class:`SourceMap`
built while parsing turns a path into ``line:column``; frameworks built in code have no source map
and are reported by path instead.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

PathElement = str | int
Path = tuple[PathElement, ...]


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file; line and column are 1-based, as editors show them. In a workbook,
    `sheet` names the sheet and line and column are its row and column."""

    file: str
    line: int
    column: int
    sheet: str | None = None

    def __str__(self) -> str:
        sheet = f"[{self.sheet}]" if self.sheet is not None else ""
        return f"{self.file}{sheet}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    path: Path = ()
    hint: str = ""
    location: Location | None = None

    def located(self, source_map: SourceMap | None, file: str) -> Diagnostic:
        """This diagnostic with its location filled in from `source_map`."""
        if self.location is not None:
            return self
        location = source_map.locate(self.path, file) if source_map is not None else None
        if location is None:
            return self
        return Diagnostic(self.code, self.severity, self.message, self.path, self.hint, location)

    def format(self, file: str = "<framework>") -> str:
        """The one-line form: ``file:line:col: CODE severity: message (hint)``."""
        if self.location is not None:
            where = str(self.location)
        else:
            where = file + (f":{format_path(self.path)}" if self.path else "")
        text = f"{where}: {self.code} {self.severity.value}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
            "path": format_path(self.path),
            "file": self.location.file if self.location else None,
            "line": self.location.line if self.location else None,
            "column": self.location.column if self.location else None,
        }
        if self.location is not None and self.location.sheet is not None:
            data["sheet"] = self.location.sheet
        return data


def format_path(path: Sequence[PathElement]) -> str:
    """``families[0].tracks[1].levels[2].code`` — a path as a person reads it."""
    text = ""
    for element in path:
        if isinstance(element, int):
            text += f"[{element}]"
        else:
            text += ("." if text else "") + str(element)
    return text


@dataclass(slots=True)
class SourceMap:
    """Line and column (1-based) of every node of a parsed document, by path.

    ``values`` holds where each value starts; ``keys`` holds where the key of a mapping entry
    starts, which is the better place to point at for "unknown field" or "duplicate key".
    """

    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    #: Paths whose value is a mapping or list: a problem with the whole of it is shown at its key.
    containers: set[Path] = field(default_factory=set)

    def position(self, path: Path, *, prefer_key: bool = False) -> tuple[int, int] | None:
        """The position of `path`, or of its nearest ancestor that the document has."""
        current = tuple(path)
        while True:
            if (prefer_key or current in self.containers) and current in self.keys:
                return self.keys[current]
            if current in self.values:
                return self.values[current]
            if current in self.keys:
                return self.keys[current]
            if not current:
                return None
            current = current[:-1]

    def locate(self, path: Path, file: str, *, prefer_key: bool = False) -> Location | None:
        position = self.position(path, prefer_key=prefer_key)
        if position is None:
            return None
        return Location(file, position[0], position[1])


class FrameworkError(Exception):
    """A framework could not be read; carries every problem found, each located."""

    def __init__(self, diagnostics: Sequence[Diagnostic], file: str = "<framework>") -> None:
        self.diagnostics = list(diagnostics)
        self.file = file
        super().__init__("\n".join(d.format(file) for d in self.diagnostics))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or an empty string when none is close."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f'did you mean "{matches[0]}"?' if matches else ""
