"""A `UrlClickEvents` CSV unlike kqlab's own generator's, for the peer comparison (issue 17).

    python3 bench/adversarial.py --rows 1000000 --out target/bench/adv_UrlClickEvents_1000000.csv \\
        [--email target/bench/EmailEvents_1000000_seed42.csv] [--seed 7]

kqlab's generator writes rows in time order, with millisecond timestamps, and draws URLs from
a few thousand, so its dictionaries stay small. This file is what a tenant's export tends to
look like instead:

- rows in random order, timestamps with microsecond precision, all distinct, spread over the
  ten days before the benchmark clock (2026-11-22T12:00:00Z);
- every URL unique: a page from a few thousand, plus a Safe Links-style tracking parameter
  that differs on every click (so a dictionary of URLs has one entry per row);
- 2,000 users and 5,000 client addresses (kqlab's data: 200 and ~200);
- threat types on about 3% of the clicks, and the terms the benchmark queries look for
  (`contoso-login`, `login`, `signin`, `password`, `invoice`) in about 4% of the URLs.

The columns, their names and their text forms are the built-in table's, so the benchmark
queries run on it unchanged (`--data UrlClickEvents=FILE`, header without types). With
--email, two thirds of the clicks carry a `NetworkMessageId` of that EmailEvents CSV (the
join query then finds matches), the rest a fresh GUID. Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import uuid
from datetime import datetime, timedelta, timezone

CLOCK = datetime(2026, 11, 22, 12, tzinfo=timezone.utc)
SPAN_US = 10 * 24 * 3600 * 1_000_000

COLUMNS = [
    "Timestamp", "Url", "ActionType", "AccountUpn", "Workload", "NetworkMessageId", "ThreatTypes", "DetectionMethods", "IPAddress",
    "IsClickedThrough", "UrlChain", "ReportId", "AppName", "AppVersion", "SourceId", "TenantId", "Type", "SourceSystem", "TimeGenerated",
]

WORDS = "alpha budget review plan roadmap minutes forecast release contract onboarding timeline pricing handbook checklist architecture benefits report notes".split()
SITES = "HR Sales IT Marketing Support Legal Procurement Finance Engineering Research".split()
HOSTS = ["contoso.sharepoint.com", "intranet.contoso.com", "learn.microsoft.com", "teams.microsoft.com", "www.fabrikam.com", "docs.northwind.example"]
BAD_HOSTS = ["contoso-login.secure-verify.example", "m365-signin.example-auth.net", "password-reset.contoso-help.example", "invoice-portal.payments-example.com"]
ACTIONS = [("ClickAllowed", 0.90), ("ClickBlockedByTenantPolicy", 0.04), ("UrlScanInProgress", 0.03), ("UrlErrorPage", 0.02), ("ClickBlocked", 0.01)]
THREATS = [("", 0.97), ("Phish", 0.02), ("Malware", 0.007), ("Phish,Malware", 0.003)]
APPS = [("Outlook", "Email"), ("Outlook for iOS", "Email"), ("Outlook for Android", "Email"), ("Microsoft Teams", "Teams"), ("Word", "Office"), ("Excel", "Office"), ("PowerPoint", "Office")]
FIRST = "ana ben chloe daniel emma farid grace hiro ines jonas kira liam maya noah olga pavel quinn rosa sam tariq uma victor wen xavier yara zoe".split()
LAST = "garcia okafor smith nguyen muller rossi kowalski tanaka silva novak berg haddad ivanova jensen kim lopez".split()


def pick(rng: random.Random, weighted):
    x = rng.random()
    for v, w in weighted:
        if x < w:
            return v
        x -= w
    return weighted[-1][0]


def guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def iso(us: int) -> str:
    t = CLOCK - timedelta(microseconds=SPAN_US) + timedelta(microseconds=us)
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--email", help="an EmailEvents CSV (kqlab gen ... --header plain) whose NetworkMessageIds the clicks reuse")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rng = random.Random(a.seed)

    message_ids: list[str] = []
    if a.email:
        with open(a.email, newline="", encoding="utf-8") as f:
            r = csv.reader(f)
            col = next(r).index("NetworkMessageId")
            message_ids = [row[col] for row in r]

    pages = []
    for _ in range(5000):
        host = rng.choice(HOSTS)
        words = "_".join(rng.sample(WORDS, 2))
        pages.append(f"https://{host}/sites/{rng.choice(SITES)}/{words}_{rng.randint(1, 99)}.docx")
    for host in BAD_HOSTS:
        for w in ("login", "verify", "account", "session"):
            pages.append(f"https://{host}/{w}/{rng.choice(WORDS)}")
    bad_from = 5000
    users = [f"{rng.choice(FIRST)}.{rng.choice(LAST)}{i}@contoso.com" for i in range(2000)]
    ips = [f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}" for _ in range(5000)]
    versions = [f"16.0.{rng.randint(17000, 18000)}.{rng.randint(20000, 20300)}" for _ in range(8)]
    sources = [guid(rng) for _ in range(9)]
    tenant = guid(rng)

    # Distinct microsecond offsets, in random order.
    times = rng.sample(range(SPAN_US), a.rows)

    out = open(a.out, "w", newline="", encoding="utf-8") if a.out != "-" else sys.stdout
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for us in times:
        ts = iso(us)
        page = pages[rng.randrange(bad_from, len(pages))] if rng.random() < 0.04 else pages[rng.randrange(bad_from)]
        url = f"{page}?ctid={rng.getrandbits(64):016x}&utm_source=safelinks"
        threat = pick(rng, THREATS)
        app, workload = rng.choice(APPS)
        chain = "" if rng.random() < 0.9 else f'["https://aka.ms/r/{rng.getrandbits(32):08x}","{url}"]'
        nmid = rng.choice(message_ids) if message_ids and rng.random() < 2 / 3 else guid(rng)
        w.writerow([
            ts, url, pick(rng, ACTIONS), rng.choice(users), workload, nmid, threat,
            "" if not threat else rng.choice(["URL detonation", "URL detonation reputation"]),
            rng.choice(ips), "true" if rng.random() < 0.05 else "false", chain, guid(rng), app, rng.choice(versions),
            rng.choice(sources), tenant, "UrlClickEvents", "Azure", ts,
        ])
    if out is not sys.stdout:
        out.close()
    print(f"wrote {a.rows} rows to {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
