"""The `trellis` command: a thin layer that parses options and calls the framework core.

Exit codes (every subcommand): 0 clean, 1 findings at or above ``--fail-on`` (or a framework file
that could not be read), 2 usage error (for ``readiness``, also people, ratings or evidence files it
cannot use), 123 internal error.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from trellis.framework.diagnostics import Diagnostic, FrameworkError, Severity
from trellis.framework.model import Framework
from trellis.framework.wording import count

if TYPE_CHECKING:
    from trellis.framework.render.edition import Edition

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 123

_FRAMEWORK_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """A mistake in how the command was called (exit 2)."""


def _print_diagnostics(diagnostics: Sequence[Diagnostic], file: str) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(file), file=sys.stderr)


def _load(path: str) -> Framework:
    """Load a framework YAML file; its problems surface as FrameworkError (exit 1)."""
    from trellis.framework.yaml_io import load_path

    if not Path(path).exists():
        raise UsageError(f"{path}: no such file")
    return load_path(path)


def _expand(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.suffix in _FRAMEWORK_SUFFIXES and p.is_file())
            )
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"{name}: no such file or directory")
    return files


def command_lint(arguments: argparse.Namespace) -> int:
    from trellis.framework.checking import check_text

    files = _expand(arguments.paths)
    threshold = Severity(arguments.fail_on)
    select = [code.strip() for code in arguments.select.split(",") if code.strip()]
    ignore = [code.strip() for code in arguments.ignore.split(",") if code.strip()]
    everything: list[Diagnostic] = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UsageError(f"{path}: {error.strerror}") from None
        _, found = check_text(data, str(path), select=select, ignore=ignore)
        everything.extend(found)
    if arguments.format == "json":
        json.dump(
            {
                "files": [str(p) for p in files],
                "diagnostics": [d.to_json() for d in everything],
            },
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        for diagnostic in everything:
            print(diagnostic.format())
        if not arguments.quiet:
            errors = sum(d.severity is Severity.ERROR for d in everything)
            warnings = sum(d.severity is Severity.WARNING for d in everything)
            print(
                f"{count(len(files), 'file')} checked: "
                f"{count(errors, 'error')}, {count(warnings, 'warning')}",
                file=sys.stderr,
            )
    failing = [d for d in everything if d.severity.rank >= threshold.rank]
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def command_render(arguments: argparse.Namespace) -> int:
    from trellis.framework.render import render

    framework = _load(arguments.path)
    output = render(framework, arguments.to, _edition(framework, arguments))
    _write(arguments.output, output)
    return EXIT_CLEAN


def _edition(framework: Framework, arguments: argparse.Namespace) -> Edition:
    """The edition the rendering names: --edition, or "Version <the file's version>", or "Draft"
    for a file without a version; --published and --revision complete it."""
    from trellis.framework.render.edition import Edition

    label = arguments.edition
    if label is None:
        if framework.version.strip():
            label = f"Version {' '.join(framework.version.split())}"
        elif arguments.published is not None:
            raise UsageError("--published needs a version: give --edition, or a version in the file")
        else:
            label = "Draft"
    return Edition(label=label, published=arguments.published, revision=arguments.revision)


def _moment(text: str) -> datetime.datetime:
    """An ISO date or date and time (UTC unless it says otherwise), for --published."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write it as YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=datetime.UTC)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a revision: give a whole number from 1")
    return int(text)


