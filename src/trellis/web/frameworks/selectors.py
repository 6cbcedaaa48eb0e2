"""Reading the company's framework. The published framework is public to every signed-in person.

`framework_published_get` parses the current version once per process; the page selectors below
shape it for the framework's pages and search. Each takes the viewer and applies the policy.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from trellis.framework import browse, shaping
from trellis.framework.model import Family, Framework, Track
from trellis.framework.search import (
    KIND_LABELS,
    MAX_QUERY_LENGTH,
    Address,
    Page,
    ResultKind,
    SearchIndex,
    SearchResult,
    build_index,
)
from trellis.framework.yaml_io import loads
from trellis.web import policy
from trellis.web.accounts.viewer import Viewer
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.policy import Action


@dataclass(frozen=True, slots=True)
class PublishedFramework:
    """The current published version: its number and date, and the parsed framework.

    The `framework` object is shared by every request of the process: read it, never modify it.
    """

    version_id: int
    number: int
    published_at: datetime.datetime
    framework: Framework


_cache_lock = threading.Lock()
_cached: PublishedFramework | None = None


def framework_published_get(*, viewer: Viewer) -> PublishedFramework | None:
    """The current published version for `viewer` to read; None before the first publication.
    PermissionDenied unless `viewer` may read the framework (every signed-in, active account).

    Parsed once per process and version: one small query per call once cached, two the first time.
    The cache key includes the publication time as well as the id, because SQLite hands out a rolled-back
    row's id again and a cached framework must never be mistaken for a different one.
    """
    policy.require(viewer, Action.FRAMEWORK_VIEW)
    return framework_published_for_work()


def framework_published_for_work() -> PublishedFramework | None:
    """The current published version for background work that has no viewer (recomputing
    readiness in a task or a command); the same per-process cache as `framework_published_get`.
    Never for a page: a page asks `framework_published_get` with its viewer."""
    global _cached
    row = FrameworkVersion.objects.filter(is_current=True).values_list("id", "number", "published_at").first()
    if row is None:
        return None
    version_id, number, published_at = row
    cached = _cached
    if cached is not None and (cached.version_id, cached.published_at) == (version_id, published_at):
        return cached
    # The YAML text is the version's only copy (it keeps the order of a track's competencies, the
    # order they are shown everywhere). Parsing it costs tens of milliseconds, once per process and
    # version.
    yaml_text = FrameworkVersion.objects.values_list("yaml_text", flat=True).get(pk=version_id)
    published = PublishedFramework(
        version_id=version_id,
        number=number,
        published_at=published_at,
        framework=loads(yaml_text, f"framework version {number}"),
    )
    with _cache_lock:
        _cached = published
    return published


# --- the published framework, page by page ---------------------------------------------------------
#
# Every page below reads the cached framework of the current version: one small query (which version
# is current) whatever the size of the company or of the framework. The shapes come from the pure
# `trellis.framework.browse` and `trellis.framework.search`; these selectors add the policy, the
# "not found" answers and the URLs.


def _published_or_404(viewer: Viewer) -> PublishedFramework:
    published = framework_published_get(viewer=viewer)
    if published is None:
        raise Http404("no framework has been published yet")
    return published


def _family_or_404(framework: Framework, family_id: str) -> Family:
    family = framework.family(family_id)
    if family is None:
        raise Http404("no such job family")
    return family


@dataclass(frozen=True, slots=True)
class FamilyPage:
    published: PublishedFramework
    family: Family
    competencies: list[shaping.FamilyCompetency]
    ladder: shaping.Ladder
    #: Lateral paths that leave this family, then those that arrive in it.
    lateral_out: list[browse.LateralMove]
    lateral_in: list[browse.LateralMove]


def family_page_get(*, viewer: Viewer, family_id: str) -> FamilyPage:
    """One job family of the current version; Http404 when there is no such family (or no version)."""
    published = _published_or_404(viewer)
    framework = published.framework
    family = _family_or_404(framework, family_id)
    moves = browse.lateral_moves(framework)
    return FamilyPage(
        published=published,
        family=family,
        competencies=shaping.family_competencies(framework, family),
        ladder=shaping.ladder(family),
        lateral_out=[m for m in moves if m.source_family is not None and m.source_family.id == family.id],
        lateral_in=[
            m for m in moves if m.destination_family is not None and m.destination_family.id == family.id
        ],
    )


@dataclass(frozen=True, slots=True)
class MatrixPage:
    published: PublishedFramework
    family: Family
    track: Track
    matrix: shaping.Matrix


def matrix_page_get(*, viewer: Viewer, family_id: str, track_id: str) -> MatrixPage:
    """The competency × level matrix of one track; Http404 for an unknown family or track."""
    published = _published_or_404(viewer)
    framework = published.framework
    family = _family_or_404(framework, family_id)
    track = family.track(track_id)
    if track is None:
        raise Http404("no such track")
    return MatrixPage(
        published=published, family=family, track=track, matrix=shaping.matrix(framework, family, track)
    )


@dataclass(frozen=True, slots=True)
class LevelPage:
    published: PublishedFramework
    detail: browse.LevelDetail


def level_page_get(*, viewer: Viewer, family_id: str, track_id: str, level_code: str) -> LevelPage:
    """One level of one track; Http404 for an unknown family, track or level."""
    published = _published_or_404(viewer)
    detail = browse.level_detail(published.framework, family_id, track_id, level_code)
    if detail is None:
        raise Http404("no such level")
    return LevelPage(published=published, detail=detail)


@dataclass(frozen=True, slots=True)
class LateralPathsPage:
    published: PublishedFramework
    moves: list[browse.LateralMove]


def lateral_paths_page_get(*, viewer: Viewer) -> LateralPathsPage:
    """Every lateral path of the current version; Http404 before the first publication."""
    published = _published_or_404(viewer)
    return LateralPathsPage(published=published, moves=browse.lateral_moves(published.framework))


# --- search ----------------------------------------------------------------------------------------

_search_lock = threading.Lock()
_search_cached: tuple[tuple[int, datetime.datetime], SearchIndex] | None = None

#: Queries shorter than this find too much to be useful; the page asks for more.
SEARCH_MIN_LENGTH = 2
#: Results shown per kind; the page says how many more there are.
SEARCH_RESULTS_PER_KIND = 20


def search_index_get(*, published: PublishedFramework) -> SearchIndex:
    """The search index of `published`, built on first use and kept as long as it is current."""
    global _search_cached
    key = (published.version_id, published.published_at)
    cached = _search_cached
    if cached is not None and cached[0] == key:
        return cached[1]
    index = build_index(published.framework)
    with _search_lock:
        _search_cached = (key, index)
    return index


def address_url(address: Address) -> str:
    """The URL of the page (and anchor) a search result's address names."""
    if address.page is Page.FAMILY:
        url = reverse("frameworks:family", args=[address.family])
    elif address.page is Page.LEVEL:
        url = reverse("frameworks:level", args=[address.family, address.track, address.level])
    elif address.page is Page.LATERAL_PATHS:
        url = reverse("frameworks:lateral_paths")
    else:
        url = reverse("frameworks:index")
    return f"{url}#{address.anchor}" if address.anchor else url


