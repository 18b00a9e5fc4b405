"""Vocabularies of the synthetic Segment data: channels, campaigns, pages, devices, people.

Everything here is a constant; ``generate.py`` draws indices into these tables with numpy and
turns them into Arrow columns. Entries flagged ``odd`` carry non-ASCII or quote characters and
are only used at the ``unicode_text`` hazard rate, so with hazards off every text is plain ASCII
without quotes (the tests rely on that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

import numpy as np

SITE: Final = "https://www.growthco.example"
INTERNAL_DOMAIN: Final = "growthco.example"

# --- Channels --------------------------------------------------------------------------------
CHANNELS: Final = (
    "paid_search",
    "paid_social",
    "organic_search",
    "organic_social",
    "email",
    "affiliate",
    "referral",
    "display",
    "direct",
)
CH = {name: i for i, name in enumerate(CHANNELS)}
#: Channel of a visitor's first session.
ACQUISITION_P: Final = np.array([0.14, 0.12, 0.22, 0.07, 0.03, 0.04, 0.06, 0.06, 0.26])
#: Channel of later sessions (email only once the visitor has an account; else direct).
RETURN_P: Final = np.array([0.07, 0.05, 0.18, 0.04, 0.18, 0.01, 0.03, 0.03, 0.41])
#: Probability that a visitor acquired through the channel ever signs up.
SIGNUP_P: Final = np.array([0.09, 0.045, 0.08, 0.04, 0.15, 0.10, 0.09, 0.02, 0.10])


# --- Campaigns (UTM tags) --------------------------------------------------------------------
@dataclass(frozen=True)
class Campaign:
    channel: str
    source: str
    medium: str
    name: str
    term: str | None
    content: str | None
    referrer: str | None
    daily_spend: float  # 0: not a paid campaign (no ad_spend rows)
    odd: bool = False


CAMPAIGNS: Final = (
    Campaign("paid_search", "google", "cpc", "brand_search", "growthco", "text_ad_a",
             "https://www.google.com/", 220.0),
    Campaign("paid_search", "google", "cpc", "generic_search", "product analytics tool",
             "text_ad_b", "https://www.google.com/", 540.0),
    Campaign("paid_search", "bing", "cpc", "brand_search", "growthco", None,
             "https://www.bing.com/", 60.0),
    Campaign("paid_search", "bing", "cpc", "generic_search", "funnel analysis software", None,
             "https://www.bing.com/", 90.0),
    Campaign("paid_social", "facebook", "paid_social", "spring_promo", None, "carousel_v1",
             "https://l.facebook.com/", 300.0),
    Campaign("paid_social", "instagram", "paid_social", "retargeting_q2", None, "story_15s",
             "https://l.instagram.com/", 180.0),
    Campaign("paid_social", "facebook", "cpc", "lookalike_signup", None, "single_image",
             "https://l.facebook.com/", 150.0),
    Campaign("paid_social", "linkedin", "paid_social", "b2b_decision_makers", None,
             "sponsored_post", "https://www.linkedin.com/", 260.0),
    Campaign("paid_social", "facebook", "paid_social", 'Café "Spring" sale', None, "carousel_v2",
             "https://l.facebook.com/", 120.0, odd=True),
    Campaign("paid_social", "instagram", "paid_social", "naïve launch 🚀", None, "reel_v1",
             "https://l.instagram.com/", 80.0, odd=True),
    Campaign("display", "google", "display", "remarketing_display", None, "300x250",
             "https://news.example.com/markets", 110.0),
    Campaign("display", "adroll", "banner", "retarget_banner", None, "728x90", None, 70.0),
    Campaign("display", "google", "display", "Winter Sale '24 — 20% off", None, "160x600",
             None, 40.0, odd=True),
    Campaign("email", "newsletter", "email", "weekly_digest", None, "header_link", None, 0.0),
    Campaign("email", "customer.io", "email", "onboarding_day3", None, "cta_button",
             "https://mail.google.com/", 0.0),
    Campaign("email", "newsletter", "email", 'Résumé week: "tips & tricks"', None, None, None,
             0.0, odd=True),
    Campaign("affiliate", "partnerstack", "affiliate", "partner_program", None, "partner_1234",
             "https://partner-blog.example.net/review", 0.0),
    Campaign("affiliate", "impact", "affiliate", "influencer_q2", None, None,
             "https://creator.example.org/", 0.0),
)  # fmt: skip

#: Referrers of sessions that arrive without UTM tags, by channel (url, weight).
CHANNEL_REFERRERS: Final[dict[str, tuple[tuple[str | None, float], ...]]] = {
    "organic_search": (
        ("https://www.google.com/", 0.70),
        ("https://www.bing.com/", 0.15),
        ("https://duckduckgo.com/", 0.10),
        ("https://search.yahoo.com/", 0.05),
    ),
    "organic_social": (
        ("https://t.co/", 0.35),
        ("https://www.facebook.com/", 0.25),
        ("https://www.linkedin.com/feed/", 0.25),
        ("https://www.reddit.com/r/analytics/", 0.15),
    ),
    "referral": (
        ("https://news.ycombinator.com/", 0.30),
        ("https://www.producthunt.com/posts/growthco", 0.25),
        ("https://blog.example.org/best-analytics-tools", 0.25),
        ("https://www.g2.com/products/growthco/reviews", 0.20),
    ),
    "direct": ((None, 1.0),),
}


# --- Pages -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    path: str
    name: str | None
    title: str
    nav_pre: float  # weight as a non-landing page before the visitor has an account
    nav_post: float  # ... and after
    odd: bool = False


PAGES: Final = (
    Page("/", "Home", "GrowthCo | Product analytics for growing teams", 0.14, 0.02),
    Page("/pricing", "Pricing", "Pricing | GrowthCo", 0.16, 0.03),
    Page("/features", "Features", "Features | GrowthCo", 0.14, 0.01),
    Page("/features/funnels", "Features", "Funnels | GrowthCo", 0.08, 0.01),
    Page("/customers", "Customers", "Customer stories | GrowthCo", 0.07, 0.0),
    Page("/docs/getting-started", "Docs", "Getting started | GrowthCo Docs", 0.05, 0.08),
    Page("/blog/measure-retention", "Blog Post", "How to measure retention | GrowthCo Blog",
         0.06, 0.01),
    Page("/blog/attribution-models", "Blog Post",
         "Attribution models explained | GrowthCo Blog", 0.05, 0.01),
    Page("/signup", "Sign Up", "Create your account | GrowthCo", 0.08, 0.0),
    Page("/login", "Log In", "Log in | GrowthCo", 0.03, 0.02),
    Page("/app/dashboard", "Dashboard", "Dashboard | GrowthCo", 0.0, 0.32),
    Page("/app/reports", "Reports", "Reports | GrowthCo", 0.0, 0.22),
    Page("/app/projects/new", "New Project", "New project | GrowthCo", 0.0, 0.08),
    Page("/app/settings/team", "Team Settings", "Team settings | GrowthCo", 0.0, 0.05),
    Page("/checkout", "Checkout", "Checkout | GrowthCo", 0.0, 0.03),
    Page("/checkout/complete", "Order Complete", "Thank you | GrowthCo", 0.0, 0.0),
    Page("/blog/cafe-spring-sale", "Blog Post",
         'Café "Spring" sale — a naïve guide to promos 🚀', 0.0, 0.0, odd=True),
)  # fmt: skip
PG = {page.path: i for i, page in enumerate(PAGES)}
ODD_PAGE: Final = PG["/blog/cafe-spring-sale"]

#: Landing page weights by channel (rows follow CHANNELS, columns follow PAGES).
_LANDING = {
    "paid_search": {"/": 0.4, "/pricing": 0.4, "/features": 0.2},
    "paid_social": {"/": 0.5, "/pricing": 0.2, "/features/funnels": 0.3},
    "organic_search": {
        "/blog/measure-retention": 0.3,
        "/blog/attribution-models": 0.25,
        "/": 0.25,
        "/features": 0.1,
        "/docs/getting-started": 0.1,
    },
    "organic_social": {"/blog/measure-retention": 0.4, "/": 0.4, "/customers": 0.2},
    "email": {"/blog/attribution-models": 0.4, "/app/dashboard": 0.4, "/pricing": 0.2},
    "affiliate": {"/": 0.5, "/pricing": 0.5},
    "referral": {"/": 0.5, "/customers": 0.25, "/blog/measure-retention": 0.25},
    "display": {"/": 0.6, "/pricing": 0.4},
    "direct": {"/": 0.6, "/login": 0.2, "/pricing": 0.2},
}
LANDING_P: Final = np.array(
    [[_LANDING[ch].get(page.path, 0.0) for page in PAGES] for ch in CHANNELS]
)
NAV_PRE_P: Final = np.array([page.nav_pre for page in PAGES])
NAV_POST_P: Final = np.array([page.nav_post for page in PAGES])


def query_string(campaign: Campaign) -> str:
    """The UTM query string of a landing URL, percent-encoded as a browser sends it."""
    parts = [
        ("utm_source", campaign.source),
        ("utm_medium", campaign.medium),
        ("utm_campaign", campaign.name),
        ("utm_term", campaign.term),
        ("utm_content", campaign.content),
    ]
    return "?" + "&".join(f"{key}={quote(value, safe='')}" for key, value in parts if value)


#: Every URL a call can carry: PAGES x (no campaign, CAMPAIGNS...). Index = page * NQ + q where
#: q = 0 for no query string and q = 1 + campaign index.
NQ: Final = len(CAMPAIGNS) + 1
SEARCHES: Final = (None, *(query_string(c) for c in CAMPAIGNS))
URLS: Final = tuple(SITE + page.path + (q or "") for page in PAGES for q in SEARCHES)

#: External referrers (campaign and channel ones); a referrer code >= len(EXTERNAL_REFERRERS)
#: means URLS[code - len(EXTERNAL_REFERRERS)] (the previous page of the same session).
EXTERNAL_REFERRERS: Final = tuple(
    sorted(
        {c.referrer for c in CAMPAIGNS if c.referrer}
        | {url for refs in CHANNEL_REFERRERS.values() for url, _ in refs if url}
    )
)
REFERRER_VOCAB: Final = EXTERNAL_REFERRERS + URLS

# --- Events ----------------------------------------------------------------------------------
EVENTS: Final = (
    "Product Viewed",
    "Button Clicked",
    "Video Played",
    "Dashboard Viewed",
    "Report Created",
    "Application Opened",
    "Signed Up",
    "Project Created",
    "Invited Teammate",
    "Checkout Started",
    "Order Completed",
    "Experiment Viewed",
    "Document Searched",
    "Search Rated",
    "Post Voted",
    "Comment Posted",
    "Integration Connected",
    "Debug Ping",
)
EV = {name: i for i, name in enumerate(EVENTS)}
#: Generic events of a session before / after the visitor has an account.
GENERIC_PRE: Final = (EV["Product Viewed"], EV["Button Clicked"], EV["Video Played"])
GENERIC_PRE_P: Final = np.array([0.6, 0.3, 0.1])
GENERIC_POST: Final = (EV["Dashboard Viewed"], EV["Report Created"], EV["Product Viewed"])
GENERIC_POST_P: Final = np.array([0.5, 0.3, 0.2])


def snake(name: str) -> str:
    """Segment's table/event slug: 'Order Completed' and 'orderCompleted' -> 'order_completed'."""
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name.strip())
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def camel(name: str) -> str:
    words = name.split()
    return words[0].lower() + "".join(w.capitalize() for w in words[1:])


