//! The identity, cloud-app, alert, sign-in and device-inventory tables: `DeviceInfo`,
//! `DeviceNetworkInfo`, `IdentityInfo`, `IdentityLogonEvents`, `EntraIdSignInEvents` (and its
//! old name `AADSignInEventsBeta`), `CloudAppEvents`, `AlertInfo` and `AlertEvidence`.
//!
//! # The story's chapter here
//!
//! Emma Vargas typed her password into the campaign page at 09:12 local. Then (all on the
//! campaign day):
//!
//! - 09:31 to 09:49: sign-ins to her account from [`ATTACKER_IP`] (Lagos, Nigeria) need MFA
//!   (`ErrorCode` 50074) and she denies the prompt (500121), nine times: an MFA fatigue
//!   attack. At 09:51:40 she gives in and the sign-in succeeds (`ErrorCode` 0), with a high
//!   aggregated risk. Her own sign-in that morning (09:05, SharePoint) came from her office, 46
//!   minutes earlier: impossible travel. The same address tries Priya Raman's account with wrong
//!   passwords (50126).
//! - 10:02 to 10:05, from the same address: the attacker reads her mail (`MailItemsAccessed`)
//!   and adds an inbox rule named `..` that forwards mail about invoices and payments to
//!   [`FORWARD_TO`] and hides it (`New-InboxRule` in `CloudAppEvents`; the settings are in
//!   `RawEventData.Parameters`).
//! - `IdentityLogonEvents` sees the attacker's Microsoft 365 logons, and at 13:05 to 13:11 the
//!   NTLM logons from Emma's laptop to three colleagues' laptops.
//! - Alerts (`AlertInfo`, with their entities in `AlertEvidence`): the encoded PowerShell, the
//!   scheduled task, the allowed phishing clicks, the zero-hour purge, impossible travel and
//!   the forwarding rule.
//!
//! Around it: everyone's sign-ins from the office or from home (the same days the endpoint
//! world has them at home), one person travelling in the United States, people mistyping
//! passwords, harmless inbox rules, SharePoint, OneDrive, Teams and Exchange activity, and
//! low-severity alerts (unwanted software, user-reported mail).

pub(crate) mod sentinel;

use super::device::more::{HELPDESK, LATERAL_TARGETS};
use super::device::{hex, hms, local_midnight, make_devices, user_day, weekday, Account, Device, VICTIM, VICTIM_DEVICE};
use super::names::TEAMS;
use super::plan::{cast, fnv, hour_start, Plan};
use super::rng::{guid, mix2, Rng};
use crate::table::{Field, Table};
use crate::types::time::{TICKS_PER_DAY, TICKS_PER_MILLI, TICKS_PER_MINUTE, TICKS_PER_SECOND};
use crate::types::{DataType, Dynamic, Value};

/// The attacker's address (a documentation range), its place and provider.
pub(crate) const ATTACKER_IP: &str = "203.0.113.45";
pub(crate) const ATTACKER_COUNTRY: &str = "NG";
pub(crate) const ATTACKER_CITY: &str = "Lagos";
const ATTACKER_ISP: &str = "Lagoon Fibre Networks";
/// Where the attacker's inbox rule forwards mail.
pub(crate) const FORWARD_TO: &str = "e.vargas.archive@mailvault-box.net";
/// The rule's name.
pub(crate) const RULE_NAME: &str = "..";
/// Who travels to New York during the week (a benign foreign sign-in).
const TRAVELLER: usize = 30;

mod streams {
    pub const SIGNIN: u64 = 120;
    pub const CLOUD: u64 = 121;
    pub const ALERTS: u64 = 122;
    pub const INVENTORY: u64 = 123;
}

/// The three offices: country, city, latitude, longitude.
const OFFICES: [(&str, &str, &str, &str); 3] = [("DE", "Berlin", "52.52", "13.40"), ("NL", "Amsterdam", "52.37", "4.90"), ("AT", "Vienna", "48.21", "16.37")];
const DC: (&str, &str) = ("CTSO-DC01", "10.10.0.10");
const TENANT_APPS: &[(&str, &str, &str)] = &[
    ("Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000", "Microsoft Outlook"),
    ("Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000", "Microsoft Edge"),
    ("Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "Microsoft Teams"),
    ("Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c", "Microsoft Office"),
    ("OneDrive SyncEngine", "ab9b8c07-8f02-4f72-87fa-80105867a763", "OneDrive"),
];
const UA_EDGE: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
const UA_ATTACKER: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

/// Rows of one table being generated: each row starts with every cell null (empty for
/// strings) and sets the cells it knows by column name.
struct Rows {
    name: &'static str,
    fields: Vec<Field>,
    rows: Vec<(i64, Vec<Value>)>,
    tenant: String,
}

fn s(x: &str) -> Value {
    Value::str(x)
}

fn dynamic(json: &str) -> Value {
    Value::Dynamic(Dynamic::parse_json(json).expect("generated JSON parses"))
}

impl Rows {
    fn new(name: &'static str, tenant: &str) -> Rows {
        Rows { name, fields: super::docs::schema(name).expect("a documented table"), rows: Vec::new(), tenant: tenant.to_string() }
    }

    fn push(&mut self, t: i64, cells: Vec<(&str, Value)>) {
        let mut row: Vec<Value> = self
            .fields
            .iter()
            .map(|f| match f.name.as_str() {
                "Timestamp" | "TimeGenerated" => Value::DateTime(t),
                "TenantId" => s(&self.tenant),
                "Type" => s(self.name),
                _ if f.ty == DataType::String => s(""),
                _ => Value::Null,
            })
            .collect();
        for (name, v) in cells {
            let i = self.fields.iter().position(|f| f.name == name).unwrap_or_else(|| panic!("{} has no column {name}", self.name));
            row[i] = v;
        }
        self.rows.push((t, row));
    }

    /// The table, rows in time order (ties keep their order), clipped to the data's window.
    fn finish(mut self, start: i64, clock: i64) -> Table {
        self.rows.retain(|(t, _)| *t >= start && *t < clock);
        crate::util::sort::sort_by_key(&mut self.rows, |(t, _)| *t);
        let rows: Vec<Vec<Value>> = self.rows.into_iter().map(|(_, r)| r).collect();
        super::build::compact(Table::from_rows(self.fields, &rows))
    }
}

/// Everything the chapter needs from the plan and the endpoint world.
struct Ctx<'p> {
    plan: &'p Plan,
    devices: Vec<Device>,
    accounts: Vec<Account>,
    start: i64,
    clock: i64,
    spike: i64,
}

