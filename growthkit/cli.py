"""The ``growthkit`` command line.

growthkit generate --out data/generated [--events N | --users N] [--days D] [--seed S]
                   [--start-date YYYY-MM-DD] [--no-hazards] [--hazard NAME=RATE ...]
growthkit load --from data/generated (--duckdb data/growth.duckdb | --postgres)
growthkit tracking-plan [--out seeds/config/tracking_plan.csv]
growthkit report [--out reports/growth_report.html] [--account ID] [--duckdb FILE | --postgres]
                 [--target-path target]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from growthkit import __version__

DEFAULT_EVENTS = 1_000_000


def _whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number (1_000 and 1,000 allowed) of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", "").replace(",", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} must be at least {minimum}")
        return value

    return parse


_positive_int = _whole_number(1)
_non_negative_int = _whole_number(0)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-01-31") from None


def _hazard(text: str) -> tuple[str, float]:
    name, sep, rate = text.partition("=")
    try:
        if not sep:
            raise ValueError
        return name.strip(), float(rate)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not NAME=RATE (e.g. duplicate=0.05)"
        ) from None


def _parser() -> argparse.ArgumentParser:
    from growthkit.generate import HazardRates

    parser = argparse.ArgumentParser(
        prog="growthkit",
        description="Tooling for the growth-metrics dbt project.",
    )
    parser.add_argument("--version", action="version", version=f"growthkit {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    gen = commands.add_parser(
        "generate",
        help="generate realistic Segment/shop/marketing raw data as Parquet",
        description=(
            "Write <out>/<schema>/<table>.parquet for segment.{tracks,pages,identifies,groups,"
            "experiment_viewed} and the per-event tables (segment.document_searched, "
            "search_rated, post_voted, comment_posted, order_completed, integration_connected), "
            "shop.orders and marketing.ad_spend, plus <out>/manifest.json with the exact count "
            "of every injected hazard and tracking-plan fault. The same arguments and seed give "
            "byte-identical files."
        ),
    )
    gen.add_argument(
        "--out",
        type=Path,
        required=True,
        help="output directory (its table files and manifest.json are replaced)",
    )
    size = gen.add_mutually_exclusive_group()
    size.add_argument(
        "--events",
        type=_positive_int,
        help=f"about this many events (tracks + pages rows); default {DEFAULT_EVENTS:,}",
    )
    size.add_argument(
        "--users", type=_positive_int, help="exactly this many visitors (people, incl. bots)"
    )
    gen.add_argument("--days", type=_positive_int, default=90, help="days of data (default 90)")
    gen.add_argument("--seed", type=_non_negative_int, default=42, help="random seed (default 42)")
    gen.add_argument(
        "--start-date",
        type=_iso_date,
        default=date(2024, 1, 1),
        help="first day, UTC (default 2024-01-01)",
    )
    gen.add_argument("--no-hazards", action="store_true", help="clean data: every hazard rate 0")
    gen.add_argument(
        "--hazard",
        type=_hazard,
        action="append",
        default=[],
        metavar="NAME=RATE",
        help=(
            "override one hazard rate (repeatable; applied after --no-hazards). Names: "
            + ", ".join(HazardRates.names())
        ),
    )
    gen.add_argument(
        "--chunk-users",
        type=_positive_int,
        default=25_000,
        help="visitors per chunk / row group (memory vs. speed; part of the seed's output)",
    )
    gen.add_argument("--quiet", action="store_true", help="no progress bar")

    load = commands.add_parser(
        "load",
        help="load generated Parquet into DuckDB or Postgres (replaces the raw tables)",
        description=(
            "Create the schemas segment, shop and marketing and replace the raw tables with the "
            "generated data. Postgres connection from PGHOST, PGPORT, PGUSER, PGPASSWORD, "
            "PGDATABASE."
        ),
    )
    load.add_argument(
        "--from", dest="src", type=Path, required=True, help="directory written by generate"
    )
    target = load.add_mutually_exclusive_group(required=True)
    target.add_argument("--duckdb", type=Path, help="DuckDB database file (created if missing)")
    target.add_argument(
        "--postgres", action="store_true", help="the Postgres database the PG* variables name"
    )
    load.add_argument("--quiet", action="store_true", help="no progress bar")

    plan = commands.add_parser(
        "tracking-plan",
        help="write the tracking plan of the generated events (the seed tracking_plan.csv)",
        description=(
            "Print the tracking plan that the generator follows (growthkit.gen_vocab."
            "TRACKING_PLAN) as the CSV of the seed seeds/config/tracking_plan.csv, or write it "
            "to --out. Run it after changing the plan, so that the seed and the generator agree."
        ),
    )
    plan.add_argument("--out", type=Path, help="file to write (default: standard output)")

    report = commands.add_parser(
        "report",
        help="write the growth report (or one account's page) as a self-contained HTML file",
        description=(
            "Read the marts of a dbt build and the semantic layer, and write one HTML file "
            "that opens without a network: funnels, conversion windows, retention heatmap, "
            "lifecycle, attribution, touches, experiments, segments, tracking-plan health. "
            "--account ID writes that account's usage page instead. The relations are those "
            "of the build whose target directory --target-path names (its manifest.json and "
            "semantic_manifest.json)."
        ),
    )
    report.add_argument(
        "--out",
        type=Path,
        help="HTML file to write (default reports/growth_report.html, or "
        "reports/account_<ID>.html with --account)",
    )
    report.add_argument("--account", help="an account_id of dim_accounts: its page only")
    where = report.add_mutually_exclusive_group()
    where.add_argument(
        "--duckdb",
        type=Path,
        default=Path("data/growth.duckdb"),
        help="DuckDB file the build wrote (default data/growth.duckdb)",
    )
    where.add_argument(
        "--postgres", action="store_true", help="the Postgres database the PG* variables name"
    )
    report.add_argument(
        "--target-path",
        type=Path,
        default=Path("target"),
        help="the build's dbt target directory (default target)",
    )
    return parser


def _generate(args: argparse.Namespace) -> None:
    from growthkit.generate import GenConfig, HazardRates, generate

    hazards = HazardRates.none() if args.no_hazards else HazardRates()
    hazards = hazards.with_overrides(dict(args.hazard))
    events = args.events if args.events is not None or args.users is not None else DEFAULT_EVENTS
    cfg = GenConfig(
        visitors=args.users,
        events=events,
        days=args.days,
        seed=args.seed,
        start_date=args.start_date,
        hazards=hazards,
        chunk_visitors=args.chunk_users,
    )
    generate(cfg, args.out, progress=not args.quiet)


def _load(args: argparse.Namespace) -> None:
    from growthkit.load import load_duckdb, load_postgres

    if args.duckdb is not None:
        load_duckdb(args.src, args.duckdb)
    else:
        load_postgres(args.src, progress=not args.quiet)


def _tracking_plan(args: argparse.Namespace) -> None:
    from growthkit.gen_vocab import tracking_plan_csv

    text = tracking_plan_csv()
    if args.out is None:
        sys.stdout.write(text)
        return
    try:
        args.out.write_text(text)
    except OSError as exc:
        raise _CliError(f"cannot write {args.out}: {exc}; choose another --out") from exc


def _report(args: argparse.Namespace) -> None:
    import os

    from growthkit.dbt_runner import Warehouse
    from growthkit.report import write_report

    if args.postgres:
        warehouse = Warehouse("postgres", dict(os.environ))
    else:
        if not args.duckdb.exists():
            raise _CliError(f"{args.duckdb} does not exist: run bin/demo first, or pass --duckdb")
        warehouse = Warehouse("duckdb", {"GROWTH_DUCKDB_PATH": str(args.duckdb)})
    out = args.out or Path(
        "reports", f"account_{args.account}.html" if args.account else "growth_report.html"
    )
    try:
        page = write_report(args.target_path, warehouse, out, account_id=args.account)
    except (FileNotFoundError, LookupError) as exc:
        raise _CliError(str(exc)) from exc
    empty = [chart.title for chart in page.charts if chart.figure is None]
    print(f"growthkit report: wrote {out} ({len(page.charts)} charts", end="")
    print(f"; no data for: {', '.join(empty)})" if empty else ")")


class _CliError(RuntimeError):
    """A command failed in a way the message explains."""


def main(argv: Sequence[str] | None = None) -> int:
    from growthkit.generate import GenerateError
    from growthkit.load import LoadError

    args = _parser().parse_args(argv)
    try:
        if args.command == "generate":
            _generate(args)
        elif args.command == "tracking-plan":
            _tracking_plan(args)
        elif args.command == "report":
            _report(args)
        else:
            _load(args)
    except (GenerateError, LoadError, _CliError) as exc:
        print(f"growthkit {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"growthkit {args.command}: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