EVENT_SLUGS: Final = tuple(snake(e) for e in EVENTS)
#: Event texts as sent: index = event * 3 + style (0 canonical, 1 snake_case, 2 camelCase).
EVENT_TEXTS: Final = tuple(t for e in EVENTS for t in (e, snake(e), camel(e)))

EXPERIMENTS: Final = ("exp_signup_cta", "exp_checkout_redesign")
VARIATIONS: Final = ("control", "variant")

# --- Event properties ------------------------------------------------------------------------
#: Docs search queries: (query, mean number of results). Some find nothing.
SEARCH_QUERIES: Final = (
    ("funnel analysis", 24.0), ("retention cohorts", 18.0), ("export csv", 9.0),
    ("sso setup", 4.0), ("api key", 12.0), ("invite teammate", 6.0), ("delete project", 3.0),
    ("utm tracking", 15.0), ("attribution model", 11.0), ("dashboard filters", 20.0),
    ("webhooks", 5.0), ("billing invoice", 7.0), ("segment integration", 8.0),
    ("slack alerts", 4.0), ("gdpr data deletion", 2.0), ("custom events", 16.0),
    ("snowflak sync", 0.0), ("dark mode", 0.0),
)  # fmt: skip
_QUERY_W = np.array([9, 8, 7, 4, 6, 4, 2, 6, 5, 6, 3, 3, 4, 2, 1, 5, 1, 1], dtype=float)
SEARCH_QUERY_P: Final = _QUERY_W / _QUERY_W.sum()
SEARCH_RESULTS_MEAN: Final = np.array([mean for _, mean in SEARCH_QUERIES])
#: Ratings of a search; the last one is not in the tracking plan (hazard value_not_allowed).
RATINGS: Final = ("up", "down", "meh")
VOTE_DIRECTIONS: Final = ("up", "down")
#: The community board's posts (post_00000 ...): popularity falls with the post number.
N_POSTS: Final = 400
_POST_W = 1.0 / (np.arange(N_POSTS) + 1.0) ** 1.1
POST_P: Final = _POST_W / _POST_W.sum()
FEATURE_AREAS: Final = ("dashboards", "reports", "funnels", "retention", "integrations",
                        "billing", "api", "permissions")  # fmt: skip
