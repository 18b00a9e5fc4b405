"""Privacy on generated data, on each engine: nothing personal leaves the raw schemas.

The generator plants visitors' emails in URLs, paths, referrers, search and UTM terms (plain,
%40-encoded, upper case), and identify emails in display-name form, with a trailing dot, in
upper case, or as a name or a phone number (hazards email_in_url and odd_email). These tests
build the project on that data and check, against references computed here in Python from the
raw Parquet files (not by the project's SQL):

- no raw email (in any case, plain or encoded), identify name, phone-number "email" or client
  IP address of the generated data is in any text column of any relation outside the raw
  schemas (staging, intermediate, audit, marts, seeds);
- email_hash is sha256 of the key and the normalized address, email_domain the address's
  domain, both null for what is not an address, and the users flagged internal by domain are
  those with an internal address in any of its forms;
- a target outside var('dev_targets') refuses to compile the email hash without
  GROWTH_HASH_SECRET.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import duckdb
import pytest
from conftest import DEV_HASH_KEY, SOURCE_VARS, GeneratedBuild, load_generated, own_database
from relation_scan import describe_hits, scan_text_columns

from growthkit.gen_contract import DOCUMENT_SEARCHED, IDENTIFIES, PAGES, RAW_TABLES, TRACKS
from growthkit.gen_vocab import INTERNAL_DOMAIN
from growthkit.generate import parquet_path

#: Raw text columns where the generator plants emails (besides identifies.email).
PLANTED_IN = {
    TRACKS: ("context_page_url", "context_page_path", "context_page_referrer",
             "context_campaign_term", "context_campaign_content"),
    PAGES: ("url", "path", "referrer", "search", "context_campaign_term",
            "context_campaign_content"),
    DOCUMENT_SEARCHED: ("query",),
}  # fmt: skip
ADDRESS = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+")
IP_ADDRESS = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")
#: Characters that end the local part (to the left of "@") or the domain (to its right).
LOCAL_TAIL = re.compile(r"[^\s/?#&=<>\"'@:;,()|]*$")
DOMAIN_HEAD = re.compile(r"[^\s/?#&=<>\"'@:;,()|%]*")


def is_raw_schema(schema: str) -> bool:
    """The raw schemas: the generated sources' and the fixture seeds' (<target>_raw_*)."""
    return schema in SOURCE_VARS.values() or "_raw_" in schema


def normalized_address(raw: str | None) -> str | None:
    """The address in a raw identify email, by Python's email parser (not the project's SQL):
    lowercased, a trailing dot of the domain dropped; None when it is not an address."""
    if raw is None:
        return None
    _, address = parseaddr(raw.strip())
    address = address.lower().rstrip(".")
    local, at, domain = address.partition("@")
    if not at or not local or "." not in domain or "@" in domain or " " in address:
        return None
    return address


def _decoded(text: str) -> str:
    """Lowercase, percent-decoded twice (a %2540 is an "@" encoded twice)."""
    return unquote(unquote(text.lower()))


class PersonalData:
    """The generated data's emails, names, phone-number "emails" and IP addresses."""

    def __init__(self, root: Path) -> None:
        con = duckdb.connect()
        identifies = f"read_parquet('{parquet_path(root, IDENTIFIES)}')"
        raw_emails = [r[0] for r in con.execute(
            f"select distinct email from {identifies} where email is not null"
        ).fetchall()]  # fmt: skip
        self.emails = {a for a in map(normalized_address, raw_emails) if a}
        for table, columns in PLANTED_IN.items():
            source = f"read_parquet('{parquet_path(root, table)}')"
            for column in columns:
                for (value,) in con.execute(
                    f"select distinct {column} from {source} "
                    f"where {column} like '%@%' or {column} like '%\\%40%' escape '\\'"
                ).fetchall():
                    self.emails.update(ADDRESS.findall(_decoded(value)))
        names = [r[0] for r in con.execute(f"select distinct name from {identifies}").fetchall()]
        not_addresses = [e for e in raw_emails if normalized_address(e) is None]
        self.literals = {text.lower() for text in [*names, *not_addresses] if text}
        self.ips: set[str] = set()
        for table in RAW_TABLES:
            if "context_ip" in table.column_names:
                self.ips.update(r[0] for r in con.execute(
                    f"select distinct context_ip from read_parquet('{parquet_path(root, table)}') "
                    "where context_ip is not null"
                ).fetchall())  # fmt: skip
        self._domains_of: dict[str, set[str]] = {}
        for address in self.emails:
            local, _, domain = address.partition("@")
            self._domains_of.setdefault(local, set()).add(domain)
        assert all(" " in text or not text.isascii() for text in self.literals), self.literals
        self._literals_by_word: dict[str, list[str]] = {}
        for text in self.literals:
            words = re.findall(r"\w+", text)
            self._literals_by_word.setdefault(words[0] if words else text, []).append(text)

    def find(self, value: str) -> list[str]:
        """The emails (any case, plain or encoded), names, non-address "emails" and IP
        addresses of the generated data contained in ``value``."""
        found = []
        low = value.lower()
        text = _decoded(value) if "%" in low else low
        if "@" in text:
            for at in (m.start() for m in re.finditer("@", text)):
                left = LOCAL_TAIL.search(text[:at])
                right = DOMAIN_HEAD.match(text[at + 1 :])
                tail, head = left.group() if left else "", right.group() if right else ""
                for start in range(len(tail)):
                    for domain in self._domains_of.get(tail[start:], ()):
                        if head.startswith(domain):
                            found.append(f"{tail[start:]}@{domain}")
        if " " in low or not low.isascii():  # every literal has a space or is not ASCII
            for word in set(re.findall(r"\w+", low)) & self._literals_by_word.keys():
                found.extend(text for text in self._literals_by_word[word] if text in low)
        if low.count(".") >= 3:
            found.extend(ip for ip in IP_ADDRESS.findall(value) if ip in self.ips)
        return found


