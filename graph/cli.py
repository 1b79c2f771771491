"""``tkg``: thin commands over the library. Library errors become one-line messages here."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from graph.config import SEEDS_DIR, settings

EXAMPLES = {
    "build": "tkg build seeds --store data/store",
    "export": "tkg export --store data/store --format turtle -o graph.ttl",
    "timeline": "tkg timeline --store data/store --speaker Putin --topic negotiations",
    "dates": "tkg dates articles.jsonl",
    "eval": "tkg eval tests/data/seeds.gold.json --store data/store",
    "eval-timex": "tkg eval-timex ../shared/benchmarks/meantime-timex",
    "validate": "tkg validate --store data/store",
    "review": "tkg review reject relation contradicts statement/ab12… statement/cd34… --note 'same claim'",
    "backup": "tkg backup data/store backups/2026-01-31",
    "restore": "tkg restore backups/2026-01-31 data/store",
}


#: Warnings printed after a build unless --verbose asks for all of them.
MAX_WARNINGS = 20


class UsageError(Exception):
    """A problem with what the user asked for; printed without a traceback."""


def _iso(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from error


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", default=None, metavar="DIR|URL",
        help="store directory, or the http(s) query URL of a SPARQL 1.1 server (login and "
             "options from $TKG_SPARQL_*) (default: $TKG_STORE, else data/store)",
    )


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of processes (1 or more)")
    return int(value)


class BuildProgress:
    """The build's progress on stderr: articles done (of how many, when the input says), their
    rate in articles/s and words/s, and the time left."""

    def __init__(self, total: int | None) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=total, desc="reading", unit=" articles", file=sys.stderr,
                        dynamic_ncols=True, smoothing=0.05)
        self.words = 0

    def advance(self, words: int) -> None:
        self.words += words
        elapsed = self.bar.format_dict["elapsed"]
        if elapsed > 0:
            self.bar.set_postfix_str(f"{self.words / elapsed:,.0f} words/s", refresh=False)
        self.bar.update(1)

    def linking(self) -> None:
        self.bar.close()
        print("linking the articles …", file=sys.stderr)


def _input_size(sources: Sequence[Path]) -> int | None:
    from graph.articles import count_items

    counts = [count_items(source) for source in sources]
    return None if None in counts else sum(counts)  # type: ignore[arg-type]


def cmd_build(args: argparse.Namespace) -> int:
    from contextlib import nullcontext

    from graph.pipeline import build, default_jobs, reader
    from graph.store_open import open_writing

    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler is the address of a Dask scheduler: use it with --engine dask")
    sources = args.sources or [SEEDS_DIR]
    options = {"published": args.published} if args.published else {}
    context = reader(settings().spacy_model)
    jobs = args.jobs or default_jobs()
    if args.engine == "dask":
        from graph.engine_dask import dask_engine

        reading = dask_engine(args.scheduler, jobs=jobs)
    else:
        reading = nullcontext(None)
    visible = args.progress or (not args.quiet and sys.stderr.isatty())
    progress = BuildProgress(_input_size(sources)) if visible else None
    try:
        with reading as engine, open_writing(args.store) as store:
            summary = build(sources, store, context, jobs=jobs, progress=progress, engine=engine,
                            anew=args.relink, **options)
    except KeyboardInterrupt:
        print("\ntkg build: interrupted; the articles stored so far are kept, and the same "
              "command continues with the others", file=sys.stderr)
        return 130
    for error in summary.errors:
        print(f"error: {error}", file=sys.stderr)
    shown = summary.warnings if args.verbose else summary.warnings[:MAX_WARNINGS]
    for warning in shown:
        print(f"warning: {warning}", file=sys.stderr)
    if len(shown) < len(summary.warnings):
        print(f"… and {len(summary.warnings) - len(shown)} more warnings (--verbose shows all)",
              file=sys.stderr)
    print(
        f"articles: {summary.articles} read, {summary.skipped} already stored, "
        f"{len(summary.errors)} rejected\nstatements: {summary.statements}\n"
        f"events: {summary.events}\nrelations: {summary.relations}\n"
        f"warnings: {len(summary.warnings)}"
    )
    return 1 if summary.errors and not summary.articles and not summary.skipped else 0


def cmd_export(args: argparse.Namespace) -> int:
    from graph.export import export, export_to_path, formats
    from graph.store_open import open_reading

    if args.format not in formats():
        raise UsageError(f"unknown format {args.format!r}; choose one of {', '.join(formats())}")
    with open_reading(args.store) as store:
        if args.output:
            export_to_path(store, args.format, args.output)
        else:
            export(store, args.format, sys.stdout.buffer)
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from graph.analysis import timeline
    from graph.statement_search import statement_rows
    from graph.store_open import open_reading

    with open_reading(args.store) as store:
        rows = statement_rows(store, speaker=args.speaker, topic=args.topic,
                              since=args.since, until=args.until)
    ordered = timeline(rows)
    if args.stance:
        return _print_stance(ordered, args.format)
    if args.format == "json":
        print(json.dumps(ordered, ensure_ascii=False, indent=2))
        return 0
    if not ordered:
        print(f"no statements by {args.speaker!r}" + (f" on {args.topic!r}" if args.topic else ""))
        return 0
    for row in ordered:
        when = row["date"]
        span = when["begin"] if when["begin"] == when["end"] else f"{when['begin']}..{when['end']}"
        print(f"{span}  {row['speaker']['name']}  [{', '.join(row['topics'])}]")
        print(f"    “{row['quote']}”")
        print(f"    cited by: {', '.join(row['cited_by'])}")
    return 0


def _print_stance(rows: list[dict], fmt: str) -> int:
    from graph import knowledge
    from graph.analysis import stance_summary
    from graph.relations import polarity

    known = knowledge.load()
    summary = stance_summary(rows, lambda text: polarity(text, known.stance_for, known.stance_against))
    if fmt == "json":
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    for month in summary:
        print(f"{month['period']}  for {month['for']}  against {month['against']}  "
              f"neither {month['neither']}  ({len(month['statements'])} statements)")
    return 0


def cmd_dates(args: argparse.Namespace) -> int:
    from graph.articles import IngestError, read_articles
    from graph.timex import find_timexes

    failed = 0
    for item in read_articles(args.file):
        if isinstance(item, IngestError):
            print(f"error: {item}", file=sys.stderr)
            failed += 1
            continue
        timexes = [
            {"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value}
            for t in find_timexes(item.text, item.published)
        ]
        print(json.dumps({"id": item.id, "timexes": timexes}, ensure_ascii=False))
    return 1 if failed else 0


def cmd_eval(args: argparse.Namespace) -> int:
    from graph.analysis import timeline
    from graph.evaluate import format_report, score
    from graph.export import graph_json
    from graph.statement_search import statement_rows
    from graph.store_open import open_reading

    gold = json.loads(args.gold.read_text(encoding="utf-8"))
    with open_reading(args.store) as store:
        system = graph_json(store)
        report = score(
            system, gold,
            timeline=lambda speaker, topic: timeline(statement_rows(store, speaker=speaker, topic=topic)),
        )
    print(format_report(report))
    return 0


def cmd_eval_timex(args: argparse.Namespace) -> int:
    from graph.timex_score import run_benchmark

    print(run_benchmark(args.folder / "docs.jsonl", args.folder / "timex3_gold.jsonl"))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from graph.pipeline import reader, review
    from graph.store_open import open_reading, open_writing

    if args.verdict == "list":
        with open_reading(args.store) as store:
            for decision in store.reviews():
                what = decision.relation_type or "merge"
                print(f"{decision.verdict} {decision.kind} {what}: {', '.join(decision.source)} → "
                      f"{', '.join(decision.target)}" + (f"  ({decision.note})" if decision.note else ""))
        return 0
    if args.kind is None or len(args.ids) != (3 if args.kind == "relation" else 2):
        raise UsageError("give: accept|reject relation TYPE SOURCE TARGET, or accept|reject merge ID ID")
    relation_type, first, second = (args.ids if args.kind == "relation" else [None, *args.ids])
    with open_writing(args.store) as store:
        linked = review(store, reader(settings().spacy_model), args.verdict, args.kind, first, second,
                        relation_type=relation_type, note=args.note)
    print(f"recorded; statements: {len(linked.statements)}, events: {len(linked.events)}, "
          f"relations: {len(linked.relations)}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from graph.store_open import open_reading
    from graph.validate import validate

    with open_reading(args.store) as store:
        conforms, report = validate(store)
    print(report)
    return 0 if conforms else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from graph.backup import backup

    info = backup(args.store_dir, args.dest)
    print(f"backed up generation {info.generation} of {args.store_dir} ({info.triples} triples, "
          f"{info.articles} articles) to {info.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from graph.backup import restore

    result = restore(args.backup, args.store_dir)
    print(f"restored {result.backup.path} ({result.backup.triples} triples, "
          f"{result.backup.articles} articles, taken {result.backup.created}) into "
          f"{args.store_dir}, published as generation {result.generation}")
    if result.previous is not None:
        print(f"the replaced store is kept at {result.previous}; delete it when no longer needed")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="tkg", description="Turn news articles into a timeline knowledge graph.",
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str, handler) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=help_text, description=f"{help_text}\n\nexample: {EXAMPLES[name]}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(handler=handler)
        return sub

    build = command("build", "read articles into the store and link them", cmd_build)
    build.add_argument("sources", nargs="*", type=Path,
                       help="folders with manifest.json, .jsonl, .json or .txt files (default: seeds/)")
    build.add_argument("--published", type=_iso, help="publication date for a single .txt")
    build.add_argument("--jobs", type=_jobs, default=None,
                       help="processes that parse and read articles (default: every CPU)")
    build.add_argument("--engine", choices=["local", "dask"], default="local",
                       help="where articles are read: local processes, or a Dask cluster "
                       "(with --scheduler, else a local one of --jobs workers)")
    build.add_argument("--scheduler", metavar="ADDRESS",
                       help="a Dask scheduler to read on, e.g. tcp://10.0.0.5:8786 (--engine dask)")
    build.add_argument("--relink", action="store_true",
                       help="weigh every merge again, not only the new articles' mentions "
                       "(after a change of the reader or its knowledge)")
    shown = build.add_mutually_exclusive_group()
    shown.add_argument("--quiet", action="store_true", help="no progress display")
    shown.add_argument("--progress", action="store_true",
                       help="show progress even when stderr is not a terminal")
    build.add_argument("--verbose", action="store_true", help="print every warning")
    _store_option(build)

    export = command("export", "write the graph in an RDF format, JSON or GraphML", cmd_export)
    export.add_argument("--format", required=True,
                        help="json|turtle|trig|nquads|ntriples|jsonld|rdfxml|graphml")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    _store_option(export)

    timeline = command("timeline", "what a speaker said, in time order", cmd_timeline)
    timeline.add_argument("--speaker", required=True, help="name or alias, case-insensitive")
    timeline.add_argument("--topic", help="topic id or label, or an event's name")
    timeline.add_argument("--since", type=_iso, help="earliest date (YYYY-MM-DD)")
    timeline.add_argument("--until", type=_iso, help="latest date (YYYY-MM-DD)")
    timeline.add_argument("--format", choices=["text", "json"], default="text")
    timeline.add_argument("--stance", action="store_true",
                          help="a month-by-month summary of stances for and against, instead")
    _store_option(timeline)

    dates = command("dates", "time expressions of each article of a JSON Lines file", cmd_dates)
    dates.add_argument("file", type=Path, help="JSON Lines with id, text and published")

    evaluate = command("eval", "score the store against a gold file", cmd_eval)
    evaluate.add_argument("gold", type=Path, help="gold file in the shared/eval format")
    _store_option(evaluate)

    eval_timex = command("eval-timex", "score `tkg dates` on a TimeML benchmark", cmd_eval_timex)
    eval_timex.add_argument("folder", type=Path, help="folder with docs.jsonl and timex3_gold.jsonl")

    review = command("review", "accept or reject a machine-made relation or merge", cmd_review)
    review.add_argument("verdict", choices=["accept", "reject", "list"], help="the decision, or list them")
    review.add_argument("kind", nargs="?", choices=["relation", "merge"], help="what is decided on")
    review.add_argument("ids", nargs="*", help="relation: TYPE SOURCE TARGET; merge: ID ID "
                        "(statement/…, event/… or a mention id to split off)")
    review.add_argument("--note", default="", help="the reviewer's reason")
    _store_option(review)

    validate = command("validate", "check the store against the SHACL shapes", cmd_validate)
    _store_option(validate)

    backup = command("backup", "copy the store's latest published state, even while it is "
                     "being written", cmd_backup)
    backup.add_argument("store_dir", type=Path, help="the store directory")
    backup.add_argument("dest", type=Path, help="the backup directory to make (must not exist)")

    restore = command("restore", "replace a store with a backup (refused while a writer runs)",
                      cmd_restore)
    restore.add_argument("backup", type=Path, help="a directory made by tkg backup")
    restore.add_argument("store_dir", type=Path, help="the store directory to replace or create")
    return main


def main(argv: Sequence[str] | None = None) -> int:
    from graph.store import StoreError

    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except (UsageError, StoreError, ValueError, TypeError, OSError) as error:
        print(f"tkg {args.command}: {error}", file=sys.stderr)
        return 2
