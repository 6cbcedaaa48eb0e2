"""Setting the fields of one thing: a content edit of its family when only wording changes, a
structural one (HR's) when any field the classification calls structural changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from trellis.framework.addresses import (
    Address,
    CrossoverAddress,
    EditError,
    ExpectationAddress,
    NotFound,
    TrackAddress,
    find_level,
)
from trellis.framework.classification import STRUCTURAL
from trellis.framework.editing.session import (
    EDITABLE_FIELDS,
    STRUCTURE,
    Edit,
    Need,
    Session,
    build,
    validation_message,
)
from trellis.framework.model import (
    Crossover,
    Expectation,
    Framework,
    Track,
)


@dataclass(frozen=True, slots=True)
class SetFields(Edit):
    """Set some fields of the thing at `address` (see :data:`EDITABLE_FIELDS`). Only fields whose
    value actually changes are reported and count towards what the edit needs."""

    address: Address
    values: dict[str, Any]

    def apply(self, session: Session) -> None:
        framework = session.framework
        table = EDITABLE_FIELDS[self.address.kind]
        for name in self.values:
            if name not in table:
                raise EditError(f"{name} cannot be edited here", field=name)
        target, created = self._target(framework)
        if target is None:
            return
        content_changed = structure_changed = False
        for name, value in self.values.items():
            # Whatever a newly created expectation or crossover holds is a change.
            before = None if created else getattr(target, name)
            try:
                setattr(target, name, value)
            except ValidationError as error:
                raise EditError(validation_message(error), field=name) from None
            if getattr(target, name) != before:
                session.fields.append(f"{self.address.label}.{name}")
                if table[name] == STRUCTURAL:
                    structure_changed = True
                else:
                    content_changed = True
        if structure_changed:
            session.needs.add(STRUCTURE)
        if content_changed:
            session.needs.add(Need(families=self.address.families(framework)))

    def _target(self, framework: Framework) -> tuple[BaseModel | None, bool]:
        """The object to change and whether it was just created: a missing expectation or crossover
        is created when the values allow it (None: nothing to create and nothing to change)."""
        address = self.address
        if isinstance(address, ExpectationAddress):
            track = TrackAddress(address.family, address.track).resolve(framework)
            assert isinstance(track, Track)
            if address.level is None:
                raise NotFound("name the level of the expectation")
            find_level(track, address.level)
            line = track.expectations.get(address.competency)
            if line is None:
                raise NotFound(f'track "{track.id}" does not assess "{address.competency}"')
            if address.level in line:
                if self.values.get("proficiency", 0) is None:
                    raise EditError("give the expected proficiency", field="proficiency")
                return line[address.level], False
            proficiency = self.values.get("proficiency")
            if proficiency is None:
                if self.values.get("behaviour"):
                    raise EditError("give the expected proficiency", field="proficiency")
                return None, False
            line[address.level] = Expectation(proficiency=proficiency)
            return line[address.level], True
        if isinstance(address, CrossoverAddress):
            track = TrackAddress(address.family, address.track).resolve(framework)
            assert isinstance(track, Track)
            if track.crossover is not None:
                return track.crossover, False
            for name in ("from_level", "to_level"):
                if not self.values.get(name):
                    raise EditError("name the level", field=name)
            track.crossover = build(
                Crossover, {}, from_level=self.values["from_level"], to_level=self.values["to_level"]
            )
            return track.crossover, True
        return address.resolve(framework), False
