#!/usr/bin/env python3
"""Writes lessons/vpn-logins.csv: one week of VPN gateway sign-ins for the 'vpn-logins' lesson.

Deterministic (fixed seed): run `python3 lessons/tools/gen_vpn_logins.py` from the repository
root and the file comes out the same. Story: ordinary logins, a password spray from
203.0.113.66 the morning the phishing mail arrived, then the phished passwords tried from
203.0.113.67; priya.raman refuses the MFA prompts, sofia.lindqvist gives in on the third.
lucas.moreau travels to New York mid-week (a false positive for "new country").
"""
import csv, random
from datetime import datetime, timedelta

random.seed(7)
HOMES = {  # country: (city, first IP octet block)
    "SE": ("Stockholm", "198.51.100."), "GB": ("London", "198.51.100."), "DE": ("Berlin", "192.0.2."),
    "FR": ("Paris", "192.0.2."), "US": ("Seattle", "198.51.100."),
}
NAMES = """priya.raman GB; daniel.okafor GB; tom.becker DE; kevin.oduya GB; emma.vargas US; lucas.moreau FR;
hannah.kim US; omar.haddad DE; grace.liu US; felix.wagner DE; nina.petrov DE; samuel.reyes US; chloe.martin FR;
ravi.menon GB; isabel.costa FR; jonas.berg SE; maria.schultz DE; sofia.lindqvist SE; aisha.bello GB;
ingrid.solberg SE; pedro.alves FR; yuki.mori US; kwame.mensah GB; sophie.laurent FR; arman.sarkisian DE;
diego.navarro US; freya.holm SE; hugo.fontaine FR; mateo.ruiz US; nora.lindgren SE; rita.moreno US;
sanjay.iyer GB; maeve.quinn GB; helen.sousa FR; carlos.yilmaz DE; andre.mahmoud FR; keisha.vogel DE;
yara.kowalski DE; julia.garcia US; leo.olsen SE; malik.turner US; uma.jansen DE; paula.turner GB;
bruno.lopez FR; peter.novak DE; li.wei US; carla.mendes FR; marco.rossi DE"""
users = []
used_ips = set()
for i, item in enumerate(n.strip() for n in NAMES.replace("\n", " ").split(";")):
    name, country = item.split()
    city, block = HOMES[country]
    while True:
        ip = block + str(random.randint(20, 250))
        if ip not in used_ips:
            used_ips.add(ip)
            break
    device = random.choice(["Windows", "Windows", "Windows", "macOS"])
    users.append((name + "@contoso.com", country, city, ip, device))
OFFICE_IP = "198.51.100.10"  # London office NAT: several people share it

rows = []
def add(t, upn, ip, country, city, device, result, reason="", minutes=None):
    rows.append([t.strftime("%Y-%m-%dT%H:%M:%SZ"), upn, ip, country, city, device, result, reason,
                 "" if minutes is None else f"{minutes:.1f}"])

start = datetime(2026, 11, 16)
for d in range(7):
    day = start + timedelta(days=d)
    weekend = day.weekday() >= 5
    for upn, country, city, ip, device in users:
        if random.random() > (0.12 if weekend else 0.85):
            continue
        if upn.startswith("lucas.moreau") and d in (2, 3):
            country, city, ip = "US", "New York", "198.51.100.200"
            t = day + timedelta(hours=13, minutes=random.randint(0, 120), seconds=random.randint(0, 59))
        else:
            t = day + timedelta(hours=6, minutes=random.randint(30, 200), seconds=random.randint(0, 59))
        src = OFFICE_IP if country == "GB" and random.random() < 0.5 else ip
        if random.random() < 0.06 and not upn.startswith(("sofia", "priya")):
            add(t - timedelta(seconds=random.randint(20, 90)), upn, src, country, city, device, "Failure", "Bad password")
        add(t, upn, src, country, city, device, "Success", "", random.randint(300, 5400) / 10)

# The spray: one attempt per account from one address, minutes apart.
spray_t = datetime(2026, 11, 21, 8, 31, 5)
for upn, *_ in random.sample(users, 22):
    spray_t += timedelta(seconds=random.randint(25, 70))
    add(spray_t, upn, "203.0.113.66", "NL", "Amsterdam", "Linux", "Failure", "Bad password")

# The phished passwords: right password, then the MFA prompt.
t = datetime(2026, 11, 21, 9, 12, 40)
for upn, reason in [("priya.raman", "MFA denied"), ("priya.raman", "MFA denied"), ("sofia.lindqvist", "MFA denied"),
                    ("priya.raman", "MFA denied"), ("sofia.lindqvist", "MFA denied"), ("sofia.lindqvist", None)]:
    t += timedelta(seconds=random.randint(60, 150))
    if reason:
        add(t, upn + "@contoso.com", "203.0.113.67", "NL", "Amsterdam", "Linux", "Failure", reason)
    else:
        add(t, upn + "@contoso.com", "203.0.113.67", "NL", "Amsterdam", "Linux", "Success", "", 52.5)

rows.sort(key=lambda r: r[0])
with open("lessons/vpn-logins.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["Timestamp", "UserPrincipalName", "SourceIP", "Country", "City", "Device", "Result", "FailureReason", "DurationMinutes"])
    w.writerows(rows)
print(len(rows), "rows")
