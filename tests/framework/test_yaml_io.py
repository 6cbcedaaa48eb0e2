"""Reading and writing the canonical YAML format."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.framework.strategies import frameworks
from trellis.framework.diagnostics import FrameworkError, Location, Severity
from trellis.framework.model import Framework
from trellis.framework.yaml_io import dumps, load_path, loads, parse

MINIMAL = """\
trellis: 1
name: Acme
core_competencies:
  - id: communication
    name: Communication
families:
  - id: engineering
    name: Engineering
    competencies:
      - id: system_design
        name: System design
    tracks:
      - id: ic
        name: Individual contributor
        levels:
          - code: IC1
            name: Engineer I
            title: Software Engineer
          - code: "NO"
            name: Engineer II
            title: Software Engineer II
        expectations:
          communication:
            IC1: {proficiency: 2, behaviour: Writes clear status updates.}
          system_design:
            IC1: {proficiency: 1}
"""


def messages(data: str | bytes) -> list[str]:
    return [d.format("f.yaml") for d in parse(data, "f.yaml").diagnostics]


def test_minimal_file_reads_into_the_model() -> None:
    framework = loads(MINIMAL)
    track = framework.families[0].tracks[0]
    assert [level.code for level in track.levels] == ["IC1", "NO"]
    assert track.expectations["communication"]["IC1"].proficiency == 2
    assert track.expectations["communication"]["IC1"].behaviour == "Writes clear status updates."
    assert framework.scale.maximum == 5


def test_yaml_1_1_booleans_stay_text_where_the_model_wants_text() -> None:
    framework = loads(MINIMAL.replace('code: "NO"', "code: NO").replace('"NO"', "NO"))
    assert framework.families[0].tracks[0].levels[1].code == "NO"


def test_dump_is_canonical_and_round_trips() -> None:
    framework = loads(MINIMAL)
    text = dumps(framework)
    assert text.startswith("trellis: 1\nname: Acme\nscale:\n")
    assert loads(text) == framework
    assert dumps(loads(text)) == text


def test_unknown_field_is_located_with_a_suggestion() -> None:
    data = MINIMAL.replace(
        "            title: Software Engineer\n", "            titel: Software Engineer\n", 1
    )
    assert messages(data) == [
        'f.yaml:16:13: TRL011 error: missing required field "title"',
        'f.yaml:18:13: TRL010 error: unknown field "titel" (did you mean "title"?)',
    ]


def test_unknown_competency_and_level_are_located_with_suggestions() -> None:
    data = MINIMAL.replace("system_design:\n            IC1", "sysdesign:\n            IC3")
    assert messages(data) == [
        'f.yaml:25:11: TRL104 error: track "ic" names unknown competency "sysdesign" (did you mean "system_design"?)',
    ]
    data = MINIMAL.replace("system_design:\n            IC1", "system_design:\n            IC3")
    assert messages(data) == [
        'f.yaml:26:13: TRL103 error: track "ic" has no level "IC3" (did you mean "IC1"?)',
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"name: ok\n\xff",
            "f.yaml:2:1: TRL001 error: byte 0xff is not valid UTF-8 (save the file as UTF-8)",
        ),
        (
            b"name: [1, 2\n",
            "f.yaml:2:1: TRL002 error: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence)",
        ),
        (
            b"name: a\nname: b\n",
            'f.yaml:2:1: TRL003 error: key "name" appears twice in the same mapping (first at line 1)',
        ),
        (
            b"- 1\n",
            "f.yaml:1:1: TRL004 error: a framework file is a mapping with at least `name`, but this is a list (start from `trellis new --family engineering -o framework.yaml`)",
        ),
        (
            b"",
            "f.yaml:1:1: TRL004 error: a framework file is a mapping with at least `name`, but this is an empty file (start from `trellis new --family engineering -o framework.yaml`)",
        ),
        (b"name: x\nfamilies: {}\n", "f.yaml:2:11: TRL012 error: families should be a list, not a mapping"),
        (
            b"name: x\ntrellis: 2\n",
            "f.yaml:2:10: TRL013 error: format version '2' is not supported by this Trellis (this version reads `trellis: 1`)",
        ),
        (b"a: &x [*x]\n", "f.yaml:1:4: TRL002 error: an alias refers to itself"),
        (
            b"name: a\x07b\n",
            "f.yaml:1:8: TRL001 error: control character U+0007 is not allowed in a framework file",
        ),
        (
            b"\xef\xbb\xbfname: x\nfamilies:\n  - id: Eng\n    name: E\n",
            "f.yaml:3:9: TRL012 error: 'Eng' is not a valid identifier (use lower-case letters and digits joined by '_' or '-')",
        ),
    ],
)
def test_bad_input_gives_one_located_error(data: bytes, expected: str) -> None:
    assert messages(data) == [expected]


def test_alias_bombs_are_refused_not_expanded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    result = parse("\n".join(lines) + "\n", "bomb.yaml")
    assert result.framework is None
    assert [d.code for d in result.diagnostics] == ["TRL002"]
    assert "expands to more than" in result.diagnostics[0].message


def test_load_path_reports_a_missing_file(tmp_path: pytest.TempPathFactory) -> None:
    with pytest.raises(FrameworkError) as raised:
        load_path(f"{tmp_path}/absent.yaml")
    assert [d.code for d in raised.value.diagnostics] == ["TRL001"]


def test_loads_raises_with_every_error() -> None:
    data = MINIMAL.replace("name: Communication", "nme: Communication").replace(
        "            title: Software Engineer\n", ""
    )
    with pytest.raises(FrameworkError) as raised:
        loads(data, "f.yaml")
    assert [(d.code, d.location) for d in raised.value.diagnostics] == [
        ("TRL011", Location("f.yaml", 4, 5)),
        ("TRL010", Location("f.yaml", 5, 5)),
        ("TRL011", Location("f.yaml", 16, 13)),
    ]
    assert all(d.severity is Severity.ERROR for d in raised.value.diagnostics)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frameworks())
def test_yaml_round_trip_is_lossless(framework: Framework) -> None:
    text = dumps(framework)
    again = loads(text, "generated.yaml")
    assert again == framework
    assert dumps(again) == text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_located_errors_never_an_exception(data: bytes) -> None:
    result = parse(data, "fuzz.yaml")
    if result.framework is None:
        assert result.diagnostics
    for diagnostic in result.diagnostics:
        assert diagnostic.location is not None, diagnostic
        assert diagnostic.location.line >= 1 and diagnostic.location.column >= 1


_yaml_alphabet = st.sampled_from([*list("abcIC1 :-[]{}#&*!|>'\"%@`,?\n\t"), "name", "families", "id"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_yaml_alphabet, max_size=80).map("".join))
def test_yaml_like_text_gives_located_errors_never_an_exception(data: str) -> None:
    result = parse(data, "fuzz.yaml")
    for diagnostic in result.diagnostics:
        assert diagnostic.location is not None, diagnostic
