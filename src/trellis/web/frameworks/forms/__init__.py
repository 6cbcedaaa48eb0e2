"""Forms of the framework's authoring pages. Every field is labelled; every edit form carries the
draft revision its writer read (for the optimistic lock) and turns its input into the pure edits of
`trellis.framework.editing`.

Callers use `from trellis.web.frameworks import forms` and `forms.X`; each form lives in the module
of its responsibility:

- `fields`: the protocols an editor page relies on, the base forms and the shared field builders;
- `content`: the forms that edit one thing's content (`SetFields`);
- `structure`: adding, renaming, moving and removing;
- `importing`: getting content into the draft (YAML, a matrix spreadsheet, a starter, the YAML editor);
- `workflow`: submitting, publishing, returning, and comparing versions.
"""

from trellis.web.frameworks.forms.content import (
    BehavioursForm,
    CompetencyForm,
    CrossoverForm,
    FamilyForm,
    FrameworkSettingsForm,
    LateralPathForm,
    LevelForm,
    PromotionForm,
    TrackForm,
)
from trellis.web.frameworks.forms.fields import (
    LIVE_LINT_TRIGGER,
    AuthoringForm,
    EditsForm,
    FieldsEditor,
    FieldsForm,
    LinesField,
    live_lint_attributes,
)
from trellis.web.frameworks.forms.importing import (
    ADD,
    MAX_YAML_BYTES,
    MERGE,
    REPLACE,
    MatrixImportForm,
    StarterForm,
    YamlEditorForm,
    YamlImportForm,
)
from trellis.web.frameworks.forms.structure import (
    CompetencyAddForm,
    ConfirmForm,
    FamilyAddForm,
    LateralPathAddForm,
    LevelAddForm,
    LevelMoveForm,
    LevelRemoveForm,
    PromotionAddForm,
    RenameForm,
    TrackAddForm,
)
from trellis.web.frameworks.forms.workflow import (
    CONFIRMATION_NEEDED,
    CompareForm,
    PublishForm,
    ReturnForm,
    WorkflowForm,
    publish_confirmation,
)

__all__ = [
    "ADD",
    "CONFIRMATION_NEEDED",
    "LIVE_LINT_TRIGGER",
    "MAX_YAML_BYTES",
    "MERGE",
    "REPLACE",
    "AuthoringForm",
    "BehavioursForm",
    "CompareForm",
    "CompetencyAddForm",
    "CompetencyForm",
    "ConfirmForm",
    "CrossoverForm",
    "EditsForm",
    "FamilyAddForm",
    "FamilyForm",
    "FieldsEditor",
    "FieldsForm",
    "FrameworkSettingsForm",
    "LateralPathAddForm",
    "LateralPathForm",
    "LevelAddForm",
    "LevelForm",
    "LevelMoveForm",
    "LevelRemoveForm",
    "LinesField",
    "MatrixImportForm",
    "PromotionAddForm",
    "PromotionForm",
    "PublishForm",
    "RenameForm",
    "ReturnForm",
    "StarterForm",
    "TrackAddForm",
    "TrackForm",
    "WorkflowForm",
    "YamlEditorForm",
    "YamlImportForm",
    "live_lint_attributes",
    "publish_confirmation",
]
