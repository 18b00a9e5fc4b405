"""The raw-data contract: the tables and columns Segment's warehouse connector (and the shop and
marketing sources) write, with their types in Parquet/DuckDB and in Postgres.

The generator writes exactly these columns in this order; the loaders create tables from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pyarrow as pa

#: Logical column types: "text", "timestamp" (UTC), "date", "money" (decimal(12,2)), "number"
#: (double precision, as Segment types a JSON number) and "boolean".
TEXT: Final = "text"
TIMESTAMP: Final = "timestamp"
DATE: Final = "date"
MONEY: Final = "money"
NUMBER: Final = "number"
BOOLEAN: Final = "boolean"

ARROW_TYPES: Final[dict[str, pa.DataType]] = {
    TEXT: pa.string(),
    TIMESTAMP: pa.timestamp("us"),
    DATE: pa.date32(),
    MONEY: pa.decimal128(12, 2),
    NUMBER: pa.float64(),
    BOOLEAN: pa.bool_(),
}
DUCKDB_TYPES: Final = {TEXT: "varchar", TIMESTAMP: "timestamp", DATE: "date",
                       MONEY: "decimal(12,2)", NUMBER: "double", BOOLEAN: "boolean"}  # fmt: skip
POSTGRES_TYPES: Final = {TEXT: "text", TIMESTAMP: "timestamp with time zone", DATE: "date",
                         MONEY: "numeric(12,2)", NUMBER: "double precision",
                         BOOLEAN: "boolean"}  # fmt: skip


@dataclass(frozen=True)
class RawTable:
    schema: str
    name: str
    columns: tuple[tuple[str, str], ...]

    @property
    def key(self) -> str:
        """``schema.table``, as used in the manifest."""
        return f"{self.schema}.{self.name}"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([(name, ARROW_TYPES[kind]) for name, kind in self.columns])


def _cols(spec: str) -> tuple[tuple[str, str], ...]:
    """'a b:timestamp c' -> (('a', 'text'), ('b', 'timestamp'), ('c', 'text'))."""
    out = []
    for item in spec.split():
        name, _, kind = item.partition(":")
        kind = kind or TEXT
        if kind not in ARROW_TYPES:
            raise ValueError(f"unknown column type {kind!r} of {name}")
        out.append((name, kind))
    return tuple(out)


_SEGMENT_TIMES = (
    "timestamp:timestamp original_timestamp:timestamp sent_at:timestamp received_at:timestamp"
)
_CAMPAIGN = (
    "context_campaign_source context_campaign_medium context_campaign_name "
    "context_campaign_term context_campaign_content"
)

TRACKS: Final = RawTable(
    "segment",
    "tracks",
    _cols(
        f"id anonymous_id user_id event event_text {_SEGMENT_TIMES} context_ip "
        "context_user_agent context_library_name context_page_url context_page_path "
        f"context_page_referrer {_CAMPAIGN} context_timezone"
    ),
)
PAGES: Final = RawTable(
    "segment",
    "pages",
    _cols(
        f"id anonymous_id user_id name url path referrer title search {_SEGMENT_TIMES} "
        f"context_ip context_user_agent context_library_name {_CAMPAIGN} context_timezone"
    ),
)
IDENTIFIES: Final = RawTable(
    "segment",
    "identifies",
    _cols(
        "id anonymous_id user_id email name region heard_about created_at:timestamp "
        f"{_SEGMENT_TIMES} context_ip context_user_agent"
    ),
)
GROUPS: Final = RawTable(
    "segment", "groups", _cols(f"id anonymous_id user_id group_id name plan {_SEGMENT_TIMES}")
)
EXPERIMENT_VIEWED: Final = RawTable(
    "segment",
    "experiment_viewed",
    _cols(
        "id anonymous_id user_id experiment_id variation_id timestamp:timestamp "
        "received_at:timestamp"
    ),
)


def _event_table(name: str, properties: str) -> RawTable:
    """A Segment per-event table: every column of ``tracks``, then one per property of the call
    (nested objects flattened with ``_``), typed as the warehouse connector typed it."""
    return RawTable("segment", name, TRACKS.columns + _cols(properties))


#: Per-event tables (besides experiment_viewed, which keeps its older, narrower layout). Each row
#: is a row of ``tracks`` (same id and common columns). Types are the warehouse's, not the
#: tracking plan's: ``order_completed.revenue`` is text because a source once sent a string,
#: and ``document_searched.debug_mode`` is a property the plan does not list.
DOCUMENT_SEARCHED: Final = _event_table(
    "document_searched", "query results_count:number result_clicked:boolean debug_mode:boolean"
)
SEARCH_RATED: Final = _event_table("search_rated", "rating search_id")
POST_VOTED: Final = _event_table("post_voted", "post_id direction")
COMMENT_POSTED: Final = _event_table("comment_posted", "post_id feature_area")
ORDER_COMPLETED: Final = _event_table("order_completed", "order_id revenue currency")
INTEGRATION_CONNECTED: Final = _event_table("integration_connected", "provider plan_tier")
EVENT_TABLES: Final = (
    DOCUMENT_SEARCHED,
    SEARCH_RATED,
    POST_VOTED,
    COMMENT_POSTED,
    ORDER_COMPLETED,
    INTEGRATION_CONNECTED,
)

ORDERS: Final = RawTable(
    "shop", "orders", _cols("order_id user_id created_at:timestamp status revenue:money region")
)
AD_SPEND: Final = RawTable(
    "marketing", "ad_spend", _cols("date:date utm_source utm_medium utm_campaign spend:money")
)

#: Every raw table, the one registry that the generator, the loaders and the tests loop over.
RAW_TABLES: Final = (
    TRACKS,
    PAGES,
    IDENTIFIES,
    GROUPS,
    EXPERIMENT_VIEWED,
    *EVENT_TABLES,
    ORDERS,
    AD_SPEND,
)
SCHEMAS: Final = ("segment", "shop", "marketing")
