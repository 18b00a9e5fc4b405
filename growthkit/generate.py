"""Deterministic, vectorised generator of realistic Segment-spec raw data.

It writes the project's raw contract (``gen_contract.RAW_TABLES``) as Parquet, one file per
table under ``<out>/<schema>/<table>.parquet`` (one row group per chunk of visitors), plus
``<out>/manifest.json`` with the exact number of rows of every injected hazard per table.

The model, per visitor (everything drawn with numpy, in chunks of ``chunk_visitors``):

- an acquisition channel (paid/organic search, paid/organic social, email, affiliate,
  referral, display, direct) and an acquisition day (more visitors later in the window, fewer
  at weekends); sessions on later days with gaps that grow with each return (churn), each
  session at a local hour of day drawn from a daily activity curve and at least 35 minutes
  after the previous session's last call (so a 30-minute timeout splits them exactly);
- per session a channel (the first one is the acquisition channel), UTM tags on the landing URL
  (and in ``context_campaign_*``, except at the ``utm_url_only`` rate), an external referrer,
  several page views and some track events;
- a signup for some visitors (channel-dependent; the ``exp_signup_cta`` variant converts a bit
  better), with an identify call, a group call assigning the user to an account (plan
  free/team/enterprise; some accounts upgrade, some users move account), then activation
  (``Project Created``, ``Invited Teammate``) and checkouts with drop-off, orders and repeat
  orders (``exp_checkout_redesign``'s variant completes a bit more often); ``Order Completed``
  is sent server-side (analytics-node), sometimes without the anonymous id;
- a second device for a quarter of the users (web or the iOS/Android app), a few of which are
  another user's browser (a shared device: one anonymous id, two user ids);
- Segment's time columns from a device clock skew, batching delay and network latency, so that
  ``timestamp = received_at - (sent_at - original_timestamp)`` holds for clean rows;
- product usage with typed properties: docs searches (``Document Searched``, some rated by
  ``Search Rated`` shortly after, naming the search's message id), votes and comments on the
  community board's posts, integrations connected after activation. As Segment's warehouse
  connector does, every track call with properties is written to ``tracks`` and to a per-event
  table (``gen_contract.EVENT_TABLES``): the same row's columns plus one per property.

Hazards (``HazardRates``) are injected at the given rates: re-delivered duplicates (only of
clean rows), the time and id defects (mutually exclusive per row), bots, internal users,
unicode/quote text, event-name variants, UTM tags only in the URL, mixed-case emails, orders
without user and duplicated orders. ``HazardRates.none()`` turns all of them off.

Personal data where it should not be (what the dbt project must redact or reject): at the
``email_in_url`` rate, a call's visitor's email is planted in its page URL's query string (and,
for pages, the search), in its path, in its referrer or in a UTM term (in the URL, and in
``context_campaign_term`` as captured), plain, ``%40``-encoded or upper case and encoded, and
in the query of a docs search; duplicates of a call carry the same. At the ``odd_email`` rate
a user's identify email is written in display-name form (``Name <email>``), with a trailing
dot, in upper case, or is no address at all (the user's name or a phone number; never for
internal users, who keep an internal address). This uses a random stream of its own, so the
other columns and counts are those of the same seed without it.

Tracking-plan faults (against ``gen_vocab.TRACKING_PLAN``, written as the seed
``seeds/config/tracking_plan.csv``) are planted the same way and counted, by their definitions,
into ``manifest["tracking_faults"]``, twice: as raw rows, duplicates included (``rows``), and as
the usable calls the dbt project's tracking-QA mart counts, one per message id (``calls``, and
``calls_by_date`` by the UTC date of the staged event time; CALL_DEFINITIONS, USABLE_CALL). The
faults: an unplanned event (Debug Ping), an unplanned property (document_searched.debug_mode), a
required property missing (order_completed.order_id), a number sent as non-numeric text
(order_completed.revenue), a value outside the allowed list (search_rated.rating = 'meh'), event
names not spelled as planned, calls without user id after an identify of the device, a day on
which one event nearly vanishes, a day on which another is sent ~10x, and a property that first
appears mid-period.

The same seed (and the same arguments) gives byte-identical files.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm import tqdm

from growthkit import gen_arrow as A
from growthkit import gen_vocab as V
from growthkit.gen_contract import (
    AD_SPEND,
    COMMENT_POSTED,
    DOCUMENT_SEARCHED,
    EVENT_TABLES,
    EXPERIMENT_VIEWED,
    GROUPS,
    IDENTIFIES,
    INTEGRATION_CONNECTED,
    ORDER_COMPLETED,
    ORDERS,
    PAGES,
    POST_VOTED,
    RAW_TABLES,
    SEARCH_RATED,
    TEXT,
    TRACKS,
    RawTable,
)

__all__ = [
    "GenConfig",
    "GenerateError",
    "HazardRates",
    "generate",
    "parquet_path",
]

GENERATOR_VERSION: Final = 1
MANIFEST: Final = "manifest.json"

MS: Final = 1_000  # microseconds
SECOND: Final = 1_000_000
MINUTE: Final = 60 * SECOND
HOUR: Final = 60 * MINUTE
DAY: Final = 24 * HOUR
NEVER: Final = np.iinfo(np.int64).max // 2

#: Minimum gap between the last call of a session and the first of the next one (must exceed
#: the 30-minute session timeout), and how long after its last page view a session's calls may go.
SESSION_SPACING: Final = 35 * MINUTE
SESSION_TAIL: Final = 10 * MINUTE
#: Every Segment call is delivered at most this late unless it is a late-arriving hazard.
MAX_NORMAL_DELAY: Final = 60 * SECOND
#: An event time more than this after received_at is a device clock in the future: the staged
#: event time is received_at instead (the dbt project's var max_future_clock_minutes).
MAX_FUTURE_CLOCK: Final = 60 * MINUTE


class GenerateError(ValueError):
    """The generator was asked for something it cannot do; the message says what to change."""


# --- configuration ------------------------------------------------------------------------------
#: Per-row defects of Segment calls, mutually exclusive (code = position + 1; 0 = clean).
ROW_HAZARDS: Final = (
    "null_timestamp",
    "null_client_times",
    "all_times_null",
    "future_clock",
    "late_arriving",
    "missing_id",
    "missing_identity",
)
_NULL_TS, _NULL_CLIENT, _ALL_NULL, _FUTURE, _LATE, _MISSING_ID, _MISSING_IDENTITY = range(1, 8)

HAZARD_DESCRIPTIONS: Final = {
    "duplicate_id": "extra deliveries of a message id (same row, later received_at; 30% of "
    "them 1-3 days later); count = rows - distinct non-null ids",
    "null_timestamp": "timestamp null; original_timestamp, sent_at, received_at present",
    "null_client_times": "timestamp, original_timestamp and sent_at null; received_at present",
    "all_times_null": "all four time columns null (unusable)",
    "future_clock": "device clock ahead: timestamp (= original_timestamp) 2-12 hours after "
    "received_at",
    "late_arriving": "received_at 1-72 hours after timestamp (offline queue); counted on first "
    "deliveries only",
    "missing_id": "id null",
    "missing_identity": "anonymous_id and user_id both null",
    "bot_user_agent": "rows whose context_user_agent is a crawler/script (Googlebot, bingbot, "
    "HeadlessChrome, python-requests), duplicates included",
    "unicode_text": "rows with a non-ASCII or quote character in some text column, duplicates "
    "included",
    "event_name_variant": "event_text in snake_case or camelCase instead of 'Title Case'",
    "utm_url_only": "UTM tags in the URL but context_campaign_* all null",
    "internal_user_rows": "rows whose user_id belongs to an internal user (email at "
    f"{V.INTERNAL_DOMAIN})",
    "internal_email": "identify rows with an email at the internal domain (any letter case)",
    "mixed_case_email": "identify rows whose email has upper-case letters",
    "email_in_text": "rows with an email address (plain, or %40-encoded) in a page URL, path, "
    "referrer, search or a campaign term/content column (context_campaign_term, "
    "context_campaign_content), duplicates included",
    "email_in_query": "document_searched rows whose query (the search text as typed) holds the "
    "searcher's email",
    "odd_email": "identify rows whose email is in display-name form (Name <email>), ends with a "
    "dot, is all upper case, or has no '@' (a name or a phone number)",
    "null_user_id": "orders with user_id null",
    "duplicate_order_id": "extra copies of an order row (identical); rows - distinct order_id",
    "unplanned_event": "rows whose event is not in the tracking plan (seeds/config/"
    "tracking_plan.csv: event = the snake_case of a planned event_name)",
    "non_standard_event_name": "rows of a planned event whose event_text differs from the "
    "plan's spelling (event_name, Title Case)",
    "missing_user_id_after_identify": "rows with anonymous_id not null, user_id null and a "
    "non-null timestamp later than the timestamp of some identifies row with the same "
    "anonymous_id",
    "unplanned_property": "rows with a non-null value in a property column the plan does not "
    "list for the event (columns of the per-event table that tracks does not have)",
    "missing_required_property": "rows where some property the plan marks is_required is null",
    "wrong_type": "rows where a property planned as a number is delivered in a text column and "
    "its value is not null and does not match ^-?[0-9]+(\\.[0-9]+)?$",
    "value_not_allowed": "rows where some property with allowed_values in the plan has a "
    "non-null value not in that list",
}

#: Tracking-plan faults (manifest["tracking_faults"]). Row faults are counted per raw row,
#: duplicates included, by the definitions in HAZARD_DESCRIPTIONS; these say where.
TRACKING_FAULT_DESCRIPTIONS: Final = {
    "unplanned_event": "segment.tracks rows of an event that is not in the tracking plan",
    "unplanned_property": "rows of the per-event tables with a value in an unplanned property "
    "column",
    "missing_required_property": "rows of the per-event tables with a required property null",
    "wrong_type": "rows of the per-event tables whose number property holds non-numeric text",
    "value_not_allowed": "rows of the per-event tables with a value outside allowed_values",
    "non_standard_event_name": "segment.tracks rows whose event_text is not the planned spelling",
    "missing_user_id_after_identify": "segment.tracks plus segment.pages rows (natural ones "
    "included: another user's login on a shared device, ...)",
    "volume_drop": "on one day (UTC date of timestamp) the event loses this share of its calls "
    "(hazard volume_drop); daily_rows counts segment.tracks rows of the event by that date",
    "volume_spike": "on one day the event is sent 1 + 9 x volume_spike times as often; "
    "daily_rows as for volume_drop",
    "new_property": "a property column null on every row whose timestamp is before first_date "
    "and not null on every row whose timestamp is on or after it (rows without timestamp: null)",
}
#: How manifest["tracking_faults"][fault]["calls"] counts: usable calls, one per message id,
#: as the dbt project's tracking-QA mart counts them on staged data (bots and internal users
#: included). calls_by_date splits them by the UTC date of the call's event time.
USABLE_CALL: Final = (
    "a call is a raw row with a non-blank trimmed id, a non-blank anonymous_id or user_id and "
    "an event time (timestamp; else received_at - (sent_at - original_timestamp); else "
    "received_at; received_at where that is more than 60 minutes after received_at); of the "
    "usable rows of one trimmed id in a table, the copy received first"
)
_PER_EVENT_CALL = (
    "per-event rows whose trimmed id is a usable tracks call's (deduplicated the same way; "
    "dated by the tracks call), one count per violated property"
)
CALL_DEFINITIONS: Final = {
    "unplanned_event": "tracks calls whose event name (snake_case of coalesce(event, "
    "event_text), trimmed) is not a planned event_name's",
    "non_standard_event_name": "tracks calls of a planned event whose trimmed event_text is not "
    "blank and differs (case-sensitively) from the plan's event_name",
    "missing_user_id_after_identify": "tracks and pages calls with a non-blank anonymous_id and "
    "a blank user_id, later (event time) than a usable identifies call of the same anonymous_id",
    "unplanned_property": f"{_PER_EVENT_CALL}: a non-null value in a column the plan does not "
    "list for the event",
    "missing_required_property": f"{_PER_EVENT_CALL}: a required property null or blank",
    "wrong_type": f"{_PER_EVENT_CALL}: a non-blank trimmed value of a number property not "
    "matching ^-?[0-9]+(\\.[0-9]+)?$ or longer than 20 characters; of a boolean one not "
    "true/false in any case",
    "value_not_allowed": f"{_PER_EVENT_CALL}: a non-blank trimmed value not in allowed_values "
    "(case-sensitive)",
}
#: The event that loses most of its calls on one day, and the one sent ~10x on another.
DROP_EVENT: Final = "Report Created"
SPIKE_EVENT: Final = "Button Clicked"
#: The property column that first appears mid-period (hazard mid_period_property).
NEW_PROPERTY: Final = ("Integration Connected", "plan_tier")


@dataclass(frozen=True)
class HazardRates:
    """Rates of the injected data-quality hazards (fractions, 0..1).

    Row-level rates apply to each Segment call independently (and exclusively of one another);
    ``bot_visitor`` is a share of visitors, ``internal_user`` a share of signed-up users,
    ``unicode_text`` the chance that a name, title or campaign is an odd (non-ASCII/quoted) one.
    The tracking-plan faults are described at their fields.
    """

    duplicate: float = 0.01
    null_timestamp: float = 0.01
    null_client_times: float = 0.005
    all_times_null: float = 0.002
    future_clock: float = 0.005
    late_arriving: float = 0.01
    missing_id: float = 0.002
    missing_identity: float = 0.002
    bot_visitor: float = 0.02
    internal_user: float = 0.02
    unicode_text: float = 0.02
    event_name_variant: float = 0.03
    utm_url_only: float = 0.05
    mixed_case_email: float = 0.03
    #: Personal data in the wrong place: a share of track and page calls with the visitor's
    #: email in their URL, path, referrer or UTM term; a share of identified users whose
    #: identify email is in display-name form, with a trailing dot, upper case, or no address.
    email_in_url: float = 0.005
    odd_email: float = 0.05
    order_null_user: float = 0.01
    order_duplicate: float = 0.005
    #: Tracking-plan faults: a Debug Ping after this share of track calls; shares of Document
    #: Searched calls with debug_mode, of Order Completed calls without order_id and with a
    #: non-numeric revenue, of Search Rated calls rated 'meh'; of identified calls that lose
    #: their user_id (tracks and pages).
    unplanned_event: float = 0.002
    unplanned_property: float = 0.01
    missing_required_property: float = 0.03
    wrong_type: float = 0.05
    value_not_allowed: float = 0.03
    missing_user_id_after_identify: float = 0.005
    #: Share of DROP_EVENT's calls lost on the drop day; SPIKE_EVENT is sent 1 + 9 x
    #: volume_spike times as often on the spike day; plan_tier is first sent after this share
    #: of the days (0: from the first day).
    volume_drop: float = 0.97
    volume_spike: float = 1.0
    mid_period_property: float = 0.5

    @classmethod
    def none(cls) -> HazardRates:
        """All rates zero: clean data."""
        return cls(**{f.name: 0.0 for f in fields(cls)})

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def with_overrides(self, overrides: Mapping[str, float]) -> HazardRates:
        unknown = sorted(set(overrides) - set(self.names()))
        if unknown:
            raise GenerateError(
                f"unknown hazard {', '.join(unknown)}; known: {', '.join(self.names())}"
            )
        return replace(self, **dict(overrides))

    def validate(self) -> None:
        for name in self.names():
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise GenerateError(f"hazard rate {name}={value} is not between 0 and 1")
        total = sum(getattr(self, name) for name in ROW_HAZARDS)
        if total > 0.5:
            raise GenerateError(
                f"the row-level hazard rates ({', '.join(ROW_HAZARDS)}) add up to {total:.3f}; "
                "keep their sum at most 0.5"
            )

    def row_probabilities(self) -> np.ndarray:
        return np.array([getattr(self, name) for name in ROW_HAZARDS])


@dataclass(frozen=True)
class GenConfig:
    """What to generate. Give ``visitors`` or ``events`` (tracks + pages rows, approximate)."""

    visitors: int | None = None
    events: int | None = None
    days: int = 90
    seed: int = 42
    start_date: date = date(2024, 1, 1)
    hazards: HazardRates = field(default_factory=HazardRates)
    chunk_visitors: int = 25_000

    def validate(self) -> None:
        if (self.visitors is None) == (self.events is None):
            raise GenerateError("give exactly one of visitors (--users) or events (--events)")
        if self.visitors is not None and self.visitors < 1:
            raise GenerateError(f"--users must be at least 1, not {self.visitors}")
        if self.events is not None and self.events < 100:
            raise GenerateError(f"--events must be at least 100, not {self.events}")
        if not 1 <= self.days <= 3660:
            raise GenerateError(f"--days must be between 1 and 3660, not {self.days}")
        if self.seed < 0:
            raise GenerateError(f"--seed must be a non-negative integer, not {self.seed}")
        if not 1_000 <= self.chunk_visitors <= 10_000_000:
            raise GenerateError("chunk_visitors must be between 1,000 and 10,000,000")
        self.hazards.validate()


def parquet_path(root: Path, table: RawTable) -> Path:
    return root / table.schema / f"{table.name}.parquet"


@dataclass(frozen=True)
class _FaultDays:
    """Day numbers (0 = start_date) of the volume drop, the spike and the new property."""

    drop: int
    spike: int
    new_property: int

    @classmethod
    def of(cls, cfg: GenConfig) -> _FaultDays:
        first = int(np.floor(cfg.days * cfg.hazards.mid_period_property))
        return cls(drop=(2 * cfg.days) // 3, spike=cfg.days // 3, new_property=first)


# --- vocabularies as Arrow arrays (built once) --------------------------------------------------
class _Vocab:
    def __init__(self) -> None:
        c = V.CAMPAIGNS
        self.source = A.vocab([x.source for x in c])
        self.medium = A.vocab([x.medium for x in c])
        self.campaign = A.vocab([x.name for x in c])
        self.term = A.vocab([x.term for x in c])
        self.content = A.vocab([x.content for x in c])
        self.campaign_odd = np.array([x.odd for x in c])
        self.campaign_ref = np.array(
            [V.EXTERNAL_REFERRERS.index(x.referrer) if x.referrer else -1 for x in c]
        )
        self.campaign_term_null = np.array([x.term is None for x in c])
        self.campaign_content_null = np.array([x.content is None for x in c])
        self.channel_campaigns = {
            ch: (
                np.array([i for i, x in enumerate(c) if x.channel == V.CHANNELS[ch] and not x.odd]),
                np.array([i for i, x in enumerate(c) if x.channel == V.CHANNELS[ch] and x.odd]),
            )
            for ch in range(len(V.CHANNELS))
            if any(x.channel == V.CHANNELS[ch] for x in c)
        }
        self.channel_refs = {
            V.CH[name]: (
                np.array(
                    [V.EXTERNAL_REFERRERS.index(u) if u else -1 for u, _ in refs], dtype=np.int64
                ),
                np.array([w for _, w in refs]) / sum(w for _, w in refs),
            )
            for name, refs in V.CHANNEL_REFERRERS.items()
        }
        self.urls = A.vocab(V.URLS)
        self.searches = A.vocab(V.SEARCHES)
        self.referrers = A.vocab(V.REFERRER_VOCAB)
        self.paths = A.vocab([p.path for p in V.PAGES])
        self.page_names = A.vocab([p.name for p in V.PAGES])
        self.titles = A.vocab([p.title for p in V.PAGES])
        self.page_odd = np.array([p.odd for p in V.PAGES])
        self.events = A.vocab(V.EVENT_SLUGS)
        self.event_texts = A.vocab(V.EVENT_TEXTS)
        self.agents = A.vocab([a.ua for a in V.AGENTS])
        self.libraries = A.vocab(V.LIBRARIES)
        self.timezones = A.vocab(V.TZ_NAMES)
        self.regions = A.vocab(V.REGIONS)
        self.heard = A.vocab(V.HEARD_ABOUT)
        self.names = A.vocab(V.NAMES)
        self.email_locals = A.vocab(V.EMAIL_LOCALS)
        self.email_locals_cased = A.vocab(V.EMAIL_LOCALS_CASED)
        self.email_domains = A.vocab(V.EMAIL_DOMAINS)
        self.email_domains_cased = A.vocab(V.EMAIL_DOMAINS_CASED)
        self.companies = A.vocab(V.COMPANIES)
        self.plans = A.vocab(V.PLANS)
        self.experiments = A.vocab(V.EXPERIMENTS)
        self.variations = A.vocab(V.VARIATIONS)
        self.statuses = A.vocab(V.ORDER_STATUSES)
        self.queries = A.vocab([query for query, _ in V.SEARCH_QUERIES])
        self.ratings = A.vocab(V.RATINGS)
        self.directions = A.vocab(V.VOTE_DIRECTIONS)
        self.posts = A.vocab([f"post_{i:05d}" for i in range(V.N_POSTS)])
        self.feature_areas = A.vocab(V.FEATURE_AREAS)
        self.providers = A.vocab(V.INTEGRATION_PROVIDERS)
        self.currencies = A.vocab(V.CURRENCIES)
        self.non_numeric = pa.array(V.NON_NUMERIC_REVENUES, type=pa.string())
        self.tz_currency = np.array(
            [
                V.CURRENCIES.index("GBP" if name == "Europe/London" else "EUR")
                if name.startswith("Europe/")
                else V.CURRENCIES.index("USD")
                for name in V.TZ_NAMES
            ]
        )
        self.generic = np.array([V.GENERIC_PRE, V.GENERIC_POST])
        self.generic_p = np.array([V.GENERIC_PRE_P, V.GENERIC_POST_P])
        self.nav_p = np.array([V.NAV_PRE_P, V.NAV_POST_P])
        self.app_pages = np.array([p.path.startswith(("/app/", "/checkout")) for p in V.PAGES])


_VOCAB: _Vocab | None = None


def _vocab() -> _Vocab:
    global _VOCAB
    if _VOCAB is None:
        _VOCAB = _Vocab()
    return _VOCAB


# --- Segment delivery: time columns, duplicates, row hazards ------------------------------------
@dataclass
class _Delivery:
    """Rows as delivered: ``rows`` indexes the base calls (duplicates repeat an index)."""

    rows: np.ndarray
    is_dup: np.ndarray
    code: np.ndarray  # row hazard code per delivered row (0 for clean rows and duplicates)
    timestamp: np.ndarray
    original_timestamp: np.ndarray
    sent_at: np.ndarray
    received_at: np.ndarray

    @property
    def ts_null(self) -> np.ndarray:
        return np.isin(self.code, (_NULL_TS, _NULL_CLIENT, _ALL_NULL))

    @property
    def client_null(self) -> np.ndarray:
        return np.isin(self.code, (_NULL_CLIENT, _ALL_NULL))

    @property
    def received_null(self) -> np.ndarray:
        return self.code == _ALL_NULL

    @property
    def id_null(self) -> np.ndarray:
        return self.code == _MISSING_ID

    @property
    def identity_null(self) -> np.ndarray:
        return self.code == _MISSING_IDENTITY

    def select(self, mask: np.ndarray) -> _Delivery:
        return _Delivery(
            self.rows[mask],
            self.is_dup[mask],
            self.code[mask],
            self.timestamp[mask],
            self.original_timestamp[mask],
            self.sent_at[mask],
            self.received_at[mask],
        )

    def time_columns(self, with_client: bool = True) -> dict[str, pa.Array]:
        cols = {"timestamp": A.timestamps(self.timestamp, self.ts_null)}
        if with_client:
            cols["original_timestamp"] = A.timestamps(self.original_timestamp, self.client_null)
            cols["sent_at"] = A.timestamps(self.sent_at, self.client_null)
        cols["received_at"] = A.timestamps(self.received_at, self.received_null)
        return cols

    def event_at(self) -> tuple[np.ndarray, np.ndarray]:
        """The event time of each row as the project stages it, from the written columns:
        ``timestamp``; else received_at - (sent_at - original_timestamp); else received_at;
        received_at where the result is more than MAX_FUTURE_CLOCK after it. Returns the times
        (us) and whether a row has one."""
        has_received = ~self.received_null
        corrected = self.received_at - (self.sent_at - self.original_timestamp)
        at = np.where(
            ~self.ts_null,
            self.timestamp,
            np.where(~self.client_null & has_received, corrected, self.received_at),
        )
        future = has_received & (at > self.received_at + MAX_FUTURE_CLOCK)
        at = np.where(future, self.received_at, at)
        return at, ~self.ts_null | has_received

    def calls(self, usable: np.ndarray) -> np.ndarray:
        """Which rows are calls: of the ``usable`` rows of one message (one id: one base call),
        the copy received first (received_at null last; ties: the first row)."""
        idx = np.flatnonzero(usable)
        copies = np.bincount(self.rows[idx])[self.rows[idx]]
        out = np.zeros(len(self.rows), dtype=bool)
        out[idx[copies == 1]] = True
        idx = idx[copies > 1]  # few: sort only these
        received = np.where(self.received_null[idx], NEVER, self.received_at[idx])
        idx = idx[np.lexsort((received, self.rows[idx]))]
        first = np.ones(len(idx), dtype=bool)
        first[1:] = self.rows[idx[1:]] != self.rows[idx[:-1]]
        out[idx[first]] = True
        return out

    def counts(self) -> dict[str, int]:
        out = {"rows": len(self.rows), "duplicate_id": int(self.is_dup.sum())}
        binc = np.bincount(self.code, minlength=len(ROW_HAZARDS) + 1)
        out.update({name: int(binc[i + 1]) for i, name in enumerate(ROW_HAZARDS)})
        return out


def _deliver(
    rng: np.random.Generator,
    t: np.ndarray,
    skew: np.ndarray,
    kind: np.ndarray,
    rates: HazardRates,
) -> _Delivery:
    """Segment's four time columns for calls made at true times ``t`` (us), with hazards.

    ``kind``: 0 browser (batched ~1 s), 1 mobile app (batched ~20 s), 2 server.
    """
    n = len(t)
    p = rates.row_probabilities()
    code = np.searchsorted(np.cumsum(p), rng.random(n), side="right") + 1
    code[code > len(ROW_HAZARDS)] = 0
    code = code.astype(np.int8)
    latency = rng.integers(30, 900, n) * MS
    scale = np.array([1.5, 20.0, 0.2])[kind] * SECOND
    delay = np.minimum(rng.exponential(scale) // MS * MS, MAX_NORMAL_DELAY).astype(np.int64)
    late = code == _LATE
    delay[late] = rng.integers(HOUR // MS, 72 * HOUR // MS, int(late.sum())) * MS
    original = t + skew
    sent = original + delay
    received = t + delay + latency
    timestamp = t + latency
    future = code == _FUTURE
    ahead = rng.integers(2 * HOUR // MS, 12 * HOUR // MS, int(future.sum())) * MS
    original[future] = t[future] + ahead
    sent[future] = original[future] + delay[future]
    timestamp[future] = original[future]

    dup_src = np.flatnonzero((code == 0) & (rng.random(n) < rates.duplicate))
    later_day = rng.random(len(dup_src)) < 0.3
    redelivery = (
        np.where(
            later_day,
            rng.integers(DAY // MS, 3 * DAY // MS, len(dup_src)),
            rng.integers(SECOND // MS, 10 * MINUTE // MS, len(dup_src)),
        )
        * MS
    )
    rows = np.concatenate([np.arange(n), dup_src])
    is_dup = np.zeros(len(rows), dtype=bool)
    is_dup[n:] = True
    return _Delivery(
        rows=rows,
        is_dup=is_dup,
        code=np.concatenate([code, np.zeros(len(dup_src), dtype=np.int8)]),
        timestamp=timestamp[rows],
        original_timestamp=original[rows],
        sent_at=sent[rows],
        received_at=np.concatenate([received, received[dup_src] + redelivery]),
    )


# --- one chunk of visitors ----------------------------------------------------------------------
#: Calls by fault, then by _fault_key(table, event, property), then by day (days since 1970).
_CallDays = dict[str, dict[str, dict[int, int]]]


def _add_calls(calls: _CallDays, fault: str, key: str, at: np.ndarray) -> None:
    """Count calls at event times ``at`` (us) under ``calls[fault][key]`` by day; the key is
    recorded even without calls."""
    per_day = calls.setdefault(fault, {}).setdefault(key, {})
    days, n = np.unique(at // DAY, return_counts=True)
    for day_number, count in zip(days.tolist(), n.tolist(), strict=True):
        per_day[day_number] = per_day.get(day_number, 0) + count


@dataclass
class _ChunkOut:
    tables: dict[str, pa.Table]
    counts: dict[str, dict[str, int]]
    stats: dict[str, int]
    #: Tracking-plan fault rows by fault, then by _fault_key(table, event, property).
    faults: dict[str, dict[str, int]]
    #: Tracking-plan fault calls (CALL_DEFINITIONS), keyed as ``faults``, per day (UTC days
    #: since 1970-01-01 of the call's event time).
    calls: _CallDays
    #: Rows of DROP_EVENT and SPIKE_EVENT in tracks per day of the window (by timestamp).
    daily: dict[str, np.ndarray]

    @property
    def events(self) -> int:
        return self.counts[TRACKS.key]["rows"] + self.counts[PAGES.key]["rows"]


@dataclass
class _Window:
    start_us: int
    days: int
    day_p: np.ndarray

    @classmethod
    def of(cls, cfg: GenConfig) -> _Window:
        start = datetime(cfg.start_date.year, cfg.start_date.month, cfg.start_date.day, tzinfo=UTC)
        day_index = np.arange(cfg.days)
        weekday = (cfg.start_date.weekday() + day_index) % 7
        weight = (1.0 + 0.6 * day_index / max(cfg.days, 1)) * np.where(weekday >= 5, 0.7, 1.0)
        return cls(int(start.timestamp()) * SECOND, cfg.days, weight / weight.sum())


def _ms(values: np.ndarray) -> np.ndarray:
    """Round float microseconds down to whole milliseconds (Segment's precision)."""
    return (np.asarray(values) // MS * MS).astype(np.int64)


def _table(table: RawTable, columns: Mapping[str, pa.Array]) -> pa.Table:
    missing = set(table.column_names) ^ set(columns)
    if missing:
        raise AssertionError(f"{table.key}: columns do not match the contract: {sorted(missing)}")
    return pa.table({name: columns[name] for name in table.column_names})


def _generate_chunk(
    cfg: GenConfig, chunk: int, n: int, first_person: int, stream: tuple[int, ...] = ()
) -> _ChunkOut:
    """Visitors ``first_person .. first_person + n - 1``; randomness from (seed, chunk), or from
    (seed, ``stream``) when given (the pilot run)."""
    hz = cfg.hazards
    voc = _vocab()
    window = _Window.of(cfg)
    rng = np.random.default_rng(np.random.SeedSequence(cfg.seed, spawn_key=stream or (0, chunk)))
    arange_n = np.arange(n)

    # --- visitors ------------------------------------------------------------------------------
    is_bot = rng.random(n) < hz.bot_visitor
    region = rng.choice(len(V.REGIONS), n, p=V.REGION_P)
    tz = A.choice_rows(rng, V.TZ_BY_REGION_P, region)
    channel0 = rng.choice(len(V.CHANNELS), n, p=V.ACQUISITION_P)
    channel0[is_bot] = V.CH["direct"]
    first_day = rng.choice(cfg.days, n, p=window.day_p)
    exp1_in = rng.random(n) < 0.6
    exp1_variant = rng.random(n) < 0.5
    exp2_variant = rng.random(n) < 0.5
    p_signup = V.SIGNUP_P[channel0] * np.where(exp1_in & exp1_variant, 1.25, 1.0)
    signs = (rng.random(n) < p_signup) & ~is_bot

    # --- devices: first device = visitor index; second devices after them -----------------------
    has2 = signs & (rng.random(n) < 0.25)
    owner2 = np.flatnonzero(has2)
    n2 = len(owner2)
    n_dev = n + n2
    agent = np.empty(n_dev, dtype=np.int64)
    desktop = rng.random(n_dev) < 0.62
    agent[:] = np.where(
        desktop,
        rng.choice(len(V.AGENTS), n_dev, p=V.agent_p("desktop")),
        rng.choice(len(V.AGENTS), n_dev, p=V.agent_p("mobile")),
    )
    agent[:n][is_bot] = rng.choice(len(V.AGENTS), int(is_bot.sum()), p=V.agent_p("bot"))
    app2 = rng.random(n2) < 0.35
    agent[n:][app2] = rng.choice(len(V.AGENTS), int(app2.sum()), p=V.agent_p("app"))
    dev_tz = np.concatenate([tz, tz[owner2]])
    dev2 = np.full(n, -1, dtype=np.int64)
    dev2[owner2] = n + np.arange(n2)
    signer_idx = np.flatnonzero(signs)
    if len(signer_idx) > 1:
        other = signer_idx[rng.integers(0, len(signer_idx), n2)]
        shared = (rng.random(n2) < 0.06) & (other != owner2)
        dev2[owner2[shared]] = other[shared]
    anon = A.fixed_width_strings(A.uuid_chars(rng, n_dev))
    octets = rng.integers(1, 255, size=(n_dev, 4))
    octets[:, 0] = np.minimum(octets[:, 0], 223)
    bot_dev = np.zeros(n_dev, dtype=bool)
    bot_dev[:n] = is_bot
    octets[bot_dev, 0] = 66
    octets[bot_dev, 1] = 249
    ip = A.join_strings([A.int_strings(octets[:, i]) for i in range(4)], ".")
    skew_kind = rng.random(n_dev)
    skew = np.where(
        skew_kind < 0.22,
        rng.normal(0.0, 60.0, n_dev) * SECOND,
        np.where(
            skew_kind > 0.97,
            rng.choice([-1.0, 1.0], n_dev) * rng.uniform(5, 30, n_dev) * MINUTE,
            0.0,
        ),
    )
    skew = _ms(skew)

    # --- sessions ------------------------------------------------------------------------------
    p_more = np.where(signs, 0.14, np.where(is_bot, 0.35, 0.5))
    n_pot = np.minimum(rng.geometric(p_more), 80)
    sp = np.repeat(arange_n, n_pot)
    k = A.rank(n_pot)
    gap_scale = np.where(signs, 1.6, np.where(is_bot, 2.0, 4.0))[sp] * (
        1.0 + 0.35 * np.maximum(k - 1, 0)
    )
    day_gap = np.floor(rng.exponential(gap_scale)).astype(np.int64)
    day_gap[k == 0] = 0
    day = first_day[sp] + A.group_cumsum(day_gap, n_pot)
    hour = rng.choice(24, len(sp), p=V.HOUR_P)
    tod_local = hour * 3600 + rng.integers(0, 3600, len(sp))
    tod_utc = (tod_local - V.TZ_OFFSET_S[tz[sp]]) % 86400
    start = window.start_us + day * DAY + tod_utc * SECOND + rng.integers(0, 1000, len(sp)) * MS
    keep = day < cfg.days
    order = np.lexsort((start[keep], sp[keep]))
    sp = sp[keep][order]
    start = start[keep][order]

    n_views = np.where(
        is_bot[sp],
        np.minimum(rng.geometric(0.15, len(sp)), 40),
        np.minimum(rng.geometric(0.38, len(sp)), 25),
    )
    view_gap = _ms(np.clip(rng.exponential(45.0 * SECOND, int(n_views.sum())), 3 * SECOND,
                           8 * MINUTE))  # fmt: skip
    view_gap[A.starts(n_views)] = 0
    view_off = A.group_cumsum(view_gap, n_views)
    last_off = view_off[np.cumsum(n_views) - 1]

    # Drop sessions that would not be separated from the previous one by the timeout.
    kept = np.arange(len(sp))
    while True:
        s_sp, s_start = sp[kept], start[kept]
        s_end = s_start + last_off[kept] + SESSION_TAIL
        bad = np.zeros(len(kept), dtype=bool)
        bad[1:] = (s_sp[1:] == s_sp[:-1]) & (s_start[1:] < s_end[:-1] + SESSION_SPACING)
        if not bad.any():
            break
        kept = kept[~bad]
    keep_s = np.zeros(len(sp), dtype=bool)
    keep_s[kept] = True
    keep_v = np.repeat(keep_s, n_views)
    sp, start, n_views, last_off = sp[kept], start[kept], n_views[kept], last_off[kept]
    view_off = view_off[keep_v]
    n_s = len(sp)
    n_sess = np.bincount(sp, minlength=n)
    sess_first = A.starts(n_sess)
    k = np.arange(n_s) - np.repeat(sess_first, n_sess)
    sess_end = start + last_off

    def at(sess: np.ndarray, after: np.ndarray) -> np.ndarray:
        """A time in session ``sess`` after ``after`` (and its start), before its tail ends."""
        lo = np.maximum(start[sess], after)
        span = np.maximum(sess_end[sess] - lo, 0)
        return _ms(lo + rng.random(len(sess)) * span) + rng.integers(1, 20, len(sess)) * SECOND

    # --- signup --------------------------------------------------------------------------------
    k_s = np.minimum(rng.geometric(0.5, n) - 1, n_sess - 1)
    s_sig = sess_first + k_s
    t_signup = np.where(signs, at(s_sig, start[s_sig] + _ms(0.3 * last_off[s_sig])), NEVER)
    post = signs[sp] & (k > k_s[sp])
    slot2 = post & (dev2[sp] >= 0) & (rng.random(n_s) < 0.45)
    sess_dev = np.where(slot2, dev2[sp], sp)
    sess_app = V.AGENT_IS_APP[agent[sess_dev]]
    sess_bot = is_bot[sp]
    # The user logs in on the second device (an identify) just after its first page loads.
    first2 = np.flatnonzero(slot2)
    first2 = first2[np.unique(sp[first2], return_index=True)[1]]
    t_login2 = np.full(n, NEVER, dtype=np.int64)
    t_login2[sp[first2]] = start[first2] + 200 * MS

    def identified(person: np.ndarray, device: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Whether a call of ``person`` on ``device`` at ``t`` carries the user id."""
        return (
            signs[person]
            & (t >= t_signup[person])
            & ((device != dev2[person]) | (t >= t_login2[person]))
        )

    # --- channel, campaign, referrer, landing page per session ---------------------------------
    ch = rng.choice(len(V.CHANNELS), n_s, p=V.RETURN_P)
    first = k == 0
    ch[first] = channel0[sp[first]]
    ch[(ch == V.CH["email"]) & ~post & ~first] = V.CH["direct"]
    ch[sess_bot | sess_app] = V.CH["direct"]
    camp = np.full(n_s, -1, dtype=np.int64)
    for c, (plain, odd) in voc.channel_campaigns.items():
        m = np.flatnonzero(ch == c)
        pick = plain[rng.integers(0, len(plain), len(m))]
        if len(odd) and hz.unicode_text > 0:
            swap = rng.random(len(m)) < hz.unicode_text
            pick[swap] = odd[rng.integers(0, len(odd), int(swap.sum()))]
        camp[m] = pick
    ref = np.where(camp >= 0, voc.campaign_ref[np.maximum(camp, 0)], -1)
    for c, (refs, weights) in voc.channel_refs.items():
        m = np.flatnonzero((ch == c) & (camp < 0))
        ref[m] = refs[rng.choice(len(refs), len(m), p=weights)]
    landing = A.choice_rows(rng, V.LANDING_P, ch)
    to_app = post & np.isin(ch, (V.CH["direct"], V.CH["email"])) & (rng.random(n_s) < 0.7)
    landing[to_app] = V.PG["/app/dashboard"]
    landing[~post & voc.app_pages[landing]] = V.PG["/"]

    # --- page views ----------------------------------------------------------------------------
    vs = np.repeat(np.arange(n_s), n_views)
    vj = A.rank(n_views)
    v_first = A.starts(n_views)
    nav = A.choice_rows(rng, voc.nav_p, post[vs].astype(np.int64))
    vpath = np.where(vj == 0, landing[vs], nav)
    if hz.unicode_text > 0:
        vpath[(vj > 0) & (rng.random(len(vs)) < hz.unicode_text)] = V.ODD_PAGE
    vt = start[vs] + view_off
    vurl = vpath * V.NQ + np.where(vj == 0, camp[vs] + 1, 0)
    vref = np.where(vj == 0, ref[vs], -1)
    vref[1:] = np.where(vj[1:] > 0, len(V.EXTERNAL_REFERRERS) + vurl[:-1], vref[1:])

    # --- track calls: (session, time, event, view, fixed path, server, experiment, variation,
    # link: the rated search's call for Search Rated, the order number for Order Completed)
    parts: list[tuple[np.ndarray, ...]] = []

    def add(
        sess: np.ndarray,
        t: np.ndarray,
        event: np.ndarray | int,
        view: np.ndarray | int = -1,
        path: int = -1,
        server: bool = False,
        experiment: int = -1,
        variation: np.ndarray | int = -1,
        link: np.ndarray | int = -1,
    ) -> int:
        """Add calls; return the index of the first one among all calls added so far."""
        offset = sum(len(part[0]) for part in parts)
        m = len(sess)
        parts.append(
            (
                sess,
                t,
                np.broadcast_to(np.asarray(event, dtype=np.int64), (m,)),
                np.broadcast_to(np.asarray(view, dtype=np.int64), (m,)),
                np.full(m, path, dtype=np.int64),
                np.full(m, server, dtype=bool),
                np.full(m, experiment, dtype=np.int64),
                np.broadcast_to(np.asarray(variation, dtype=np.int64), (m,)),
                np.broadcast_to(np.asarray(link, dtype=np.int64), (m,)),
            )
        )
        return offset

    lam = np.where(sess_bot, 0.3, np.where(post, 2.2, 1.0))
    lam[sess_app] = 2.5
    n_tr = rng.poisson(lam)
    trs = np.repeat(np.arange(n_s), n_tr)
    tview = v_first[trs] + (rng.random(len(trs)) * n_views[trs]).astype(np.int64)
    tgroup = post[trs].astype(np.int64)
    tevent = voc.generic[tgroup, A.choice_rows(rng, voc.generic_p, tgroup)]
    add(trs, vt[tview] + rng.integers(1_000, 40_000, len(trs)) * MS, tevent, tview)
    app_s = np.flatnonzero(sess_app)
    add(app_s, start[app_s], V.EV["Application Opened"])

    exp1_s = np.flatnonzero(exp1_in[sp] & ((k == 0) | ((k < 3) & (rng.random(n_s) < 0.3))))
    add(
        exp1_s,
        start[exp1_s] + rng.integers(300, 1500, len(exp1_s)) * MS,
        V.EV["Experiment Viewed"],
        v_first[exp1_s],
        experiment=0,
        variation=exp1_variant[sp[exp1_s]].astype(np.int64),
    )

    sig_p = signer_idx
    add(s_sig[sig_p], t_signup[sig_p], V.EV["Signed Up"], path=V.PG["/signup"])

    activated = signs & (rng.random(n) < 0.55)
    k_a = k_s + np.where(rng.random(n) < 0.5, 0, rng.geometric(0.35, n))
    activated &= k_a < n_sess
    act_p = np.flatnonzero(activated)
    s_act = sess_first[act_p] + k_a[act_p]
    t_act = np.full(n, NEVER, dtype=np.int64)
    t_act[act_p] = at(s_act, t_signup[act_p])
    add(s_act, t_act[act_p], V.EV["Project Created"], path=V.PG["/app/projects/new"])

    invited = activated & (rng.random(n) < 0.4)
    k_i = k_a + np.where(rng.random(n) < 0.4, 0, rng.geometric(0.4, n))
    invited &= k_i < n_sess
    inv_p = np.flatnonzero(invited)
    s_inv = sess_first[inv_p] + k_i[inv_p]
    add(s_inv, at(s_inv, t_act[inv_p]), V.EV["Invited Teammate"], path=V.PG["/app/settings/team"])

    checks_out = signs & (rng.random(n) < np.where(activated, 0.6, 0.2))
    extra = np.where(rng.random(n) < 0.5, 0, np.minimum(rng.geometric(0.45, n), 8))
    n_att = np.where(checks_out, 1 + extra, 0)
    ap = np.repeat(arange_n, n_att)
    ar = A.rank(n_att)
    gap = np.where(
        ar == 0,
        np.where(rng.random(len(ap)) < 0.3, 0, rng.geometric(0.3, len(ap))),
        rng.geometric(0.35, len(ap)),
    )
    kc = k_s[ap] + A.group_cumsum(gap, n_att)
    ok = kc < n_sess[ap]
    ap, kc = ap[ok], kc[ok]
    s_co = sess_first[ap] + kc
    t_exp2 = at(s_co, t_signup[ap])
    t_co = t_exp2 + rng.integers(500, 3000, len(ap)) * MS
    add(
        s_co,
        t_exp2,
        V.EV["Experiment Viewed"],
        path=V.PG["/checkout"],
        experiment=1,
        variation=exp2_variant[ap].astype(np.int64),
    )
    add(s_co, t_co, V.EV["Checkout Started"], path=V.PG["/checkout"])
    completed = rng.random(len(ap)) < np.where(exp2_variant[ap], 0.70, 0.60)
    s_ord = s_co[completed]
    t_ord = t_co[completed] + rng.integers(30_000, 480_000, len(s_ord)) * MS
    add(s_ord, t_ord, V.EV["Order Completed"], server=True, link=np.arange(len(s_ord)))

    # --- docs search, the community board, integrations ----------------------------------------
    def on_views(sess: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A random page view of each session, and a time 1-40 s after it."""
        view = v_first[sess] + (rng.random(len(sess)) * n_views[sess]).astype(np.int64)
        return view, vt[view] + rng.integers(1_000, 40_000, len(sess)) * MS

    search_lam = np.where(sess_bot, 0.0, np.where(post, 0.45, 0.06))
    srch_s = np.repeat(np.arange(n_s), rng.poisson(search_lam))
    srch_view, srch_t = on_views(srch_s)
    first_search = add(srch_s, srch_t, V.EV["Document Searched"], srch_view)
    rated = np.flatnonzero(rng.random(len(srch_s)) < 0.12)
    add(
        srch_s[rated],
        srch_t[rated] + rng.integers(3_000, 90_000, len(rated)) * MS,
        V.EV["Search Rated"],
        srch_view[rated],
        link=first_search + rated,
    )
    vote_s = np.repeat(np.arange(n_s), rng.poisson(np.where(post, 0.10, 0.0)))
    vote_view, vote_t = on_views(vote_s)
    add(vote_s, vote_t, V.EV["Post Voted"], vote_view)
    comment_s = np.repeat(np.arange(n_s), rng.poisson(np.where(post, 0.03, 0.0)))
    comment_view, comment_t = on_views(comment_s)
    add(comment_s, comment_t, V.EV["Comment Posted"], comment_view)
    n_int = np.where(activated & (rng.random(n) < 0.2), 1 + (rng.random(n) < 0.3), 0)
    int_p = np.repeat(arange_n, n_int)
    s_int = sess_first[int_p] + k_a[int_p]
    add(
        s_int,
        at(s_int, t_act[int_p]),
        V.EV["Integration Connected"],
        path=V.PG["/app/settings/team"],
    )

    tr = [np.concatenate(cols) for cols in zip(*parts, strict=True)]
    tr = _plant_volume_faults(rng, tr, hz, window.start_us, _FaultDays.of(cfg))
    t_sess, t_time, t_event, t_view, t_path, t_server, t_exp, t_var, t_link = tr
    n_t = len(t_sess)

    # --- people: user ids, traits, accounts ----------------------------------------------------
    gid = first_person + arange_n
    user_ids = A.fixed_width_strings(A.numbered_chars("usr_", gid, 9))
    internal = signs & (rng.random(n) < hz.internal_user)
    odd_name = rng.random(n) < hz.unicode_text
    name_idx = np.where(
        odd_name,
        V.N_PLAIN_NAMES + rng.integers(0, len(V.ODD_NAMES), n),
        rng.integers(0, V.N_PLAIN_NAMES, n),
    )
    domain_idx = rng.choice(len(V.EMAIL_DOMAINS), n, p=V.EMAIL_DOMAIN_P)
    domain_idx[internal] = V.INTERNAL_DOMAIN_IDX
    cased = rng.random(n) < hz.mixed_case_email
    local = A.take(voc.email_locals, name_idx)
    local_cased = A.take(voc.email_locals_cased, name_idx)
    email = A.join_strings(
        [
            pc.if_else(pa.array(cased), local_cased, local),
            A.int_strings(gid),
            "@",
            pc.if_else(
                pa.array(cased),
                A.take(voc.email_domains_cased, domain_idx),
                A.take(voc.email_domains, domain_idx),
            ),
        ]
    )
    prng = np.random.default_rng(
        np.random.SeedSequence(cfg.seed, spawn_key=(*(stream or (0, chunk)), 1))
    )
    plain_email = email
    email = _odd_emails(prng, email, A.take(voc.names, name_idx), gid, internal, hz.odd_email)
    heard = np.where(
        rng.random(n) < 0.5,
        V.HEARD_BY_CHANNEL[channel0],
        rng.choice(len(V.HEARD_ABOUT) + 1, n, p=[*V.HEARD_ABOUT_P, 0.10]),
    )
    heard[heard >= len(V.HEARD_ABOUT)] = -1

    # --- assemble tracks -----------------------------------------------------------------------
    t_person = sp[t_sess]
    t_dev = sess_dev[t_sess]
    t_web = ~t_server & ~sess_app[t_sess]
    t_known = identified(t_person, t_dev, t_time)
    t_kind = np.where(t_server, 2, np.where(sess_app[t_sess], 1, 0))
    d = _deliver(rng, t_time, np.where(t_server, 0, skew[t_dev]), t_kind, hz)
    r = d.rows
    anon_lost = t_server & (rng.random(n_t) < 0.3)
    uid_lost = t_known & ~anon_lost & (rng.random(n_t) < hz.missing_user_id_after_identify)
    variant_style = np.where(rng.random(n_t) < hz.event_name_variant, rng.integers(1, 3, n_t), 0)
    url_only = rng.random(n_t) < hz.utm_url_only
    has_view = t_web & (t_view >= 0)
    safe_view = np.maximum(t_view, 0)
    on_landing = has_view & (vj[safe_view] == 0)
    t_url = np.where(has_view, vurl[safe_view], np.where(t_web & (t_path >= 0), t_path * V.NQ, -1))
    t_pathi = np.where(has_view, vpath[safe_view], np.where(t_web, t_path, -1))
    t_ref = np.where(has_view, vref[safe_view], -1)
    t_camp = np.where(on_landing & ~url_only, camp[t_sess], -1)
    t_agent = np.where(t_server, -1, agent[t_dev])

    ident_null = d.identity_null
    anon_idx = np.where(anon_lost, -1, t_dev)[r]
    anon_idx[ident_null] = -1
    uid_idx = np.where(t_known & ~uid_lost, t_person, -1)[r]
    uid_idx[ident_null] = -1
    ids = A.uuid_chars(rng, n_t)
    camp_r = t_camp[r]
    tracks_cols: dict[str, pa.Array] = {
        "id": A.fixed_width_strings(ids[r], ~d.id_null),
        "anonymous_id": A.take(anon, anon_idx),
        "user_id": A.take(user_ids, uid_idx),
        "event": A.dict_column(voc.events, t_event[r]),
        "event_text": A.dict_column(voc.event_texts, (t_event * 3 + variant_style)[r]),
        **d.time_columns(),
        "context_ip": A.take(ip, np.where(t_server, -1, t_dev)[r]),
        "context_user_agent": A.dict_column(voc.agents, t_agent[r]),
        "context_library_name": A.dict_column(
            voc.libraries,
            np.where(t_server, V.LIB["analytics-node"], V.AGENT_LIBRARY[agent[t_dev]])[r],
        ),
        "context_page_url": A.dict_column(voc.urls, t_url[r]),
        "context_page_path": A.dict_column(voc.paths, t_pathi[r]),
        "context_page_referrer": A.dict_column(voc.referrers, t_ref[r]),
        **_campaign_columns(voc, camp_r),
        "context_timezone": A.dict_column(voc.timezones, np.where(t_server, -1, dev_tz[t_dev])[r]),
    }
    t_email = _plant_emails(
        prng,
        tracks_cols,
        plain_email.take(pa.array(t_person[r])),
        r,
        hz.email_in_url,
        {"url": "context_page_url", "path": "context_page_path",
         "referrer": "context_page_referrer"},
    )  # fmt: skip
    tracks = _table(TRACKS, tracks_cols)
    t_internal = (uid_idx >= 0) & internal[np.maximum(uid_idx, 0)]
    t_bot = (t_agent[r] >= 0) & V.AGENT_IS_BOT[np.maximum(t_agent[r], 0)]
    t_odd = (camp_r >= 0) & voc.campaign_odd[np.maximum(camp_r, 0)]
    t_variant = variant_style[r] > 0
    t_url_only = (url_only & on_landing & (camp[t_sess] >= 0))[r]
    ev_r = t_event[r]
    t_planned = V.EVENT_PLANNED[ev_r]
    tracks_counts = d.counts() | {
        "bot_user_agent": int(t_bot.sum()),
        "unicode_text": int(t_odd.sum()),
        "event_name_variant": int(t_variant.sum()),
        "utm_url_only": int(t_url_only.sum()),
        "internal_user_rows": int(t_internal.sum()),
        "email_in_text": int(t_email.sum()),
        "unplanned_event": int((~t_planned).sum()),
        "non_standard_event_name": int((t_variant & t_planned).sum()),
    }

    # Tracks calls (USABLE_CALL), and those of an unplanned event or a non-standard name.
    calls: _CallDays = {}
    t_at, t_timed = d.event_at()
    t_call = d.calls(~d.id_null & ((anon_idx >= 0) | (uid_idx >= 0)) & t_timed)
    text_r = (t_event * 3 + variant_style)[r]
    for fault, bad in (
        ("unplanned_event", t_call & ~_NAME_PLANNED[ev_r]),
        ("non_standard_event_name", t_call & _TEXT_NON_STANDARD[text_r]),
    ):
        for e in np.unique(ev_r[bad]).tolist():
            key = _fault_key(TRACKS.key, V.EVENTS[e])
            _add_calls(calls, fault, key, t_at[bad & (ev_r == e)])

    # experiment_viewed: the tracks rows of that event, same ids and times.
    is_exp = t_event[r] == V.EV["Experiment Viewed"]
    de = d.select(is_exp)
    exp_cols = {
        "id": tracks_cols["id"].filter(pa.array(is_exp)),
        "anonymous_id": tracks_cols["anonymous_id"].filter(pa.array(is_exp)),
        "user_id": tracks_cols["user_id"].filter(pa.array(is_exp)),
        "experiment_id": A.dict_column(voc.experiments, t_exp[r][is_exp]),
        "variation_id": A.dict_column(voc.variations, t_var[r][is_exp]),
        **de.time_columns(with_client=False),
    }
    experiment_viewed = _table(EXPERIMENT_VIEWED, exp_cols)
    exp_counts = de.counts() | {
        "bot_user_agent": int(t_bot[is_exp].sum()),
        "unicode_text": 0,
        "event_name_variant": int(t_variant[is_exp].sum()),
        "internal_user_rows": int(t_internal[is_exp].sum()),
    }
    faults: dict[str, dict[str, int]] = {}
    exp_counts |= _property_faults(EXPERIMENT_VIEWED, experiment_viewed, faults)
    # A per-event row is the tracks row of its call (same id, identity and received_at; the
    # same usable time, experiment_viewed's timestamp or received_at included), so the
    # per-event calls are the per-event rows of tracks calls, dated by them.
    _property_fault_calls(EXPERIMENT_VIEWED, experiment_viewed, t_call[is_exp], t_at[is_exp], calls)

    # --- pages ---------------------------------------------------------------------------------
    web_v = np.flatnonzero(~sess_app[vs])
    pv_sess = vs[web_v]
    pv_person = sp[pv_sess]
    pv_dev = sess_dev[pv_sess]
    pv_time = vt[web_v]
    dp = _deliver(rng, pv_time, skew[pv_dev], np.zeros(len(web_v), dtype=np.int64), hz)
    rp = dp.rows
    p_url_only = rng.random(len(web_v)) < hz.utm_url_only
    p_camp = np.where((vj[web_v] == 0) & ~p_url_only, camp[pv_sess], -1)[rp]
    p_ident_null = dp.identity_null
    p_anon = pv_dev[rp].copy()
    p_anon[p_ident_null] = -1
    p_known = identified(pv_person, pv_dev, pv_time)
    p_uid_lost = p_known & (rng.random(len(web_v)) < hz.missing_user_id_after_identify)
    p_uid = np.where(p_known & ~p_uid_lost, pv_person, -1)[rp]
    p_uid[p_ident_null] = -1
    p_path = vpath[web_v][rp]
    p_search = np.where((vj[web_v] == 0) & (camp[pv_sess] >= 0), camp[pv_sess] + 1, -1)[rp]
    p_agent = agent[pv_dev][rp]
    page_ids = A.uuid_chars(rng, len(web_v))
    pages_cols = {
        "id": A.fixed_width_strings(page_ids[rp], ~dp.id_null),
        "anonymous_id": A.take(anon, p_anon),
        "user_id": A.take(user_ids, p_uid),
        "name": A.dict_column(voc.page_names, p_path),
        "url": A.dict_column(voc.urls, vurl[web_v][rp]),
        "path": A.dict_column(voc.paths, p_path),
        "referrer": A.dict_column(voc.referrers, vref[web_v][rp]),
        "title": A.dict_column(voc.titles, p_path),
        "search": A.dict_column(voc.searches, p_search),
        **dp.time_columns(),
        "context_ip": A.take(ip, pv_dev[rp]),
        "context_user_agent": A.dict_column(voc.agents, p_agent),
        "context_library_name": A.dict_column(voc.libraries, V.AGENT_LIBRARY[p_agent]),
        **_campaign_columns(voc, p_camp),
        "context_timezone": A.dict_column(voc.timezones, dev_tz[pv_dev][rp]),
    }
    p_email = _plant_emails(
        prng,
        pages_cols,
        plain_email.take(pa.array(pv_person[rp])),
        rp,
        hz.email_in_url,
        {"url": "url", "path": "path", "referrer": "referrer", "search": "search"},
    )
    pages = _table(PAGES, pages_cols)
    p_odd = ((p_camp >= 0) & voc.campaign_odd[np.maximum(p_camp, 0)]) | voc.page_odd[p_path]
    pages_counts = dp.counts() | {
        "bot_user_agent": int(V.AGENT_IS_BOT[p_agent].sum()),
        "unicode_text": int(p_odd.sum()),
        "utm_url_only": int((p_url_only & (vj[web_v] == 0) & (camp[pv_sess] >= 0))[rp].sum()),
        "internal_user_rows": int(((p_uid >= 0) & internal[np.maximum(p_uid, 0)]).sum()),
        "email_in_text": int(p_email.sum()),
    }

    # --- identifies: at signup, first use of the second device, and now and then ----------------
    refresh = np.flatnonzero(post & (rng.random(n_s) < 0.15))
    i_sess = np.concatenate([s_sig[sig_p], first2, refresh])
    i_time = np.concatenate(
        [
            t_signup[sig_p] + SECOND,
            t_login2[sp[first2]],
            start[refresh] + 1_500 * MS,
        ]
    )
    i_person = sp[i_sess]
    i_dev = sess_dev[i_sess]
    i_kind = np.where(sess_app[i_sess], 1, 0)
    di = _deliver(rng, i_time, skew[i_dev], i_kind, hz)
    ri = di.rows
    i_p = i_person[ri]
    i_anon = i_dev[ri].copy()
    i_uid = i_p.copy()
    i_anon[di.identity_null] = -1
    i_uid[di.identity_null] = -1
    i_agent = agent[i_dev][ri]
    identifies = _table(
        IDENTIFIES,
        {
            "id": A.fixed_width_strings(A.uuid_chars(rng, len(i_sess))[ri], ~di.id_null),
            "anonymous_id": A.take(anon, i_anon),
            "user_id": A.take(user_ids, i_uid),
            "email": A.take(email, i_p),
            "name": A.dict_column(voc.names, name_idx[i_p]),
            "region": A.dict_column(voc.regions, region[i_p]),
            "heard_about": A.dict_column(voc.heard, heard[i_p]),
            "created_at": A.timestamps(_ms(t_signup[i_p])),
            **di.time_columns(),
            "context_ip": A.take(ip, i_dev[ri]),
            "context_user_agent": A.dict_column(voc.agents, i_agent),
        },
    )
    identifies_counts = di.counts() | {
        "bot_user_agent": int(V.AGENT_IS_BOT[i_agent].sum()),
        "unicode_text": int(odd_name[i_p].sum()),
        "internal_email": int(internal[i_p].sum()),
        "mixed_case_email": int(_has_upper(email)[i_p].sum()),
        "odd_email": int(_is_odd_email(email, plain_email)[i_p].sum()),
        "internal_user_rows": int(((i_uid >= 0) & internal[np.maximum(i_uid, 0)]).sum()),
    }

    # --- groups: accounts, plan upgrades, users moving account ---------------------------------
    n_sig = len(signer_idx)
    n_acc = max(1, int(n_sig * 0.45))
    acc0 = np.full(n, -1, dtype=np.int64)
    acc0[signer_idx] = (n_acc * rng.random(n_sig) ** 1.8).astype(np.int64)
    acc_plan = rng.choice(len(V.PLANS), n_acc, p=V.PLAN_P)
    upgrades = (acc_plan == 0) & (rng.random(n_acc) < 0.15)
    t_upgrade = np.where(upgrades, window.start_us + _ms(rng.random(n_acc) * cfg.days * DAY), NEVER)
    odd_acc = rng.random(n_acc) < hz.unicode_text
    acc_name = np.where(
        odd_acc,
        V.N_PLAIN_COMPANIES + rng.integers(0, len(V.ODD_COMPANIES), n_acc),
        rng.integers(0, V.N_PLAIN_COMPANIES, n_acc),
    )
    acc_ids = A.fixed_width_strings(A.numbered_chars("acct_", first_person + np.arange(n_acc), 9))
    moves = signs & (n_sess - 1 > k_s) & (rng.random(n) < 0.05) & (n_acc > 1)
    k_move = k_s + 1 + (rng.random(n) * np.maximum(n_sess - 1 - k_s, 1)).astype(np.int64)
    acc1 = (acc0 + 1 + rng.integers(0, max(n_acc - 1, 1), n)) % n_acc
    move_p = np.flatnonzero(moves)
    s_move = sess_first[move_p] + k_move[move_p]
    g_refresh = np.flatnonzero(post & (rng.random(n_s) < 0.1))
    g_sess = np.concatenate([s_sig[sig_p], s_move, g_refresh])
    g_time = np.concatenate(
        [t_signup[sig_p] + 2 * SECOND, start[s_move] + 2_500 * MS, start[g_refresh] + 2 * SECOND]
    )
    g_person = sp[g_sess]
    g_moved = moves[g_person] & (k[g_sess] >= k_move[g_person])
    g_acc = np.where(g_moved, acc1[g_person], acc0[g_person])
    g_plan = acc_plan[g_acc]
    g_plan = np.where((g_plan == 0) & (g_time >= t_upgrade[g_acc]), 1, g_plan)
    g_dev = sess_dev[g_sess]
    dg = _deliver(rng, g_time, skew[g_dev], np.where(sess_app[g_sess], 1, 0), hz)
    rg = dg.rows
    g_anon = g_dev[rg].copy()
    g_uid = g_person[rg].copy()
    g_anon[dg.identity_null] = -1
    g_uid[dg.identity_null] = -1
    groups = _table(
        GROUPS,
        {
            "id": A.fixed_width_strings(A.uuid_chars(rng, len(g_sess))[rg], ~dg.id_null),
            "anonymous_id": A.take(anon, g_anon),
            "user_id": A.take(user_ids, g_uid),
            "group_id": A.take(acc_ids, g_acc[rg]),
            "name": A.dict_column(voc.companies, acc_name[g_acc[rg]]),
            "plan": A.dict_column(voc.plans, g_plan[rg]),
            **dg.time_columns(),
        },
    )
    groups_counts = dg.counts() | {
        "bot_user_agent": 0,
        "unicode_text": int(odd_acc[g_acc[rg]].sum()),
        "internal_user_rows": int(((g_uid >= 0) & internal[np.maximum(g_uid, 0)]).sum()),
    }

    # --- shop.orders: one per Order Completed --------------------------------------------------
    o_person = sp[s_ord]
    n_o = len(o_person)
    o_status = rng.choice(len(V.ORDER_STATUSES), n_o, p=V.ORDER_STATUS_P)
    o_cents = np.round(rng.lognormal(np.log(49.0), 0.7, n_o) * 100).astype(np.int64) + 99
    o_null_user = rng.random(n_o) < hz.order_null_user
    o_dup = np.flatnonzero(rng.random(n_o) < hz.order_duplicate)
    ro = np.concatenate([np.arange(n_o), o_dup])
    o_number = 1_000_000_000 + first_person * 10 + np.arange(n_o)
    orders = _table(
        ORDERS,
        {
            "order_id": A.fixed_width_strings(A.numbered_chars("ord_", o_number, 10)).take(
                pa.array(ro)
            ),
            "user_id": A.take(user_ids, np.where(o_null_user, -1, o_person)[ro]),
            "created_at": A.timestamps(t_ord[ro]),
            "status": A.dict_column(voc.statuses, o_status[ro]),
            "revenue": A.money(o_cents[ro]),
            "region": A.dict_column(voc.regions, region[o_person][ro]),
        },
    )
    orders_counts = {
        "rows": len(ro),
        "null_user_id": int(o_null_user[ro].sum()),
        "duplicate_order_id": len(o_dup),
    }

    # --- per-event tables: the tracks rows of an event, plus the call's properties --------------
    # Properties are drawn per call (in the order of the event's calls in tracks' base calls)
    # and taken for every delivered row, duplicates included.
    pos = np.empty(n_t, dtype=np.int64)
    pos[np.argsort(t_event, kind="stable")] = A.rank(np.bincount(t_event, minlength=len(V.EVENTS)))
    base_ts, base_ts_null = d.timestamp[:n_t], d.ts_null[:n_t]  # d.rows[:n_t] = the base calls

    def calls_of(event: str) -> np.ndarray:
        return np.flatnonzero(t_event == V.EV[event])

    b = calls_of("Document Searched")
    query = rng.choice(len(V.SEARCH_QUERIES), len(b), p=V.SEARCH_QUERY_P)
    results = rng.poisson(V.SEARCH_RESULTS_MEAN[query])
    clicked = (results > 0) & (rng.random(len(b)) < 0.55)
    debug = rng.random(len(b)) < hz.unplanned_property
    searched_props = {
        "query": A.dict_column(voc.queries, query),
        "results_count": pa.array(results.astype(np.float64)),
        "result_clicked": pa.array(clicked),
        "debug_mode": pa.array(np.ones(len(b), dtype=bool), mask=~debug),
    }
    # Searchers who type their email into the search box (hazard email_in_url).
    q_email = prng.random(len(b)) < hz.email_in_url
    searched_props["query"] = _replace(
        searched_props["query"],
        np.flatnonzero(q_email),
        A.join_strings(["contact ", plain_email.take(pa.array(t_person[b[q_email]]))]),
    )
    b = calls_of("Search Rated")
    rated_search = t_link[b]
    rating = np.where(rng.random(len(b)) < np.where(clicked[pos[rated_search]], 0.8, 0.35), 0, 1)
    rating[rng.random(len(b)) < hz.value_not_allowed] = V.RATINGS.index("meh")
    rated_props = {
        "rating": A.dict_column(voc.ratings, rating),
        "search_id": A.fixed_width_strings(ids[rated_search]),
    }
    b = calls_of("Post Voted")
    voted_props = {
        "post_id": A.dict_column(voc.posts, rng.choice(V.N_POSTS, len(b), p=V.POST_P)),
        "direction": A.dict_column(voc.directions, (rng.random(len(b)) < 0.15).astype(np.int64)),
    }
    b = calls_of("Comment Posted")
    commented = rng.choice(V.N_POSTS, len(b), p=V.POST_P)
    commented_props = {
        "post_id": A.dict_column(voc.posts, commented),
        "feature_area": A.dict_column(voc.feature_areas, V.POST_AREA[commented]),
    }
    b = calls_of("Order Completed")
    order_no = t_link[b]
    cents = o_cents[order_no]
    revenue = A.join_strings(
        [
            A.int_strings(cents // 100),
            ".",
            A.fixed_width_strings(A.numbered_chars("", cents % 100, 2)),
        ]
    )
    not_numeric = rng.random(len(b)) < hz.wrong_type
    bad_revenue = A.take(voc.non_numeric, rng.integers(0, len(V.NON_NUMERIC_REVENUES), len(b)))
    no_order_id = rng.random(len(b)) < hz.missing_required_property
    ordered_props = {
        "order_id": A.fixed_width_strings(
            A.numbered_chars("ord_", o_number[order_no], 10), ~no_order_id
        ),
        "revenue": pc.if_else(pa.array(not_numeric), bad_revenue, revenue),
        "currency": A.dict_column(voc.currencies, voc.tz_currency[tz[o_person[order_no]]]),
    }
    b = calls_of("Integration Connected")
    c_person, c_k = sp[t_sess[b]], k[t_sess[b]]
    c_acc = np.where(moves[c_person] & (c_k >= k_move[c_person]), acc1[c_person], acc0[c_person])
    c_plan = acc_plan[c_acc]
    c_plan = np.where((c_plan == 0) & (t_time[b] >= t_upgrade[c_acc]), 1, c_plan)
    new_from = window.start_us + _FaultDays.of(cfg).new_property * DAY
    tier_sent = ~base_ts_null[b] & (base_ts[b] >= new_from)
    connected_props = {
        "provider": A.dict_column(
            voc.providers, rng.choice(len(V.INTEGRATION_PROVIDERS), len(b), p=V.INTEGRATION_P)
        ),
        "plan_tier": A.dict_column(voc.plans, np.where(tier_sent, c_plan, -1)),
    }

    event_tables: dict[str, pa.Table] = {}
    event_counts: dict[str, dict[str, int]] = {}
    for table, props in (
        (DOCUMENT_SEARCHED, searched_props),
        (SEARCH_RATED, rated_props),
        (POST_VOTED, voted_props),
        (COMMENT_POSTED, commented_props),
        (ORDER_COMPLETED, ordered_props),
        (INTEGRATION_CONNECTED, connected_props),
    ):
        is_event = ev_r == V.EV[_EVENT_OF_TABLE[table.name]]
        rows = pa.array(np.flatnonzero(is_event))
        at_rows = pa.array(pos[r[is_event]])
        data = _table(
            table,
            {name: tracks_cols[name].take(rows) for name in TRACKS.column_names}
            | {name: values.take(at_rows) for name, values in props.items()},
        )
        event_tables[table.key] = data
        event_counts[table.key] = (
            d.select(is_event).counts()
            | {
                "bot_user_agent": int(t_bot[is_event].sum()),
                "unicode_text": int(t_odd[is_event].sum()),
                "event_name_variant": int(t_variant[is_event].sum()),
                "non_standard_event_name": int(t_variant[is_event].sum()),
                "utm_url_only": int(t_url_only[is_event].sum()),
                "internal_user_rows": int(t_internal[is_event].sum()),
                "email_in_text": int(t_email[is_event].sum()),
            }
            | (
                {"email_in_query": int(q_email[pos[r[is_event]]].sum())}
                if table is DOCUMENT_SEARCHED
                else {}
            )
            | _property_faults(table, data, faults)
        )
        _property_fault_calls(table, data, t_call[is_event], t_at[is_event], calls)

    # --- tracking-plan faults in tracks and pages ----------------------------------------------
    first_identify = np.full(n_dev, NEVER, dtype=np.int64)
    timed = (i_anon >= 0) & ~di.ts_null
    np.minimum.at(first_identify, i_anon[timed], di.timestamp[timed])

    def after_identify(anon_i: np.ndarray, uid_i: np.ndarray, dl: _Delivery) -> int:
        """Rows with an anonymous id and no user id, later than an identify of the device."""
        no_uid = (anon_i >= 0) & (uid_i < 0) & ~dl.ts_null
        return int((no_uid & (dl.timestamp > first_identify[np.maximum(anon_i, 0)])).sum())

    tracks_counts["missing_user_id_after_identify"] = after_identify(anon_idx, uid_idx, d)
    pages_counts["missing_user_id_after_identify"] = after_identify(p_anon, p_uid, dp)
    for key, table_counts in ((TRACKS.key, tracks_counts), (PAGES.key, pages_counts)):
        faults.setdefault("missing_user_id_after_identify", {})[_fault_key(key)] = table_counts[
            "missing_user_id_after_identify"
        ]
    # The same over calls: event times of usable identifies calls, of tracks and pages calls.
    i_at, i_timed = di.event_at()
    i_call = di.calls(~di.id_null & ((i_anon >= 0) | (i_uid >= 0)) & i_timed) & (i_anon >= 0)
    first_identify_call = np.full(n_dev, NEVER, dtype=np.int64)
    np.minimum.at(first_identify_call, i_anon[i_call], i_at[i_call])
    p_at, p_timed = dp.event_at()
    p_call = dp.calls(~dp.id_null & ((p_anon >= 0) | (p_uid >= 0)) & p_timed)
    for key, call, at_, anon_i, uid_i in (
        (TRACKS.key, t_call, t_at, anon_idx, uid_idx),
        (PAGES.key, p_call, p_at, p_anon, p_uid),
    ):
        after = first_identify_call[np.maximum(anon_i, 0)] < at_
        bad = call & (anon_i >= 0) & (uid_i < 0) & after
        _add_calls(calls, "missing_user_id_after_identify", _fault_key(key), at_[bad])
    unplanned = np.bincount(ev_r[~t_planned], minlength=len(V.EVENTS))
    misnamed = np.bincount(ev_r[t_variant & t_planned], minlength=len(V.EVENTS))
    for e, name in enumerate(V.EVENTS):
        if unplanned[e]:
            faults.setdefault("unplanned_event", {})[_fault_key(TRACKS.key, name)] = int(
                unplanned[e]
            )
        if misnamed[e]:
            faults.setdefault("non_standard_event_name", {})[_fault_key(TRACKS.key, name)] = int(
                misnamed[e]
            )
    days_timed = np.where(d.ts_null, -1, (d.timestamp - window.start_us) // DAY)
    in_window = (days_timed >= 0) & (days_timed < cfg.days)
    daily = {
        name: np.bincount(days_timed[in_window & (ev_r == V.EV[name])], minlength=cfg.days)
        for name in (DROP_EVENT, SPIKE_EVENT)
    }

    stats = {
        "visitors": n,
        "bot_visitors": int(is_bot.sum()),
        "identified_users": n_sig,
        "internal_users": int(internal.sum()),
        "users_with_two_devices": n2,
        "shared_devices": int((dev2[owner2] < n).sum()),
        "sessions": n_s,
        "app_sessions": int(sess_app.sum()),
        "accounts": n_acc if n_sig else 0,
        "account_moves": len(move_p),
        "orders": n_o,
        "checkouts": len(ap),
        "activated_users": len(act_p),
    }
    return _ChunkOut(
        tables={
            TRACKS.key: tracks,
            PAGES.key: pages,
            IDENTIFIES.key: identifies,
            GROUPS.key: groups,
            EXPERIMENT_VIEWED.key: experiment_viewed,
            **event_tables,
            ORDERS.key: orders,
        },
        counts={
            TRACKS.key: tracks_counts,
            PAGES.key: pages_counts,
            IDENTIFIES.key: identifies_counts,
            GROUPS.key: groups_counts,
            EXPERIMENT_VIEWED.key: exp_counts,
            **event_counts,
            ORDERS.key: orders_counts,
        },
        stats=stats,
        faults=faults,
        calls=calls,
        daily=daily,
    )


def _plant_volume_faults(
    rng: np.random.Generator,
    tr: list[np.ndarray],
    hz: HazardRates,
    start_us: int,
    days: _FaultDays,
) -> list[np.ndarray]:
    """Drop most of DROP_EVENT's calls on the drop day, send SPIKE_EVENT ~10x on the spike day
    and follow some calls by an unplanned Debug Ping. ``tr`` holds the track call columns
    (session, time, event, view, path, server, experiment, variation, link); added calls go
    at the end, and the links of Search Rated calls are renumbered after the drop."""
    if hz.volume_drop > 0:
        t, event, link = tr[1], tr[2], tr[8]
        lost = (
            (event == V.EV[DROP_EVENT])
            & ((t - start_us) // DAY == days.drop)
            & (rng.random(len(t)) < hz.volume_drop)
        )
        rated = event == V.EV["Search Rated"]
        assert not lost[link[rated]].any(), "a rated search was dropped"
        new_index = np.cumsum(~lost) - 1
        tr[8] = np.where(rated, new_index[np.where(rated, link, 0)], link)
        tr = [column[~lost] for column in tr]
    if hz.volume_spike > 0:
        t, event = tr[1], tr[2]
        src = np.flatnonzero((event == V.EV[SPIKE_EVENT]) & ((t - start_us) // DAY == days.spike))
        extra = 9.0 * hz.volume_spike
        copies = int(extra) + (rng.random(len(src)) < extra - int(extra))
        src = np.repeat(src, copies)
        gap = (A.rank(copies) + 1) * rng.integers(2_000, 20_000, len(src)) * MS
        tr = _append_calls(tr, src, V.EV[SPIKE_EVENT], gap)
    if hz.unplanned_event > 0:
        src = np.flatnonzero(rng.random(len(tr[0])) < hz.unplanned_event)
        gap = rng.integers(200, 3_000, len(src)) * MS
        tr = _append_calls(tr, src, V.EV[V.UNPLANNED_EVENT], gap)
    return tr


def _append_calls(
    tr: list[np.ndarray], src: np.ndarray, event: int, gap: np.ndarray
) -> list[np.ndarray]:
    """Append calls of ``event`` ``gap`` after the calls ``src``, in their sessions and views."""
    added = [column[src] for column in tr]
    added[1] = added[1] + gap
    added[2] = np.full(len(src), event, dtype=np.int64)
    for i in (6, 7, 8):  # no experiment, variation or link
        added[i] = np.full(len(src), -1, dtype=np.int64)
    return [np.concatenate([column, more]) for column, more in zip(tr, added, strict=True)]


#: The event of each per-event table (experiment_viewed included).
_EVENT_OF_TABLE: Final = {V.snake(name): name for name in V.EVENTS}
#: The plan's event_name by its snake_case (V.snake normalises as the project does).
_PLANNED_NAME: Final = {V.snake(event.name): event.name for event in V.TRACKING_PLAN}
#: Per event (V.EVENTS), whether its calls' event name (the normalised ``event`` column, never
#: blank here) is a planned one.
_NAME_PLANNED: Final = np.array([V.snake(slug) in _PLANNED_NAME for slug in V.EVENT_SLUGS])
#: Per event text (V.EVENT_TEXTS, index event * 3 + style), whether a call of that event with
#: that text is a planned event not spelled as planned.
_TEXT_NON_STANDARD: Final = np.array(
    [
        (planned := _PLANNED_NAME.get(V.snake(V.EVENT_SLUGS[i // 3]))) is not None
        and text.strip() != ""
        and text.strip() != planned
        for i, text in enumerate(V.EVENT_TEXTS)
    ]
)
PROPERTY_FAULTS: Final = (
    "unplanned_property",
    "missing_required_property",
    "wrong_type",
    "value_not_allowed",
)
#: A number as text: what a property planned as a number may hold in a text column.
NUMERIC_TEXT: Final = r"^-?[0-9]+(\.[0-9]+)?$"


def _fault_key(table: str, event: str = "", prop: str = "") -> str:
    return f"{table}\t{event}\t{prop}"


def _property_faults(
    table: RawTable, data: pa.Table, faults: dict[str, dict[str, int]]
) -> dict[str, int]:
    """Rows of a per-event table with each property fault (HAZARD_DESCRIPTIONS), counted from
    the data against the tracking plan; adds the rows per property to ``faults``."""
    event = V.PLANNED[_EVENT_OF_TABLE[table.name]]
    planned = {prop.name: prop for prop in event.properties}
    kinds = dict(table.columns)
    common = set(TRACKS.column_names)
    masks = {fault: np.zeros(data.num_rows, dtype=bool) for fault in PROPERTY_FAULTS}
    for name in table.column_names:
        if name in common:
            continue
        column = data.column(name)
        if pa.types.is_dictionary(column.type):
            column = column.cast(pa.string())
        valid = column.is_valid().to_numpy(zero_copy_only=False)
        prop = planned.get(name)
        checks: list[tuple[str, np.ndarray]] = []
        if prop is None:
            checks.append(("unplanned_property", valid))
        else:
            if prop.required:
                checks.append(("missing_required_property", ~valid))
            if prop.type == "number" and kinds[name] == TEXT:
                numeric = pc.match_substring_regex(column, NUMERIC_TEXT).fill_null(True)
                checks.append(("wrong_type", valid & ~numeric.to_numpy(zero_copy_only=False)))
            if prop.allowed:
                allowed = pc.is_in(column, value_set=pa.array(prop.allowed, type=pa.string()))
                ok = allowed.fill_null(True).to_numpy(zero_copy_only=False)
                checks.append(("value_not_allowed", valid & ~ok))
        for fault, bad in checks:
            masks[fault] |= bad
            if bad.any():
                key = _fault_key(table.key, event.name, name)
                faults.setdefault(fault, {})[key] = int(bad.sum())
    return {fault: int(mask.sum()) for fault, mask in masks.items()}


#: The longest text a number property may be sent as (longer is a wrong type).
MAX_NUMBER_TEXT: Final = 20
BOOLEAN_TEXTS: Final = pa.array(["true", "false"], type=pa.string())


def _property_fault_calls(
    table: RawTable, data: pa.Table, is_call: np.ndarray, at: np.ndarray, calls: _CallDays
) -> None:
    """Calls of a per-event table (the rows ``is_call``, at event times ``at``) with each
    property fault (CALL_DEFINITIONS), counted per violated property into ``calls``. Values
    are compared as trimmed text (a number or boolean column as its text)."""
    event = V.PLANNED[_EVENT_OF_TABLE[table.name]]
    planned = {prop.name: prop for prop in event.properties}
    common = set(TRACKS.column_names)
    rows = pa.array(np.flatnonzero(is_call))
    at = at[is_call]
    for name in table.column_names:
        if name in common:
            continue
        column = data.column(name).take(rows)
        if not pa.types.is_string(column.type):
            column = column.cast(pa.string())
        value = pc.utf8_trim(column, " ")
        given = pc.not_equal(value, "").fill_null(False)  # not null, not blank
        prop = planned.get(name)
        checks: list[tuple[str, pa.ChunkedArray]] = []
        if prop is None:
            checks.append(("unplanned_property", column.is_valid()))
        else:
            if prop.required:
                checks.append(("missing_required_property", pc.invert(given)))
            if prop.type == "number":
                numeric = pc.and_(
                    pc.match_substring_regex(value, NUMERIC_TEXT),
                    pc.less_equal(pc.utf8_length(value), MAX_NUMBER_TEXT),
                )
                checks.append(("wrong_type", pc.and_not(given, numeric.fill_null(False))))
            elif prop.type == "boolean":
                boolean = pc.is_in(pc.utf8_lower(value), value_set=BOOLEAN_TEXTS)
                checks.append(("wrong_type", pc.and_not(given, boolean)))
            if prop.allowed:
                allowed = pc.is_in(value, value_set=pa.array(prop.allowed, type=pa.string()))
                checks.append(("value_not_allowed", pc.and_not(given, allowed)))
        for fault, bad in checks:
            mask = bad.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
            if mask.any():
                _add_calls(calls, fault, _fault_key(table.key, event.name, name), at[mask])


def _replace(column: pa.Array, rows: np.ndarray, values: pa.Array) -> pa.Array:
    """The dictionary column ``column`` with ``values`` at positions ``rows``: the values not yet
    in its dictionary are appended to it, each once, in order of first appearance (a
    dictionary with repeated values would not encode deterministically)."""
    if not len(rows):
        return column
    values = values.cast(pa.string())
    old = column.dictionary
    fresh = pc.unique(values)
    fresh = fresh.filter(pc.invert(pc.is_in(fresh, value_set=old)))
    dictionary = pa.concat_arrays([old, fresh])
    indices = column.indices.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int32)
    null = column.is_null().to_numpy(zero_copy_only=False).copy()
    indices[rows] = pc.index_in(values, value_set=dictionary).to_numpy(zero_copy_only=False)
    null[rows] = False
    return pa.DictionaryArray.from_arrays(pa.array(indices, mask=null), dictionary)


def _plant_emails(
    rng: np.random.Generator,
    cols: dict[str, pa.Array],
    row_email: pa.Array,
    base: np.ndarray,
    rate: float,
    where: Mapping[str, str],
) -> np.ndarray:
    """Plant the visitor's email (``row_email``, per delivered row) in the text columns of a
    share ``rate`` of the calls with a URL (``base``: the call of each delivered row, so that
    duplicates carry the same), changing ``cols`` in place. ``where`` names the url, path,
    referrer and (pages) search columns. Per call, one place: the URL's query string (and the
    search), the path (calls whose URL has no query string), the referrer (calls that have
    one), or a UTM term (appended to a URL that has UTM tags, and as the library captured it
    in context_campaign_term where it captured the campaign or the URL has no tags); the email
    plain, %40-encoded, or upper case and encoded. Returns the rows changed."""
    n_base = int(base.max()) + 1 if len(base) else 0
    picked = rng.random(n_base) < rate
    place = rng.integers(0, 4, n_base)
    form = rng.integers(0, 3, n_base)
    changed = np.zeros(len(base), dtype=bool)
    url = cols[where["url"]]
    rows = np.flatnonzero(picked[base] & url.is_valid().to_numpy(zero_copy_only=False))
    if not len(rows):
        return changed
    take = pa.array(rows)
    k, f = place[base[rows]], form[base[rows]]
    plain = row_email.take(take)
    encoded = pc.replace_substring(plain, "@", "%40")
    text = pc.if_else(
        pa.array(f == 0), plain, pc.if_else(pa.array(f == 1), encoded, pc.utf8_upper(encoded))
    )
    url_v = url.take(take).cast(pa.string())
    path = cols[where["path"]]
    path_v = path.take(take).cast(pa.string())
    referrer = cols[where["referrer"]]
    ref_v = referrer.take(take).cast(pa.string())
    has_query = pc.match_substring(url_v, "?").to_numpy(zero_copy_only=False)
    has_utm = pc.match_substring(url_v, "utm_").to_numpy(zero_copy_only=False)
    has_path = path_v.is_valid().to_numpy(zero_copy_only=False)
    k = np.where((k == 1) & (has_query | ~has_path), 0, k)
    k = np.where((k == 2) & ~ref_v.is_valid().to_numpy(zero_copy_only=False), 0, k)
    sep = pc.if_else(pa.array(has_query), "&", "?")
    new_url = url_v
    for code, value in (
        (0, A.join_strings([url_v, sep, "email=", text])),
        (1, A.join_strings([pc.utf8_rtrim(url_v, "/"), "/", text])),
        (3, A.join_strings([url_v, "&utm_term=contact+", text])),
    ):
        use = (k == code) & (has_utm if code == 3 else True)
        new_url = pc.if_else(pa.array(use), value, new_url)
    cols[where["url"]] = _replace(url, rows, new_url)
    in_path = k == 1
    new_path = A.join_strings([pc.utf8_rtrim(path_v, "/"), "/", text]).filter(pa.array(in_path))
    cols[where["path"]] = _replace(path, rows[in_path], new_path)
    in_ref = k == 2
    ref_sep = pc.if_else(pc.match_substring(ref_v, "?"), "&", "?")
    new_ref = A.join_strings([ref_v, ref_sep, "to=", text]).filter(pa.array(in_ref))
    cols[where["referrer"]] = _replace(referrer, rows[in_ref], new_ref)
    if "search" in where:
        search = cols[where["search"]]
        search_v = search.take(take).cast(pa.string()).fill_null("")
        in_query = k == 0
        new_search = A.join_strings([search_v, sep, "email=", text]).filter(pa.array(in_query))
        cols[where["search"]] = _replace(search, rows[in_query], new_search)
    source_set = cols["context_campaign_source"].take(take).is_valid()
    captured = (k == 3) & (source_set.to_numpy(zero_copy_only=False) | ~has_utm)
    term = A.join_strings(["contact ", plain]).filter(pa.array(captured))
    cols["context_campaign_term"] = _replace(cols["context_campaign_term"], rows[captured], term)
    changed[rows] = True
    return changed


def _odd_emails(
    rng: np.random.Generator,
    email: pa.Array,
    names: pa.Array,
    gid: np.ndarray,
    internal: np.ndarray,
    rate: float,
) -> pa.Array:
    """Per user, the identify email as sent: at ``rate``, in display-name form
    (``Name <email>``), with a trailing dot, upper case, or no address (the user's name or a
    phone number; internal users get the display-name form instead, keeping their domain)."""
    n = len(email)
    odd = rng.random(n) < rate
    form = rng.integers(0, 4, n)
    form[internal & (form == 3)] = 0
    phone = A.join_strings(["+1 555 ", A.int_strings(1000 + gid % 9000)])
    forms = (
        A.join_strings([names, " <", email, ">"]),
        A.join_strings([email, "."]),
        pc.utf8_upper(email),
        pc.if_else(pa.array(rng.random(n) < 0.5), phone, names),
    )
    out = email
    for code, value in enumerate(forms):
        out = pc.if_else(pa.array(odd & (form == code)), value, out)
    return out


def _has_upper(values: pa.Array) -> np.ndarray:
    """Whether each value differs from its lowercase (has upper-case letters)."""
    return pc.not_equal(values, pc.utf8_lower(values)).to_numpy(zero_copy_only=False)


def _is_odd_email(email: pa.Array, plain: pa.Array) -> np.ndarray:
    """Whether each user's email was changed by ``_odd_emails``."""
    return pc.not_equal(email, plain).to_numpy(zero_copy_only=False)


def _campaign_columns(voc: _Vocab, camp: np.ndarray) -> dict[str, pa.Array]:
    safe = np.maximum(camp, 0)
    return {
        "context_campaign_source": A.dict_column(voc.source, camp),
        "context_campaign_medium": A.dict_column(voc.medium, camp),
        "context_campaign_name": A.dict_column(voc.campaign, camp),
        "context_campaign_term": A.dict_column(
            voc.term, np.where(voc.campaign_term_null[safe], -1, camp)
        ),
        "context_campaign_content": A.dict_column(
            voc.content, np.where(voc.campaign_content_null[safe], -1, camp)
        ),
    }


# --- marketing.ad_spend -------------------------------------------------------------------------
def _ad_spend(cfg: GenConfig) -> tuple[pa.Table, dict[str, int]]:
    """One row per day x paid campaign (the campaigns the UTM tags use)."""
    rng = np.random.default_rng(np.random.SeedSequence(cfg.seed, spawn_key=(1,)))
    paid = [
        i
        for i, c in enumerate(V.CAMPAIGNS)
        if c.daily_spend > 0 and (not c.odd or cfg.hazards.unicode_text > 0)
    ]
    days = np.repeat(np.arange(cfg.days), len(paid))
    camp = np.tile(np.array(paid, dtype=np.int64), cfg.days)
    weekday = (cfg.start_date.weekday() + days) % 7
    base = np.array([c.daily_spend for c in V.CAMPAIGNS])[camp]
    factor = (1.0 + 0.5 * days / max(cfg.days, 1)) * np.where(weekday >= 5, 0.8, 1.0)
    cents = np.round(base * factor * rng.lognormal(0.0, 0.15, len(camp)) * 100).astype(np.int64)
    epoch_day = (cfg.start_date - date(1970, 1, 1)).days
    voc = _vocab()
    table = _table(
        AD_SPEND,
        {
            "date": pa.array((epoch_day + days).astype(np.int32), type=pa.date32()),
            "utm_source": A.take(voc.source, camp),
            "utm_medium": A.take(voc.medium, camp),
            "utm_campaign": A.take(voc.campaign, camp),
            "spend": A.money(cents),
        },
    )
    counts = {"rows": len(camp), "unicode_text": int(voc.campaign_odd[camp].sum())}
    return table, counts


# --- driver -------------------------------------------------------------------------------------
def _plan_visitors(cfg: GenConfig) -> tuple[int, float | None]:
    """Number of visitors to generate, and the events per visitor measured by a pilot run."""
    if cfg.visitors is not None:
        return cfg.visitors, None
    assert cfg.events is not None
    pilot_n = min(cfg.chunk_visitors, 20_000)
    pilot = _generate_chunk(cfg, 0, pilot_n, 0, stream=(2,))  # its own random stream
    rate = pilot.events / pilot_n
    return max(1, round(cfg.events / rate)), rate


def _chunks(total: int, size: int) -> Iterator[tuple[int, int, int]]:
    for chunk, first in enumerate(range(0, total, size)):
        yield chunk, min(size, total - first), first


def _sum_counts(into: dict[str, dict[str, int]], more: Mapping[str, Mapping[str, int]]) -> None:
    for table, counts in more.items():
        acc = into.setdefault(table, {})
        for name, value in counts.items():
            acc[name] = acc.get(name, 0) + value


def _sum_calls(into: _CallDays, more: _CallDays) -> None:
    for fault, by_key in more.items():
        for key, per_day in by_key.items():
            acc = into.setdefault(fault, {}).setdefault(key, {})
            for day_number, n in per_day.items():
                acc[day_number] = acc.get(day_number, 0) + n


def generate(
    cfg: GenConfig,
    out: Path | str,
    *,
    progress: bool = True,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Generate the raw tables into ``out`` and return the manifest (also written to
    ``out/manifest.json``). Existing table files and manifest in ``out`` are replaced."""
    cfg.validate()
    out = Path(out)
    say = log or (lambda msg: print(msg, file=sys.stderr))
    started = time.perf_counter()
    visitors, rate = _plan_visitors(cfg)
    if rate is not None:
        say(
            f"generate: ~{rate:.1f} events per visitor in a pilot run -> {visitors:,} visitors "
            f"for ~{cfg.events:,} events"
        )
    max_visitors = 10**8  # ids use 9 digits: visitor number x 10 must fit for order ids
    if visitors > max_visitors:
        raise GenerateError(f"{visitors:,} visitors is more than this generator's {max_visitors:,}")

    try:
        out.mkdir(parents=True, exist_ok=True)
        for schema in {t.schema for t in RAW_TABLES}:
            (out / schema).mkdir(exist_ok=True)
    except OSError as exc:
        raise GenerateError(f"cannot write to {out}: {exc}; choose another --out") from exc

    writers = {
        t.key: pq.ParquetWriter(
            parquet_path(out, t),
            _writer_schema(t),
            compression="snappy",
            store_schema=False,
        )
        for t in RAW_TABLES
        if t is not AD_SPEND
    }
    counts: dict[str, dict[str, int]] = {}
    faults: dict[str, dict[str, int]] = {}
    calls: _CallDays = {}
    daily = {name: np.zeros(cfg.days, dtype=np.int64) for name in (DROP_EVENT, SPIKE_EVENT)}
    stats: dict[str, int] = {}
    bar = tqdm(
        total=visitors, unit=" visitors", file=sys.stderr, disable=not progress, smoothing=0.1
    )
    events = 0

    def write(chunk_out: _ChunkOut) -> None:
        for key, table in chunk_out.tables.items():
            writers[key].write_table(table, row_group_size=max(table.num_rows, 1))

    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending: Future[None] | None = None
            for chunk, size, first in _chunks(visitors, cfg.chunk_visitors):
                result = _generate_chunk(cfg, chunk, size, first)
                if pending is not None:
                    pending.result()
                pending = pool.submit(write, result)
                _sum_counts(counts, result.counts)
                _sum_counts(faults, result.faults)
                _sum_calls(calls, result.calls)
                for name, per_day in result.daily.items():
                    daily[name] += per_day
                for name, value in result.stats.items():
                    stats[name] = stats.get(name, 0) + value
                events += result.events
                bar.set_postfix(events=f"{events:,}", refresh=False)
                bar.update(size)
            if pending is not None:
                pending.result()
    finally:
        bar.close()
        for writer in writers.values():
            writer.close()

    spend, spend_counts = _ad_spend(cfg)
    pq.write_table(spend, parquet_path(out, AD_SPEND), compression="snappy", store_schema=False)
    counts[AD_SPEND.key] = spend_counts

    manifest: dict[str, Any] = {
        "generator": "growthkit.generate",
        "generator_version": GENERATOR_VERSION,
        "config": {
            "visitors": visitors,
            "events_requested": cfg.events,
            "days": cfg.days,
            "seed": cfg.seed,
            "start_date": cfg.start_date.isoformat(),
            "end_date_exclusive": date.fromordinal(
                cfg.start_date.toordinal() + cfg.days
            ).isoformat(),
            "chunk_visitors": cfg.chunk_visitors,
            "hazard_rates": asdict(cfg.hazards),
        },
        "events": events,
        "tables": {
            t.key: {
                "path": str(parquet_path(Path("."), t)),
                "columns": list(t.column_names),
                **counts[t.key],
            }
            for t in RAW_TABLES
        },
        "stats": stats,
        "hazard_definitions": HAZARD_DESCRIPTIONS,
        "tracking_faults": _tracking_faults(cfg, counts, faults, calls, daily),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    elapsed = time.perf_counter() - started
    say(
        f"generate: {events:,} events (tracks + pages) from {visitors:,} visitors in "
        f"{elapsed:.1f} s ({events / max(elapsed, 1e-9):,.0f} events/s) -> {out}"
    )
    return manifest


def _tracking_faults(
    cfg: GenConfig,
    counts: Mapping[str, Mapping[str, int]],
    faults: Mapping[str, Mapping[str, int]],
    calls: _CallDays,
    daily: Mapping[str, np.ndarray],
) -> dict[str, Any]:
    """manifest["tracking_faults"]: per fault its rows and calls (CALL_DEFINITIONS, also per
    date), where they are (``by``: table, event, property, rows, calls and calls per date) and
    their definitions; the volume drop and spike days with the event's rows per day; the
    property column that first appears mid-period."""
    per_event = (EXPERIMENT_VIEWED, *EVENT_TABLES)
    tables_of = {
        "unplanned_event": (TRACKS,),
        "non_standard_event_name": (TRACKS,),
        "missing_user_id_after_identify": (TRACKS, PAGES),
        **{fault: per_event for fault in PROPERTY_FAULTS},
    }
    epoch = date(1970, 1, 1).toordinal()

    def by_date(per_day: Mapping[int, int]) -> dict[str, int]:
        return {
            date.fromordinal(epoch + number).isoformat(): n
            for number, n in sorted(per_day.items())
            if n
        }

    out: dict[str, Any] = {}
    for fault, tables in tables_of.items():
        rows_by, calls_by = faults.get(fault, {}), calls.get(fault, {})
        by = []
        for key in sorted(set(rows_by) | set(calls_by)):
            table, event, prop = key.split("\t")
            entry = {"table": table, "event": event or None, "property": prop or None}
            per_day = calls_by.get(key, {})
            by.append(
                {k: v for k, v in entry.items() if v is not None}
                | {
                    "rows": rows_by.get(key, 0),
                    "calls": sum(per_day.values()),
                    "calls_by_date": by_date(per_day),
                }
            )
        total: dict[int, int] = {}
        for per_day in calls_by.values():
            for number, n in per_day.items():
                total[number] = total.get(number, 0) + n
        out[fault] = {
            "rows": sum(counts[t.key][fault] for t in tables),
            "calls": sum(total.values()),
            "tables": [t.key for t in tables],
            "by": by,
            "definition": f"{TRACKING_FAULT_DESCRIPTIONS[fault]}: {HAZARD_DESCRIPTIONS[fault]}",
            "calls_definition": f"{CALL_DEFINITIONS[fault]}; {USABLE_CALL}",
            "calls_by_date": by_date(total),
        }
    days = _FaultDays.of(cfg)

    def day(number: int) -> str:
        return date.fromordinal(cfg.start_date.toordinal() + number).isoformat()

    def volume(event: str, number: int, rate: float) -> dict[str, Any]:
        per_day = daily[event]
        return {
            "event": event,
            "table": TRACKS.key,
            "date": day(number) if rate > 0 else None,
            "rows_on_date": int(per_day[number]) if rate > 0 else None,
            "daily_rows": {day(i): int(v) for i, v in enumerate(per_day)},
            "definition": TRACKING_FAULT_DESCRIPTIONS[
                f"volume_{'drop' if event == DROP_EVENT else 'spike'}"
            ],
        }

    out["volume_drop"] = volume(DROP_EVENT, days.drop, cfg.hazards.volume_drop)
    out["volume_spike"] = volume(SPIKE_EVENT, days.spike, cfg.hazards.volume_spike)
    event, prop = NEW_PROPERTY
    table = next(t for t in EVENT_TABLES if _EVENT_OF_TABLE[t.name] == event)
    out["new_property"] = {
        "table": table.key,
        "event": event,
        "property": prop,
        "first_date": day(days.new_property) if days.new_property > 0 else None,
        "definition": TRACKING_FAULT_DESCRIPTIONS["new_property"],
    }
    return out


def _writer_schema(table: RawTable) -> pa.Schema:
    """The Arrow schema of the chunks: low-cardinality text columns are dictionary arrays."""
    dict_columns = {
        TRACKS.key: _DICT_COLUMNS_TRACKS,
        PAGES.key: _DICT_COLUMNS_PAGES,
        IDENTIFIES.key: frozenset({"name", "region", "heard_about", "context_user_agent"}),
        GROUPS.key: frozenset({"name", "plan"}),
        EXPERIMENT_VIEWED.key: frozenset({"experiment_id", "variation_id"}),
        ORDERS.key: frozenset({"status", "region"}),
        **{t.key: _DICT_COLUMNS_TRACKS | _DICT_COLUMNS_PROPERTIES for t in EVENT_TABLES},
    }[table.key]
    dict_type = pa.dictionary(pa.int32(), pa.string())
    return pa.schema(
        [(f.name, dict_type if f.name in dict_columns else f.type) for f in table.arrow_schema()]
    )


_CAMPAIGN_COLS = frozenset(
    {
        "context_campaign_source",
        "context_campaign_medium",
        "context_campaign_name",
        "context_campaign_term",
        "context_campaign_content",
    }
)
_DICT_COLUMNS_TRACKS = _CAMPAIGN_COLS | {
    "event",
    "event_text",
    "context_user_agent",
    "context_library_name",
    "context_page_url",
    "context_page_path",
    "context_page_referrer",
    "context_timezone",
}
_DICT_COLUMNS_PROPERTIES = frozenset(
    {"query", "rating", "post_id", "direction", "feature_area", "currency", "provider", "plan_tier"}
)
_DICT_COLUMNS_PAGES = _CAMPAIGN_COLS | {
    "name",
    "url",
    "path",
    "referrer",
    "title",
    "search",
    "context_user_agent",
    "context_library_name",
    "context_timezone",
}
