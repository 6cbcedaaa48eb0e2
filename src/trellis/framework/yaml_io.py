"""Reading and writing frameworks as YAML, the canonical git-friendly format.

Reading never raises anything but :class:`FrameworkError`: bytes that are not UTF-8, YAML that does
not parse, duplicate keys, fields of the wrong shape and references to things that do not exist
all become diagnostics located at ``file:line:column``.

Scalars are read as the text the author wrote and converted by the model, so a level code ``NO``
stays the string "NO" (YAML 1.1 would make it ``False``) and ``3`` becomes an int only where the
model asks for one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path as FilePath
from typing import Any

import yaml
from pydantic import ValidationError

from trellis.framework.diagnostics import (
    Diagnostic,
    FrameworkError,
    Path,
    Severity,
    SourceMap,
    did_you_mean,
)
from trellis.framework.model import Framework
from trellis.framework.references import check_references

# The fastest safe loader and dumper PyYAML has, for every YAML file Trellis reads (the starter
# library too): libyaml's are several times faster; the pure-Python ones are the fallback.
try:
    from yaml import CSafeDumper as _BaseDumper
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

SafeLoader = _BaseLoader

# Codes of problems found while reading. Lint rules use TRL1xx (references) and TRL2xx+ (quality).
UNREADABLE = "TRL001"
SYNTAX = "TRL002"
DUPLICATE_KEY = "TRL003"
NOT_A_FRAMEWORK = "TRL004"
UNKNOWN_FIELD = "TRL010"
MISSING_FIELD = "TRL011"
INVALID_VALUE = "TRL012"
UNSUPPORTED_VERSION = "TRL013"

_NULL_TAG = "tag:yaml.org,2002:null"
_STRING_TAG = "tag:yaml.org,2002:str"
_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})
# YAML forbids most control characters; libyaml's own message for them is obscure.
_FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FLOW_BRACKET = re.compile(r"[\[\]{}]")
# Aliases let a document grow exponentially ("billion laughs"); no real framework comes near this.
_MAX_NODES = 100_000
_MAX_FLOW_DEPTH = 200


def load_path(path: str | os.PathLike[str]) -> Framework:
    """Read a framework file; raise :class:`FrameworkError` listing every error found."""
    file = str(path)
    try:
        data = FilePath(path).read_bytes()
    except OSError as error:
        raise FrameworkError(
            [Diagnostic(UNREADABLE, Severity.ERROR, f"cannot read file: {error.strerror}")], file
        ) from None
    return loads(data, file)


def loads(data: bytes | str, file: str = "<framework>") -> Framework:
    """Parse a framework from YAML text or bytes; raise :class:`FrameworkError` on any error."""
    result = parse(data, file)
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    if result.framework is None or errors:
        raise FrameworkError(errors or result.diagnostics, file)
    return result.framework


class ParseResult:
    """What reading a document gave: the framework (when its shape was valid), the source map and
    every diagnostic (syntax, shape and references), already located."""

    __slots__ = ("diagnostics", "file", "framework", "source_map")

    def __init__(
        self,
        framework: Framework | None,
        source_map: SourceMap,
        diagnostics: list[Diagnostic],
        file: str,
    ) -> None:
        self.framework = framework
        self.source_map = source_map
        self.diagnostics = diagnostics
        self.file = file


def parse(data: bytes | str, file: str = "<framework>") -> ParseResult:
    """Read a document as far as possible, collecting located diagnostics instead of raising."""
    source_map = SourceMap()
    text, problem = _decode(data, file)
    if problem is not None:
        return ParseResult(None, source_map, [problem], file)
    assert text is not None
    try:
        tree = _compose(text, file, source_map)
    except FrameworkError as error:
        return ParseResult(None, source_map, error.diagnostics, file)
    if not isinstance(tree, dict):
        found = "an empty file" if tree is None else f"a {_kind(tree)}"
        diagnostic = Diagnostic(
            NOT_A_FRAMEWORK,
            Severity.ERROR,
            f"a framework file is a mapping with at least `name`, but this is {found}",
            hint="start from `trellis new --family engineering -o framework.yaml`",
        )
        located = diagnostic.located(source_map, file)
        if located.location is None:
            located = Diagnostic(
                located.code,
                located.severity,
                located.message,
                hint=located.hint,
                location=_location(file, 1, 1),
            )
        return ParseResult(None, source_map, [located], file)
    diagnostics: list[Diagnostic] = []
    version = tree.get("trellis", "1")
    if version is not None and str(version).strip() not in {"1"}:
        diagnostics.append(
            Diagnostic(
                UNSUPPORTED_VERSION,
                Severity.ERROR,
                f"format version {version!r} is not supported by this Trellis",
                path=("trellis",),
                hint="this version reads `trellis: 1`",
            ).located(source_map, file)
        )
        return ParseResult(None, source_map, diagnostics, file)
    try:
        framework = Framework.model_validate(tree)
    except ValidationError as error:
        diagnostics.extend(_shape_diagnostics(error, tree, source_map, file))
        return ParseResult(None, source_map, diagnostics, file)
    diagnostics.extend(d.located(source_map, file) for d in check_references(framework))
    return ParseResult(framework, source_map, diagnostics, file)


def _decode(data: bytes | str, file: str) -> tuple[str | None, Diagnostic | None]:
    if isinstance(data, str):
        text = data
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
            return None, Diagnostic(
                UNREADABLE,
                Severity.ERROR,
                f"byte 0x{data[error.start]:02x} is not valid UTF-8",
                hint="save the file as UTF-8",
                location=_location(file, line, column),
            )
    forbidden = _FORBIDDEN_CHARACTER.search(text)
    if forbidden is not None:
        index = forbidden.start()
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        return None, Diagnostic(
            UNREADABLE,
            Severity.ERROR,
            f"control character U+{ord(forbidden.group()):04X} is not allowed in a framework file",
            location=_location(file, line, column),
        )
    return text, None


def _syntax_error(message: str, file: str, location: Any) -> FrameworkError:
    """The one finding that stops reading: YAML that cannot be composed into a document."""
    return FrameworkError([Diagnostic(SYNTAX, Severity.ERROR, message, location=location)], file)


def _location(file: str, line: int, column: int) -> Any:
    from trellis.framework.diagnostics import Location

    return Location(file, line, column)


def _flow_depth(text: str) -> int:
    depth = deepest = 0
    for bracket in _FLOW_BRACKET.findall(text):
        if bracket in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(0, depth - 1)
    return deepest


def _compose(text: str, file: str, source_map: SourceMap) -> Any:
    # libyaml's composer recurses in C; refuse absurd nesting before it can exhaust the stack.
    if _flow_depth(text) > _MAX_FLOW_DEPTH:
        raise _syntax_error(f"nesting deeper than {_MAX_FLOW_DEPTH} levels", file, _location(file, 1, 1))
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or error.context or "invalid YAML"
        if error.context and error.problem:
            message = f"{error.problem} ({error.context})"
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        raise _syntax_error(f"YAML syntax: {message}", file, _location(file, line, column)) from None
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        raise _syntax_error(f"YAML syntax: {error}", file, _location(file, 1, 1)) from None
    finally:
        loader.dispose()
    if root is None:
        return None
    builder = _TreeBuilder(file, source_map)
    tree = builder.build(root, ())
    if builder.problems:
        raise FrameworkError(builder.problems, file)
    return tree


class _Loader(_BaseLoader):
    """Resolves every plain scalar to text except the null words: the model converts the rest."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0] and value in _NULL_WORDS:
                return _NULL_TAG
            return _STRING_TAG
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call,no-any-return]


