"""Key result progress and the roll-up of an objectives tree, by hand."""

from __future__ import annotations

import pytest

from trellis.evaluation.okr import OkrError, OkrNode, key_result_progress, roll_up


@pytest.mark.parametrize(
    ("start", "target", "current", "expected"),
    [
        (0, 10, 4, 0.4),
        (0, 10, 12, 1.0),  # beyond the target: done, not 120 %
        (0, 10, -3, 0.0),
        (40, 10, 25, 0.5),  # counting down: from 40 to 10 hours, at 25
        (5, 5, 5, 1.0),
        (5, 5, 4, 0.0),
        (0, 10, None, None),  # not measured yet
    ],
)
def test_key_result_progress(
    start: float, target: float, current: float | None, expected: float | None
) -> None:
    assert key_result_progress(start=start, target=target, current=current) == expected


def test_progress_rolls_up_by_weight_over_the_measured_children() -> None:
    nodes = [
        OkrNode("company", None),
        OkrNode("team", "company", weight=3),
        OkrNode("kr-company", "company", is_key_result=True, progress=1.0),
        OkrNode("kr-a", "team", is_key_result=True, progress=0.5),
        OkrNode("kr-b", "team", weight=3, is_key_result=True, progress=0.1),
        OkrNode("kr-c", "team", is_key_result=True),  # not measured: left out, not a 0
        OkrNode("personal", "team"),  # nothing measured under it
        OkrNode("kr-d", "personal", is_key_result=True),
    ]
    progress = roll_up(nodes)
    # team: (1·0.5 + 3·0.1) / 4 = 0.2; company: (3·0.2 + 1·1.0) / 4 = 0.4.
    assert progress["team"] == pytest.approx(0.2)
    assert progress["company"] == pytest.approx(0.4)
    assert progress["personal"] is None and progress["kr-c"] is None


@pytest.mark.parametrize(
    ("nodes", "message"),
    [
        ([OkrNode("a", "b"), OkrNode("b", "a")], "a loop: a → b → a"),
        ([OkrNode("a", "missing")], "'a' hangs from 'missing', which does not exist"),
        ([OkrNode("a", None), OkrNode("a", None)], "'a' appears twice"),
        ([OkrNode("a", None, weight=0)], "'a' has weight 0; weights must be above 0"),
        (
            [OkrNode("kr", None, is_key_result=True), OkrNode("o", "kr")],
            "'o' hangs from the key result 'kr'; only objectives have children",
        ),
    ],
)
def test_what_is_not_a_tree_is_refused_with_its_ids(nodes: list[OkrNode], message: str) -> None:
    with pytest.raises(OkrError) as refused:
        roll_up(nodes)
    assert str(refused.value) == message
