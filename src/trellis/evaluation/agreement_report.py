"""Alpha of a ratings file, overall and per group, as the `trellis agreement` command shows it. Pure."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trellis.evaluation.agreement import (
    ALPHA_TENTATIVE,
    DEFAULT_REPLICATES,
    DEFAULT_SEED,
    Agreement,
    GroupAgreement,
    LevelOfMeasurement,
    agreement,
    agreement_by_group,
)
from trellis.evaluation.agreement_reading import LongRatings
from trellis.framework.wording import count, decimal, listing, percent, value_range

__all__ = ["AgreementReport", "agreement_report"]

#: Alpha and its interval are shown to this many decimals.
PLACES = 3


@dataclass(frozen=True, slots=True)
class AgreementReport:
    overall: Agreement
    groups: tuple[GroupAgreement, ...] | None

    @property
    def flagged_groups(self) -> tuple[GroupAgreement, ...]:
        return tuple(group for group in self.groups or () if group.agreement.flagged)

    def to_json(self) -> dict[str, object]:
        return {
            "level_of_measurement": self.overall.level.value,
            "threshold": ALPHA_TENTATIVE,
            "overall": self.overall.to_json(),
            "groups": (
                None
                if self.groups is None
                else [{"group": group.group, **group.agreement.to_json()} for group in self.groups]
            ),
        }

    def text(self) -> str:
        """Alpha overall, then a table of the groups with those below the threshold marked."""
        overall = self.overall
        lines = [f"Krippendorff's alpha ({overall.level.value}): {_summary(overall)}"]
        if self.groups is not None:
            with_interval = any(group.agreement.interval is not None for group in self.groups)
            rows = [["group", "alpha", _interval_heading(overall), "units", "values", ""]]
            for group in self.groups:
                result = group.agreement
                rows.append(
                    [
                        group.group,
                        decimal(result.alpha, PLACES) if result.alpha is not None else "undefined",
                        value_range(result.interval.low, result.interval.high, PLACES)
                        if result.interval is not None
                        else "",
                        str(result.units),
                        str(result.values),
                        f"below {decimal(ALPHA_TENTATIVE, PLACES)}" if result.flagged else "",
                    ]
                )
            if not with_interval:
                for row in rows:
                    del row[2]
            widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
            last = len(rows[0]) - 1
            for row in rows:
                cells = [
                    cell.ljust(width) if index in (0, last) else cell.rjust(width)
                    for index, (cell, width) in enumerate(zip(row, widths, strict=True))
                ]
                lines.append("  ".join(cells).rstrip())
            flagged = self.flagged_groups
            if flagged:
                lines.append(
                    f"{count(len(flagged), 'group')} below {decimal(ALPHA_TENTATIVE, PLACES)}: "
                    f"{listing([group.group for group in flagged])}"
                )
        return "\n".join(lines) + "\n"


def _interval_heading(overall: Agreement) -> str:
    confidence = overall.interval.confidence if overall.interval is not None else 0.95
    return f"{percent(confidence)} interval"


def _summary(result: Agreement) -> str:
    if result.alpha is None:
        return f"undefined ({result.undefined_because}; {count(result.ratings, 'rating')})"
    parts = []
    if result.interval is not None:
        interval = result.interval
        parts.append(
            f"{percent(interval.confidence)} interval {value_range(interval.low, interval.high, PLACES)}"
        )
    parts.append(f"{count(result.units, 'unit')}, {count(result.values, 'value')}")
    flag = f", below {decimal(ALPHA_TENTATIVE, PLACES)}" if result.flagged else ""
    return f"{decimal(result.alpha, PLACES)} ({'; '.join(parts)}){flag}"


def agreement_report(
    ratings: LongRatings,
    *,
    level: LevelOfMeasurement,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = DEFAULT_SEED,
) -> AgreementReport:
    units = np.asarray(ratings.units)
    overall = agreement(units, ratings.values, level=level, replicates=replicates, seed=seed)
    groups = None
    if ratings.groups is not None:
        groups = tuple(
            agreement_by_group(
                units, ratings.values, ratings.groups, level=level, replicates=replicates, seed=seed
            )
        )
    return AgreementReport(overall, groups)
