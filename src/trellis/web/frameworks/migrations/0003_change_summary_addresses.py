"""Rewrite the stored changes of every published version in the diff's present form: a structured
address, a readable label ("Engineering · Individual contributor · IC3 · Communication") and whole
values, where they used to be an address string with values cut at 120 characters.

Published versions keep their YAML, so the changes are computed again from each version and the one
before it. Going back leaves the new form in place (the older code never reads these fields back
into the framework, only shows them)."""

from django.db import migrations


def recompute_changes(apps, schema_editor):
    from trellis.framework.diff import diff
    from trellis.framework.yaml_io import loads

    version_model = apps.get_model("frameworks", "FrameworkVersion")
    texts = dict(version_model.objects.values_list("number", "yaml_text"))
    for version in version_model.objects.order_by("number"):
        summary = dict(version.change_summary or {})
        previous = summary.get("previous_version")
        if previous is None or previous not in texts:
            continue
        result = diff(loads(texts[previous]), loads(version.yaml_text))
        summary.update(
            structural=len(result.structural),
            wording=len(result.wording),
            changes=[change.to_json() for change in result.changes],
        )
        # An update, not save(): the model refuses to save a changed published version.
        version_model.objects.filter(pk=version.pk).update(change_summary=summary)


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0002_draft_review_comment")]

    operations = [migrations.RunPython(recompute_changes, migrations.RunPython.noop)]
