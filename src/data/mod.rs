//! Deterministic synthetic Microsoft Defender XDR data: `UrlClickEvents`, the four e-mail
//! tables (`EmailEvents`, `EmailUrlInfo`, `EmailAttachmentInfo`, `EmailPostDeliveryEvents`)
//! and the endpoint tables (`DeviceProcessEvents`, `DeviceNetworkEvents`, `DeviceFileEvents`;
//! see `device.rs` for their chapter of the story), generated from a [`DatasetSpec`] — a seed,
//! a row count and the session clock.
//!
//! # The story
//!
//! Contoso (users `first.last@contoso.com`) clicks links all day: SharePoint documents,
//! Teams meetings, partner sites, news, documentation. That benign traffic fills the last
//! ten days before the clock, so about a third of it is older than seven days and
//! `where Timestamp > ago(7d)` matters. Its rhythm follows the real hour of day and day of
//! the week in Contoso's time zone, UTC+1 (Central European Time, without summer time):
//! busy from 08:00 to 18:00 on weekdays, quiet at night, calmer at the weekend. Against that
//! background, fixed events (the same for every seed; see [`story`]) give each lesson step one
//! answer. They are placed at working times relative to the clock, so they are always inside
//! the data, whatever the day:
//!
//! - **The phishing campaign.** At 08:48 local on the most recent working day whose morning is
//!   over (see [`story::campaign_hour_start`]), a mail from `it-support@contoso-login.com`,
//!   "Action required: your Contoso password expires today", reaches 40 people in 41 copies
//!   (one person is on two of the attacker's lists): 31 copies land in the inbox, 6 (for 5
//!   people) in junk, and the last 4 are quarantined once the link's verdict is known. Between 09:02 and 09:51 seventeen of the recipients click
//!   `https://contoso-login.com/auth/signin?session=pw-reset`, and one more person opens a
//!   `tinyurl.com/contoso-login-mfa` link sent over Teams (a redirect recorded in
//!   `UrlChain`). Most clicks are blocked by Safe Links; two people are let through; Sofia
//!   Lindqvist sees the warning page and continues anyway (two events, one `ReportId`, the
//!   second with `IsClickedThrough == true`); Maria Schultz clicks twice, the second time
//!   after the domain went on the tenant block list (`ClickBlockedByTenantPolicy`). That hour
//!   is the busiest of the week. At 10:35 zero-hour auto purge moves the 31 delivered copies
//!   to quarantine (`EmailPostDeliveryEvents`).
//! - **The malware lure.** An "overdue invoice" from the look-alike
//!   `northwindtraders-billing.com` links to a `.zip`: one blocked click on a working
//!   afternoon more than seven days ago (outside the seven-day window) and three at 11:00 on
//!   the working day before the campaign, so `ThreatTypes` holds both `Phish` and `Malware`.
//! - **A ranking without ties.** Twelve heavy users click far more than anyone else, with
//!   distinct counts, so `top 10 by` a per-user count over the last seven days (with or
//!   without `ThreatTypes` as a second key) has no tie at its boundary.
//!
//! Every e-mail click's `NetworkMessageId` is a mail in `EmailEvents` addressed to the same
//! person, so `join ... on NetworkMessageId` works; `EmailUrlInfo` lists each mail's links
//! (the clicked one included) and `EmailAttachmentInfo` its files.
//!
//! The guarantees above (spike hour, tie-free top 10) hold for the lesson sizes — a few
//! thousand to a few tens of thousands of rows; they are tested for several seeds. With
//! fewer rows than the story needs, only a prefix of the story is kept; with very many rows
//! the campaign hour stays the busiest hour but no longer stands out.
//!
//! # Determinism
//!
//! The same `(seed, rows, clock, variant)` gives byte-identical tables on every platform,
//! native and wasm32 (a test pins a digest of the CSV text of variant 0; variant 1 is the
//! hidden copy described in `variant.rs`). The rules that make it so:
//!
//! - all randomness comes from [`rng`]: hand-written SplitMix64 and xoshiro256**, integer
//!   arithmetic only; no floating point is used for any choice;
//! - each concern draws from its own named stream, and per-item details (one mail) from a
//!   generator seeded by the item's index, so tables agree without sharing state;
//! - hash maps are used only for membership and interning, never iterated into output;
//! - nothing reads the wall clock: every timestamp is an offset from `spec.clock`, and which
//!   hours are busy depends only on where `spec.clock` falls in the week (UTC+1), so a clock
//!   one week later shifts all timestamps by a week and changes nothing else.
//!
//! Generation is columnar: rows carry small codes into dictionaries that are filled before
//! the row loop, and mostly-unique identifiers are packed into one buffer per column.

