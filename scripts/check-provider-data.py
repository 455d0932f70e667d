#!/usr/bin/env python3
"""Check the provider data files (src/providers/data/*.toml) and cross-check them
against Thunderbird's ISPDB and Delta Chat's provider database.

Python 3.11+ standard library only (tomllib), so a contributor can run it without Rust:

    scripts/check-provider-data.py                      # corpora vendored under tests/data/
    scripts/check-provider-data.py --ispdb DIR --provider-db DIR
    scripts/check-provider-data.py --list-unconfirmed    # every fact no provider page confirms

Exit status 0 when everything holds, 1 when a check fails (each failure printed once), 2 for
bad usage or a missing corpus. Phase 2 ports these checks to Rust tests; SCHEMA.md is the
contract both implement.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "src" / "providers" / "data"
DEFAULT_ISPDB = ROOT / "tests" / "data" / "ispdb"
DEFAULT_PROVIDER_DB = ROOT / "tests" / "data" / "provider-db"

# ---------------------------------------------------------------- vocabulary (SCHEMA.md)

SOURCE_KINDS = {"provider-page", "provider-code", "ispdb", "provider-db", "third-party"}
CONFIRMING_KINDS = {"provider-page", "provider-code"}
PROTOCOLS = {"imap", "pop3", "smtp"}
SECURITY = {"tls", "starttls", "none"}
USERNAMES = {
    "email-address",
    "local-part",
    "either",
    "generated",
    "account-address",
    "other",
    "unknown",
}
VARIANTS = {"personal", "org", "custom-domain"}
MECHANISMS = {
    "password-cleartext",
    "password-encrypted",
    "oauth2",
    "none",
    "client-ip-address",
    "tls-client-cert",
    "gssapi",
    "ntlm",
}
CREDENTIALS = {
    "account-password",
    "app-password",
    "mail-password",
    "authorization-code",
    "secure-mail-key",
    "external-app-password",
    "bridge-password",
    "oauth2",
    "unknown",
}
PREREQUISITES = {"2-step-verification", "paid-plan", "enable-access", "bridge-running"}
CHANGE_STATUS = {"in-effect", "announced"}
NOT_OFFERED = {"protocol", "port", "unencrypted", "mail-app-access"}

# Fact lists: table name -> extra required keys (besides `sources`).
FACT_TABLES = {
    "domains": ("names",),
    "mx": ("suffixes",),
    "servers": ("protocol", "host", "port", "security", "username"),
    "not_offered": ("what", "summary"),
    "mechanisms": ("protocols", "names"),
    "credentials": ("kind",),
    "changes": ("date", "status", "summary"),
    "enable": ("protocols", "steps"),
    "plans": ("summary",),
    "client_requirements": ("summary",),
    "bridges": ("name", "summary"),
    "no_mail_app_access": ("summary",),
    "notes": ("text",),
    "help": ("url", "title"),
    "pop3": ("summary",),
}
TOP_KEYS = {"id", "name", "sources", *FACT_TABLES}

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
HOST_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
IP_RE = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_RE = re.compile(r"^\d{4}-\d{2}$")
YEAR_RE = re.compile(r"^\d{4}$")


class Problems:
    """Collects failures; each is printed once with where it is."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, what: str) -> None:
        self.items.append(f"{where}: {what}")


def parse_date(text: str, *, allow_year: bool = False) -> dt.date | None:
    """A real calendar date from YYYY-MM-DD, YYYY-MM (first day) or, if allowed, YYYY."""
    try:
        if DAY_RE.match(text):
            return dt.date.fromisoformat(text)
        if MONTH_RE.match(text):
            return dt.date.fromisoformat(text + "-01")
        if allow_year and YEAR_RE.match(text):
            return dt.date(int(text), 1, 1)
    except ValueError:
        return None
    return None


# ---------------------------------------------------------------- corpora


def ispdb_username(template: str | None) -> str:
    if template is None:
        return "unknown"
    return {"%EMAILADDRESS%": "email-address", "%EMAILLOCALPART%": "local-part"}.get(template, "other")


def ispdb_security(socket: str | None) -> str:
    return {"SSL": "tls", "STARTTLS": "starttls", "plain": "none"}.get(socket or "", "unknown")