def command_diff(arguments: argparse.Namespace) -> int:
    from trellis.framework.diff import diff

    old = _load(arguments.old)
    new = _load(arguments.new)
    result = diff(old, new)
    if arguments.format == "json":
        json.dump(result.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(result.format_text())
    return EXIT_CLEAN


def command_import_matrix(arguments: argparse.Namespace) -> int:
    from trellis.framework.matrix import read_matrix
    from trellis.framework.yaml_io import dumps

    source = Path(arguments.file)
    if not source.exists():
        raise UsageError(f"{arguments.file}: no such file")
    result = read_matrix(
        source.read_bytes(),
        str(source),
        family=arguments.family,
        track=arguments.track,
        name=arguments.name,
    )
    # Warnings (e.g. one competency described differently on two sheets) are shown, not fatal.
    _print_diagnostics(result.diagnostics, str(source))
    if result.framework is None:
        return EXIT_FINDINGS
    _write(arguments.output, dumps(result.framework).encode("utf-8"))
    return EXIT_CLEAN


def command_new(arguments: argparse.Namespace) -> int:
    from trellis.framework.templates import FAMILIES, SIZES, starter
    from trellis.framework.yaml_io import dumps

    families = arguments.family or ["engineering"]
    for family in families:
        if family not in FAMILIES:
            raise UsageError(f"--family {family}: unknown family (choose from {', '.join(FAMILIES)})")
    if arguments.size not in SIZES:
        raise UsageError(f"--size {arguments.size}: unknown size (choose from {', '.join(SIZES)})")
    framework = starter(families, arguments.size, name=arguments.name)
    _write(arguments.output, dumps(framework).encode("utf-8"))
    return EXIT_CLEAN


def command_readiness(arguments: argparse.Namespace) -> int:
    """Every criterion of each person's next level (or --target) as of --as-of (default today).
    Files it cannot read, or rows it cannot use, exit 2 with every problem located."""
    from trellis.evaluation.readiness import (
        NothingToEvaluate,
        Readiness,
        ReadinessError,
        ReadinessPlan,
        Target,
        evaluate,
        plan_readiness,
    )
    from trellis.evaluation.readiness_files import InputProblems, read_inputs
    from trellis.framework.wording import readiness_move, readiness_summary

    framework = _load(arguments.framework)
    evidence = _read_file("evidence", arguments.evidence) if arguments.evidence is not None else None
    try:
        people = read_inputs(
            framework,
            people=_read_file("people", arguments.people),
            ratings=_read_file("ratings", arguments.ratings),
            evidence=evidence,
        )
    except InputProblems as problems:
        for message in problems.messages:
            print(message, file=sys.stderr)
        return EXIT_USAGE
    target = Target.parse(arguments.target) if arguments.target else None
    as_of: datetime.date = arguments.as_of or datetime.date.today()
    plans: dict[tuple[str, str, str], ReadinessPlan | str] = {}
    results: list[tuple[str, int, Readiness | str]] = []
    for row in people:
        placement = row.inputs.placement
        key = (placement.family, placement.track, placement.level)
        if key not in plans:
            try:
                plans[key] = plan_readiness(
                    framework,
                    family=placement.family,
                    track=placement.track,
                    level=placement.level,
                    target=target,
                )
            except NothingToEvaluate as nothing:
                plans[key] = str(nothing)
            except ReadinessError as error:
                raise UsageError(
                    f"--target {arguments.target}: {error} (for {row.person}, {arguments.people} row {row.row})"
                ) from None
        plan = plans[key]
        result = plan if isinstance(plan, str) else evaluate(plan, row.inputs, as_of)
        results.append((row.person, row.row, result))
    if arguments.format == "json":
        entries = [
            {
                "person": person,
                "row": number,
                **(result.to_json() if isinstance(result, Readiness) else {"note": result}),
            }
            for person, number, result in results
        ]
        json.dump({"as_of": as_of.isoformat(), "people": entries}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_CLEAN
    for person, _, result in results:
        if isinstance(result, str):
            print(f"{person}: {result}")
            continue
        family = framework.family(result.family)
        assert family is not None
        track = family.track(result.target_track) if result.target_track != result.track else None
        move = readiness_move(result.level, result.target_level, track.name if track is not None else None)
        print(f"{person}: {move}, {readiness_summary(result.ready, result.met_count, len(result.criteria))}")
        for criterion in result.criteria:
            print(f"  {'met    ' if criterion.met else 'not met'}  {criterion.explanation}")
    return EXIT_CLEAN


def _read_file(option: str, name: str) -> tuple[bytes, str]:
    try:
        return Path(name).read_bytes(), name
    except OSError as error:
        raise UsageError(f"--{option} {name}: {error.strerror}") from None


def _day(text: str) -> datetime.date:
    """An ISO date, for --as-of."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None


def command_templates(arguments: argparse.Namespace) -> int:
    from trellis.framework.templates import catalogue

    for entry in catalogue():
        print(f"{entry.id:<18} {entry.name:<20} {entry.description}")
    return EXIT_CLEAN


def command_schema(arguments: argparse.Namespace) -> int:
    from trellis.framework.schema import schema_text

    _write(arguments.output, schema_text().encode("utf-8"))
    return EXIT_CLEAN


def command_agreement(arguments: argparse.Namespace) -> int:
    from trellis.evaluation.agreement import LevelOfMeasurement
    from trellis.evaluation.agreement_reading import RatingsFileError, read_long_ratings
    from trellis.evaluation.agreement_report import agreement_report

    source = Path(arguments.file)
    if not source.is_file():
        raise UsageError(f"{arguments.file}: no such file")
    level = LevelOfMeasurement(arguments.level_of_measurement)
    try:
        ratings = read_long_ratings(source.read_bytes(), str(source), level=level)
    except RatingsFileError as error:
        for message in error.messages:
            print(message, file=sys.stderr)
        return EXIT_USAGE
    report = agreement_report(ratings, level=level, replicates=arguments.replicates, seed=arguments.seed)
    if arguments.format == "json":
        json.dump(report.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report.text())
    return EXIT_CLEAN


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a count: give a whole number from 0")
    return int(text)


def _write(output: str | None, data: bytes) -> None:
    if output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    assert output is not None
    target = Path(output)
    if target.parent and not target.parent.exists():
        raise UsageError(f"{output}: folder {target.parent} does not exist")
    target.write_bytes(data)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trellis",
        description="Career frameworks as code: lint, render, diff and import them.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lint = commands.add_parser("lint", help="check framework files against the quality rules")
    lint.add_argument("paths", nargs="+", metavar="PATH", help="framework YAML files or folders")
    lint.add_argument("--format", choices=["text", "json"], default="text")
    lint.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        default="warning",
        help="exit 1 when a finding has at least this severity (default: warning)",
    )
    lint.add_argument("--select", default="", help="only these codes or prefixes, comma-separated")
    lint.add_argument("--ignore", default="", help="skip these codes or prefixes, comma-separated")
    lint.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    lint.set_defaults(handler=command_lint)

    render = commands.add_parser("render", help="render a framework as md, html, xlsx, csv or pdf")
    render.add_argument("path", metavar="PATH")
    render.add_argument("--to", required=True, choices=["md", "html", "xlsx", "csv", "pdf"])
    render.add_argument("-o", "--output", required=True, help="output file ('-' for stdout)")
    render.add_argument(
        "--edition",
        default=None,
        help='the edition named in the output (default: "Version <version>" or "Draft")',
    )
    render.add_argument("--published", type=_moment, default=None, help="publication date, YYYY-MM-DD")
    render.add_argument("--revision", type=_positive, default=None, help="the draft's revision")
    render.set_defaults(handler=command_render)

    diff = commands.add_parser("diff", help="classify the changes between two framework files")
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    diff.add_argument("--format", choices=["text", "json"], default="text")
    diff.set_defaults(handler=command_diff)

    matrix = commands.add_parser(
        "import-matrix", help="turn a competency × level spreadsheet (CSV or XLSX) into a framework"
    )
    matrix.add_argument("file", metavar="FILE")
    matrix.add_argument("--family", required=True, help="name of the job family the matrix describes")
    matrix.add_argument("--track", default=None, help="track name (CSV, or XLSX with one sheet)")
    matrix.add_argument("--name", default=None, help="framework name (default: the family name)")
    matrix.add_argument("-o", "--output", required=True)
    matrix.set_defaults(handler=command_import_matrix)

    new = commands.add_parser("new", help="start a framework from the starter library")
    new.add_argument("--family", action="append", help="family id; repeat for several (default: engineering)")
    new.add_argument("--size", default="growth", help="startup, growth or mid-size")
    new.add_argument("--name", default=None, help="the company or framework name")
    new.add_argument("-o", "--output", required=True)
    new.set_defaults(handler=command_new)

    readiness = commands.add_parser(
        "readiness", help="evaluate promotion readiness from people and ratings files (docs/readiness.md)"
    )
    readiness.add_argument("framework", metavar="FRAMEWORK", help="the framework YAML file")
    readiness.add_argument("--people", required=True, metavar="PEOPLE", help="people, CSV or XLSX")
    readiness.add_argument("--ratings", required=True, metavar="RATINGS", help="ratings, CSV or XLSX")
    readiness.add_argument(
        "--evidence", default=None, metavar="EVIDENCE", help="evidenced items, CSV or XLSX"
    )
    readiness.add_argument(
        "--target",
        default=None,
        metavar="LEVEL",
        help="a target level (or TRACK/LEVEL) instead of the next level",
    )
    readiness.add_argument(
        "--as-of", type=_day, default=None, metavar="DATE", help="YYYY-MM-DD (default: today)"
    )
    readiness.add_argument("--format", choices=["text", "json"], default="text")
    readiness.set_defaults(handler=command_readiness)

    templates = commands.add_parser("templates", help="list the starter library")
    templates.set_defaults(handler=command_templates)

    schema = commands.add_parser("schema", help="print the JSON Schema of the framework format")
    schema.add_argument("-o", "--output", default=None)
    schema.set_defaults(handler=command_schema)

    agreement = commands.add_parser(
        "agreement", help="Krippendorff's alpha of ratings in long format (unit,rater,value[,group])"
    )
    agreement.add_argument("file", metavar="RATINGS", help="CSV or XLSX file, one rating a row")
    agreement.add_argument(
        "--level-of-measurement",
        choices=["ordinal", "interval", "nominal", "ratio"],
        default="ordinal",
        help="how values are compared (default: ordinal)",
    )
    agreement.add_argument("--format", choices=["text", "json"], default="text")
    agreement.add_argument(
        "--replicates", type=_count, default=1000, help="bootstrap resamples for the interval (0: none)"
    )
    agreement.add_argument("--seed", type=_count, default=0, help="seed of the bootstrap (default: 0)")
    agreement.set_defaults(handler=command_agreement)

    _add_web_commands(commands)
    return parser


def _add_web_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Commands of the web app, present once it is installed (issue 3)."""
    try:
        from trellis.web import commands as web_commands
    except ImportError:
        return
    web_commands.register(commands)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) if isinstance(exit_.code, int) else EXIT_USAGE
    try:
        code: int = arguments.handler(arguments)
        return code
    except UsageError as error:
        print(f"trellis {arguments.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except FrameworkError as error:
        _print_diagnostics(error.diagnostics, error.file)
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN
    except Exception:
        print("trellis: internal error — please report it with the text below", file=sys.stderr)
        traceback.print_exc()
        return EXIT_INTERNAL


def entry_point() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