mod build;
mod clicks;
mod cloud;
mod device;
mod docs;
mod docs_more;
mod email;
pub mod geo;
mod names;
mod plan;
pub mod reference;
pub mod rng;
mod variant;
pub mod watchlists;

use crate::table::{write_csv, Catalog, Field, HeaderStyle, Table, TableDoc};
use device::World;
use email::MailTables;
use plan::Plan;
use std::sync::{Arc, OnceLock};

/// What to generate: a seed, the number of `UrlClickEvents` rows (the e-mail and endpoint
/// tables are sized in proportion), the session clock in ticks ("now"; the app rounds the load time
/// down to the hour, and the story's hour-level facts assume such an hour-aligned clock) and
/// the story variant: 0 is the data learners see, 1 the hidden copy lessons re-check answers
/// on (same story, other names, addresses, files, counts and times; see `variant.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatasetSpec {
    pub seed: u64,
    pub rows: usize,
    pub clock: i64,
    pub variant: u8,
}

impl DatasetSpec {
    /// The seed lessons use unless they say otherwise.
    pub const LESSON_SEED: u64 = 42;
    /// The row count lessons use unless they say otherwise.
    pub const LESSON_ROWS: usize = 5000;
    /// Larger requests are capped at this many rows.
    pub const MAX_ROWS: usize = 20_000_000;

    pub fn new(seed: u64, rows: usize, clock: i64) -> DatasetSpec {
        DatasetSpec { seed, rows, clock, variant: 0 }
    }

    /// The hidden copy of this dataset (variant 1).
    pub fn hidden(&self) -> DatasetSpec {
        DatasetSpec { variant: 1, ..self.clone() }
    }

    /// The default lesson dataset at the given clock.
    pub fn lesson(clock: i64) -> DatasetSpec {
        DatasetSpec::new(Self::LESSON_SEED, Self::LESSON_ROWS, clock)
    }

    fn capped(&self) -> DatasetSpec {
        DatasetSpec { rows: self.rows.min(Self::MAX_ROWS), ..self.clone() }
    }
}

/// Facts of the story that lessons and tests can rely on (identical for every seed).
pub mod story {
    use super::plan;

    /// Domain of every Contoso user's UPN.
    pub const ORG_DOMAIN: &str = plan::ORG_DOMAIN;
    /// The phishing campaign's look-alike domain.
    pub const CAMPAIGN_DOMAIN: &str = "contoso-login.com";
    /// The link in the campaign mail.
    pub const CAMPAIGN_URL: &str = plan::CAMPAIGN_URL;
    /// The short link sent over Teams, and where it redirects.
    pub const CAMPAIGN_TEAMS_URL: &str = plan::CAMPAIGN_TEAMS_URL;
    pub const CAMPAIGN_TEAMS_LANDING: &str = plan::CAMPAIGN_TEAMS_LANDING;
    /// The campaign mail's sender and subject.
    pub const CAMPAIGN_SENDER: &str = "it-support@contoso-login.com";
    pub const CAMPAIGN_SUBJECT: &str = "Action required: your Contoso password expires today";
    /// Contoso works in this time zone (UTC+1, no summer time): the data's daily and weekly
    /// rhythm and the story's times are set in it.
    pub const UTC_OFFSET_HOURS: i64 = plan::UTC_OFFSET_HOURS;

