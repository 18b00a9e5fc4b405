"""Event-name normalisation keeps every script whatever the database's locale.

On PostgreSQL, POSIX regex classes and ``lower()`` follow the collation's ctype, and a ``C``
database (the throwaway server runs ``initdb --locale C``) knows ASCII only: without the
explicit ICU collation of macro ``unicode_regex_syntax``, Arabic names would be quarantined and
``Café``/``Cafü`` merged with a green build. These tests run the hand-written cases of
``assert_normalize_event_name`` in a fresh database with a ``C`` ctype, and check that a
database the rules cannot work in (PostgreSQL, not UTF8) stops the build with a message that
says what is needed instead of mis-normalising.
"""

from __future__ import annotations

from dataclasses import replace

from growthkit.dbt_runner import Engine

NAME_CASES = "assert_normalize_event_name"


def _fresh_database(engine: Engine, name: str, encoding: str) -> Engine:
    work_dir = engine.work_dir / name
    work_dir.mkdir(parents=True, exist_ok=True)
    if engine.name == "duckdb":
        path = work_dir / f"{name}.duckdb"
        path.unlink(missing_ok=True)
        return replace(
            engine, env={**engine.env, "GROWTH_DUCKDB_PATH": str(path)}, work_dir=work_dir
        )
    engine.warehouse.execute(f"drop database if exists {name}")
    engine.warehouse.execute(
        f"create database {name} encoding '{encoding}' lc_collate 'C' lc_ctype 'C' "
        "template template0"
    )
    return replace(engine, env={**engine.env, "PGDATABASE": name}, work_dir=work_dir)


def test_event_names_keep_every_script_in_a_c_locale_database(engine: Engine) -> None:
    own = _fresh_database(engine, "names_c_ctype", "UTF8")
    if engine.name == "postgres":
        ctype = own.warehouse.scalar(
            "select datctype from pg_database where datname = current_database()"
        )
        assert ctype == "C", f"the test database should have a C ctype, not {ctype!r}"
    run = own.dbt("test", "--select", NAME_CASES, check=False)
    assert run.ok, f"event names are normalised wrongly on {engine.name}:\n{run.describe()}"


def test_event_names_refuse_a_database_they_cannot_normalise_in(engine: Engine) -> None:
    if engine.name == "duckdb":
        # DuckDB has no database encoding or locale: every database can normalise.
        run = _fresh_database(engine, "names_any", "UTF8").dbt("compile", "--select", NAME_CASES)
        assert run.ok
        return
    own = _fresh_database(engine, "names_sql_ascii", "SQL_ASCII")
    run = own.dbt("compile", "--select", NAME_CASES, check=False)
    assert not run.ok, "a SQL_ASCII database compiled the event-name rules"
    assert "need a UTF8" in run.output and "und-x-icu" in run.output, run.output[-2000:]