#: Feature area of each post.
POST_AREA: Final = (np.arange(N_POSTS) * 5 + 3) % len(FEATURE_AREAS)
INTEGRATION_PROVIDERS: Final = ("slack", "github", "hubspot", "salesforce", "segment", "bigquery",
                                "snowflake", "zapier")  # fmt: skip
INTEGRATION_P: Final = np.array([0.30, 0.15, 0.12, 0.10, 0.10, 0.09, 0.08, 0.06])
CURRENCIES: Final = ("USD", "EUR", "GBP")
#: Revenue values a source sent as non-numeric text (hazard wrong_type).
NON_NUMERIC_REVENUES: Final = ("free", "12,50", "N/A")


# --- Devices ---------------------------------------------------------------------------------
LIBRARIES: Final = ("analytics.js", "analytics-ios", "analytics-android", "analytics-node",
                    "analytics-python")  # fmt: skip
LIB = {name: i for i, name in enumerate(LIBRARIES)}


@dataclass(frozen=True)
class Agent:
    ua: str
    library: str
    kind: str  # desktop, mobile, app, bot
    weight: float
    is_bot: bool = False


AGENTS: Final = (
    Agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/124.0.0.0 Safari/537.36", "analytics.js", "desktop", 0.30),
    Agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
          "Gecko) Chrome/124.0.0.0 Safari/537.36", "analytics.js", "desktop", 0.22),
    Agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
          "Gecko) Version/17.4 Safari/605.1.15", "analytics.js", "desktop", 0.12),
    Agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
          "analytics.js", "desktop", 0.08),
    Agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51", "analytics.js", "desktop", 0.08),
    Agent("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
          "analytics.js", "desktop", 0.03),
    Agent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1", "analytics.js",
          "mobile", 0.45),
    Agent("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/124.0.0.0 Mobile Safari/537.36", "analytics.js", "mobile", 0.35),
    Agent("Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like "
          "Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36", "analytics.js",
          "mobile", 0.10),
    Agent("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
          "Gecko) Version/17.4 Mobile/15E148 Safari/604.1", "analytics.js", "mobile", 0.10),
    Agent("GrowthCo/5.2.0 (iPhone; iOS 17.4.1; Scale/3.00)", "analytics-ios", "app", 0.55),
    Agent("Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A.240205.004)",
          "analytics-android", "app", 0.45),
    Agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
          "analytics.js", "bot", 0.40, is_bot=True),
    Agent("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
          "analytics.js", "bot", 0.20, is_bot=True),
    Agent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "HeadlessChrome/124.0.0.0 Safari/537.36", "analytics.js", "bot", 0.25, is_bot=True),
    Agent("python-requests/2.31.0", "analytics-python", "bot", 0.15, is_bot=True),
)  # fmt: skip
AGENT_LIBRARY: Final = np.array([LIB[a.library] for a in AGENTS])
AGENT_IS_APP: Final = np.array([a.kind == "app" for a in AGENTS])
AGENT_IS_BOT: Final = np.array([a.is_bot for a in AGENTS])