class _TreeBuilder:
    """Turns composed YAML nodes into plain dicts, lists and strings, recording positions."""

    def __init__(self, file: str, source_map: SourceMap) -> None:
        self.file = file
        self.source_map = source_map
        self.problems: list[Diagnostic] = []
        self.count = 0
        self.active: set[int] = set()

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.count += 1
        if self.count > _MAX_NODES:
            raise _syntax_error(
                f"the document expands to more than {_MAX_NODES} values (aliases?)", self.file, self._at(node)
            )
        self.source_map.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if id(node) in self.active:
            raise _syntax_error("an alias refers to itself", self.file, self._at(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _NULL_TAG and node.style is None:
                return None
            return node.value
        self.active.add(id(node))
        self.source_map.containers.add(path)
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
        finally:
            self.active.discard(id(node))
        return None  # pragma: no cover - the composer yields only the three node kinds

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = self.build(value_node, path)
                for item in merged if isinstance(merged, list) else [merged]:
                    if isinstance(item, dict):
                        for key, value in item.items():
                            result.setdefault(key, value)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    Diagnostic(
                        SYNTAX,
                        Severity.ERROR,
                        "a key must be plain text, not a list or mapping",
                        location=self._at(key_node),
                    )
                )
                continue
            key = key_node.value
            child: Path = (*path, key)
            if key in result:
                first = self.source_map.keys.get(child)
                where = f" (first at line {first[0]})" if first else ""
                self.problems.append(
                    Diagnostic(
                        DUPLICATE_KEY,
                        Severity.ERROR,
                        f'key "{key}" appears twice in the same mapping{where}',
                        location=self._at(key_node),
                    )
                )
                continue
            self.source_map.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, child)
        return result

    def _at(self, node: yaml.Node) -> Any:
        return _location(self.file, node.start_mark.line + 1, node.start_mark.column + 1)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return "single value"


