//! The scenario behind every generated table: Contoso's people, the links they click and when,
//! the e-mails those links arrived in, and the story's fixed events.
//!
//! A [`Plan`] is built once from a [`DatasetSpec`] and then rendered into tables by
//! `clicks.rs` and `email.rs`; the tables agree with each other because they read one plan.
//!
//! Time is counted in hours before the clock: hour index `i` in `0..HOURS` covers
//! `[clock - (HOURS - i)h, clock - (HOURS - i - 1)h)`. Which hours are busy depends on the
//! real time of day and day of the week in Contoso's time zone (see [`Timeline`]), and the
//! story's events are placed at working times relative to the clock: the data always ends
//! at the clock, and the week in it is the real week before the clock.

use super::names::*;
use super::rng::{apportion, mix2, Rng, Weighted};
use super::DatasetSpec;
use crate::table::FxHashMap;
use crate::types::time::{TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MILLI, TICKS_PER_MINUTE, TICKS_PER_SECOND};

/// Hours of history (ten days).
pub(crate) const HOURS: usize = 240;
/// The first hour inside `ago(7d)`.
pub(crate) const WINDOW_START: usize = HOURS - 7 * 24;
/// Contoso's offices keep Central European Time without summer time: UTC+1 all year.
pub(crate) const UTC_OFFSET_HOURS: i64 = 1;
/// Local time at which the campaign mail's clicks start (the mail arrives at 08:48).
const SPIKE_LOCAL_HOUR: usize = 9;
/// Local time of the malware lure's clicks.
const MALWARE_LOCAL_HOUR: usize = 11;

/// Contoso's calendar over the generated hours, and where the story's events fall in it.
/// Everything is a function of the clock, so the same clock always gives the same data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Timeline {
    clock: i64,
    /// The campaign hour: the most recent weekday 09:00-10:00 local whose follow-up (zero-hour
    /// auto purge, 10:35) is over before the clock.
    pub spike: usize,
    /// The malware lure's second wave: 11:00 local on the working day before the campaign's
    /// (inside the seven-day window).
    pub malware: usize,
    /// The malware lure's first wave: a weekday working hour older than seven days.
    pub malware_old: usize,
}

impl Timeline {
    pub fn new(clock: i64) -> Timeline {
        Timeline::for_variant(clock, 0)
    }

    /// The calendar of a story variant (see [`super::variant`]): variant 0 is the visible data;
    /// the hidden variant moves the campaign to 10:00 local one working day earlier and the
    /// malware lure's clicks to 14:00.
    pub fn for_variant(clock: i64, variant: u8) -> Timeline {
        let mut t = Timeline { clock, spike: 0, malware: 0, malware_old: 0 };
        let weekday_at = |t: &Timeline, i: usize, h: usize| t.weekday(i) < 5 && t.local_hour(i) == h;
        let (spike_hour, malware_hour, skip) = if variant == 0 { (SPIKE_LOCAL_HOUR, MALWARE_LOCAL_HOUR, 0) } else { (SPIKE_LOCAL_HOUR + 1, 14, 1) };
        // ZAP runs in the hour after next: it must be over before the clock.
        t.spike = (WINDOW_START + 1..=HOURS - 3).rev().filter(|&i| weekday_at(&t, i, spike_hour)).nth(skip).expect("every 3 days hold a weekday morning");
        t.malware = (WINDOW_START + 1..=t.spike - 20).rev().find(|&i| weekday_at(&t, i, malware_hour)).expect("a weekday before the campaign is in the window");
        t.malware_old =
            (1..WINDOW_START).rev().find(|&i| t.weekday(i) < 5 && (10..17).contains(&t.local_hour(i))).expect("three days hold a weekday afternoon");
        t
    }

    /// Local (UTC+1) hour of day at the start of hour `i`.
    pub fn local_hour(&self, i: usize) -> usize {
        (self.local_ticks(i).div_euclid(TICKS_PER_HOUR).rem_euclid(24)) as usize
    }

    /// Local day of the week of hour `i`, 0 = Monday.
    pub fn weekday(&self, i: usize) -> usize {
        // 1970-01-01 was a Thursday.
        ((self.local_ticks(i).div_euclid(TICKS_PER_DAY) + 3).rem_euclid(7)) as usize
    }

    fn local_ticks(&self, i: usize) -> i64 {
        hour_start(self.clock, i) + UTC_OFFSET_HOURS * TICKS_PER_HOUR
    }

    /// Monday to Friday, 08:00 to 18:00 local.
    pub fn is_work_hour(&self, i: usize) -> bool {
        self.weekday(i) < 5 && (8..18).contains(&self.local_hour(i))
    }

    fn rhythm(&self, i: usize) -> u64 {
        if self.weekday(i) >= 5 {
            WEEKEND[self.local_hour(i)]
        } else {
            WEEKDAY[self.local_hour(i)]
        }
    }
}

/// Named random streams, so each part of the generator draws its own numbers.
pub(crate) mod streams {
    pub const USERS: u64 = 1;
    pub const CATALOG: u64 = 2;
    pub const HOURS: u64 = 3;
    pub const HEAVY: u64 = 4;
    pub const CLICKS: u64 = 5;
    pub const LINKS: u64 = 6;
    pub const UNCLICKED: u64 = 7;
    pub const MAIL_ITEM: u64 = 8;
    pub const NMI: u64 = 9;
    pub const CLICK_REPORT: u64 = 10;
    pub const MAIL_REPORT: u64 = 11;
    pub const IDS: u64 = 12;
    pub const OFFICES: u64 = 13;
    pub const TENANT: u64 = 14;
    pub const SOURCES: u64 = 15;
    pub const CAMPAIGN: u64 = 16;
    pub const MALWARE: u64 = 17;
    pub const SENDER_IPS: u64 = 18;
}