@pytest.fixture(scope="session")
def personal_data(generated: tuple[Path, dict[str, Any]]) -> PersonalData:
    return PersonalData(generated[0])


def test_generated_data_holds_every_kind_of_personal_data(
    generated: tuple[Path, dict[str, Any]], personal_data: PersonalData
) -> None:
    """Guard for the scan: the planted cases are there, and the finder finds each kind."""
    _, manifest = generated
    tables = manifest["tables"]
    assert tables["segment.tracks"]["email_in_text"] > 0
    assert tables["segment.pages"]["email_in_text"] > 0
    assert tables["segment.identifies"]["odd_email"] > 0
    assert tables["segment.document_searched"]["email_in_query"] > 0
    email = sorted(personal_data.emails)[0]
    local, domain = email.split("@")
    name = sorted(personal_data.literals)[0]
    ip = sorted(personal_data.ips)[0]
    for value, expected in (
        (f"https://x.example/?e={local.upper()}%40{domain.upper()}&a=1", email),
        (f"/u/hi+{local}%2540{domain}/x", email),
        (f"Contact {local}@{domain}.", email),
        (f"by {name.title()} today", name),
        (f"from {ip}", ip),
    ):
        assert expected in personal_data.find(value), value
    assert personal_data.find("https://x.example/?e=[email]&ip=1.2.3.4.5 nobody") == []


#: Raw columns where the scan must find the generated data's personal data (its positive
#: control): (relation, column) in the schema segment.
RAW_PLACES = (
    ("identifies", "email"),
    ("identifies", "name"),
    ("identifies", "context_ip"),
    ("pages", "url"),
    ("pages", "search"),
    ("pages", "referrer"),
    ("tracks", "context_page_path"),
    ("tracks", "context_campaign_term"),
    ("document_searched", "query"),
)