def _known_fields(loc: tuple[Any, ...]) -> list[str]:
    """The field names valid at the model location `loc` (for "did you mean" on unknown keys)."""
    import typing

    from pydantic import BaseModel

    current: Any = Framework
    for element in loc:
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next(
                (info for name, info in current.model_fields.items() if element in (name, info.alias)),
                None,
            )
            if field is None:
                return []
            current = field.annotation
        else:
            # A list index or a dict key: step into the container's item type.
            arguments = [a for a in typing.get_args(current) if a is not type(None)]
            if not arguments:
                return []
            current = arguments[-1]
        # Unwrap Optional[...] so that the next step sees the model or the container.
        while not (isinstance(current, type) and issubclass(current, BaseModel)):
            arguments = [a for a in typing.get_args(current) if a is not type(None)]
            if typing.get_origin(current) in (list, dict) or len(arguments) != 1:
                break
            current = arguments[0]
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [info.alias or name for name, info in current.model_fields.items()]
    return []


def _shape_diagnostics(
    error: ValidationError, tree: Mapping[str, Any], source_map: SourceMap, file: str
) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        kind = item["type"]
        if kind == "extra_forbidden":
            known = _known_fields(loc[:-1])
            hint = did_you_mean(str(loc[-1]), known)
            if not hint and known:
                hint = "expected one of: " + ", ".join(known)
            diagnostic = Diagnostic(
                UNKNOWN_FIELD,
                Severity.ERROR,
                f'unknown field "{loc[-1]}"',
                path=loc,
                hint=hint,
            )
            location = source_map.locate(loc, file, prefer_key=True)
        elif kind == "missing":
            diagnostic = Diagnostic(
                MISSING_FIELD, Severity.ERROR, f'missing required field "{loc[-1]}"', path=loc
            )
            location = source_map.locate(loc[:-1], file)
        else:
            message = item["msg"]
            if kind == "string_pattern_mismatch":
                message = (
                    f"{item['input']!r} is not a valid {'level code' if _is_level(loc) else 'identifier'}"
                )
                hint = (
                    "use letters, digits, '.', '_' or '-'"
                    if _is_level(loc)
                    else "use lower-case letters and digits joined by '_' or '-'"
                )
            else:
                message = _friendly_message(kind, loc, item.get("input"), message)
                hint = ""
            diagnostic = Diagnostic(INVALID_VALUE, Severity.ERROR, message, path=loc, hint=hint)
            # A value of the wrong shape is shown where the value starts, not at its key.
            position = source_map.values.get(loc)
            location = _location(file, *position) if position is not None else source_map.locate(loc, file)
        diagnostics.append(
            Diagnostic(
                diagnostic.code,
                diagnostic.severity,
                diagnostic.message,
                diagnostic.path,
                diagnostic.hint,
                location,
            )
        )
    return diagnostics


_EXPECTED = {
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "string_type": "text",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _friendly_message(kind: str, loc: tuple[Any, ...], value: Any, default: str) -> str:
    field = next((str(element) for element in reversed(loc) if isinstance(element, str)), "value")
    if kind in _EXPECTED:
        return f"{field} should be {_EXPECTED[kind]}, not {_describe(value)}"
    return f"{field}: {default[0].lower()}{default[1:]}"


def _is_level(loc: tuple[Any, ...]) -> bool:
    return bool(loc) and (
        loc[-1] in {"code", "from_level", "to_level", "level"}
        or (len(loc) >= 2 and loc[-2] == "expectations")
        or (len(loc) >= 3 and loc[-3] == "expectations")
    )


# --- writing ---------------------------------------------------------------------------------


class _Dumper(_BaseDumper):
    """Block-style YAML, keys in model order, text never folded so one sentence is one line."""


def _represent_str(dumper: _Dumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def to_data(framework: Framework) -> dict[str, Any]:
    """The framework as the plain data written to YAML: defaults left out, except the format
    version and the rating scale, which every file states."""
    data = framework.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data.pop("trellis", None)
    result: dict[str, Any] = {"trellis": framework.trellis}
    result.update(data)
    if "scale" not in result:
        result["scale"] = framework.scale.model_dump(mode="json")
    # Keep the documented key order: scale right after the descriptive fields.
    order = ["trellis", "name", "description", "version", "scale"]
    ordered = {key: result[key] for key in order if key in result}
    ordered.update({key: value for key, value in result.items() if key not in ordered})
    return ordered


def dumps(framework: Framework) -> str:
    """The framework as canonical YAML text: ``loads(dumps(f)) == f`` and dumping is stable."""
    return yaml.dump(
        to_data(framework),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
        indent=2,
    )


def dump_path(framework: Framework, path: str | os.PathLike[str]) -> None:
    FilePath(path).write_text(dumps(framework), encoding="utf-8")