pub(crate) const ACTIONS: [&str; 5] = ["ClickAllowed", "ClickBlocked", "ClickBlockedByTenantPolicy", "UrlScanInProgress", "UrlErrorPage"];
pub(crate) const A_ALLOWED: u8 = 0;
pub(crate) const A_BLOCKED: u8 = 1;
pub(crate) const A_TENANT: u8 = 2;
pub(crate) const A_SCAN: u8 = 3;
pub(crate) const A_ERROR: u8 = 4;

pub(crate) const WORKLOADS: [&str; 3] = ["Email", "Teams", "Office"];
pub(crate) const W_EMAIL: u8 = 0;
pub(crate) const W_TEAMS: u8 = 1;
pub(crate) const W_OFFICE: u8 = 2;

pub(crate) const THREATS: [&str; 3] = ["", "Phish", "Malware"];
pub(crate) const T_NONE: u8 = 0;
pub(crate) const T_PHISH: u8 = 1;
pub(crate) const T_MALWARE: u8 = 2;
/// Detection method recorded with each threat type at click time.
pub(crate) const DETECTIONS: [&str; 3] = ["", "URL detonation reputation", "URL detonation"];

/// Client applications: `(AppName, AppVersion, workload)`.
pub(crate) const APPS: [(&str, &str, u8); 9] = [
    ("Outlook", "16.0.17928.20156", W_EMAIL),
    ("Outlook", "16.0.17726.20160", W_EMAIL),
    ("Outlook for iOS", "4.2440.0", W_EMAIL),
    ("Outlook for Android", "4.2441.1", W_EMAIL),
    ("Microsoft Teams", "24295.605.3225.8804", W_TEAMS),
    ("Microsoft Teams", "24277.3507.3205.5228", W_TEAMS),
    ("Word", "16.0.17928.20156", W_OFFICE),
    ("Excel", "16.0.17928.20156", W_OFFICE),
    ("PowerPoint", "16.0.17928.20156", W_OFFICE),
];
const APP_OUTLOOK_NEW: u8 = 0;
const APP_OUTLOOK_OLD: u8 = 1;
const APP_IOS: u8 = 2;
const APP_ANDROID: u8 = 3;
const APP_TEAMS_NEW: u8 = 4;
const APP_TEAMS_OLD: u8 = 5;
const APP_WORD: u8 = 6;
const APP_EXCEL: u8 = 7;
const APP_POWERPOINT: u8 = 8;

/// Story facts shared with the public `story` module.
pub(crate) const ORG_DOMAIN: &str = "contoso.com";
pub(crate) const CAMPAIGN_URL: &str = "https://contoso-login.com/auth/signin?session=pw-reset";
pub(crate) const CAMPAIGN_TEAMS_URL: &str = "https://tinyurl.com/contoso-login-mfa";
pub(crate) const CAMPAIGN_TEAMS_LANDING: &str = "https://contoso-login.com/auth/signin?session=mfa";
pub(crate) const CAMPAIGN_DECOY_URL: &str = "https://www.contoso.com/en-us/privacy";
pub(crate) const MALWARE_URL: &str = "https://northwindtraders-billing.com/invoices/INV-20417.zip";
pub(crate) const BLOCKED_SITE: &str = "https://sendfiles-now.net";

/// Weekday and weekend activity by local hour of day (integer weights).
const WEEKDAY: [u64; 24] = [2, 2, 2, 2, 2, 3, 4, 6, 10, 12, 12, 11, 9, 11, 12, 12, 10, 8, 6, 5, 4, 4, 3, 2];
const WEEKEND: [u64; 24] = [2, 2, 2, 2, 2, 2, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 3, 3, 3, 2, 2];

pub(crate) fn hour_start(clock: i64, i: usize) -> i64 {
    clock - (HOURS - i) as i64 * TICKS_PER_HOUR
}

/// A time inside hour `i`, never on the hour boundary itself (so `bin(.., 1h)` and
/// `ago(7d)` never hesitate about a row).
fn time_in_hour(clock: i64, i: usize, rng: &mut Rng) -> i64 {
    hour_start(clock, i) + rng.range(1, 3_600_000) * TICKS_PER_MILLI
}

fn at(clock: i64, i: usize, min: i64, sec: i64, ms: i64) -> i64 {
    hour_start(clock, i) + min * TICKS_PER_MINUTE + sec * TICKS_PER_SECOND + ms * TICKS_PER_MILLI
}

/// How many people work at Contoso for a given size.
pub(crate) fn user_count(rows: usize) -> usize {
    (60 + rows / 50).clamp(80, 200)
}

/// The dozen most active users (their click counts are kept distinct and above everyone
/// else's, so a top-10 ranking has no tie at its boundary).
pub(crate) const HEAVY_USERS: usize = 12;

pub(crate) struct User {
    pub first: String,
    pub last: String,
    pub upn: String,
    pub object_id: String,
    pub office: usize,
    /// Index of the user's home address in [`Plan::ips`].
    pub home_ip: usize,
    pub workload_weights: [u64; 3],
    pub mobile_app: u8,
    pub desktop_app: u8,
    pub teams_app: u8,
    /// Percentage of off-hours e-mail clicks made on the phone.
    pub mobile_share: u64,
    pub weight: u64,
}

impl User {
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first, self.last)
    }
}