def agent_p(kind: str) -> np.ndarray:
    w = np.array([a.weight if a.kind == kind else 0.0 for a in AGENTS])
    return w / w.sum()


# --- Regions and time zones ------------------------------------------------------------------
REGIONS: Final = ("us-east", "us-west", "eu-west", "eu-central", "ap-southeast", "sa-east")
REGION_P: Final = np.array([0.32, 0.18, 0.20, 0.12, 0.12, 0.06])
#: (IANA name, UTC offset in hours ignoring daylight saving, region, weight within region)
TIMEZONES: Final = (
    ("America/New_York", -5.0, "us-east", 0.7),
    ("America/Chicago", -6.0, "us-east", 0.3),
    ("America/Los_Angeles", -8.0, "us-west", 0.75),
    ("America/Denver", -7.0, "us-west", 0.25),
    ("Europe/London", 0.0, "eu-west", 0.5),
    ("Europe/Paris", 1.0, "eu-west", 0.3),
    ("Europe/Madrid", 1.0, "eu-west", 0.2),
    ("Europe/Berlin", 1.0, "eu-central", 0.8),
    ("Europe/Warsaw", 1.0, "eu-central", 0.2),
    ("Asia/Singapore", 8.0, "ap-southeast", 0.35),
    ("Asia/Tokyo", 9.0, "ap-southeast", 0.25),
    ("Australia/Sydney", 10.0, "ap-southeast", 0.25),
    ("Asia/Kolkata", 5.5, "ap-southeast", 0.15),
    ("America/Sao_Paulo", -3.0, "sa-east", 1.0),
)
TZ_NAMES: Final = tuple(t[0] for t in TIMEZONES)
TZ_OFFSET_S: Final = np.array([int(t[1] * 3600) for t in TIMEZONES], dtype=np.int64)
TZ_BY_REGION_P: Final = np.array(
    [[t[3] if t[2] == region else 0.0 for t in TIMEZONES] for region in REGIONS]
)
#: Relative activity by local hour of day.
_HOURS = np.array(
    [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 3.5, 5, 5.5, 5.5, 5, 5, 5.2, 5, 4.5, 4, 4, 4.2, 4.3, 4, 3, 2]
)
HOUR_P: Final = _HOURS / _HOURS.sum()