@dataclass(frozen=True, slots=True)
class LinkedResult:
    result: SearchResult
    url: str


@dataclass(frozen=True, slots=True)
class SearchGroup:
    kind: ResultKind
    label: str
    results: list[LinkedResult]
    #: How many results of this kind there are in all (more than `results` holds when cut).
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.results)


@dataclass(frozen=True, slots=True)
class SearchPage:
    published: PublishedFramework | None
    query: str
    #: Groups in the order of their best result.
    groups: list[SearchGroup]
    total: int
    #: The query was too short to search (fewer than SEARCH_MIN_LENGTH characters, not blank).
    too_short: bool


def framework_search(*, viewer: Viewer, query: str) -> SearchPage:
    """The current version's entries matching `query`, grouped by kind, best group first."""
    published = framework_published_get(viewer=viewer)
    query = query.strip()[:MAX_QUERY_LENGTH]
    too_short = 0 < len(query) < SEARCH_MIN_LENGTH
    if published is None or too_short or not query:
        return SearchPage(published=published, query=query, groups=[], total=0, too_short=too_short)
    results, totals = search_index_get(published=published).search_by_kind(
        query, per_kind=SEARCH_RESULTS_PER_KIND
    )
    groups: dict[ResultKind, SearchGroup] = {}
    for result in results:
        group = groups.get(result.kind)
        if group is None:
            group = groups[result.kind] = SearchGroup(
                kind=result.kind, label=KIND_LABELS[result.kind], results=[], total=totals[result.kind]
            )
        group.results.append(LinkedResult(result=result, url=address_url(result.address)))
    return SearchPage(
        published=published,
        query=query,
        groups=list(groups.values()),
        total=sum(totals.values()),
        too_short=False,
    )