/// What a link is and who would mail it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Family {
    /// Contoso's own sites (SharePoint, intranet, Teams meetings, Power BI).
    Internal,
    /// Microsoft documentation and support (including `aka.ms` redirects).
    Microsoft,
    /// Public sites (news, video, code hosting).
    Public,
    /// A partner's site (index into [`VENDORS`]).
    Vendor(u8),
    /// A file-sharing site on the tenant's block list.
    Blocked,
    /// The phishing campaign.
    Campaign,
    /// The malware lure.
    Malware,
}

pub(crate) struct UrlEntry {
    pub url: String,
    /// JSON array of the redirect chain, or empty.
    pub chain: String,
    pub family: Family,
}

/// One click, with every column reduced to a small code.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Click {
    pub t: i64,
    pub seq: u32,
    pub user: u32,
    pub url: u32,
    pub action: u8,
    pub workload: u8,
    pub app: u8,
    pub threat: u8,
    pub through: bool,
    pub ip: u32,
    /// Index into [`Plan::emails`], or [`NO_EMAIL`].
    pub email: u32,
    /// Key of the ReportId (shared by the two events of a click-through).
    pub report: u64,
}

pub(crate) const NO_EMAIL: u32 = u32::MAX;
const STORY_REPORT: u64 = 1 << 48;