def load_ispdb(directory: Path) -> dict[str, dict]:
    """Every ISPDB file: domains, and IMAP/POP3/SMTP endpoints expanded per domain.

    `%EMAILDOMAIN%` in a host name is expanded for each domain of the file, so that per-domain
    hosts (inbox.lv's `mail.%EMAILDOMAIN%`) compare like any other. Other server types
    (ews, owa, graph, exchange) are not mail-app protocols this project covers and are skipped.
    """
    files = {}
    for path in sorted(directory.glob("*.xml")):
        root = ET.parse(path).getroot()
        provider = root.find("emailProvider")
        domains = [d.text.strip().lower() for d in provider.findall("domain") if d.text]
        endpoints = []
        for server in provider.findall("incomingServer") + provider.findall("outgoingServer"):
            proto = server.get("type")
            if proto not in PROTOCOLS:
                continue
            host = (server.findtext("hostname") or "").strip().lower()
            port = int(server.findtext("port") or 0)
            security = ispdb_security(server.findtext("socketType"))
            username = ispdb_username(server.findtext("username"))
            mechs = [a.text.strip().lower() for a in server.findall("authentication") if a.text]
            hosts = [(host.replace("%emaildomain%", d), d) for d in domains] if "%emaildomain%" in host else [(host, None)]
            for h, only in hosts:
                endpoints.append(
                    {
                        "protocol": proto,
                        "host": h,
                        "port": port,
                        "security": security,
                        "username": username,
                        "mechanisms": mechs,
                        "domain": only,
                    }
                )
        files[path.name] = {
            "domains": domains,
            "endpoints": endpoints,
            "oauth2": root.find("oAuth2") is not None,
        }
    return files


def parse_front_matter(text: str) -> dict:
    """The YAML front matter of a provider-db entry.

    Only the subset the corpus uses: `key: scalar`, `key:` followed by a list of scalars or of
    flat mappings, `key: |` block text, `#` comments, and an indentation shared by every line
    (ouvaton.coop.md indents everything by one space). Values stay strings.
    """
    lines = text.split("\n")
    if lines[0].strip() != "---":
        raise ValueError("no front matter")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    body = [line.rstrip() for line in lines[1:end]]
    indents = [len(line) - len(line.lstrip(" ")) for line in body if line.strip() and not line.lstrip().startswith("#")]
    base = min(indents) if indents else 0
    body = [line[base:] if len(line) >= base else line.strip() for line in body]

    def scalar(value: str) -> str:
        value = value.strip()
        if " #" in value and not value.startswith(("'", '"')):
            value = value.split(" #", 1)[0].rstrip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        return value

    result: dict = {}
    i = 0
    while i < len(body):
        line = body[i]
        if not line.strip() or line.lstrip().startswith("#") or line.startswith(" "):
            i += 1
            continue
        key, _, rest = line.partition(":")
        key, rest = key.strip(), rest.strip()
        if rest in ("|", ">", "|-", ">-"):
            block = []
            i += 1
            while i < len(body) and (not body[i].strip() or body[i].startswith(" ")):
                block.append(body[i].strip())
                i += 1
            result[key] = "\n".join(block).strip()
            continue
        if rest:
            result[key] = scalar(rest)
            i += 1
            continue
        # A list (of scalars or of mappings) or a nested mapping follows.
        items: list = []
        mapping: dict = {}
        i += 1
        current: dict | None = None
        while i < len(body) and (not body[i].strip() or body[i].startswith((" ", "-")) or body[i].lstrip().startswith("#")):
            raw = body[i]
            stripped = raw.strip()
            i += 1
            if not stripped or stripped.startswith("#"):
                continue
            if stripped.startswith("- "):
                entry = stripped[2:].strip()
                if re.match(r"^[A-Za-z_]+:( |$)", entry):
                    k, _, v = entry.partition(":")
                    current = {k.strip(): scalar(v)}
                    items.append(current)
                else:
                    current = None
                    items.append(scalar(entry))
            elif current is not None and ":" in stripped:
                k, _, v = stripped.partition(":")
                current[k.strip()] = scalar(v)
            elif ":" in stripped:
                k, _, v = stripped.partition(":")
                mapping[k.strip()] = scalar(v)
        result[key] = items if items else mapping
    return result