impl Ctx<'_> {
    fn upn(&self, u: usize) -> &str {
        &self.plan.users[u].upn
    }

    fn display(&self, u: usize) -> String {
        self.plan.users[u].display_name()
    }

    fn office(&self, u: usize) -> (&'static str, &'static str, &'static str, &'static str) {
        OFFICES[self.plan.users[u].office % OFFICES.len()]
    }

    /// The public address a person's traffic leaves from on a day.
    fn public_ip(&self, u: usize, home: bool) -> &str {
        let user = &self.plan.users[u];
        &self.plan.ips[if home { user.home_ip } else { user.office }]
    }

    fn short_device(&self, u: usize) -> String {
        self.devices[u].name.split('.').next().unwrap_or("").to_uppercase()
    }

    /// Local midnights of the days in the data.
    fn days(&self) -> Vec<i64> {
        let mut out = Vec::new();
        let mut m = local_midnight(self.start);
        while m < self.clock {
            out.push(m);
            m += TICKS_PER_DAY;
        }
        out
    }

    /// The campaign day at local `h:m:s.ms` (the campaign hour starts at 09:00).
    fn at(&self, h: i64, m: i64, sec: i64, ms: i64) -> i64 {
        self.spike + hms(h - 9, m, sec, ms)
    }
}

/// The tables of this chapter, in groups rendered together (a group shares its rows' source).
pub(crate) const GROUPS: &[&[&str]] = &[
    &["DeviceInfo"],
    &["DeviceNetworkInfo"],
    &["IdentityLogonEvents"],
    &["IdentityInfo"],
    &["AlertInfo", "AlertEvidence"],
    &["CloudAppEvents"],
    &["EntraIdSignInEvents", "AADSignInEventsBeta"],
    &["SigninLogs"],
];

/// Renders the group of tables `name` belongs to, in the group's order.
pub(crate) fn render_group(plan: &Plan, name: &str) -> Vec<(&'static str, Table)> {
    let (devices, accounts) = make_devices(plan);
    let clock = plan.spec.clock;
    let cx = Ctx { plan, devices, accounts, start: hour_start(clock, 0), clock, spike: hour_start(clock, plan.timeline.spike) };
    match name {
        "DeviceInfo" => vec![("DeviceInfo", device_info(&cx))],
        "DeviceNetworkInfo" => vec![("DeviceNetworkInfo", device_network_info(&cx))],
        "IdentityLogonEvents" => vec![("IdentityLogonEvents", identity_logons(&cx))],
        "IdentityInfo" => vec![("IdentityInfo", identity_info(&cx))],
        "AlertInfo" | "AlertEvidence" => {
            let (info, evidence) = alerts(&cx);
            vec![("AlertInfo", info), ("AlertEvidence", evidence)]
        }
        "CloudAppEvents" => vec![("CloudAppEvents", cloud_app_events(&cx))],
        "EntraIdSignInEvents" | "AADSignInEventsBeta" => {
            let (new, old) = sign_ins(&cx);
            vec![("EntraIdSignInEvents", new), ("AADSignInEventsBeta", old)]
        }
        "SigninLogs" => vec![("SigninLogs", sentinel::signin_logs(&cx, &sign_in_list(&cx)))],
        other => unreachable!("not a table of this chapter: {other}"),
    }
}