/// Where a mail ended up when it was delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Disposition {
    Inbox,
    Junk,
    Quarantine,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MailKind {
    /// A benign mail whose link the recipient clicked (`url` is set).
    Clicked,
    /// Ordinary mail nobody clicked in (generated with the e-mail tables).
    Unclicked,
    Campaign(Disposition),
    /// The malware lure; `wave` 0 is the older one.
    Malware(Disposition, u8),
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Email {
    pub t: i64,
    /// The recipient (for outbound mail decided later, the sender).
    pub user: u32,
    /// The clicked URL (index into [`Plan::urls`]) or `u32::MAX`.
    pub url: u32,
    pub kind: MailKind,
}

pub(crate) struct Plan {
    pub spec: DatasetSpec,
    pub users: Vec<User>,
    pub ips: Vec<String>,
    pub urls: Vec<UrlEntry>,
    /// Clicks sorted by time.
    pub clicks: Vec<Click>,
    /// Story mails first, then every benign mail that was clicked.
    pub emails: Vec<Email>,
    /// Hourly weights for spreading generated mail over time.
    pub hour_weights: Vec<u64>,
    pub tenant_id: String,
    pub app_source_ids: Vec<String>,
    pub timeline: Timeline,
}

/// Story people by index into [`STORY_PEOPLE`].
pub(crate) mod cast {
    pub const PRIYA: usize = 0;
    pub const DANIEL: usize = 1;
    pub const MARIA: usize = 2;
    pub const SOFIA: usize = 4;
    pub const EMMA: usize = 6;
    pub const OMAR: usize = 9;
    /// IT support: checks who she is and maps the IT share at her desk every working day, so
    /// `whoami` and `net` have a routine user (the recon lesson needs one).
    pub const AISHA: usize = 18;
    pub const JONAS: usize = 17;
    pub const KWAME: usize = 24;
    pub const PETER: usize = 41;
    pub const LI: usize = 42;
    pub const CARLA: usize = 43;
    pub const BEN: usize = 44;
    /// Campaign recipients who did not click (see `non_clicker_disposition` for where
    /// their copies went).
    pub const NON_CLICKERS: std::ops::Range<usize> = 18..41;
}

fn non_clicker_disposition(person: usize) -> Disposition {
    match person {
        19 | 23 | 27 | 31 | 34 => Disposition::Junk,
        37..=40 => Disposition::Quarantine,
        _ => Disposition::Inbox,
    }
}

/// A click of the story: `(event hour, minute, second, person, action, through, threat, which
/// url, report group, home network?)`. Report groups > 0 are shared by the events of one click.
type StoryRow = (Event, i64, i64, usize, u8, bool, u8, StoryUrl, u64, bool);

/// The story's hours, placed by [`Timeline`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Event {
    Spike,
    MalwareOld,
    Malware,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum StoryUrl {
    Campaign,
    Teams,
    Malware,
}

const STORY_CLICKS: &[StoryRow] = &[
    (Event::Spike, 2, 41, cast::PRIYA, A_ALLOWED, false, T_PHISH, StoryUrl::Campaign, 0, true),
    (Event::Spike, 4, 12, cast::DANIEL, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    (Event::Spike, 5, 37, cast::MARIA, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    (Event::Spike, 6, 55, 3, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    (Event::Spike, 8, 3, cast::SOFIA, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 1, false),
    (Event::Spike, 8, 41, cast::SOFIA, A_ALLOWED, true, T_PHISH, StoryUrl::Campaign, 1, false),
    (Event::Spike, 9, 20, 5, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    (Event::Spike, 11, 48, cast::EMMA, A_ALLOWED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    (Event::Spike, 13, 5, 7, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    (Event::Spike, 15, 30, 8, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    (Event::Spike, 18, 14, cast::OMAR, A_BLOCKED, false, T_PHISH, StoryUrl::Teams, 0, false),
    (Event::Spike, 20, 2, 10, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    (Event::Spike, 22, 47, 11, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    (Event::Spike, 25, 10, 12, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    (Event::Spike, 27, 33, 13, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    (Event::Spike, 31, 6, 14, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    (Event::Spike, 34, 50, 15, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    (Event::Spike, 38, 21, 16, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    (Event::Spike, 43, 9, cast::JONAS, A_BLOCKED, false, T_PHISH, StoryUrl::Campaign, 0, false),
    // The domain went on the tenant block list at 09:47 local; Maria tried again at 09:51.
    (Event::Spike, 51, 36, cast::MARIA, A_TENANT, false, T_PHISH, StoryUrl::Campaign, 0, false),
    // The malware lure: one click more than seven days ago, three a few days before the campaign.
    (Event::MalwareOld, 22, 18, cast::PETER, A_BLOCKED, false, T_MALWARE, StoryUrl::Malware, 0, false),
    (Event::Malware, 7, 44, cast::LI, A_BLOCKED, false, T_MALWARE, StoryUrl::Malware, 0, false),
    (Event::Malware, 19, 2, cast::DANIEL, A_BLOCKED, false, T_MALWARE, StoryUrl::Malware, 0, false),
    (Event::Malware, 34, 27, cast::CARLA, A_BLOCKED, false, T_MALWARE, StoryUrl::Malware, 0, false),
];

/// The hidden variant's extra story click: a second person (cast 3) also tries again after the
/// domain went on the block list, so "who clicked twice" has another answer there.
const HIDDEN_EXTRA_CLICKS: &[StoryRow] = &[(Event::Spike, 53, 12, 3, A_TENANT, false, T_PHISH, StoryUrl::Campaign, 0, false)];

/// Order in which the campaign copies were delivered (people; clickers interleaved with
/// the others, the quarantined copies last, after the URL verdict arrived). Person 23 is on
/// two of the lists the attacker used and receives two copies, both junked: 41 messages reach
/// 40 people, so counting rows (`count()`) and counting recipients (`dcount()`) differ.
const CAMPAIGN_ORDER: [usize; 41] =
    [0, 18, 1, 19, 2, 3, 20, 4, 5, 21, 6, 7, 22, 8, 10, 23, 11, 24, 12, 13, 25, 14, 26, 15, 27, 16, 28, 17, 29, 30, 31, 32, 33, 34, 35, 23, 36, 37, 38, 39, 40];

const MALWARE_OLD_RECIPIENTS: [usize; 2] = [cast::JONAS, cast::PETER];
/// The second wave: Jonas, who already got the first wave, gets the mail again, so its
/// attachment reaches one person twice (counting rows and counting recipients differ).
const MALWARE_RECIPIENTS: [(usize, Disposition); 6] = [
    (cast::LI, Disposition::Inbox),
    (cast::DANIEL, Disposition::Inbox),
    (cast::CARLA, Disposition::Inbox),
    (cast::BEN, Disposition::Inbox),
    (cast::JONAS, Disposition::Inbox),
    (cast::KWAME, Disposition::Quarantine),
];

/// Office egress addresses (one per office).
const OFFICES: usize = 3;

fn public_ipv4(rng: &mut Rng) -> String {
    const FIRST: [u8; 24] = [20, 23, 31, 37, 45, 51, 62, 73, 77, 81, 86, 88, 91, 94, 98, 104, 109, 136, 151, 176, 178, 188, 212, 217];
    format!("{}.{}.{}.{}", rng.pick(&FIRST), rng.below(256), rng.below(256), 1 + rng.below(254))
}

fn make_users(spec: &DatasetSpec, ips: &mut Vec<String>) -> Vec<User> {
    let mut rng = Rng::stream(spec.seed, streams::USERS);
    let n = user_count(spec.rows).max(STORY_PEOPLE.len() + HEAVY_USERS + 8);
    let cast = super::variant::story_people(spec.variant);
    let mut names: Vec<(String, String)> = cast.iter().map(|(f, l)| (f.to_string(), l.to_string())).collect();
    let mut taken: FxHashMap<String, ()> = FxHashMap::default();
    for (f, l) in &names {
        taken.insert(format!("{f}.{l}").to_lowercase(), ());
    }
    while names.len() < n {
        let f = rng.pick(FIRST_NAMES);
        let l = rng.pick(LAST_NAMES);
        let key = format!("{f}.{l}").to_lowercase();
        if taken.insert(key, ()).is_none() {
            names.push((f.to_string(), l.to_string()));
        }
    }
    names
        .into_iter()
        .map(|(first, last)| {
            let upn = format!("{}.{}@{ORG_DOMAIN}", first.to_lowercase(), last.to_lowercase());
            let object_id = super::rng::guid(mix2(mix2(spec.seed, streams::IDS), fnv(&upn)));
            ips.push(public_ipv4(&mut rng));
            User {
                first,
                last,
                upn,
                object_id,
                office: rng.index(OFFICES),
                home_ip: ips.len() - 1,
                workload_weights: [40 + rng.below(31), 15 + rng.below(21), 5 + rng.below(21)],
                mobile_app: if rng.chance(55, 100) { APP_IOS } else { APP_ANDROID },
                desktop_app: if rng.chance(80, 100) { APP_OUTLOOK_NEW } else { APP_OUTLOOK_OLD },
                teams_app: if rng.chance(85, 100) { APP_TEAMS_NEW } else { APP_TEAMS_OLD },
                mobile_share: 20 + rng.below(50),
                weight: 30 + rng.below(70),
            }
        })
        .collect()
}

/// FNV-1a of a string (stable identifiers derived from names).
pub(crate) fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A family of similar links: click-share weight, family, URL templates, redirect target.
struct FamilySpec {
    weight: u64,
    family: Family,
    templates: Vec<String>,
    /// For redirecting short links: the template of the landing page.
    landing: Option<&'static str>,
}

fn families() -> Vec<FamilySpec> {
    let f = |weight, family, templates: &[&str]| FamilySpec { weight, family, templates: templates.iter().map(|s| s.to_string()).collect(), landing: None };
    let mut v = vec![
        f(200, Family::Internal, &["https://contoso.sharepoint.com/sites/{team}/Shared%20Documents/{doc}.{ext}"]),
        f(60, Family::Internal, &["https://contoso.sharepoint.com/sites/{team}/SitePages/{slug}.aspx"]),
        f(60, Family::Internal, &["https://contoso-my.sharepoint.com/personal/{onedrive}/Documents/{doc}.{ext}"]),
        f(70, Family::Internal, &["https://teams.microsoft.com/l/meetup-join/19%3ameeting_{hex}{hex}%40thread.v2/0"]),
        f(50, Family::Internal, &["https://intranet.contoso.com/news/{slug}"]),
        f(30, Family::Internal, &["https://www.contoso.com/en-us/{slug}"]),
        f(30, Family::Internal, &["https://app.powerbi.com/groups/me/reports/{guid}/ReportSection"]),
        FamilySpec {
            weight: 30,
            family: Family::Microsoft,
            templates: vec!["https://aka.ms/{slug}".into()],
            landing: Some("https://learn.microsoft.com/en-us/microsoft-365/{slug}"),
        },
    ];
    for (host, paths, w) in PUBLIC_SITES {
        let family = if host.contains("microsoft.com") { Family::Microsoft } else { Family::Public };
        v.push(FamilySpec { weight: w * 5, family, templates: paths.iter().map(|p| format!("{host}{p}")).collect(), landing: None });
    }
    for (i, (domain, _, _)) in VENDORS.iter().enumerate() {
        v.push(FamilySpec {
            weight: 9,
            family: Family::Vendor(i as u8),
            templates: VENDOR_PATHS.iter().map(|p| format!("https://www.{domain}{p}")).collect(),
            landing: None,
        });
    }
    v.push(f(10, Family::Blocked, &[&format!("{BLOCKED_SITE}/d/{{hex}}")]));
    v
}

fn slug(rng: &mut Rng, out: &mut String) {
    let n = 2 + rng.index(3);
    for k in 0..n {
        if k > 0 {
            out.push('-');
        }
        out.push_str(rng.pick(SLUG_WORDS));
    }
}

/// Fills a URL template's `{placeholders}`.
fn fill(template: &str, rng: &mut Rng, users: &[User]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let key = &rest[open + 1..open + close];
        match key {
            "team" => out.push_str(rng.pick(TEAMS)),
            "doc" => {
                out.push_str(rng.pick(DOC_WORDS));
                out.push('_');
                out.push_str(rng.pick(DOC_WORDS));
                match rng.below(3) {
                    0 => out.push_str(&format!("_FY{}", 24 + rng.below(3))),
                    1 => out.push_str(&format!("_Q{}", 1 + rng.below(4))),
                    _ => out.push_str(&format!("_v{}", 1 + rng.below(9))),
                }
            }
            "ext" => out.push_str(rng.pick(DOC_EXTS)),
            "slug" => slug(rng, &mut out),
            "n" => out.push_str(&(1000 + rng.below(999_000)).to_string()),
            "hex" => super::rng::push_hex(&mut out, rng.next_u64(), 8),
            "guid" => super::rng::push_guid(&mut out, rng.next_u64()),
            "yt" => {
                const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                for _ in 0..11 {
                    out.push(A[rng.index(A.len())] as char);
                }
            }
            "org" => out.push_str(rng.pick(GITHUB_ORGS)),
            "repo" => out.push_str(rng.pick(GITHUB_REPOS)),
            "onedrive" => {
                let u = &users[rng.index(users.len())];
                out.push_str(&u.upn.replace(['.', '@'], "_"));
            }
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// The benign link catalogue plus the story's links (appended last).
struct Catalog {
    urls: Vec<UrlEntry>,
    family_pick: Weighted,
    members: Vec<(Vec<u32>, Weighted)>,
}

fn make_catalog(spec: &DatasetSpec, users: &[User]) -> Catalog {
    let mut rng = Rng::stream(spec.seed, streams::CATALOG);
    let specs = families();
    let size = (spec.rows / 10).clamp(150, 20_000) as u64;
    let weights: Vec<u64> = specs.iter().map(|s| s.weight).collect();
    let per_family = apportion(size, &weights);
    let mut seen: FxHashMap<String, ()> = FxHashMap::default();
    let mut urls = Vec::new();
    let mut members = Vec::new();
    for (fs, &count) in specs.iter().zip(&per_family) {
        let mut ids = Vec::new();
        let mut tries = 0;
        while (ids.len() as u64) < count.max(1) && tries < count.max(1) * 8 {
            tries += 1;
            let template = &fs.templates[rng.index(fs.templates.len())];
            let url = fill(template, &mut rng, users);
            if seen.insert(url.clone(), ()).is_some() {
                continue;
            }
            let chain = match fs.landing {
                Some(landing) => format!("[\"{url}\",\"{}\"]", fill(landing, &mut rng, users)),
                None => String::new(),
            };
            ids.push(urls.len() as u32);
            urls.push(UrlEntry { url, chain, family: fs.family });
        }
        // Popularity falls off with rank within the family.
        let w = Weighted::new((0..ids.len() as u64).map(|k| 1000 / (k + 3)));
        members.push((ids, w));
    }
    Catalog { urls, family_pick: Weighted::new(weights), members }
}

/// Benign clicks per hour: the daily and weekly rhythm with a little jitter, apportioned
/// exactly. The campaign hour gets a fixed share first: as many clicks as the busiest hour
/// would get wherever the clock falls in the week. So the campaign hour is always the single
/// busiest hour (with the story's clicks on top), and its click count, which a lesson asks
/// for, is the same at every clock.
fn hour_counts(spec: &DatasetSpec, timeline: &Timeline, benign: u64) -> (Vec<u64>, Vec<u64>) {
    let spike = timeline.spike;
    let mut rng = Rng::stream(spec.seed, streams::HOURS);
    let jitter: Vec<u64> = (0..HOURS).map(|_| 94 + rng.below(13)).collect();
    let weights_at = |t: &Timeline| -> Vec<u64> { (0..HOURS).map(|i| t.rhythm(i) * jitter[i]).collect() };
    // The busiest hour's share at each of the week's 168 clock positions (whole hours).
    let week_start = timeline.clock - timeline.clock.rem_euclid(7 * TICKS_PER_DAY);
    let spike_share = (0..7 * 24)
        .map(|k| {
            let t = Timeline::new(week_start + k * TICKS_PER_HOUR);
            apportion(benign, &weights_at(&t)).into_iter().max().unwrap_or(0)
        })
        .max()
        .unwrap_or(0);
    let weights = weights_at(timeline);
    let mut others = weights.clone();
    others[spike] = 0;
    let mut h = apportion(benign - spike_share, &others);
    h[spike] = spike_share;
    (h, weights)
}

/// Per-user benign click counts inside the seven-day window. The heavy users' counts are
/// made strictly decreasing and larger than anybody else's total (story clicks included).
fn window_counts(users: &[User], heavy: &[usize], total: u64, story_in_window: &[u64]) -> Vec<u64> {
    let weights: Vec<u64> = users.iter().map(|u| u.weight).collect();
    let mut b = apportion(total, &weights);
    let is_heavy = |u: usize| heavy.contains(&u);
    let others_max = (0..users.len()).filter(|&u| !is_heavy(u)).map(|u| b[u] + story_in_window[u]).max().unwrap_or(0);
    let mut need = vec![0u64; heavy.len()];
    for k in (0..heavy.len()).rev() {
        let floor = if k + 1 == heavy.len() { others_max + 1 } else { need[k + 1] + 1 };
        need[k] = b[heavy[k]].max(floor);
    }
    let extra: u64 = heavy.iter().zip(&need).map(|(&u, &n)| n - b[u]).sum();
    let spare: u64 = (0..users.len()).filter(|&u| !is_heavy(u)).map(|u| b[u]).sum();
    if extra > spare {
        return b; // too few rows for the guarantee; keep the plain proportional split
    }
    for (&u, &n) in heavy.iter().zip(&need) {
        b[u] = n;
    }
    // Pay for it from the busiest ordinary users, one click at a time.
    let mut left = extra;
    while left > 0 {
        let j =
            (0..users.len()).filter(|&u| !is_heavy(u) && b[u] > 0).max_by(|&x, &y| b[x].cmp(&b[y]).then(y.cmp(&x))).expect("spare clicks were counted above");
        b[j] -= 1;
        left -= 1;
    }
    b
}

impl Plan {
    pub fn build(spec: &DatasetSpec) -> Plan {
        let spec = super::variant::effective(spec);
        let clock = spec.clock;
        let timeline = Timeline::for_variant(clock, spec.variant);
        let mut ips = Vec::new();
        let mut office_rng = Rng::stream(spec.seed, streams::OFFICES);
        for _ in 0..OFFICES {
            ips.push(public_ipv4(&mut office_rng));
        }
        let mut users = make_users(&spec, &mut ips);
        let Catalog { mut urls, family_pick, members } = make_catalog(&spec, &users);

        // Heavy users: a dozen ordinary (non-story) people, most active first.
        let mut pool: Vec<usize> = (STORY_PEOPLE.len()..users.len()).collect();
        Rng::stream(spec.seed, streams::HEAVY).shuffle(&mut pool);
        let heavy: Vec<usize> = pool[..HEAVY_USERS].to_vec();
        for (k, &u) in heavy.iter().enumerate() {
            users[u].weight = 260 - 10 * k as u64;
        }

        // Story links.
        let url_campaign = urls.len() as u32;
        urls.push(UrlEntry { url: CAMPAIGN_URL.into(), chain: String::new(), family: Family::Campaign });
        let url_teams = urls.len() as u32;
        urls.push(UrlEntry {
            url: CAMPAIGN_TEAMS_URL.into(),
            chain: format!("[\"{CAMPAIGN_TEAMS_URL}\",\"{CAMPAIGN_TEAMS_LANDING}\"]"),
            family: Family::Campaign,
        });
        let url_malware = urls.len() as u32;
        urls.push(UrlEntry { url: MALWARE_URL.into(), chain: String::new(), family: Family::Malware });

        // Story mails (indices 0..): the campaign, then the two malware waves.
        let mut emails = Vec::new();
        let mut campaign_mail = vec![NO_EMAIL; STORY_PEOPLE.len()];
        let order = CAMPAIGN_ORDER.iter().filter(|p| !super::variant::dropped_recipients(spec.variant).contains(p));
        for (k, &p) in order.enumerate() {
            let disposition = if cast::NON_CLICKERS.contains(&p) { non_clicker_disposition(p) } else { Disposition::Inbox };
            campaign_mail[p] = emails.len() as u32;
            emails.push(Email {
                t: at(clock, timeline.spike - 1, 48, 0, 0) + k as i64 * 15 * TICKS_PER_SECOND + 211 * TICKS_PER_MILLI,
                user: p as u32,
                url: url_campaign,
                kind: MailKind::Campaign(disposition),
            });
        }
        let mut malware_mail = vec![NO_EMAIL; STORY_PEOPLE.len()];
        for (k, &p) in MALWARE_OLD_RECIPIENTS.iter().enumerate() {
            malware_mail[p] = emails.len() as u32;
            emails.push(Email {
                t: at(clock, timeline.malware_old - 1, 52, 10 + 20 * k as i64, 480),
                user: p as u32,
                url: url_malware,
                kind: MailKind::Malware(Disposition::Inbox, 0),
            });
        }
        for (k, &(p, d)) in MALWARE_RECIPIENTS.iter().enumerate() {
            if malware_mail[p] == NO_EMAIL || d == Disposition::Inbox {
                malware_mail[p] = emails.len() as u32;
            }
            emails.push(Email {
                t: at(clock, timeline.malware - 1, 41, 5 + 25 * k as i64, 730),
                user: p as u32,
                url: url_malware,
                kind: MailKind::Malware(d, 1),
            });
        }

        // Story clicks (a prefix of them when `rows` is too small for all).
        let n_story = STORY_CLICKS.len().min(spec.rows);
        let mut clicks: Vec<Click> = Vec::with_capacity(spec.rows);
        let mut story_in_window = vec![0u64; users.len()];
        let extra = if spec.variant == 0 || n_story < STORY_CLICKS.len() { &[][..] } else { HIDDEN_EXTRA_CLICKS };
        for (s, row) in STORY_CLICKS[..n_story].iter().chain(extra).enumerate() {
            let &(event, min, sec, person, action, through, threat, which, group, home) = row;
            if super::variant::dropped_clickers(spec.variant).contains(&person) {
                continue;
            }
            let hour = match event {
                Event::Spike => timeline.spike,
                Event::MalwareOld => timeline.malware_old,
                Event::Malware => timeline.malware,
            };
            let user = &users[person];
            let (url, email, workload, app) = match which {
                StoryUrl::Campaign => (url_campaign, campaign_mail[person], W_EMAIL, user.desktop_app),
                StoryUrl::Teams => (url_teams, NO_EMAIL, W_TEAMS, user.teams_app),
                StoryUrl::Malware => (url_malware, malware_mail[person], W_EMAIL, user.desktop_app),
            };
            let app = if home { user.mobile_app } else { app };
            let ip = if home { user.home_ip } else { user.office };
            if hour >= WINDOW_START {
                story_in_window[person] += 1;
            }
            let report = if group > 0 { STORY_REPORT | group << 8 } else { STORY_REPORT | (s as u64 + 1) << 16 };
            clicks.push(Click {
                t: at(clock, hour, min, sec, 100 + 37 * s as i64),
                seq: 0,
                user: person as u32,
                url,
                action,
                workload,
                app,
                threat,
                through,
                ip: ip as u32,
                email,
                report,
            });
        }

        // Benign traffic.
        let benign = (spec.rows - n_story) as u64;
        let (hours, hour_weights) = hour_counts(&spec, &timeline, benign);
        let in_window: u64 = hours[WINDOW_START..].iter().sum();
        let counts = window_counts(&users, &heavy, in_window, &story_in_window);
        let mut window_users: Vec<u32> = Vec::with_capacity(in_window as usize);
        for (u, &c) in counts.iter().enumerate() {
            window_users.extend(std::iter::repeat_n(u as u32, c as usize));
        }
        let mut rng = Rng::stream(spec.seed, streams::CLICKS);
        rng.shuffle(&mut window_users);
        let old_pick = Weighted::new(users.iter().map(|u| u.weight));
        let workload_pick: Vec<Weighted> = users.iter().map(|u| Weighted::new(u.workload_weights)).collect();
        let mut next_window_user = 0usize;
        for (i, &n) in hours.iter().enumerate() {
            let work = timeline.is_work_hour(i);
            for _ in 0..n {
                let t = time_in_hour(clock, i, &mut rng);
                let u = if i >= WINDOW_START {
                    next_window_user += 1;
                    window_users[next_window_user - 1] as usize
                } else {
                    old_pick.sample(&mut rng)
                };
                let user = &users[u];
                let fam = family_pick.sample(&mut rng);
                let (ids, pick) = &members[fam];
                let url = ids[pick.sample(&mut rng)];
                let workload = workload_pick[u].sample(&mut rng) as u8;
                let app = match workload {
                    W_EMAIL => {
                        if !work && rng.chance(user.mobile_share, 100) {
                            user.mobile_app
                        } else {
                            user.desktop_app
                        }
                    }
                    W_TEAMS => user.teams_app,
                    _ => {
                        let u = &urls[url as usize].url;
                        if u.ends_with(".xlsx") {
                            APP_EXCEL
                        } else if u.ends_with(".pptx") {
                            APP_POWERPOINT
                        } else {
                            APP_WORD
                        }
                    }
                };
                let at_office = if work { rng.chance(85, 100) } else { rng.chance(10, 100) };
                let ip = if at_office { user.office } else { user.home_ip };
                let action = if urls[url as usize].family == Family::Blocked {
                    A_TENANT
                } else {
                    match rng.below(1000) {
                        0..=5 => A_SCAN,
                        6..=9 => A_ERROR,
                        _ => A_ALLOWED,
                    }
                };
                clicks.push(Click {
                    t,
                    seq: 0,
                    user: u as u32,
                    url,
                    action,
                    workload,
                    app,
                    threat: T_NONE,
                    through: false,
                    ip: ip as u32,
                    email: NO_EMAIL,
                    report: 0,
                });
            }
        }
        for (k, c) in clicks.iter_mut().enumerate() {
            c.seq = k as u32;
        }
        crate::util::sort::sort_by_key(&mut clicks, |c| (c.t, c.seq));

        // Link e-mail clicks to mails: usually a new mail shortly before the click, sometimes
        // a second click on a mail the user clicked in before.
        let mut link_rng = Rng::stream(spec.seed, streams::LINKS);
        let mut last: Vec<Option<(u32, i64)>> = vec![None; users.len()];
        for (pos, c) in clicks.iter_mut().enumerate() {
            if c.report == 0 {
                c.report = pos as u64;
            }
            if c.workload != W_EMAIL || c.threat != T_NONE {
                continue;
            }
            let u = c.user as usize;
            let reuse = match last[u] {
                Some((e, t)) if c.t - t < 72 * TICKS_PER_HOUR && link_rng.chance(12, 100) => Some(e),
                _ => None,
            };
            match reuse {
                Some(e) => {
                    // The same link clicked again from the same mail.
                    c.email = e;
                    c.url = emails[e as usize].url;
                    let blocked = urls[c.url as usize].family == Family::Blocked;
                    if blocked {
                        c.action = A_TENANT;
                    } else if c.action == A_TENANT {
                        c.action = A_ALLOWED;
                    }
                }
                None => {
                    c.email = emails.len() as u32;
                    emails.push(Email { t: c.t - mail_delay(&mut link_rng), user: c.user, url: c.url, kind: MailKind::Clicked });
                }
            }
            last[u] = Some((c.email, c.t));
        }

        let tenant_id = super::rng::guid(mix2(spec.seed, streams::TENANT));
        let app_source_ids = (0..APPS.len()).map(|k| super::rng::guid(mix2(mix2(spec.seed, streams::SOURCES), k as u64))).collect();
        Plan { spec, users, ips, urls, clicks, emails, hour_weights, tenant_id, app_source_ids, timeline }
    }

    /// Every mail for the e-mail tables: the plan's mails plus as many ordinary unclicked
    /// ones as there are clicked benign mails.
    pub fn all_emails(&self) -> Vec<Email> {
        let mut all = self.emails.clone();
        let clicked = self.emails.iter().filter(|e| e.kind == MailKind::Clicked).count();
        let mut rng = Rng::stream(self.spec.seed, streams::UNCLICKED);
        let hour_pick = Weighted::new(self.hour_weights.iter().copied());
        let user_pick = Weighted::new(self.users.iter().map(|u| u.weight));
        for _ in 0..clicked {
            let i = hour_pick.sample(&mut rng);
            let t = time_in_hour(self.spec.clock, i, &mut rng);
            let user = user_pick.sample(&mut rng) as u32;
            all.push(Email { t, user, url: u32::MAX, kind: MailKind::Unclicked });
        }
        all
    }
}

/// How long before a click its mail arrived: two minutes to six hours.
fn mail_delay(rng: &mut Rng) -> i64 {
    2 * TICKS_PER_MINUTE + rng.range(0, 6 * 3600) * TICKS_PER_SECOND + rng.range(0, 1000) * TICKS_PER_MILLI
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_utc(s: &str) -> i64 {
        crate::types::time::parse_datetime(s).unwrap()
    }

    #[test]
    fn local_time_follows_the_real_clock() {
        // 2026-11-18 is a Wednesday; 05:00 UTC is 06:00 in Contoso's UTC+1, so the last hour
        // of data starts at 05:00 local.
        let t = Timeline::new(at_utc("2026-11-18T05:00:00Z"));
        assert_eq!((t.local_hour(HOURS - 1), t.weekday(HOURS - 1)), (5, 2));
        assert_eq!((t.local_hour(t.spike), t.weekday(t.spike)), (9, 1), "campaign: Tuesday 09:00");
        assert_eq!(HOURS - t.spike, 21);
        assert_eq!((t.local_hour(t.malware), t.weekday(t.malware)), (11, 0), "malware: Monday 11:00");
        let t = Timeline::new(at_utc("2026-11-22T16:00:00Z"));
        assert_eq!(t.weekday(HOURS - 1), 6, "Sunday");
        assert_eq!((t.local_hour(t.spike), t.weekday(t.spike)), (9, 4), "campaign: the Friday before");
    }

    #[test]
    fn the_story_lands_on_working_days_at_every_clock() {
        let start = at_utc("2026-11-16T00:00:00Z");
        for h in 0..24 * 14 {
            let t = Timeline::new(start + h * TICKS_PER_HOUR + if h % 5 == 0 { 17 * TICKS_PER_MINUTE } else { 0 });
            for (name, i) in [("spike", t.spike), ("malware", t.malware), ("malware_old", t.malware_old)] {
                assert!(t.is_work_hour(i), "{name} at clock +{h}h");
            }
            assert!(t.spike - 1 > WINDOW_START && t.spike + 3 <= HOURS, "campaign inside the window, ZAP before the clock");
            assert!(t.malware - 1 > WINDOW_START && t.malware + 20 <= t.spike);
            assert!(t.malware_old < WINDOW_START && t.malware_old >= 1);
        }
    }

    #[test]
    fn campaign_order_lists_every_recipient_and_one_twice() {
        let mut seen = CAMPAIGN_ORDER.to_vec();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 40);
        assert_eq!(CAMPAIGN_ORDER.iter().filter(|&&p| p == 23).count(), 2);
        assert_eq!(non_clicker_disposition(23), Disposition::Junk, "both copies are junked");
        assert!(!seen.contains(&cast::OMAR), "Omar got the link over Teams, not by mail");
    }

    #[test]
    fn hour_counts_add_up_and_the_spike_hour_leads() {
        for benign in [0u64, 10, 4980, 100_000] {
            let spec = DatasetSpec { seed: 5, rows: benign as usize, clock: 0, variant: 0 };
            let t = Timeline::new(0);
            let (h, _) = hour_counts(&spec, &t, benign);
            assert_eq!(h.iter().sum::<u64>(), benign);
            let max_other = (0..HOURS).filter(|&i| i != t.spike).map(|i| h[i]).max().unwrap();
            assert!(h[t.spike] >= max_other);
        }
    }
}
