"""The shipped JSON Schema is the one the model generates, and it accepts what Trellis writes."""

from __future__ import annotations

import json

import jsonschema
import yaml

from tests.framework.test_yaml_io import MINIMAL
from trellis.cli import main
from trellis.framework.schema import SHIPPED_SCHEMA, framework_schema, schema_text
from trellis.framework.yaml_io import dumps, loads


def test_shipped_schema_is_current() -> None:
    # Regenerate with: trellis schema -o src/trellis/framework/framework.schema.json
    assert SHIPPED_SCHEMA.read_text(encoding="utf-8") == schema_text()


def test_schema_validates_written_frameworks_and_rejects_unknown_fields() -> None:
    schema = framework_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    written = yaml.safe_load(dumps(loads(MINIMAL)))
    assert list(validator.iter_errors(written)) == []
    written["families"][0]["colour"] = "green"
    errors = list(validator.iter_errors(written))
    assert len(errors) == 1
    assert list(errors[0].absolute_path) == ["families", 0]


def test_schema_command_prints_the_schema(capsys) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == framework_schema()