# --- People and accounts ---------------------------------------------------------------------
FIRST_NAMES: Final = (
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Lucas", "Mia", "Ethan", "Sofia", "Mateo", "Hannah",
    "Jonas", "Priya", "Arjun", "Yuki", "Kenji", "Fatima", "Omar", "Chloe", "Leo", "Grace",
    "Daniel", "Sara", "Tom", "Ines",
)  # fmt: skip
LAST_NAMES: Final = (
    "Smith", "Johnson", "Garcia", "Mueller", "Rossi", "Dubois", "Tanaka", "Kim", "Patel", "Silva",
    "Nowak", "Jensen", "Brown", "Martin", "Lopez", "Novak", "Khan", "Cohen", "Murphy", "Schmidt",
)  # fmt: skip
#: (display name, email local part) of names with non-ASCII or quote characters.
ODD_NAMES: Final = (
    ("José Núñez", "jose.nunez"),
    ("Seán O'Brien", "sean.obrien"),
    ('Zoë "Zee" Quinn', "zoe.quinn"),
    ("王芳", "wang.fang"),
    ("Ana Lima 🚀", "ana.lima"),
    ("Björk Guðmundsdóttir", "bjork.gudmundsdottir"),
    ("Łukasz Żółć", "lukasz.zolc"),
    ("Renée Dupré", "renee.dupre"),
)
NAMES: Final = tuple(f"{f} {s}" for f in FIRST_NAMES for s in LAST_NAMES) + tuple(
    n for n, _ in ODD_NAMES
)
N_PLAIN_NAMES: Final = len(FIRST_NAMES) * len(LAST_NAMES)
EMAIL_LOCALS: Final = tuple(
    f"{f.lower()}.{s.lower()}" for f in FIRST_NAMES for s in LAST_NAMES
) + tuple(local for _, local in ODD_NAMES)
EMAIL_LOCALS_CASED: Final = tuple(f"{f}.{s}" for f in FIRST_NAMES for s in LAST_NAMES) + tuple(
    local.title() for _, local in ODD_NAMES
)
EMAIL_DOMAINS: Final = (
    "gmail.com", "outlook.com", "yahoo.com", "icloud.com", "acme.example", "globex.example",
    "initech.example", "hooli.example", "umbrella.example", INTERNAL_DOMAIN,
)  # fmt: skip
EMAIL_DOMAINS_CASED: Final = (
    "Gmail.com", "Outlook.com", "Yahoo.com", "iCloud.com", "Acme.example", "Globex.example",
    "Initech.example", "Hooli.example", "Umbrella.example", "GrowthCo.example",
)  # fmt: skip
EMAIL_DOMAIN_P: Final = np.array([0.40, 0.12, 0.06, 0.07, 0.09, 0.08, 0.07, 0.06, 0.05, 0.0])
INTERNAL_DOMAIN_IDX: Final = EMAIL_DOMAINS.index(INTERNAL_DOMAIN)
HEARD_ABOUT: Final = ("podcast", "friend", "search", "social", "ad")
HEARD_ABOUT_P: Final = np.array([0.12, 0.28, 0.25, 0.15, 0.10])  # remaining 0.10: null
#: Most likely answer by acquisition channel (index into HEARD_ABOUT).
HEARD_BY_CHANNEL: Final = np.array([4, 4, 2, 3, 1, 1, 1, 4, 1])

