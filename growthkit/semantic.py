"""The project's semantic layer (MetricFlow) from Python: the SQL of a metric query, run on the
warehouse a dbt target built.

MetricFlow plans a query from ``semantic_manifest.json`` (written by any ``dbt parse`` or
``dbt build``) and renders it for one engine; this module renders it without a dbt adapter
(``MetricFlowEngine.explain`` only needs the engine's SQL dialect) and runs it with
:class:`growthkit.dbt_runner.Warehouse`, so that a test or the report can query hundreds of
metrics with one project load. ``mf query`` gives the same SQL (see the README).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NoReturn

from growthkit.dbt_runner import Warehouse

# MetricFlow warns once per metric that dbt created from a measure (create_metric: true) with
# an expression ("should not have an expr set if it's proxy from measures"): dbt writes the
# expression into the metric, MetricFlow resets it to the measure's. Nothing to act on.
logging.getLogger("metricflow_semantic_interfaces.transformations.fix_proxy_metrics").setLevel(
    logging.ERROR
)


def _unsupported(what: str) -> NoReturn:
    raise NotImplementedError(
        f"{what}: this client only renders SQL; run it with growthkit.dbt_runner.Warehouse"
    )


class _RenderOnlySqlClient:
    """The part of MetricFlow's SqlClient protocol that ``explain`` uses: the dialect."""

    def __init__(self, engine: str) -> None:
        from metricflow.protocols.sql_client import SqlEngine
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
        from metricflow.sql.render.postgres import PostgresSQLSqlPlanRenderer

        dialects = {
            "duckdb": (SqlEngine.DUCKDB, DuckDbSqlPlanRenderer),
            "postgres": (SqlEngine.POSTGRES, PostgresSQLSqlPlanRenderer),
        }
        if engine not in dialects:
            raise ValueError(
                f"no MetricFlow dialect for engine {engine!r}; known: {sorted(dialects)}"
            )
        self._engine, renderer = dialects[engine]
        self._renderer = renderer()

    @property
    def sql_engine_type(self) -> Any:
        return self._engine

    @property
    def sql_plan_renderer(self) -> Any:
        return self._renderer

    def query(self, *args: Any, **kwargs: Any) -> NoReturn:
        _unsupported("query")

    def execute(self, *args: Any, **kwargs: Any) -> NoReturn:
        _unsupported("execute")

    def dry_run(self, *args: Any, **kwargs: Any) -> NoReturn:
        _unsupported("dry_run")

    def close(self) -> None:
        return None

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"%({bind_parameter_key})s"


@dataclass(frozen=True)
class MetricResult:
    """The rows of one metric query, with MetricFlow's column names (``metric_time__day``,
    ``user__region``, the metric names)."""

    columns: list[str]
    rows: list[tuple[Any, ...]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass
class SemanticLayer:
    """Metric queries over the relations a dbt run built.

    ``target_path`` is that run's target directory (it holds ``semantic_manifest.json``), and
    ``warehouse`` the database it wrote to.
    """

    target_path: Path
    warehouse: Warehouse

    @cached_property
    def _engine(self) -> Any:
        from metricflow.engine.metricflow_engine import MetricFlowEngine
        from metricflow_semantics.model.dbt_manifest_parser import (
            parse_manifest_from_dbt_generated_manifest,
        )
        from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

        path = Path(self.target_path) / "semantic_manifest.json"
        if not path.exists():
            raise FileNotFoundError(
                f"{path} does not exist: run `dbt parse` (or a build) with this target first"
            )
        manifest = parse_manifest_from_dbt_generated_manifest(path.read_text())
        return MetricFlowEngine(
            semantic_manifest_lookup=SemanticManifestLookup(manifest),
            sql_client=_RenderOnlySqlClient(self.warehouse.target),
        )

    def metric_names(self) -> list[str]:
        """Every metric of the semantic manifest, sorted."""
        return sorted(metric.name for metric in self._engine.list_metrics(include_dimensions=False))

    def sql(
        self,
        metrics: Sequence[str],
        group_by: Sequence[str] = (),
        where: Sequence[str] = (),
        order_by: Sequence[str] = (),
    ) -> str:
        """The SQL MetricFlow writes for a query (as ``mf query --explain`` prints it)."""
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

        request = MetricFlowQueryRequest.create(
            metric_names=list(metrics),
            group_by_names=list(group_by) or None,
            where_constraints=list(where) or None,
            order_by_names=list(order_by) or None,
        )
        sql: str = self._engine.explain(mf_request=request).sql_statement.without_descriptions.sql
        return sql

    def query(
        self,
        metrics: Sequence[str],
        group_by: Sequence[str] = (),
        where: Sequence[str] = (),
        order_by: Sequence[str] = (),
    ) -> MetricResult:
        """Run a metric query on the warehouse."""
        columns, rows = self.warehouse.query_with_columns(
            self.sql(metrics, group_by, where, order_by)
        )
        return MetricResult(columns, rows)