fn device_info(cx: &Ctx) -> Table {
    let mut rows = Rows::new("DeviceInfo", &cx.plan.tenant_id);
    let mut rng = Rng::stream(cx.plan.spec.seed, streams::INVENTORY);
    for m in cx.days() {
        for (u, d) in cx.devices.iter().enumerate() {
            let (home, _) = user_day(cx.plan, u, m);
            let t = m + hms(5, 0, 0, 0) + rng.range(0, 3 * 3600) * TICKS_PER_SECOND;
            let a = &cx.accounts[u + 1];
            let logged_on = format!(r#"[{{"UserName":"{}","DomainName":"CONTOSO","Sid":"{}"}}]"#, a.name, a.sid);
            let model = ["Latitude 7440", "EliteBook 840 G10", "ThinkPad T14 Gen 4"][(fnv(&d.name) % 3) as usize];
            let vendor = ["Dell Inc.", "HP", "LENOVO"][(fnv(&d.name) % 3) as usize];
            let exposure = if u == VICTIM && t > cx.at(9, 13, 25, 0) { "High" } else { ["Low", "Medium"][(fnv(&d.name) % 2) as usize] };
            rows.push(
                t,
                vec![
                    ("DeviceId", s(&d.id)),
                    ("DeviceName", s(&d.name)),
                    ("ClientVersion", s("10.8760.22621.1024")),
                    ("PublicIP", s(cx.public_ip(u, home))),
                    ("OSArchitecture", s("64-bit")),
                    ("OSPlatform", s("Windows11")),
                    ("OSBuild", Value::Long(22631)),
                    ("IsAzureADJoined", Value::Bool(true)),
                    ("JoinType", s("Hybrid Azure AD Join")),
                    ("AadDeviceId", s(&guid(mix2(fnv(&d.id), 1)))),
                    ("LoggedOnUsers", s(&logged_on)),
                    ("OSVersion", s("10.0")),
                    ("MachineGroup", s("Contoso Workstations")),
                    ("ReportId", Value::Long(10_000 + rng.range(0, 90_000))),
                    ("OnboardingStatus", s("Onboarded")),
                    ("AdditionalFields", s("")),
                    ("DeviceCategory", s("Endpoint")),
                    ("DeviceType", s("Workstation")),
                    ("DeviceSubtype", s("")),
                    ("Model", s(model)),
                    ("Vendor", s(vendor)),
                    ("OSDistribution", s("")),
                    ("OSVersionInfo", s("23H2")),
                    ("IsInternetFacing", Value::Bool(false)),
                    ("SensorHealthState", s("Active")),
                    ("IsExcluded", Value::Bool(false)),
                    ("ExposureLevel", s(exposure)),
                    ("AssetValue", s("Normal")),
                    ("DeviceManualTags", s("[]")),
                    ("DeviceDynamicTags", s(r#"["Workstation"]"#)),
                    ("ConnectivityType", s("")),
                    ("SourceSystem", s("")),
                ],
            );
        }
    }
    rows.finish(cx.start, cx.clock)
}

fn device_network_info(cx: &Ctx) -> Table {
    let mut rows = Rows::new("DeviceNetworkInfo", &cx.plan.tenant_id);
    let mut rng = Rng::stream(cx.plan.spec.seed, streams::INVENTORY + 100);
    for m in cx.days() {
        for (u, d) in cx.devices.iter().enumerate() {
            let (home, _) = user_day(cx.plan, u, m);
            let t = m + hms(5, 0, 0, 0) + rng.range(0, 3 * 3600) * TICKS_PER_SECOND;
            let mac = hex(fnv(&d.id), 12).to_uppercase();
            let mac = (0..6).map(|i| &mac[2 * i..2 * i + 2]).collect::<Vec<_>>().join("-");
            let ip = if home { &d.home_ip } else { &d.office_ip };
            let gateway = format!("{}.1", ip.rsplit_once('.').map_or("", |x| x.0));
            let network = if home {
                r#"[{"Name":"Home","Category":"Private","IsConnectedToInternet":true}]"#
            } else {
                r#"[{"Name":"corp.contoso.com","Category":"Domain","IsConnectedToInternet":true}]"#
            };
            let dns = if home { format!(r#"["{gateway}"]"#) } else { r#"["10.10.0.10","10.10.0.11"]"#.to_string() };
            rows.push(
                t,
                vec![
                    ("DeviceId", s(&d.id)),
                    ("DeviceName", s(&d.name)),
                    ("NetworkAdapterName", s("Wi-Fi")),
                    ("MacAddress", s(&mac)),
                    ("NetworkAdapterType", s("Wireless80211")),
                    ("NetworkAdapterStatus", s("Up")),
                    ("ConnectedNetworks", s(network)),
                    ("DnsAddresses", s(&dns)),
                    ("IPv4Dhcp", s(&gateway)),
                    ("DefaultGateways", s(&format!(r#"["{gateway}"]"#))),
                    ("IPAddresses", s(&format!(r#"[{{"IPAddress":"{ip}","SubnetPrefix":24,"AddressType":"Private"}}]"#))),
                    ("ReportId", Value::Long(10_000 + rng.range(0, 90_000))),
                    ("NetworkAdapterVendor", s("Intel Corporation")),
                    ("MachineGroup", s("Contoso Workstations")),
                ],
            );
        }
    }
    rows.finish(cx.start, cx.clock)
}

fn identity_info(cx: &Ctx) -> Table {
    let mut rows = Rows::new("IdentityInfo", &cx.plan.tenant_id);
    let compromised = cx.at(9, 51, 40, 0);
    // A row per account per day, and one more when Entra ID marks Emma at risk.
    let mut when: Vec<(usize, i64)> = Vec::new();
    for m in cx.days() {
        for (u, user) in cx.plan.users.iter().enumerate() {
            when.push((u, m + hms(1, 0, 0, 0) + ((fnv(&user.upn) % 3600) as i64) * TICKS_PER_SECOND));
        }
    }
    when.push((VICTIM, compromised + 4 * TICKS_PER_MINUTE));
    {
        for (u, t) in when {
            let user = &cx.plan.users[u];
            let h = fnv(&user.upn);
            let a = &cx.accounts[u + 1];
            let dept = if u == HELPDESK { "IT" } else { TEAMS[(h % TEAMS.len() as u64) as usize] };
            let title = if u == HELPDESK {
                "Helpdesk Administrator"
            } else {
                ["Specialist", "Senior Specialist", "Team Lead", "Analyst", "Coordinator"][(h >> 8) as usize % 5]
            };
            let (country, city, _, _) = cx.office(u);
            let manager = cx.accounts[1 + (h >> 16) as usize % cx.plan.users.len().min(12)].name.clone();
            let (risk, status) = if u == VICTIM && t > compromised { ("High", "AtRisk") } else { ("", "None") };
            let roles = if u == HELPDESK { r#"["Helpdesk Administrator"]"# } else { "[]" };
            rows.push(
                t,
                vec![
                    ("ReportId", s(&guid(mix2(h, (t - cx.start) as u64)))),
                    ("AccountObjectId", s(&user.object_id)),
                    ("AccountUpn", s(&user.upn)),
                    ("OnPremSid", s(&a.sid)),
                    ("AccountDisplayName", s(&user.display_name())),
                    ("AccountName", s(&a.name)),
                    ("AccountDomain", s("contoso.com")),
                    ("CriticalityLevel", Value::Int(if u == HELPDESK { 2 } else { 0 })),
                    ("Type", s("User")),
                    ("DistinguishedName", s(&format!("CN={},OU={dept},OU=Users,DC=corp,DC=contoso,DC=com", user.display_name()))),
                    ("CloudSid", s(&format!("S-1-12-1-{}-{}", h % 4_000_000_000, (h >> 32) % 4_000_000_000))),
                    ("GivenName", s(&user.first)),
                    ("Surname", s(&user.last)),
                    ("Department", s(dept)),
                    ("JobTitle", s(title)),
                    ("EmailAddress", s(&user.upn)),
                    ("SipProxyAddress", s(&format!("sip:{}", user.upn))),
                    ("City", s(city)),
                    ("Country", s(country)),
                    ("IsAccountEnabled", Value::Bool(true)),
                    ("Manager", s(&manager)),
                    ("CreatedDateTime", Value::DateTime(cx.start - (400 + (h % 2000) as i64) * TICKS_PER_DAY)),
                    ("ChangeSource", s("System-UserPersistence")),
                    ("CompanyName", s("Contoso Ltd")),
                    ("EmployeeId", s(&format!("{}", 10_000 + h % 90_000))),
                    ("OtherMailAddresses", dynamic("[]")),
                    ("RiskLevel", s(risk)),
                    ("RiskStatus", s(status)),
                    ("Tags", dynamic(if u == HELPDESK { r#"["Sensitive"]"# } else { "[]" })),
                    ("AssignedRoles", dynamic(roles)),
                    ("PrivilegedEntraPimRoles", dynamic("[]")),
                    ("SourceSystem", s("AzureActiveDirectory")),
                    ("TenantMembershipType", s("Member")),
                    ("IdentityEnvironment", s("Hybrid")),
                    ("SourceProviders", dynamic(r#"["ActiveDirectory","AzureActiveDirectory"]"#)),
                    ("GroupMembership", dynamic(&format!(r#"["All Staff","{dept}"]"#))),
                ],
            );
        }
    }
    rows.finish(cx.start, cx.clock)
}

/// One sign-in, before it is written to both sign-in tables.
struct SignIn {
    t: i64,
    user: usize,
    app: usize,
    error: i32,
    ip: String,
    place: (&'static str, &'static str, &'static str, &'static str),
    agent: &'static str,
    managed: bool,
    mfa: bool,
    risk: i32,
    correlation: u64,
}

fn sign_in_list(cx: &Ctx) -> Vec<SignIn> {
    let mut rng = Rng::stream(cx.plan.spec.seed, streams::SIGNIN);
    let mut out = Vec::new();
    let days = cx.days();
    let travel: Vec<i64> = days.iter().copied().filter(|m| weekday(*m) < 5).rev().skip(3).take(2).collect();
    for (u, _) in cx.plan.users.iter().enumerate() {
        for &m in &days {
            if weekday(m) >= 5 {
                if rng.chance(15, 100) {
                    let t = m + hms(10, 0, 0, 0) + rng.range(0, 8 * 3600) * TICKS_PER_SECOND;
                    let ip = cx.public_ip(u, true).to_string();
                    out.push(SignIn {
                        t,
                        user: u,
                        app: 0,
                        error: 0,
                        ip,
                        place: cx.office(u),
                        agent: UA_EDGE,
                        managed: false,
                        mfa: true,
                        risk: 1,
                        correlation: rng.next_u64(),
                    });
                }
                continue;
            }
            let (home, logon) = user_day(cx.plan, u, m);
            let (ip, place) = if u == TRAVELLER && travel.contains(&m) {
                (format!("198.51.100.{}", 10 + rng.below(40)), ("US", "New York", "40.71", "-74.01"))
            } else {
                (cx.public_ip(u, home).to_string(), cx.office(u))
            };
            let n = 2 + rng.index(3);
            for k in 0..n {
                let t = logon + (40 + rng.range(0, 60)) * TICKS_PER_SECOND + k as i64 * (90 + rng.range(0, 150)) * TICKS_PER_MINUTE;
                if rng.chance(4, 100) {
                    out.push(SignIn {
                        t: t - 20 * TICKS_PER_SECOND,
                        user: u,
                        app: k % TENANT_APPS.len(),
                        error: 50126,
                        ip: ip.clone(),
                        place,
                        agent: UA_EDGE,
                        managed: true,
                        mfa: false,
                        risk: 1,
                        correlation: rng.next_u64(),
                    });
                }
                out.push(SignIn {
                    t,
                    user: u,
                    app: k % TENANT_APPS.len(),
                    error: 0,
                    ip: ip.clone(),
                    place,
                    agent: UA_EDGE,
                    managed: true,
                    mfa: k == 0,
                    risk: 1,
                    correlation: rng.next_u64(),
                });
            }
        }
    }
    // The story: Emma opens SharePoint from the office just before the campaign mail's link...
    let office = cx.public_ip(VICTIM, false).to_string();
    out.push(SignIn {
        t: cx.at(9, 5, 12, 0),
        user: VICTIM,
        app: 1,
        error: 0,
        ip: office,
        place: cx.office(VICTIM),
        agent: UA_EDGE,
        managed: true,
        mfa: false,
        risk: 1,
        correlation: mix2(7, 1000),
    });
    // ...then MFA fatigue on her account, and a successful sign-in from Lagos.
    let lagos = (ATTACKER_COUNTRY, ATTACKER_CITY, "6.45", "3.39");
    for k in 0..9 {
        let t = cx.at(9, 31, 5, 0) + k * (2 * TICKS_PER_MINUTE + 7 * TICKS_PER_SECOND);
        for (dt, error) in [(0, 50074), (31, 500121)] {
            out.push(SignIn {
                t: t + dt * TICKS_PER_SECOND,
                user: VICTIM,
                app: 0,
                error,
                ip: ATTACKER_IP.into(),
                place: lagos,
                agent: UA_ATTACKER,
                managed: false,
                mfa: true,
                risk: 50,
                correlation: mix2(7, k as u64),
            });
        }
    }
    out.push(SignIn {
        t: cx.at(9, 51, 40, 0),
        user: VICTIM,
        app: 0,
        error: 0,
        ip: ATTACKER_IP.into(),
        place: lagos,
        agent: UA_ATTACKER,
        managed: false,
        mfa: true,
        risk: 100,
        correlation: mix2(7, 99),
    });
    for k in 0..2 {
        out.push(SignIn {
            t: cx.at(9, 33, 50 + 4 * k, 0),
            user: cast::PRIYA,
            app: 0,
            error: 50126,
            ip: ATTACKER_IP.into(),
            place: lagos,
            agent: UA_ATTACKER,
            managed: false,
            mfa: false,
            risk: 50,
            correlation: mix2(8, k as u64),
        });
    }
    out
}

fn sign_ins(cx: &Ctx) -> (Table, Table) {
    let list = sign_in_list(cx);
    let mut tables = Vec::new();
    for (name, device_col) in [("EntraIdSignInEvents", "EntraIdDeviceId"), ("AADSignInEventsBeta", "AadDeviceId")] {
        let mut rows = Rows::new(name, &cx.plan.tenant_id);
        for e in &list {
            let user = &cx.plan.users[e.user];
            let (app, app_id, client) = TENANT_APPS[e.app];
            let device = if e.managed { cx.devices[e.user].name.clone() } else { String::new() };
            let device_id = if e.managed { guid(mix2(fnv(&cx.devices[e.user].id), 1)) } else { String::new() };
            rows.push(
                e.t,
                vec![
                    ("Application", s(client)),
                    ("ApplicationId", s(app_id)),
                    ("LogonType", s(r#"["interactiveUser"]"#)),
                    ("ErrorCode", Value::Int(e.error)),
                    ("CorrelationId", s(&guid(e.correlation))),
                    ("SessionId", s(&guid(mix2(e.correlation, 2)))),
                    ("AccountDisplayName", s(&user.display_name())),
                    ("AccountObjectId", s(&user.object_id)),
                    ("AccountUpn", s(&user.upn)),
                    ("IsExternalUser", Value::Int(0)),
                    ("IsGuestUser", Value::Bool(false)),
                    ("LastPasswordChangeTimestamp", Value::DateTime(cx.start - (20 + (fnv(&user.upn) % 60) as i64) * TICKS_PER_DAY)),
                    ("ResourceDisplayName", s(app)),
                    ("ResourceId", s(app_id)),
                    ("ResourceTenantId", s(&cx.plan.tenant_id)),
                    ("DeviceName", s(&device)),
                    (device_col, s(&device_id)),
                    ("OSPlatform", s(if e.agent == UA_ATTACKER { "Linux" } else { "Windows" })),
                    ("DeviceTrustType", s(if e.managed { "ServerAd" } else { "" })),
                    ("IsManaged", Value::Int(e.managed as i32)),
                    ("IsCompliant", Value::Int(e.managed as i32)),
                    ("AuthenticationRequirement", s(if e.mfa { "multiFactorAuthentication" } else { "singleFactorAuthentication" })),
                    ("TokenIssuerType", Value::Int(0)),
                    ("RiskLevelAggregated", Value::Int(e.risk)),
                    ("RiskDetails", Value::Int(0)),
                    ("RiskState", Value::Int(if e.risk >= 50 { 4 } else { 0 })),
                    ("UserAgent", s(e.agent)),
                    ("ClientAppUsed", s("Browser")),
                    ("Browser", s(if e.agent == UA_ATTACKER { "Chrome 120.0.0" } else { "Edge 131.0.0" })),
                    ("ConditionalAccessStatus", Value::Int(if e.error == 0 { 0 } else { 2 })),
                    ("IPAddress", s(&e.ip)),
                    ("Country", s(e.place.0)),
                    ("City", s(e.place.1)),
                    ("Latitude", s(e.place.2)),
                    ("Longitude", s(e.place.3)),
                    ("RequestId", s(&guid(mix2(e.correlation, 3)))),
                    ("ReportId", s(&guid(mix2(e.correlation, 4)))),
                ],
            );
        }
        tables.push(rows.finish(cx.start, cx.clock));
    }
    let beta = tables.pop().expect("two tables");
    (tables.pop().expect("two tables"), beta)
}

fn identity_logons(cx: &Ctx) -> Table {
    let mut rows = Rows::new("IdentityLogonEvents", &cx.plan.tenant_id);
    let mut rng = Rng::stream(cx.plan.spec.seed, streams::SIGNIN + 100);
    let ad = |cx: &Ctx, u: usize, action: &str, kind: &str, protocol: &str, failure: &str, ip: &str, target: &str| -> Vec<(&'static str, Value)> {
        let a = &cx.accounts[u + 1];
        vec![
            ("ActionType", s(action)),
            ("Application", s("Active Directory")),
            ("LogonType", s(kind)),
            ("Protocol", s(protocol)),
            ("FailureReason", s(failure)),
            ("AccountName", s(&a.name)),
            ("AccountDomain", s("contoso.com")),
            ("AccountUpn", s(cx.upn(u))),
            ("AccountSid", s(&a.sid)),
            ("AccountObjectId", s(&a.object_id)),
            ("AccountDisplayName", s(&cx.display(u))),
            ("DeviceName", s(&cx.short_device(u))),
            ("DeviceType", s("Workstation")),
            ("OSPlatform", s("Windows11")),
            ("IPAddress", s(ip)),
            ("DestinationDeviceName", s(DC.0)),
            ("DestinationIPAddress", s(DC.1)),
            ("DestinationPort", Value::Int(if protocol == "Kerberos" { 88 } else { 445 })),
            ("TargetDeviceName", s(target)),
            ("AdditionalFields", dynamic("{}")),
        ]
    };
    for (u, d) in cx.devices.iter().enumerate() {
        for m in cx.days() {
            if weekday(m) >= 5 {
                continue;
            }
            let (home, logon) = user_day(cx.plan, u, m);
            if home {
                continue;
            }
            let mut cells = ad(cx, u, "LogonSuccess", "Credentials validation", "Kerberos", "", &d.office_ip, "");
            cells.push(("Port", Value::Int(49_152 + rng.below(16_000) as i32)));
            cells.push(("ReportId", s(&guid(rng.next_u64()))));
            rows.push(logon + 2 * TICKS_PER_SECOND, cells);
            let mut cells = ad(cx, u, "LogonSuccess", "Resource access", "Kerberos", "", &d.office_ip, "fs01.corp.contoso.com");
            cells.push(("ReportId", s(&guid(rng.next_u64()))));
            rows.push(logon + (20 + rng.range(0, 600)) * TICKS_PER_SECOND, cells);
            // Microsoft 365 logons seen by Defender for Cloud Apps.
            let (country, city, _, _) = cx.office(u);
            rows.push(
                logon + (60 + rng.range(0, 300)) * TICKS_PER_SECOND,
                cloud_logon(cx, u, "LogonSuccess", "", cx.public_ip(u, false), &format!("{city}, {country}"), "Contoso Business Fibre", &guid(rng.next_u64())),
            );
        }
    }
    // The attacker's Microsoft 365 logons.
    for k in 0..9 {
        let t = cx.at(9, 31, 36, 0) + k * (2 * TICKS_PER_MINUTE + 7 * TICKS_PER_SECOND);
        rows.push(
            t,
            cloud_logon(
                cx,
                VICTIM,
                "LogonFailed",
                "MFA denied; user declined the authentication",
                ATTACKER_IP,
                "Lagos, NG",
                ATTACKER_ISP,
                &guid(mix2(11, k as u64)),
            ),
        );
    }
    rows.push(cx.at(9, 51, 41, 0), cloud_logon(cx, VICTIM, "LogonSuccess", "", ATTACKER_IP, "Lagos, NG", ATTACKER_ISP, &guid(mix2(11, 99))));
    // NTLM from Emma's laptop to three colleagues' laptops.
    let ip = cx.devices[VICTIM].office_ip.clone();
    for (k, &target) in LATERAL_TARGETS.iter().enumerate() {
        if target >= cx.devices.len() {
            continue;
        }
        let mut cells = ad(cx, VICTIM, "LogonSuccess", "Resource access", "Ntlm", "", &ip, &cx.devices[target].name);
        cells.push(("ReportId", s(&guid(mix2(12, k as u64)))));
        rows.push(cx.at(13, 5 + 3 * k as i64, 12 + 7 * k as i64, 300), cells);
    }
    rows.finish(cx.start, cx.clock)
}

#[allow(clippy::too_many_arguments)]
fn cloud_logon(cx: &Ctx, u: usize, action: &str, failure: &str, ip: &str, location: &str, isp: &str, report: &str) -> Vec<(&'static str, Value)> {
    let a = &cx.accounts[u + 1];
    vec![
        ("ActionType", s(action)),
        ("Application", s("Office 365")),
        ("LogonType", s("Interactive")),
        ("FailureReason", s(failure)),
        ("AccountName", s(&a.name)),
        ("AccountDomain", s("contoso.com")),
        ("AccountUpn", s(cx.upn(u))),
        ("AccountObjectId", s(&a.object_id)),
        ("AccountDisplayName", s(&cx.display(u))),
        ("DeviceType", s(if ip == ATTACKER_IP { "" } else { "Workstation" })),
        ("OSPlatform", s(if ip == ATTACKER_IP { "Linux" } else { "Windows11" })),
        ("IPAddress", s(ip)),
        ("Location", s(location)),
        ("Isp", s(isp)),
        ("ReportId", s(report)),
        ("AdditionalFields", dynamic("{}")),
    ]
}

/// Microsoft 365 services as Defender for Cloud Apps names them: `(name, id)`.
const EXCHANGE: (&str, i32) = ("Microsoft Exchange Online", 20893);
const SHAREPOINT: (&str, i32) = ("Microsoft SharePoint Online", 20892);
const ONEDRIVE: (&str, i32) = ("Microsoft OneDrive for Business", 15600);
const TEAMS_APP: (&str, i32) = ("Microsoft Teams", 28375);

fn cloud_app_events(cx: &Ctx) -> Table {
    let mut rows = Rows::new("CloudAppEvents", &cx.plan.tenant_id);
    let mut rng = Rng::stream(cx.plan.spec.seed, streams::CLOUD);
    let event = |cx: &Ctx,
                 u: usize,
                 app: (&str, i32),
                 action: &str,
                 activity: &str,
                 ip: &str,
                 place: (&str, &str),
                 isp: &str,
                 object: (&str, &str),
                 raw: String|
     -> Vec<(&'static str, Value)> {
        let user = &cx.plan.users[u];
        let objects = format!(r#"[{{"Type":"{}","Name":"{}"}}]"#, object.1, object.0.replace('\\', "\\\\").replace('"', "\\\""));
        vec![
            ("ActionType", s(action)),
            ("Application", s(app.0)),
            ("ApplicationId", Value::Int(app.1)),
            ("AppInstanceId", Value::Int(0)),
            ("AccountObjectId", s(&user.object_id)),
            ("AccountId", s(&user.object_id)),
            ("AccountDisplayName", s(&user.display_name())),
            ("IsAdminOperation", Value::Bool(false)),
            ("DeviceType", s(if ip == ATTACKER_IP { "" } else { "Desktop" })),
            ("OSPlatform", s(if ip == ATTACKER_IP { "Linux" } else { "Windows 11" })),
            ("IPAddress", s(ip)),
            ("IsAnonymousProxy", Value::Bool(false)),
            ("CountryCode", s(place.0)),
            ("City", s(place.1)),
            ("Isp", s(isp)),
            ("UserAgent", s(if ip == ATTACKER_IP { UA_ATTACKER } else { UA_EDGE })),
            ("ActivityType", s(activity)),
            ("ActivityObjects", dynamic(&objects)),
            ("ObjectName", s(object.0)),
            ("ObjectType", s(object.1)),
            ("AccountType", s("Regular")),
            ("IsExternalUser", Value::Bool(false)),
            ("IsImpersonated", Value::Bool(false)),
            ("IPTags", dynamic(if ip == ATTACKER_IP { "[]" } else { r#"["Corporate"]"# })),
            ("IPCategory", s(if ip == ATTACKER_IP { "" } else { "Corporate" })),
            ("UserAgentTags", dynamic("[]")),
            ("RawEventData", dynamic(&raw)),
            ("AdditionalFields", dynamic("{}")),
            ("AuditSource", s("Defender for Cloud Apps app connector")),
        ]
    };
    let raw = |op: &str, upn: &str, ip: &str, extra: &str| format!(r#"{{"Operation":"{op}","UserId":"{upn}","ClientIP":"{ip}"{extra}}}"#);
    for (u, user) in cx.plan.users.iter().enumerate() {
        for m in cx.days() {
            if weekday(m) >= 5 {
                continue;
            }
            let (home, logon) = user_day(cx.plan, u, m);
            let ip = cx.public_ip(u, home).to_string();
            let (country, city, _, _) = cx.office(u);
            let n = 3 + rng.index(5);
            for _ in 0..n {
                let t = logon + rng.range(60, 9 * 3600) * TICKS_PER_SECOND + rng.range(0, 1000) * TICKS_PER_MILLI;
                let doc = format!("{}_{}.docx", rng.pick(super::names::DOC_WORDS), rng.pick(super::names::DOC_WORDS));
                let cells = match rng.index(5) {
                    0 => {
                        let site = rng.pick(TEAMS);
                        let action = rng.pick(&["FileAccessed", "FileModified", "FileUploaded"]);
                        let name = format!("https://contoso.sharepoint.com/sites/{site}/Shared Documents/{doc}");
                        event(
                            cx,
                            u,
                            SHAREPOINT,
                            action,
                            "Edit",
                            &ip,
                            (country, city),
                            "Contoso Business Fibre",
                            (&name, "File"),
                            raw(action, &user.upn, &ip, &format!(r#","ObjectId":"{name}""#)),
                        )
                    }
                    1 => {
                        let name = format!("https://contoso-my.sharepoint.com/personal/{}/Documents/{doc}", user.upn.replace(['.', '@'], "_"));
                        event(
                            cx,
                            u,
                            ONEDRIVE,
                            "FileModified",
                            "Edit",
                            &ip,
                            (country, city),
                            "Contoso Business Fibre",
                            (&name, "File"),
                            raw("FileModified", &user.upn, &ip, ""),
                        )
                    }
                    2 => event(
                        cx,
                        u,
                        TEAMS_APP,
                        "MessageSent",
                        "Send",
                        &ip,
                        (country, city),
                        "Contoso Business Fibre",
                        ("Chat", "Chat"),
                        raw("MessageSent", &user.upn, &ip, ""),
                    ),
                    3 => event(
                        cx,
                        u,
                        EXCHANGE,
                        "MailItemsAccessed",
                        "Read",
                        &ip,
                        (country, city),
                        "Contoso Business Fibre",
                        (&user.upn, "Mailbox"),
                        raw("MailItemsAccessed", &user.upn, &ip, r#","MailAccessType":"Bind""#),
                    ),
                    _ => event(
                        cx,
                        u,
                        EXCHANGE,
                        "Send",
                        "Send",
                        &ip,
                        (country, city),
                        "Contoso Business Fibre",
                        (&user.upn, "Mailbox"),
                        raw("Send", &user.upn, &ip, ""),
                    ),
                };
                rows.push(t, cells);
            }
            // Now and then someone files newsletters away with a rule.
            if rng.chance(1, 60) {
                let t = logon + rng.range(600, 6 * 3600) * TICKS_PER_SECOND;
                let folder = rng.pick(&["Newsletters", "Notifications", "Vendors"]);
                let params = format!(
                    r#","Parameters":[{{"Name":"Name","Value":"{folder}"}},{{"Name":"FromAddressContainsWords","Value":"newsletter;noreply"}},{{"Name":"MoveToFolder","Value":"{folder}"}},{{"Name":"StopProcessingRules","Value":"True"}}]"#
                );
                rows.push(
                    t,
                    event(
                        cx,
                        u,
                        EXCHANGE,
                        "New-InboxRule",
                        "Create",
                        &ip,
                        (country, city),
                        "Contoso Business Fibre",
                        (folder, "Inbox rule"),
                        raw("New-InboxRule", &user.upn, &ip, &params),
                    ),
                );
            }
        }
    }
    // The attacker in Emma's mailbox.
    let upn = cx.upn(VICTIM).to_string();
    for k in 0..6 {
        let t = cx.at(10, 2, 10 + 13 * k, 0);
        rows.push(
            t,
            event(
                cx,
                VICTIM,
                EXCHANGE,
                "MailItemsAccessed",
                "Read",
                ATTACKER_IP,
                (ATTACKER_COUNTRY, ATTACKER_CITY),
                ATTACKER_ISP,
                (&upn, "Mailbox"),
                raw("MailItemsAccessed", &upn, ATTACKER_IP, r#","MailAccessType":"Bind""#),
            ),
        );
    }
    let params = format!(
        r#","Parameters":[{{"Name":"Name","Value":"{RULE_NAME}"}},{{"Name":"SubjectOrBodyContainsWords","Value":"invoice;payment;wire;bank"}},{{"Name":"ForwardTo","Value":"{FORWARD_TO}"}},{{"Name":"MoveToFolder","Value":"RSS Subscriptions"}},{{"Name":"MarkAsRead","Value":"True"}},{{"Name":"StopProcessingRules","Value":"True"}}]"#
    );
    rows.push(
        cx.at(10, 4, 37, 0),
        event(
            cx,
            VICTIM,
            EXCHANGE,
            "New-InboxRule",
            "Create",
            ATTACKER_IP,
            (ATTACKER_COUNTRY, ATTACKER_CITY),
            ATTACKER_ISP,
            (RULE_NAME, "Inbox rule"),
            raw("New-InboxRule", &upn, ATTACKER_IP, &params),
        ),
    );
    rows.finish(cx.start, cx.clock)
}

/// One alert and its entities.
struct Alert {
    t: i64,
    id: String,
    title: &'static str,
    category: &'static str,
    severity: &'static str,
    service: &'static str,
    detection: &'static str,
    techniques: &'static str,
    evidence: Vec<Vec<(&'static str, Value)>>,
}

const MDE: &str = "Microsoft Defender for Endpoint";
const MDO: &str = "Microsoft Defender for Office 365";
const MDCA: &str = "Microsoft Defender for Cloud Apps";

fn alerts(cx: &Ctx) -> (Table, Table) {
    let mut list: Vec<Alert> = Vec::new();
    let mut rng = Rng::stream(cx.plan.spec.seed, streams::ALERTS);
    let id = |prefix: &str, h: u64| format!("{prefix}{}_{}", 638_000_000_000_000_000u64 + h % 999_999_999_999_999, (h >> 20) % 1_000_000_000);
    let victim = &cx.devices[VICTIM];
    let machine = |d: &Device| vec![("EntityType", s("Machine")), ("EvidenceRole", s("Impacted")), ("DeviceId", s(&d.id)), ("DeviceName", s(&d.name))];
    let user = |u: usize, role: &str| {
        let a = &cx.accounts[u + 1];
        vec![
            ("EntityType", s("User")),
            ("EvidenceRole", s(role)),
            ("AccountName", s(&a.name)),
            ("AccountDomain", s("contoso")),
            ("AccountSid", s(&a.sid)),
            ("AccountObjectId", s(&a.object_id)),
            ("AccountUpn", s(&a.upn)),
        ]
    };
    let ps_cmd = format!(
        r#""C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -nop -w hidden -enc {}"#,
        super::device::encoded_command(super::device::STAGE1_SCRIPT)
    );
    list.push(Alert {
        t: cx.at(9, 13, 25, 0),
        id: id("da", mix2(cx.plan.spec.seed, 1)),
        title: "Suspicious PowerShell command line",
        category: "Execution",
        severity: "Medium",
        service: MDE,
        detection: "EDR",
        techniques: r#"["Command and Scripting Interpreter (T1059)","PowerShell (T1059.001)","Obfuscated Files or Information (T1027)"]"#,
        evidence: vec![
            vec![
                ("EntityType", s("Process")),
                ("EvidenceRole", s("Impacted")),
                ("FileName", s("powershell.exe")),
                ("FolderPath", s(r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe")),
                ("ProcessCommandLine", s(&ps_cmd)),
                ("DeviceId", s(&victim.id)),
                ("DeviceName", s(VICTIM_DEVICE)),
            ],
            vec![
                ("EntityType", s("File")),
                ("EvidenceRole", s("Related")),
                ("FileName", s(super::device::LNK_NAME)),
                ("FolderPath", s(&format!(r"C:\Users\emma.vargas\Downloads\Contoso_Password_Reset\{}", super::device::LNK_NAME))),
                ("FileSize", Value::Long(2_290)),
            ],
            machine(victim),
            user(VICTIM, "Impacted"),
        ],
    });
    list.push(Alert {
        t: cx.at(9, 15, 12, 0),
        id: id("da", mix2(cx.plan.spec.seed, 2)),
        title: "Suspicious Task Scheduler activity",
        category: "Persistence",
        severity: "Medium",
        service: MDE,
        detection: "EDR",
        techniques: r#"["Scheduled Task (T1053.005)"]"#,
        evidence: vec![
            vec![("EntityType", s("Process")), ("EvidenceRole", s("Impacted")), ("FileName", s("schtasks.exe")), ("ProcessCommandLine", s(&format!(r#""C:\WINDOWS\system32\schtasks.exe" /create /sc onlogon /tn "{}" /tr "powershell.exe -w hidden -ep bypass -f '%LOCALAPPDATA%\ContosoSync\{}'" /f"#, super::device::TASK_NAME, super::device::STAGE2_NAME)))],
            machine(victim),
            user(VICTIM, "Impacted"),
        ],
    });
    let url_row = || vec![("EntityType", s("Url")), ("EvidenceRole", s("Related")), ("RemoteUrl", s(super::plan::CAMPAIGN_URL))];
    let mut clicked = vec![url_row()];
    for u in [cast::PRIYA, VICTIM, cast::SOFIA] {
        clicked.push(user(u, "Impacted"));
    }
    list.push(Alert {
        t: cx.at(9, 24, 3, 0),
        id: id("fa", mix2(cx.plan.spec.seed, 3)),
        title: "A potentially malicious URL click was detected",
        category: "InitialAccess",
        severity: "High",
        service: MDO,
        detection: MDO,
        techniques: r#"["Spearphishing Link (T1566.002)"]"#,
        evidence: clicked,
    });
    list.push(Alert {
        t: cx.at(10, 35, 40, 0),
        id: id("fa", mix2(cx.plan.spec.seed, 4)),
        title: "Email messages containing malicious URL removed after delivery",
        category: "InitialAccess",
        severity: "Informational",
        service: MDO,
        detection: MDO,
        techniques: r#"["Phishing (T1566)"]"#,
        evidence: vec![
            url_row(),
            vec![("EntityType", s("MailCluster")), ("EvidenceRole", s("Related")), ("EmailSubject", s("Action required: your Contoso password expires today"))],
        ],
    });
    let ip_row = |ip: &str, role: &str| vec![("EntityType", s("Ip")), ("EvidenceRole", s(role)), ("RemoteIP", s(ip))];
    list.push(Alert {
        t: cx.at(9, 58, 2, 0),
        id: id("ca", mix2(cx.plan.spec.seed, 5)),
        title: "Impossible travel activity",
        category: "InitialAccess",
        severity: "Medium",
        service: MDCA,
        detection: MDCA,
        techniques: r#"["Valid Accounts (T1078)"]"#,
        evidence: vec![user(VICTIM, "Impacted"), ip_row(ATTACKER_IP, "Related"), ip_row(cx.public_ip(VICTIM, false), "Related")],
    });
    list.push(Alert {
        t: cx.at(10, 9, 51, 0),
        id: id("ca", mix2(cx.plan.spec.seed, 6)),
        title: "Suspicious inbox forwarding rule",
        category: "Exfiltration",
        severity: "Medium",
        service: MDCA,
        detection: MDCA,
        techniques: r#"["Email Forwarding Rule (T1114.003)"]"#,
        evidence: vec![
            user(VICTIM, "Impacted"),
            vec![
                ("EntityType", s("Mailbox")),
                ("EvidenceRole", s("Impacted")),
                ("AccountUpn", s(cx.upn(VICTIM))),
                ("AdditionalFields", s(&format!(r#"{{"ForwardTo":"{FORWARD_TO}","RuleName":"{RULE_NAME}"}}"#))),
            ],
            ip_row(ATTACKER_IP, "Related"),
            vec![
                ("EntityType", s("CloudApplication")),
                ("EvidenceRole", s("Related")),
                ("Application", s(EXCHANGE.0)),
                ("ApplicationId", Value::Int(EXCHANGE.1)),
            ],
        ],
    });
    // Background alerts: unwanted software and mail that people reported.
    let count = (cx.plan.spec.rows / 250).clamp(6, 400);
    for k in 0..count {
        let u = rng.index(cx.plan.users.len());
        let t = cx.start + rng.range(0, cx.clock - cx.start - 1);
        let h = mix2(cx.plan.spec.seed, 1000 + k as u64);
        if rng.chance(1, 2) {
            list.push(Alert {
                t,
                id: id("da", h),
                title: "'Presenoker' unwanted software was prevented",
                category: "Malware",
                severity: "Low",
                service: MDE,
                detection: "Antivirus",
                techniques: "[]",
                evidence: vec![
                    vec![
                        ("EntityType", s("File")),
                        ("EvidenceRole", s("Impacted")),
                        ("FileName", s("free_pdf_converter_setup.exe")),
                        ("ThreatFamily", s("Presenoker")),
                    ],
                    machine(&cx.devices[u]),
                ],
            });
        } else {
            list.push(Alert {
                t,
                id: id("fa", h),
                title: "Email reported by user as malware or phish",
                category: "InitialAccess",
                severity: "Informational",
                service: MDO,
                detection: MDO,
                techniques: "[]",
                evidence: vec![
                    user(u, "Related"),
                    vec![("EntityType", s("MailMessage")), ("EvidenceRole", s("Impacted")), ("EmailSubject", s("Your parcel is waiting"))],
                ],
            });
        }
    }
    let mut info = Rows::new("AlertInfo", &cx.plan.tenant_id);
    let mut evidence = Rows::new("AlertEvidence", &cx.plan.tenant_id);
    for a in &list {
        info.push(
            a.t,
            vec![
                ("AlertId", s(&a.id)),
                ("Title", s(a.title)),
                ("Category", s(a.category)),
                ("Severity", s(a.severity)),
                ("ServiceSource", s(a.service)),
                ("DetectionSource", s(a.detection)),
                ("AttackTechniques", s(a.techniques)),
            ],
        );
        for e in &a.evidence {
            let mut cells = vec![
                ("AlertId", s(&a.id)),
                ("Title", s(a.title)),
                ("Categories", s(&format!(r#"["{}"]"#, a.category))),
                ("AttackTechniques", s(a.techniques)),
                ("ServiceSource", s(a.service)),
                ("DetectionSource", s(a.detection)),
                ("Severity", s(a.severity)),
            ];
            cells.extend(e.iter().cloned());
            evidence.push(a.t, cells);
        }
    }
    (info.finish(cx.start, cx.clock), evidence.finish(cx.start, cx.clock))
}