    /// Start of the campaign hour for a session clock: 09:00 local on the most recent working
    /// day whose 10:35 zero-hour auto purge is over before the clock.
    pub fn campaign_hour_start(clock: i64) -> i64 {
        plan::hour_start(clock, plan::Timeline::new(clock).spike)
    }

    /// Start of the hour of the malware lure's three clicks inside the seven-day window
    /// (11:00 local, the working day before the campaign).
    pub fn malware_hour_start(clock: i64) -> i64 {
        plan::hour_start(clock, plan::Timeline::new(clock).malware)
    }
    /// Click events on campaign links (all inside the spike hour).
    pub const CAMPAIGN_CLICK_EVENTS: usize = 20;
    /// People the campaign mail was addressed to.
    pub const CAMPAIGN_RECIPIENTS: usize = 40;
    /// Copies of the campaign mail (`EmailEvents` rows): one junked recipient got two.
    pub const CAMPAIGN_MESSAGES: usize = 41;
    /// Who clicked twice (two ReportIds).
    pub const REPEAT_CLICKER: &str = "maria.schultz@contoso.com";
    /// Who continued past the warning page (two events, one ReportId).
    pub const CLICK_THROUGH_USER: &str = "sofia.lindqvist@contoso.com";
    /// Who clicked the campaign from Teams (not a mail recipient).
    pub const TEAMS_CLICKER: &str = "omar.haddad@contoso.com";
    /// Campaign clicks that Safe Links allowed (besides the click-through).
    pub const ALLOWED_CAMPAIGN_CLICKERS: [&str; 2] = ["priya.raman@contoso.com", "emma.vargas@contoso.com"];
    /// The malware lure's link and sender.
    pub const MALWARE_URL: &str = plan::MALWARE_URL;
    pub const MALWARE_SENDER: &str = "accounts@northwindtraders-billing.com";

    /// The endpoint chapter (see `device.rs`): Emma Vargas, let through by Safe Links, downloads
    /// a zip from the campaign site on her laptop and opens the shortcut inside, which starts
    /// an encoded PowerShell that beacons to a command-and-control host.
    pub const VICTIM: &str = "emma.vargas@contoso.com";
    pub const VICTIM_DEVICE: &str = super::device::VICTIM_DEVICE;
    pub const DOWNLOADED_FILE: &str = super::device::ZIP_NAME;
    pub const DOWNLOAD_URL: &str = super::device::ZIP_URL;
    pub const DOWNLOAD_IP: &str = super::device::STAGING_IP;
    pub const SHORTCUT_FILE: &str = super::device::LNK_NAME;
    pub const STAGE2_FILE: &str = super::device::STAGE2_NAME;
    pub const SCHEDULED_TASK: &str = super::device::TASK_NAME;
    pub const C2_HOST: &str = super::device::C2_HOST;
    pub const C2_IP: &str = super::device::C2_IP;
    /// The beacon sleeps this many seconds, give or take [`BEACON_JITTER_SECONDS`].
    pub const BEACON_SECONDS: i64 = super::device::BEACON_SECONDS;
    pub const BEACON_JITTER_SECONDS: i64 = super::device::BEACON_JITTER_SECONDS;
    /// The script inside the encoded PowerShell command line.
    pub const ENCODED_SCRIPT: &str = super::device::STAGE1_SCRIPT;

    /// The attacker who phished Emma's password signs in from this address (Lagos, Nigeria)
    /// after an MFA fatigue attack, and adds an inbox rule forwarding to [`FORWARD_TO`].
    pub const ATTACKER_IP: &str = super::cloud::ATTACKER_IP;
    pub const ATTACKER_COUNTRY: &str = super::cloud::ATTACKER_COUNTRY;
    pub const FORWARD_TO: &str = super::cloud::FORWARD_TO;

    /// PowerShell's `-EncodedCommand` form of a script (base64 of its UTF-16LE text).
    pub fn encode_powershell(script: &str) -> String {
        super::device::encoded_command(script)
    }

