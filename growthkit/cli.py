"""The ``growthkit`` command line.

growthkit generate --out data/generated [--events N | --users N] [--days D] [--seed S]
                   [--start-date YYYY-MM-DD] [--no-hazards] [--hazard NAME=RATE ...]
growthkit load --from data/generated (--duckdb data/growth.duckdb | --postgres)
growthkit tracking-plan [--out seeds/config/tracking_plan.csv]
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