def load_provider_db(directory: Path) -> dict[str, dict]:
    """Every provider-db entry (`_providers/*.md`): domains, IMAP/SMTP servers, last_checked."""
    entries = {}
    providers = directory / "_providers"
    for path in sorted(providers.glob("*.md")):
        front = parse_front_matter(path.read_text(encoding="utf-8"))
        servers = []
        for server in front.get("server", []) or []:
            if not isinstance(server, dict):
                continue
            proto = server.get("type", "").lower()
            socket = server.get("socket", "").upper()
            pattern = server.get("username_pattern", "EMAIL").upper()
            servers.append(
                {
                    "protocol": proto,
                    "host": server.get("hostname", "").lower(),
                    "port": int(server.get("port", "0")),
                    "security": {"SSL": "tls", "STARTTLS": "starttls", "PLAIN": "none"}.get(socket, "unknown"),
                    "username": "local-part" if pattern == "EMAILLOCALPART" else "email-address",
                }
            )
        entries[path.name] = {
            "name": front.get("name", ""),
            "status": front.get("status", ""),
            "domains": [d.lower() for d in front.get("domains", []) or [] if isinstance(d, str)],
            "servers": servers,
            "last_checked": front.get("last_checked", ""),
        }
    return entries


# ---------------------------------------------------------------- data files


def load_data(directory: Path, problems: Problems) -> dict[str, dict]:
    providers = {}
    for path in sorted(directory.glob("*.toml")):
        if path.name in ("EXCLUDED.toml", "EXCEPTIONS.toml"):
            continue
        try:
            with path.open("rb") as f:
                providers[path.stem] = tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            problems.add(path.name, f"not valid TOML: {e}")
    return providers


def facts_of(provider: dict):
    """Every fact of a provider as (table, index, fact)."""
    for table in FACT_TABLES:
        value = provider.get(table, [])
        for index, fact in enumerate(value if isinstance(value, list) else []):
            yield table, index, fact


def is_confirmed(fact: dict, sources: dict[str, dict]) -> bool:
    return any(sources.get(s, {}).get("kind") in CONFIRMING_KINDS for s in fact.get("sources", []))


def check_source(where: str, source: dict, today: dt.date, corpora: dict, problems: Problems) -> None:
    kind = source.get("kind")
    if kind not in SOURCE_KINDS:
        problems.add(where, f"kind {kind!r} is not one of {sorted(SOURCE_KINDS)}")
    if not isinstance(source.get("title"), str) or not source.get("title"):
        problems.add(where, "needs a non-empty `title`")
    if not source.get("url") and not source.get("locator"):
        problems.add(where, "needs a `url` (or, for a copy with no address, a `locator` saying where it was read)")
    url = source.get("url", "")
    if isinstance(url, str) and url and not re.match(r"^https?://\S+$", url):
        problems.add(where, f"url {url!r} is not an http(s) URL")
    if not source.get("quote") and not source.get("locator"):
        problems.add(where, "needs a `quote` or a `locator` (where in the source the fact is)")
    as_of = source.get("as_of")
    if not isinstance(as_of, str):
        problems.add(where, "needs `as_of` (date of the copy read, YYYY-MM-DD or YYYY-MM, or \"unknown\")")
        return
    if as_of == "unknown":
        if "read_on" not in source:
            problems.add(where, "as_of is \"unknown\": `read_on` must say when the copy was read")
    else:
        day = parse_date(as_of)
        if day is None:
            problems.add(where, f"as_of {as_of!r} is not a real date (YYYY-MM-DD or YYYY-MM)")
        elif day > today:
            problems.add(where, f"as_of {as_of} is in the future")
    if "published" in source:
        day = parse_date(str(source["published"]))
        if day is None:
            problems.add(where, f"published {source['published']!r} is not a real date")
        elif day > today:
            problems.add(where, f"published {source['published']} is in the future")
    if "read_on" in source:
        read_on = source["read_on"]
        day = parse_date(read_on) if isinstance(read_on, str) and DAY_RE.match(read_on) else None
        if day is None:
            problems.add(where, f"read_on {read_on!r} is not a real YYYY-MM-DD date")
        elif day > today:
            problems.add(where, f"read_on {read_on} is in the future")
        elif as_of != "unknown" and parse_date(as_of) and parse_date(as_of) > day:
            problems.add(where, f"as_of {as_of} is after read_on {read_on}")
    if kind in ("provider-page", "provider-code", "third-party") and "read_on" not in source:
        problems.add(where, "a page or code read with the search tool needs `read_on`")
    if kind == "ispdb":
        name = source.get("file")
        if not name:
            problems.add(where, "an ISPDB source names its `file` (e.g. \"qq.com.xml\")")
        elif name not in corpora["ispdb"]:
            problems.add(where, f"ISPDB file {name} is not in the corpus")
        if not source.get("snapshot"):
            problems.add(where, "an ISPDB source names the `snapshot` it was read from")
    if kind == "provider-db":
        entry = source.get("entry")
        if not entry:
            problems.add(where, "a provider-db source names its `entry` (e.g. \"qq.md\")")
        elif entry not in corpora["pdb"]:
            problems.add(where, f"provider-db entry {entry} is not in the corpus")
        else:
            expected = corpora["pdb"][entry]["last_checked"]
            if source.get("last_checked") != expected:
                problems.add(where, f"last_checked {source.get('last_checked')!r} differs from the entry's {expected!r}")
            if as_of != expected:
                problems.add(where, f"as_of {as_of!r} must be the entry's last_checked {expected!r}")
        if not source.get("snapshot"):
            problems.add(where, "a provider-db source names the `snapshot` it was read from")