    /// Everyone who clicked a campaign link, in order of their first click.
    pub fn campaign_clickers() -> Vec<String> {
        super::names::STORY_PEOPLE[..18].iter().map(|(f, l)| format!("{}.{}@{ORG_DOMAIN}", f.to_lowercase(), l.to_lowercase())).collect()
    }
}

/// The built-in tables, in the order the schema pane lists them.
pub fn table_names() -> &'static [&'static str] {
    &[
        "UrlClickEvents",
        "EmailEvents",
        "EmailUrlInfo",
        "EmailAttachmentInfo",
        "EmailPostDeliveryEvents",
        "DeviceProcessEvents",
        "DeviceNetworkEvents",
        "DeviceFileEvents",
        "DeviceLogonEvents",
        "DeviceRegistryEvents",
        "DeviceImageLoadEvents",
        "DeviceEvents",
        "DeviceInfo",
        "DeviceNetworkInfo",
        "IdentityLogonEvents",
        "IdentityInfo",
        "AlertInfo",
        "AlertEvidence",
        "CloudAppEvents",
        "EntraIdSignInEvents",
        "SigninLogs",
        "AADSignInEventsBeta",
    ]
}

/// Microsoft Sentinel's own tables (no `Timestamp`, Sentinel's column shapes), generated on
/// first read like [`CLOUD_TABLES`]; `SigninLogs` carries the same sign-ins as
/// `EntraIdSignInEvents`.
pub const SENTINEL_TABLES: [&str; 1] = ["SigninLogs"];

/// Tables kqlab serves under a name Microsoft has since replaced (listed after the current
/// ones in the schema pane).
pub fn is_old_name(name: &str) -> bool {
    name == "AADSignInEventsBeta"
}

/// The endpoint event tables, which [`builtin_catalog`] generates only when first read (all
/// from one endpoint world).
pub const DEVICE_TABLES: [&str; 7] =
    ["DeviceProcessEvents", "DeviceNetworkEvents", "DeviceFileEvents", "DeviceLogonEvents", "DeviceRegistryEvents", "DeviceImageLoadEvents", "DeviceEvents"];

/// The inventory, identity, cloud-app, alert and sign-in tables, also generated on first read
/// (all together: they are small).
pub const CLOUD_TABLES: [&str; 9] = [
    "DeviceInfo",
    "DeviceNetworkInfo",
    "IdentityLogonEvents",
    "IdentityInfo",
    "AlertInfo",
    "AlertEvidence",
    "CloudAppEvents",
    "EntraIdSignInEvents",
    "AADSignInEventsBeta",
];

/// The columns of a built-in table, without generating it.
pub fn table_schema(name: &str) -> Option<Vec<Field>> {
    docs::schema(name)
}

/// The schema-pane documentation of a built-in table.
pub fn table_doc(name: &str) -> Option<TableDoc> {
    docs::table_doc(name)
}

pub fn url_click_events(spec: &DatasetSpec) -> Table {
    variant::disguise(with_time_generated(Plan::build(&spec.capped()).url_click_events()), spec.variant)
}

fn one_mail_table(spec: &DatasetSpec, which: MailTables, slot: usize) -> Table {
    let mut plan = Plan::build(&spec.capped());
    // The mail pass does not read the clicks: their memory goes back before it starts.
    plan.clicks = Vec::new();
    let mut tables = plan.mail_tables(which);
    variant::disguise(with_time_generated(tables[slot].take().expect("the requested table is rendered")), spec.variant)
}

/// Sentinel's copy of a table has `TimeGenerated`, and queries written for Sentinel filter on
/// it. kqlab gives every table whose Sentinel copy has it a real column (not a view), equal to
/// `Timestamp`: here appended to a generated table that lacks it, sharing `Timestamp`'s data,
/// so it costs no memory.
fn with_time_generated(mut table: Table) -> Table {
    if table.column_index("TimeGenerated").is_some() {
        return table;
    }
    if let Some(i) = table.column_index("Timestamp") {
        let column = table.columns[i].clone();
        table.fields.push(Field::new("TimeGenerated", crate::types::DataType::DateTime));
        table.columns.push(column);
    }
    table
}