COMPANY_WORDS: Final = (
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka", "Tyrell",
    "Cyberdyne", "Soylent", "Vandelay", "Pied Piper", "Dunder Mifflin", "Prestige", "Monarch",
    "Oscorp", "Aperture", "Black Mesa", "Massive Dynamic",
)  # fmt: skip
COMPANY_SUFFIXES: Final = ("Inc", "Labs", "GmbH", "Ltd", "Co", "Group", "Analytics", "Studio")
ODD_COMPANIES: Final = (
    "Müller & Söhne GmbH",
    'Café Olé "Nord" SARL',
    "L'Atelier Numérique",
    "東京データ株式会社",
    "Rocket 🚀 Labs",
)
COMPANIES: Final = (
    tuple(f"{w} {s}" for w in COMPANY_WORDS for s in COMPANY_SUFFIXES) + ODD_COMPANIES
)
N_PLAIN_COMPANIES: Final = len(COMPANY_WORDS) * len(COMPANY_SUFFIXES)
PLANS: Final = ("free", "team", "enterprise")
PLAN_P: Final = np.array([0.70, 0.25, 0.05])

ORDER_STATUSES: Final = ("completed", "cancelled", "refunded")
ORDER_STATUS_P: Final = np.array([0.90, 0.06, 0.04])


def has_odd_text(value: str | None) -> bool:
    """True if ``value`` contains a non-ASCII or a quote character."""
    return value is not None and (not value.isascii() or '"' in value or "'" in value)


# --- Tracking plan ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PlannedProperty:
    name: str
    type: str  # text, number, boolean, timestamp
    required: bool
    description: str
    allowed: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlannedEvent:
    name: str  # the planned spelling, Title Case
    description: str
    owner: str
    properties: tuple[PlannedProperty, ...] = ()

    @property
    def slug(self) -> str:
        return snake(self.name)