def check_provider(pid: str, p: dict, today: dt.date, corpora: dict, problems: Problems) -> None:
    where = f"{pid}.toml"
    if not ID_RE.match(pid):
        problems.add(where, "file name must be a lower-case id ([a-z0-9-])")
    if p.get("id") != pid:
        problems.add(where, f"id {p.get('id')!r} must equal the file name {pid!r}")
    if not isinstance(p.get("name"), str) or not p.get("name"):
        problems.add(where, "needs a `name`")
    for key in p:
        if key not in TOP_KEYS:
            problems.add(where, f"unknown key `{key}`")
    sources = {}
    for i, source in enumerate(p.get("sources", [])):
        sid = source.get("id")
        swhere = f"{where} sources[{i}]"
        if not isinstance(sid, str) or not ID_RE.match(sid):
            problems.add(swhere, f"source id {sid!r} must be [a-z0-9-]")
            continue
        if sid in sources:
            problems.add(swhere, f"duplicate source id {sid!r}")
        sources[sid] = source
        check_source(f"{where} source {sid}", source, today, corpora, problems)
    used = set()
    for table, index, fact in facts_of(p):
        fwhere = f"{where} {table}[{index}]"
        for key in FACT_TABLES[table]:
            if key not in fact:
                problems.add(fwhere, f"needs `{key}`")
        refs = fact.get("sources", [])
        if not isinstance(refs, list):
            problems.add(fwhere, "`sources` must be a list of source ids")
            continue
        if not refs and not (table == "credentials" and fact.get("kind") == "unknown"):
            problems.add(fwhere, "every fact needs at least one source")
        for ref in refs:
            used.add(ref)
            if ref not in sources:
                problems.add(fwhere, f"source {ref!r} is not defined in this file")
        check_fact(fwhere, table, fact, today, problems)
    for sid in sources:
        if sid not in used:
            problems.add(f"{where} source {sid}", "is not cited by any fact")