pub fn email_events(spec: &DatasetSpec) -> Table {
    one_mail_table(spec, MailTables { events: true, ..Default::default() }, 0)
}

pub fn email_url_info(spec: &DatasetSpec) -> Table {
    one_mail_table(spec, MailTables { urls: true, ..Default::default() }, 1)
}

pub fn email_attachment_info(spec: &DatasetSpec) -> Table {
    one_mail_table(spec, MailTables { attachments: true, ..Default::default() }, 2)
}

pub fn email_post_delivery_events(spec: &DatasetSpec) -> Table {
    one_mail_table(spec, MailTables { post_delivery: true, ..Default::default() }, 3)
}

/// The endpoint world for a spec (the plan it continues is built first).
fn world(spec: &DatasetSpec) -> World {
    World::build(&Plan::build(&spec.capped()))
}

/// Generates one built-in table by its exact (case-sensitive) name.
pub fn generate(name: &str, spec: &DatasetSpec) -> Option<Table> {
    if DEVICE_TABLES.contains(&name) {
        return Some(variant::disguise(world(spec).render(name), spec.variant));
    }
    if CLOUD_TABLES.contains(&name) || SENTINEL_TABLES.contains(&name) {
        let group = cloud::render_group(&Plan::build(&spec.capped()), name);
        return group.into_iter().find(|(n, _)| *n == name).map(|(_, t)| variant::disguise(t, spec.variant));
    }
    Some(match name {
        "UrlClickEvents" => url_click_events(spec),
        "EmailEvents" => email_events(spec),
        "EmailUrlInfo" => email_url_info(spec),
        "EmailAttachmentInfo" => email_attachment_info(spec),
        "EmailPostDeliveryEvents" => email_post_delivery_events(spec),
        _ => return None,
    })
}

/// Mail tables a query rarely needs next to the clicks, generated on first read (each from its
/// own pass over a rebuilt plan): at the playground's largest sizes they are about a third of
/// the generated bytes, and keeping the plan around for them would cost more than rebuilding it.
pub const LAZY_MAIL_TABLES: [&str; 3] = ["EmailUrlInfo", "EmailAttachmentInfo", "EmailPostDeliveryEvents"];

