"""The JSON Schema of the framework file format, generated from the model.

The shipped copy (``framework.schema.json`` beside this module) is kept equal to the generated one
by a test, so editors that validate YAML against it never drift from what Trellis accepts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from trellis.framework.model import Framework

SCHEMA_ID = "https://trellis.dev/schema/framework-1.json"
SHIPPED_SCHEMA = Path(__file__).with_name("framework.schema.json")


def framework_schema() -> dict[str, Any]:
    schema = Framework.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
    }


def schema_text() -> str:
    return json.dumps(framework_schema(), indent=2, ensure_ascii=False) + "\n"