_P = PlannedProperty
#: Every event the generator sends on purpose, with its properties. The planted faults are what
#: it does not list: the event "Debug Ping" and the property document_searched.debug_mode.
TRACKING_PLAN: Final = (
    PlannedEvent("Product Viewed", "A product or feature page was viewed.", "growth"),
    PlannedEvent("Button Clicked", "A call-to-action button was clicked.", "growth"),
    PlannedEvent("Video Played", "A marketing or help video started playing.", "growth"),
    PlannedEvent("Dashboard Viewed", "A dashboard was opened in the app.", "product"),
    PlannedEvent("Report Created", "A report was saved in the app.", "product"),
    PlannedEvent("Application Opened", "The mobile app was opened.", "mobile"),
    PlannedEvent("Signed Up", "An account was created (followed by an identify).", "growth"),
    PlannedEvent("Project Created", "A first or further project was created.", "product"),
    PlannedEvent("Invited Teammate", "A teammate was invited to the account.", "product"),
    PlannedEvent("Checkout Started", "The checkout page was opened.", "billing"),
    PlannedEvent(
        "Order Completed",
        "An order was paid (sent server-side).",
        "billing",
        (
            _P("order_id", "text", True, "The shop's order id (shop.orders.order_id)."),
            _P("revenue", "number", True, "Order value in currency units, before refunds."),
            _P("currency", "text", True, "ISO 4217 code of the revenue.", ("USD", "EUR", "GBP")),
        ),
    ),
    PlannedEvent(
        "Experiment Viewed",
        "The visitor was exposed to an experiment variation.",
        "growth",
        (
            _P("experiment_id", "text", True, "The experiment.", EXPERIMENTS),
            _P("variation_id", "text", True, "The variation shown.", VARIATIONS),
        ),
    ),
    PlannedEvent(
        "Document Searched",
        "A search in the docs or the app's help panel.",
        "docs",
        (
            _P("query", "text", True, "The search text as typed."),
            _P("results_count", "number", True, "Number of results shown."),
            _P("result_clicked", "boolean", True, "Whether a result was clicked."),
        ),
    ),
    PlannedEvent(
        "Search Rated",
        "The searcher rated the results of a search.",
        "docs",
        (
            _P("rating", "text", True, "Thumbs up or down.", RATINGS[:2]),
            _P("search_id", "text", True, "Message id of the Document Searched call rated."),
        ),
    ),
    PlannedEvent(
        "Post Voted",
        "A vote on a community board post.",
        "community",
        (
            _P("post_id", "text", True, "The post voted on."),
            _P("direction", "text", True, "Up- or down-vote.", VOTE_DIRECTIONS),
        ),
    ),
    PlannedEvent(
        "Comment Posted",
        "A comment on a community board post.",
        "community",
        (
            _P("post_id", "text", True, "The post commented on."),
            _P("feature_area", "text", True, "Product area of the post.", FEATURE_AREAS),
        ),
    ),
    PlannedEvent(
        "Integration Connected",
        "A third-party integration was connected to the account.",
        "platform",
        (
            _P("provider", "text", True, "The integration.", INTEGRATION_PROVIDERS),
            _P(
                "plan_tier",
                "text",
                False,
                "The account's plan when connecting; sent only since a release mid-period.",
                PLANS,
            ),
        ),
    ),
)
PLANNED: Final = {event.name: event for event in TRACKING_PLAN}
UNPLANNED_EVENT: Final = "Debug Ping"
UNPLANNED_PROPERTY: Final = ("Document Searched", "debug_mode")
#: Whether each of EVENTS is in the tracking plan.
EVENT_PLANNED: Final = np.array([name in PLANNED for name in EVENTS])
TRACKING_PLAN_COLUMNS: Final = (
    "event_name",
    "property_name",
    "property_type",
    "is_required",
    "allowed_values",
    "description",
    "owner",
)


def tracking_plan_csv() -> str:
    """The tracking plan as the seed ``seeds/config/tracking_plan.csv`` holds it."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(TRACKING_PLAN_COLUMNS)
    for event in TRACKING_PLAN:
        if not event.properties:
            writer.writerow([event.name, "", "", "", "", event.description, event.owner])
        for prop in event.properties:
            writer.writerow(
                [
                    event.name,
                    prop.name,
                    prop.type,
                    "true" if prop.required else "false",
                    "|".join(prop.allowed),
                    prop.description,
                    event.owner,
                ]
            )
    return buffer.getvalue()