/// All built-in tables with their documentation. `UrlClickEvents` and `EmailEvents` are
/// generated here, from one shared plan (the clicks are dropped from it once their table is
/// built, before the mail pass); the other mail tables ([`LAZY_MAIL_TABLES`]) and the
/// endpoint tables are entered lazily (columns and docs now, rows on first read; the endpoint
/// tables share one endpoint world between them), so a query that never reads them pays
/// nothing for them.
pub fn builtin_catalog(spec: &DatasetSpec) -> Catalog {
    let mut plan = Plan::build(&spec.capped());
    let mut catalog = Catalog::new();
    let clicks = plan.url_click_events();
    plan.clicks = Vec::new();
    catalog.insert("UrlClickEvents", variant::disguise(with_time_generated(clicks), spec.variant), table_doc("UrlClickEvents").expect("documented"));
    let [events, ..] = plan.mail_tables(MailTables { events: true, ..Default::default() });
    drop(plan);
    let events = events.expect("EmailEvents is rendered");
    catalog.insert("EmailEvents", variant::disguise(with_time_generated(events), spec.variant), table_doc("EmailEvents").expect("documented"));
    for name in LAZY_MAIL_TABLES {
        let spec = spec.clone();
        let make = Arc::new(move || generate(name, &spec).expect("a mail table"));
        catalog.insert_lazy(name, table_schema(name).expect("a schema"), table_doc(name).expect("documented"), make);
    }
    let shared: Arc<OnceLock<World>> = Arc::new(OnceLock::new());
    for name in DEVICE_TABLES {
        let (shared, spec) = (shared.clone(), spec.clone());
        let make = Arc::new(move || variant::disguise(shared.get_or_init(|| world(&spec)).render(name), spec.variant));
        catalog.insert_lazy(name, table_schema(name).expect("a schema"), table_doc(name).expect("documented"), make);
    }
    // One shared render per group of the other tables (a group is one table, or two that share
    // their source rows).
    for group in cloud::GROUPS {
        let shared: Arc<OnceLock<Vec<(&'static str, Table)>>> = Arc::new(OnceLock::new());
        for &name in group.iter() {
            let (shared, spec) = (shared.clone(), spec.clone());
            let make = Arc::new(move || {
                let all = shared.get_or_init(|| cloud::render_group(&Plan::build(&spec.capped()), name));
                let table = all.iter().find(|(n, _)| *n == name).map(|(_, t)| t.clone()).expect("every table of the group is rendered");
                variant::disguise(table, spec.variant)
            });
            catalog.insert_lazy(name, table_schema(name).expect("a schema"), table_doc(name).expect("documented"), make);
        }
    }
    watchlists::add_builtin(&mut catalog, spec.clock - 3 * crate::types::time::TICKS_PER_DAY);
    if spec.variant != 0 {
        // The hidden copy's watchlists name the hidden story's addresses and hosts.
        let names: Vec<String> = catalog.watchlist_names().map(str::to_string).collect();
        for name in names {
            let t = catalog.watchlist(&name).expect("listed").as_ref().clone();
            catalog.insert_watchlist(name, variant::disguise_list(t, spec.variant));
        }
    }
    catalog
}

/// A watchlist (a lesson's own, or any list served beside the tables) as story variant
/// `variant` tells it: the story's names, addresses and hosts and any file hash replaced the
/// way the variant's tables have them.
pub fn disguise_list(table: Table, variant: u8) -> Table {
    variant::disguise_list(table, variant)
}

/// The text of a file a lesson bundles for `externaldata`, as story variant `variant` tells it.
pub fn disguise_text(text: &str, variant: u8) -> String {
    variant::disguise_text(text, variant)
}

/// A string literal of a query as the hidden story variant would need it: the story's leads
/// (the campaign's domain and sender, the victim, her laptop, the files and hosts of the
/// attack) are translated to the hidden variant's, anything else is kept. The hidden-data
/// re-check runs queries with their literals translated.
pub fn translate_lead(s: &str, variant: u8) -> String {
    if variant == 0 {
        s.to_string()
    } else {
        variant::translate_lead(s)
    }
}

/// For a column name a query used that no table in reach has: if Microsoft removed or renamed
/// it in a table whose columns are all in `columns` (the columns in scope), the message that
/// says so, and what to use instead.
pub fn removed_column(column: &str, columns: &[&str]) -> Option<(String, String)> {
    let hit = reference::REMOVED_COLUMNS.iter().find(|(table, col, _, _)| {
        *col == column
            && table_schema(table).is_some_and(|fields| {
                let ours: Vec<&str> = fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .filter(|n| !["TimeGenerated", "Type", "TenantId", "SourceSystem", "MachineGroup"].contains(n))
                    .collect();
                ours.iter().filter(|n| columns.contains(n)).count() * 2 > ours.len()
            })
    })?;
    let (table, col, when, instead) = hit;
    Some((format!("Column '{col}' was removed from {table} in {when}"), format!("Use {instead} instead")))
}

/// For an unknown table name that Microsoft renamed: the message and its help.
pub fn renamed_table(name: &str) -> Option<(String, String)> {
    let (old, new, when) = reference::RENAMED_TABLES.iter().find(|(old, _, _)| old.eq_ignore_ascii_case(name))?;
    let when = if when.is_empty() { String::new() } else { format!(" in {when}") };
    Some((format!("Table '{old}' was renamed {new}{when}"), format!("Use {new} instead")))
}

/// A stable 64-bit digest of a table: FNV-1a over its CSV text (typed header). Equal digests
/// on two platforms mean byte-identical data.
pub fn digest(table: &Table) -> u64 {
    let text = write_csv(table, HeaderStyle::Typed);
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}