def check_fact(where: str, table: str, fact: dict, today: dt.date, problems: Problems) -> None:
    def enum(key: str, allowed: set) -> None:
        if key in fact and fact[key] not in allowed:
            problems.add(where, f"{key} {fact[key]!r} is not one of {sorted(allowed)}")

    def enum_list(key: str, allowed: set) -> None:
        value = fact.get(key, [])
        if not isinstance(value, list) or not value:
            problems.add(where, f"{key} must be a non-empty list")
            return
        for v in value:
            if v not in allowed:
                problems.add(where, f"{key} entry {v!r} is not one of {sorted(allowed)}")

    if table == "domains":
        for d in fact.get("names", []):
            if not HOST_RE.match(d):
                problems.add(where, f"domain {d!r} is not a lower-case domain name")
    elif table == "mx":
        for s in fact.get("suffixes", []):
            if not HOST_RE.match(s):
                problems.add(where, f"MX suffix {s!r} is not a lower-case domain name")
    elif table == "servers":
        enum("protocol", PROTOCOLS)
        enum("security", SECURITY)
        enum("username", USERNAMES)
        enum("variant", VARIANTS)
        host = fact.get("host", "")
        if not (HOST_RE.match(host) or IP_RE.match(host)):
            problems.add(where, f"host {host!r} is not a lower-case host name or IPv4 address")
        port = fact.get("port")
        if not isinstance(port, int) or not 0 < port < 65536:
            problems.add(where, f"port {port!r} is not 1..65535")
        if fact.get("username") == "other" and not fact.get("username_note"):
            problems.add(where, "username \"other\" needs a `username_note` saying what to type")
        for d in fact.get("domains", []):
            if not HOST_RE.match(d):
                problems.add(where, f"domains entry {d!r} is not a domain")
    elif table == "not_offered":
        enum("what", NOT_OFFERED)
        if fact.get("what") in ("protocol", "port"):
            enum("protocol", PROTOCOLS)
            if "protocol" not in fact:
                problems.add(where, "names the `protocol` that is not offered")
        if fact.get("what") == "port" and not isinstance(fact.get("port"), int):
            problems.add(where, "names the `port` that is not offered")
    elif table == "mechanisms":
        enum_list("protocols", PROTOCOLS)
        enum_list("names", MECHANISMS)
    elif table == "credentials":
        enum("kind", CREDENTIALS)
        if fact.get("kind") != "unknown" and not isinstance(fact.get("accepted"), bool):
            problems.add(where, "accepted must be true or false")
        if "protocols" in fact:
            enum_list("protocols", PROTOCOLS)
        if "requires" in fact:
            enum_list("requires", PREREQUISITES)
        for key in ("since", "until"):
            if key in fact and parse_date(str(fact[key])) is None:
                problems.add(where, f"{key} {fact[key]!r} is not a real date")
        if "since" in fact and parse_date(str(fact["since"])) and parse_date(str(fact["since"])) > today:
            problems.add(where, f"since {fact['since']} is in the future (an announced change belongs in [[changes]])")
    elif table == "changes":
        enum("status", CHANGE_STATUS)
        day = parse_date(str(fact.get("date", "")), allow_year=True)
        if day is None:
            problems.add(where, f"date {fact.get('date')!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        elif fact.get("status") == "in-effect" and day > today:
            problems.add(where, f"date {fact['date']} is in the future but status is in-effect (use announced)")
        if "protocols" in fact:
            enum_list("protocols", PROTOCOLS)
    elif table == "enable":
        enum_list("protocols", PROTOCOLS)
        if "required" in fact and not isinstance(fact["required"], bool):
            problems.add(where, "required must be true or false")
    elif table in ("plans", "client_requirements", "bridges", "no_mail_app_access"):
        if "protocols" in fact:
            enum_list("protocols", PROTOCOLS)
    elif table == "help":
        if not re.match(r"^https?://\S+$", str(fact.get("url", ""))):
            problems.add(where, f"url {fact.get('url')!r} is not an http(s) URL")


# ---------------------------------------------------------------- cross-check


def endpoint_key(e: dict) -> str:
    return f"{e['protocol']} {e['host']}:{e['port']} {e['security']}"


def endpoints_by_key(endpoints) -> dict[str, dict]:
    """Endpoints by protocol/host/port/security; the plain entry wins over a variant (org,
    custom-domain) of the same server, whose username may differ on purpose."""
    found: dict[str, dict] = {}
    for e in endpoints:
        key = endpoint_key(e)
        if key not in found or (found[key].get("variant") and not e.get("variant")):
            found[key] = e
    return found


def cross_check(providers: dict, corpora: dict, excluded: dict, exceptions: list, problems: Problems) -> dict:
    """Every ISPDB file and domain, every provider-db entry and domain: included or excluded.
    Every disagreement with either database: listed in EXCEPTIONS.toml (and nothing stale)."""
    ispdb, pdb = corpora["ispdb"], corpora["pdb"]

    # Where each address domain and MX suffix lives.
    domain_owner: dict[str, list[str]] = defaultdict(list)
    mx_owner: dict[str, list[str]] = defaultdict(list)
    shared: set[str] = set()
    for pid, p in providers.items():
        for fact in p.get("domains", []):
            for d in fact.get("names", []):
                domain_owner[d].append(pid)
                if fact.get("shared"):
                    shared.add(d)
        for fact in p.get("mx", []):
            for s in fact.get("suffixes", []):
                mx_owner[s].append(pid)
    for d, owners in domain_owner.items():
        if len(owners) > 1 and d not in shared:
            problems.add("domains", f"{d} is listed by {', '.join(owners)} (mark every entry `shared = true` if intended)")
    for s, owners in mx_owner.items():
        if len(owners) > 1:
            problems.add("mx", f"MX suffix {s} is listed by {', '.join(owners)}")

    def owners_of(domain: str) -> list[str]:
        return domain_owner.get(domain, []) + mx_owner.get(domain, [])

    ex_files = {e["file"]: e for e in excluded.get("ispdb", [])}
    ex_domains = {(e["file"], e["domain"]): e for e in excluded.get("ispdb_domain", [])}
    ex_entries = {e["entry"]: e for e in excluded.get("provider_db", [])}
    ex_entry_domains = {(e["entry"], e["domain"]): e for e in excluded.get("provider_db_domain", [])}
    for section in ("ispdb", "ispdb_domain", "provider_db", "provider_db_domain"):
        for e in excluded.get(section, []):
            if not e.get("reason"):
                problems.add("EXCLUDED.toml", f"{section} entry {e} needs a reason")

    citing_ispdb: dict[str, list[str]] = defaultdict(list)
    citing_pdb: dict[str, list[str]] = defaultdict(list)
    for pid, p in providers.items():
        for s in p.get("sources", []):
            if s.get("kind") == "ispdb" and s.get("file"):
                citing_ispdb[s["file"]].append(pid)
            if s.get("kind") == "provider-db" and s.get("entry"):
                citing_pdb[s["entry"]].append(pid)

    disagreements: dict[tuple, str] = {}

    def disagree(pid: str, database: str, name: str, kind: str, subject: str, detail: str) -> None:
        disagreements[(pid, database, name, kind, subject)] = detail

    stats = Counter()
    # ---- ISPDB
    for name, f in ispdb.items():
        cited = citing_ispdb.get(name, [])
        if not cited and name not in ex_files:
            problems.add("cross-check", f"ISPDB {name} is neither cited by a provider nor listed in EXCLUDED.toml")
            continue
        if cited and name in ex_files:
            problems.add("cross-check", f"ISPDB {name} is both cited and excluded")
        if not cited:
            stats["ispdb files excluded"] += 1
            for d in f["domains"]:
                stats["ispdb domains excluded"] += 1
            continue
        stats["ispdb files included"] += 1
        for d in sorted(set(f["domains"])):
            owners = owners_of(d)
            if (name, d) in ex_domains:
                stats["ispdb domains excluded"] += 1
                if owners:
                    problems.add("cross-check", f"ISPDB domain {d} ({name}) is both excluded and listed by {owners}")
                continue
            if not owners:
                problems.add("cross-check", f"ISPDB domain {d} ({name}) is in no provider and not excluded")
                continue
            stats["ispdb domains included"] += 1
            for owner in owners:
                if owner not in cited:
                    disagree(cited[0], "ispdb", name, "domain-elsewhere", d, f"ISPDB {name} lists {d}; the data puts it with {owner}")
        for pid in cited:
            p = providers[pid]
            mine = [s for s in p.get("servers", [])]
            file_domains = set(f["domains"])

            def applies(e: dict) -> bool:
                return not e.get("domains") or bool(file_domains & set(e["domains"]))

            mine_keys = endpoints_by_key(e for e in mine if applies(e))
            theirs = {}
            for e in f["endpoints"]:
                theirs.setdefault(endpoint_key(e), e)
            for key, e in theirs.items():
                if key not in mine_keys:
                    disagree(pid, "ispdb", name, "endpoint-missing-in-data", key, "ISPDB lists it; the data does not")
                    continue
                ours = mine_keys[key]
                if ours.get("username") not in (e["username"], "either"):
                    disagree(pid, "ispdb", name, "username", key, f"ISPDB {e['username']}, data {ours.get('username')}")
            for key, e in mine_keys.items():
                if key not in theirs:
                    disagree(pid, "ispdb", name, "endpoint-missing-in-database", key, "the data lists it; ISPDB does not")
            # Mechanisms per protocol: what this file lists vs the data's [[mechanisms]] citing it.
            file_sources = {s.get("id") for s in p.get("sources", []) if s.get("kind") == "ispdb" and s.get("file") == name}
            mech_theirs: dict[str, set] = defaultdict(set)
            for e in f["endpoints"]:
                mech_theirs[e["protocol"]].update(e["mechanisms"])
            ispdb_sources = {s.get("id") for s in p.get("sources", []) if s.get("kind") == "ispdb"}
            mech_mine: dict[str, set] = defaultdict(set)
            for m in p.get("mechanisms", []):
                cited = set(m.get("sources", []))
                # A fact from this file, or from a non-ISPDB source (which applies to every file).
                if file_sources & cited or not ispdb_sources & cited:
                    for proto in m.get("protocols", []):
                        mech_mine[proto].update(m.get("names", []))
            for proto in sorted(set(mech_theirs) | set(mech_mine)):
                if mech_theirs.get(proto, set()) != mech_mine.get(proto, set()):
                    theirs_s = ",".join(sorted(mech_theirs.get(proto, set())))
                    mine_s = ",".join(sorted(mech_mine.get(proto, set())))
                    disagree(pid, "ispdb", name, "mechanisms", proto, f"ISPDB {theirs_s}; data citing it {mine_s}")
    # ---- provider-db
    for name, entry in pdb.items():
        cited = citing_pdb.get(name, [])
        if not cited and name not in ex_entries:
            problems.add("cross-check", f"provider-db {name} is neither cited by a provider nor listed in EXCLUDED.toml")
            continue
        if cited and name in ex_entries:
            problems.add("cross-check", f"provider-db {name} is both cited and excluded")
        if not cited:
            stats["provider-db entries excluded"] += 1
            stats["provider-db domains excluded"] += len(entry["domains"])
            continue
        stats["provider-db entries included"] += 1
        for d in sorted(set(entry["domains"])):
            owners = owners_of(d)
            if (name, d) in ex_entry_domains:
                stats["provider-db domains excluded"] += 1
                continue
            if not owners:
                problems.add("cross-check", f"provider-db domain {d} ({name}) is in no provider and not excluded")
                continue
            stats["provider-db domains included"] += 1
            for owner in owners:
                if owner not in cited:
                    disagree(cited[0], "provider-db", name, "domain-elsewhere", d, f"provider-db {name} lists {d}; the data puts it with {owner}")
        for pid in cited:
            mine_keys = endpoints_by_key(providers[pid].get("servers", []))
            for e in entry["servers"]:
                key = endpoint_key(e)
                if key not in mine_keys:
                    disagree(pid, "provider-db", name, "endpoint-missing-in-data", key, "provider-db lists it; the data does not")
                elif mine_keys[key].get("username") not in (e["username"], "either"):
                    disagree(pid, "provider-db", name, "username", key, f"provider-db {e['username']}, data {mine_keys[key].get('username')}")

    # ---- exceptions: every disagreement explained, nothing stale
    listed = {}
    for i, x in enumerate(exceptions):
        key = (x.get("provider"), x.get("database"), x.get("file"), x.get("kind"), x.get("subject"))
        where = f"EXCEPTIONS.toml exception[{i}] {key}"
        if key in listed:
            problems.add(where, "is listed twice")
        listed[key] = x
        if not x.get("reason"):
            problems.add(where, "needs a reason")
        refs = x.get("sources", [])
        if not refs:
            problems.add(where, "needs sources (\"provider:source-id\")")
        for ref in refs:
            pid, _, sid = ref.partition(":")
            if pid not in providers or sid not in {s.get("id") for s in providers[pid].get("sources", [])}:
                problems.add(where, f"source {ref!r} does not name a source of a provider file")
    for key, detail in sorted(disagreements.items()):
        if key not in listed:
            problems.add("cross-check", f"unexplained disagreement {key}: {detail} (add it to EXCEPTIONS.toml with a reason and a source)")
    for key in listed:
        if key not in disagreements:
            problems.add("EXCEPTIONS.toml", f"exception {key} matches no current disagreement (stale)")
    stats["disagreements (all listed in EXCEPTIONS.toml)"] = len(disagreements)
    for key in disagreements:
        stats[f"  {key[3]}"] += 1
    return stats


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="provider data directory")
    parser.add_argument("--ispdb", type=Path, default=DEFAULT_ISPDB, help="ISPDB snapshot (directory of *.xml)")
    parser.add_argument("--provider-db", type=Path, default=DEFAULT_PROVIDER_DB, help="provider-db snapshot (has _providers/)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(), help="date no source may be newer than")
    parser.add_argument("--list-unconfirmed", action="store_true", help="list every fact no provider page or code confirms")
    args = parser.parse_args()

    for label, path, probe in (("ISPDB", args.ispdb, "*.xml"), ("provider-db", args.provider_db / "_providers", "*.md")):
        if not path.is_dir() or not any(path.glob(probe)):
            print(f"error: no {label} corpus at {path} (pass --ispdb / --provider-db)", file=sys.stderr)
            return 2
    problems = Problems()
    corpora = {"ispdb": load_ispdb(args.ispdb), "pdb": load_provider_db(args.provider_db)}
    providers = load_data(args.data, problems)
    excluded, exceptions = {}, []
    for name in ("EXCLUDED.toml", "EXCEPTIONS.toml"):
        path = args.data / name
        if not path.exists():
            problems.add(name, "missing")
            continue
        with path.open("rb") as f:
            doc = tomllib.load(f)
        if name == "EXCLUDED.toml":
            excluded = doc
        else:
            exceptions = doc.get("exception", [])

    for pid, p in providers.items():
        check_provider(pid, p, args.today, corpora, problems)
    stats = cross_check(providers, corpora, excluded, exceptions, problems)

    # ---- counts
    domains = {d for p in providers.values() for f in p.get("domains", []) for d in f.get("names", [])}
    mx = {s for p in providers.values() for f in p.get("mx", []) for s in f.get("suffixes", [])}
    total = confirmed = 0
    by_table = Counter()
    by_table_confirmed = Counter()
    providers_confirmed = 0
    unconfirmed = []
    for pid, p in sorted(providers.items()):
        sources = {s.get("id"): s for s in p.get("sources", [])}
        any_confirmed = False
        for table, index, fact in facts_of(p):
            if table == "credentials" and fact.get("kind") == "unknown":
                continue  # "unknown" is the absence of a fact, not an unconfirmed one
            total += 1
            by_table[table] += 1
            if is_confirmed(fact, sources):
                confirmed += 1
                by_table_confirmed[table] += 1
                any_confirmed = True
            else:
                unconfirmed.append(f"{pid} {table}[{index}]")
        providers_confirmed += any_confirmed
    n = len(providers)
    print(f"providers: {n}")
    print(f"address domains: {len(domains)} (plus {len(mx)} MX suffixes for own domains)")
    share = 100.0 * providers_confirmed / n if n else 0.0
    print(f"providers with a fact confirmed by the provider's own page or code: {providers_confirmed}/{n} ({share:.1f} %)")
    print(f"facts: {total}, confirmed by provider: {confirmed}, unconfirmed: {total - confirmed}")
    for table in FACT_TABLES:
        if by_table[table]:
            print(f"  {table}: {by_table[table]} ({by_table_confirmed[table]} confirmed)")
    print("cross-check:")
    for key in sorted(stats):
        print(f"  {key}: {stats[key]}")
    if args.list_unconfirmed:
        print("unconfirmed facts:")
        for item in unconfirmed:
            print(f"  {item}")
    if problems.items:
        print(f"\n{len(problems.items)} problem(s):", file=sys.stderr)
        for item in problems.items:
            print(f"  {item}", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head/less that closed early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
