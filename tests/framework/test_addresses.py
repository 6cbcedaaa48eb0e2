"""Addresses of a framework's parts: where each points, what it resolves to, how it reads."""

from __future__ import annotations

import pytest

from tests.framework.test_diff import base
from trellis.framework.addresses import (
    AnyAddress,
    CompetencyAddress,
    CoreOverrideAddress,
    CrossoverAddress,
    ExpectationAddress,
    FamilyAddress,
    FrameworkAddress,
    GapAddress,
    LateralPathAddress,
    LateralRouteAddress,
    LevelAddress,
    LevelPlace,
    NotFound,
    PromotionAddress,
    RequiredCompetencyAddress,
    ScalePointAddress,
    TrackAddress,
    address_json,
    readable_place,
)
from trellis.framework.model import CompetencyOverride, Framework

ROUTE = LateralRouteAddress(LevelPlace("engineering", "IC2"), LevelPlace("product", "P2"))


def framework() -> Framework:
    result = base()
    engineering = result.family("engineering")
    assert engineering is not None
    engineering.core_overrides["communication"] = CompetencyOverride(name="Technical writing")
    return result


@pytest.mark.parametrize(
    ("address", "readable"),
    [
        (FrameworkAddress(), "Framework"),
        (FamilyAddress("engineering"), "Engineering"),
        (TrackAddress("engineering", "ic"), "Engineering · Individual contributor"),
        (CrossoverAddress("engineering", "management"), "Engineering · Management · Crossover"),
        (LevelAddress("engineering", "ic", "IC3"), "Engineering · Individual contributor · IC3"),
        (CompetencyAddress(None, "communication"), "Core competencies · Communication"),
        (CompetencyAddress("engineering", "system_design"), "Engineering · System design"),
        (
            ExpectationAddress("engineering", "ic", "communication", "IC3"),
            "Engineering · Individual contributor · IC3 · Technical writing",
        ),
        (
            ExpectationAddress("product", "ic", "communication", None),
            "Product · Individual contributor · Communication",
        ),
        (PromotionAddress("engineering", "IC1", "IC2"), "Engineering · IC1 → IC2"),
        (
            RequiredCompetencyAddress("engineering", "IC1", "IC2", "system_design"),
            "Engineering · IC1 → IC2 · System design",
        ),
        (ScalePointAddress(3), "Rating scale · 3"),
        (CoreOverrideAddress("engineering", "communication"), "Engineering · Technical writing"),
        (LateralPathAddress(0), "Engineering · IC2 → Product · P2"),
        (LateralPathAddress(4), "Lateral path 5"),
        (ROUTE, "Engineering · IC2 → Product · P2"),
        (GapAddress(ROUTE, "discovery"), "Engineering · IC2 → Product · P2 · Discovery"),
        # Names the framework does not have read as their ids.
        (LevelAddress("design", "ic", "D1"), "design · ic · D1"),
    ],
)
def test_readable_labels_take_the_names_of_the_framework(address: AnyAddress, readable: str) -> None:
    assert address.readable(framework()) == readable


def test_the_addresses_a_diff_adds_point_into_the_framework() -> None:
    subject = framework()
    required = RequiredCompetencyAddress("engineering", "IC1", "IC2", "system_design")
    cases: list[tuple[AnyAddress, tuple[str | int, ...], object]] = [
        (ScalePointAddress(3), ("scale", "points", 2), subject.scale.points[2]),
        (
            CoreOverrideAddress("engineering", "communication"),
            ("families", 0, "core_overrides", "communication"),
            subject.families[0].core_overrides["communication"],
        ),
        (
            required,
            ("families", 0, "promotions", 0, "required", 0),
            subject.families[0].promotions[0].required[0],
        ),
        (ROUTE, ("lateral_paths", 0), subject.lateral_paths[0]),
        (GapAddress(ROUTE, "discovery"), ("lateral_paths", 0, "gaps", 0), subject.lateral_paths[0].gaps[0]),
    ]
    for address, path, thing in cases:
        assert address.path(subject) == path
        assert address.resolve(subject) is thing
    assert ROUTE.families(subject) == ("engineering", "product")
    assert required.families(subject) == ("engineering",)


@pytest.mark.parametrize(
    ("address", "message"),
    [
        (ScalePointAddress(9), "the rating scale has no point 9"),
        (
            CoreOverrideAddress("product", "communication"),
            'family "product" has no wording of its own for "communication"',
        ),
        (
            RequiredCompetencyAddress("engineering", "IC1", "IC2", "communication"),
            'the promotion criteria do not require "communication"',
        ),
        (
            LateralRouteAddress(LevelPlace("engineering", "IC1"), LevelPlace("product", "P2")),
            "the framework has no lateral path engineering/IC1 -> product/P2",
        ),
        (
            GapAddress(ROUTE, "communication"),
            'the lateral path engineering/IC2 -> product/P2 has no gap "communication"',
        ),
    ],
)
def test_an_address_the_framework_does_not_have_is_not_found(address: AnyAddress, message: str) -> None:
    with pytest.raises(NotFound) as raised:
        address.resolve(framework())
    assert raised.value.message == message


def test_addresses_as_json() -> None:
    assert address_json(FrameworkAddress()) == {"kind": "framework"}
    assert address_json(CompetencyAddress(None, "communication")) == {
        "kind": "competency",
        "family": None,
        "competency": "communication",
    }
    assert address_json(GapAddress(ROUTE, "discovery")) == {
        "kind": "gap",
        "route": {
            "source": {"family": "engineering", "level": "IC2", "track": None},
            "destination": {"family": "product", "level": "P2", "track": None},
        },
        "competency": "discovery",
    }


@pytest.mark.parametrize(
    ("path", "place"),
    [
        (
            ("families", 0, "tracks", 0, "expectations", "communication", "IC3", "behaviour"),
            "Engineering · IC3 · Technical writing",
        ),
        (
            ("families", 0, "tracks", 0, "expectations", "system_design", "IC1"),
            "Engineering · IC1 · System design",
        ),
        (
            ("families", 1, "tracks", 0, "expectations", "communication"),
            "Product · Individual contributor · Communication",
        ),
        (("families", 0, "tracks", 0, "levels", 2, "title"), "Engineering · IC3"),
        (("families", 0, "tracks", 1, "crossover", "from_level"), "Engineering · Management · Crossover"),
        (("families", 0, "tracks", 0), "Engineering · Individual contributor"),
        (("families", 0, "competencies", 0, "name"), "Engineering · System design"),
        (("families", 0, "promotions", 0, "minimum_average"), "Engineering · IC1 → IC2"),
        (("families", 1), "Product"),
        (("core_competencies", 0, "description"), "Core competencies · Communication"),
        (("lateral_paths", 0, "gaps"), "Engineering · IC2 → Product · P2"),
        (("scale", "points", 2, "label"), "Rating scale · 3"),
        (("scale",), "Rating scale"),
        (("name",), "Framework"),
        ((), "Framework"),
        # A path the framework no longer has reads as the framework.
        (("families", 9, "tracks", 0), "Framework"),
    ],
)
def test_a_finding_is_placed_by_family_level_and_competency(path: tuple[str | int, ...], place: str) -> None:
    assert readable_place(framework(), path) == place