def test_no_personal_data_outside_the_raw_schemas(
    generated_build: GeneratedBuild,
    generated: tuple[Path, dict[str, Any]],
    personal_data: PersonalData,
) -> None:
    """Every text column of every relation outside the raw schemas (staging, intermediate,
    audit, marts, seeds; of the fixture build too when it shares the database) is free of the
    generated data's emails, names and IP addresses; the raw tables are not (the scan can
    find them: checked on a fresh load of the generated data into a database of its own, since
    other tests may have loaded other raw data into the shared one since)."""
    warehouse = generated_build.engine.warehouse
    hits = scan_text_columns(warehouse, personal_data.find, skip_schema=is_raw_schema)
    assert not hits, describe_hits(hits)

    control = own_database(generated_build.engine, "privacy_control")
    load_generated(control, generated[0])
    raw_hits = scan_text_columns(
        control.warehouse, personal_data.find, skip_schema=lambda schema: schema != "segment"
    )
    found_in = {(hit.relation, hit.column) for hit in raw_hits}
    for place in RAW_PLACES:
        assert place in found_in, f"the scan finds nothing in raw segment.{place[0]}.{place[1]}"


def test_email_hash_domain_and_internal_users(
    generated: tuple[Path, dict[str, Any]], generated_build: GeneratedBuild
) -> None:
    """Per staged identify: email_hash = sha256(key + address) and email_domain = its domain
    for a well-formed address in any form (display name, trailing dot, upper case), both null
    for a name or a phone number; the users flagged internal by email domain are exactly those
    with an identify at the internal domain, in any form. The reference parses the raw emails
    with Python's email.utils and hashes with hashlib."""
    warehouse = generated_build.engine.warehouse
    staged = {
        row[0]: row[1:]
        for row in warehouse.query(
            "select identify_id, user_id, email_hash, email_domain "
            f"from {generated_build.run.relation('stg_segment__identifies')}"
        )
    }
    source = f"read_parquet('{parquet_path(generated[0], IDENTIFIES)}')"
    raw = dict(duckdb.connect().execute(
        f"select distinct trim(id), email from {source} where trim(id) <> ''"
    ).fetchall())  # fmt: skip
    expected = {}
    internal_users = set()
    for identify_id, (user_id, *_) in staged.items():
        address = normalized_address(raw[identify_id])
        domain = address.split("@")[1] if address else None
        digest = hashlib.sha256((DEV_HASH_KEY + address).encode()).hexdigest() if address else None
        expected[identify_id] = (user_id, digest, domain)
        if domain == INTERNAL_DOMAIN and user_id is not None:
            internal_users.add(user_id)
    assert staged == expected
    forms = {
        "display name": lambda e: e.endswith(">"),
        "trailing dot": lambda e: e.endswith("."),
        "upper case": lambda e: e == e.upper() and e != e.lower(),
        "no address": lambda e: "@" not in e,
    }
    for form, test in forms.items():
        assert any(raw[i] and test(raw[i]) for i in staged), f"no staged identify in {form} form"
    flagged = {
        row[0]
        for row in warehouse.query(
            f"select user_id from {generated_build.run.relation('int_users_flagged_internal')} "
            "where internal_reason = 'internal email domain'"
        )
    }
    assert internal_users and flagged == internal_users


def _compile_identifies(
    build: GeneratedBuild, secret: str, dev_targets: list[str] | None
) -> tuple[bool, str]:
    engine = replace(build.engine, env={**build.engine.env, "GROWTH_HASH_SECRET": secret})
    variables: dict[str, Any] = dict(SOURCE_VARS)
    if dev_targets is not None:
        variables["dev_targets"] = dev_targets
    run = engine.dbt("compile", "--select", "base_segment__identifies", vars=variables, check=False)
    return run.ok, run.output


SECRET_MISSING = "The environment variable GROWTH_HASH_SECRET is not set"


def test_hash_secret_required_outside_dev_targets(generated_build: GeneratedBuild) -> None:
    """Without GROWTH_HASH_SECRET a target not in var('dev_targets') stops with a message
    that says what to set; the postgres target is not a dev target by default, duckdb is."""
    ok, output = _compile_identifies(generated_build, "", dev_targets=[])
    assert not ok and SECRET_MISSING in output
    ok, output = _compile_identifies(generated_build, "", dev_targets=None)
    if generated_build.engine.name == "duckdb":  # the default dev_targets
        assert ok, output
    else:
        assert not ok and SECRET_MISSING in output
    # With the secret, any target builds: the generated build itself (conftest sets it).
