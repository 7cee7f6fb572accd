//! Renders the plan's mail as the four e-mail tables (`EmailEvents`, `EmailUrlInfo`,
//! `EmailAttachmentInfo`, `EmailPostDeliveryEvents`).
//!
//! Every detail of mail number `idx` (sender, subject, links, attachments, verdicts, later
//! remediation) comes from [`Plan::describe`], which draws from a generator seeded by
//! `(seed, idx)` alone; the four tables therefore agree without sharing state, and one pass
//! over the mail fills all the tables that were asked for.

use super::build::{constant, datetimes, ints, longs, table, Dict, Guids, Packed};
use super::clicks::network_message_id_hash;
use super::docs;
use super::names::*;
use super::plan::*;
use super::rng::{mix2, push_hex, Rng};
use crate::table::{CodesBuilder, Table};
use crate::types::time::{TICKS_PER_HOUR, TICKS_PER_MILLI, TICKS_PER_MINUTE, TICKS_PER_SECOND};
use std::borrow::Cow;

const CAMPAIGN_SENDER: &str = "it-support@contoso-login.com";
const CAMPAIGN_MAIL_FROM: &str = "bounce@mail.contoso-login.com";
const CAMPAIGN_DISPLAY: &str = "Contoso IT Service Desk";
const CAMPAIGN_SUBJECT: &str = "Action required: your Contoso password expires today";
const CAMPAIGN_SENDER_IP: &str = "203.0.113.45";
const MALWARE_SENDER: &str = "accounts@northwindtraders-billing.com";
const MALWARE_DISPLAY: &str = "Northwind Traders Accounts";
const MALWARE_SUBJECT: &str = "Overdue invoice INV-20417 - payment required";
const MALWARE_SENDER_IP: &str = "198.51.100.23";
const MALWARE_FILE: &str = "INV-20417_Remittance.htm";
const MALWARE_THREAT_NAME: &str = "TrojanDownloader:HTML/InvoiceLure.A";

const AUTH_PASS: &str = r#"{"SPF":"pass","DKIM":"pass","DMARC":"pass","CompAuth":"pass"}"#;
const AUTH_LOOKALIKE: &str = r#"{"SPF":"pass","DKIM":"pass","DMARC":"none","CompAuth":"pass"}"#;
const AUTH_SPAM: &str = r#"{"SPF":"softfail","DKIM":"none","DMARC":"fail","CompAuth":"fail"}"#;
const PHISH_DETECTION: &str = r#"{"Phish":["URL detonation reputation"]}"#;
const MALWARE_DETECTION: &str = r#"{"Malware":["File detonation"]}"#;
const SPAM_DETECTION: &str = r#"{"Spam":["Advanced filter"]}"#;

/// Which of the e-mail tables to render.
#[derive(Clone, Copy, Default)]
pub(crate) struct MailTables {
    pub events: bool,
    pub urls: bool,
    pub attachments: bool,
    pub post_delivery: bool,
}

pub(crate) struct Attachment {
    name: String,
    ext: &'static str,
    sha256: String,
    size: i64,
    threat: &'static str,
    threat_name: &'static str,
    detection: &'static str,
}

pub(crate) struct PostAction {
    t: i64,
    action: &'static str,
    action_type: &'static str,
    trigger: &'static str,
    location: &'static str,
    threat: &'static str,
    detection: &'static str,
}

/// Everything the e-mail tables say about one message. Strings borrow from the plan where
/// they can: a million mails should not mean ten million small allocations.
pub(crate) struct MailInfo<'a> {
    sender_from: S<'a>,
    sender_mail_from: S<'a>,
    sender_display: S<'a>,
    sender_object_id: S<'a>,
    sender_ipv4: S<'a>,
    recipient: S<'a>,
    recipient_object_id: S<'a>,
    subject: S<'a>,
    cluster: i64,
    direction: &'static str,
    delivery_action: &'static str,
    delivery_location: &'static str,
    threat_types: &'static str,
    threat_names: &'static str,
    detection_methods: &'static str,
    confidence: &'static str,
    bcl: i32,
    email_action: &'static str,
    email_action_policy: &'static str,
    language: &'static str,
    auth: &'static str,
    urls: Vec<S<'a>>,
    attachments: Vec<Attachment>,
    latest_location: &'static str,
    latest_action: &'static str,
    internet_message_id: String,
    post: Option<PostAction>,
}

type S<'a> = Cow<'a, str>;

/// Sender details computed once per render rather than once per mail.
pub(crate) struct Senders {
    vendor_from: Vec<String>,
    vendor_ip: Vec<String>,
    newsletter_mail_from: Vec<String>,
    newsletter_ip: Vec<String>,
    display_names: Vec<String>,
}

/// The relay address of a partner's mail server (stable per sender domain).
fn sender_ip(seed: u64, domain: &str) -> String {
    let mut ip_rng = Rng::item(seed, streams::SENDER_IPS, super::plan::fnv(domain));
    format!("{}.{}.{}.{}", 20 + ip_rng.below(180), ip_rng.below(256), ip_rng.below(256), 1 + ip_rng.below(254))
}

impl Senders {
    fn new(plan: &Plan) -> Senders {
        let seed = plan.spec.seed;
        Senders {
            vendor_from: VENDORS.iter().map(|(domain, _, mailbox)| format!("{mailbox}@{domain}")).collect(),
            vendor_ip: VENDORS.iter().map(|(domain, _, _)| sender_ip(seed, domain)).collect(),
            newsletter_mail_from: NEWSLETTERS.iter().map(|(a, _)| format!("bounces@{}", domain_of(a))).collect(),
            newsletter_ip: NEWSLETTERS.iter().map(|(a, _)| sender_ip(seed, domain_of(a))).collect(),
            display_names: plan.users.iter().map(User::display_name).collect(),
        }
    }
}

fn domain_of(address: &str) -> &str {
    address.rsplit_once('@').map_or("", |(_, d)| d)
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

fn positive(h: u64) -> i64 {
    (h >> 1) as i64
}

/// How a benign mail was handled at delivery.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    Inbound,
    IntraOrg,
    Outbound,
    SpamJunk,
    SpamQuarantine,
}

impl Plan {
    /// Links of one family (for mail nobody clicked in).
    fn random_link(&self, rng: &mut Rng, want: impl Fn(Family) -> bool) -> Option<S<'_>> {
        // A few random probes into the catalogue; the story links are excluded.
        for _ in 0..12 {
            let e = &self.urls[rng.index(self.urls.len())];
            if want(e.family) {
                return Some(Cow::Borrowed(&e.url));
            }
        }
        None
    }

    fn attachments(&self, rng: &mut Rng, count: usize) -> Vec<Attachment> {
        (0..count)
            .map(|_| {
                let ext = rng.pick(&["pdf", "docx", "xlsx", "pptx", "png"]);
                let mut sha256 = String::with_capacity(64);
                for _ in 0..4 {
                    push_hex(&mut sha256, rng.next_u64(), 16);
                }
                Attachment {
                    name: format!("{}_{}.{ext}", rng.pick(ATTACHMENT_WORDS), 1000 + rng.below(9000)),
                    ext,
                    sha256,
                    size: 18_000 + rng.range(0, 4_800_000),
                    threat: "",
                    threat_name: "",
                    detection: "",
                }
            })
            .collect()
    }

    fn internet_message_id(&self, rng: &mut Rng, internal: bool, domain: &str) -> String {
        let mut s = String::with_capacity(64);
        s.push('<');
        if internal {
            push_hex(&mut s, rng.next_u64(), 16);
            s.make_ascii_uppercase();
            s.push_str(&format!("@CO1PR11MB{}.namprd11.prod.outlook.com>", 1000 + rng.below(9000)));
        } else {
            push_hex(&mut s, rng.next_u64(), 16);
            s.push('.');
            push_hex(&mut s, rng.next_u64(), 8);
            s.push('@');
            s.push_str(domain);
            s.push('>');
        }
        s
    }

    /// The full description of mail number `idx`.
    pub(crate) fn describe<'a>(&'a self, senders: &'a Senders, idx: usize, mail: &Email) -> MailInfo<'a> {
        let seed = self.spec.seed;
        let clock = self.spec.clock;
        let mut rng = Rng::item(seed, streams::MAIL_ITEM, idx as u64);
        let user = &self.users[mail.user as usize];
        match mail.kind {
            MailKind::Campaign(d) => self.describe_campaign(&mut rng, idx, user, d),
            MailKind::Malware(d, wave) => self.describe_malware(&mut rng, idx, user, d, wave),
            MailKind::Clicked | MailKind::Unclicked => {
                let route = if mail.kind == MailKind::Clicked {
                    match self.urls[mail.url as usize].family {
                        Family::Internal => Route::IntraOrg,
                        Family::Microsoft | Family::Public if rng.chance(4, 10) => Route::IntraOrg,
                        _ => Route::Inbound,
                    }
                } else {
                    match rng.below(100) {
                        0..=9 => Route::Outbound,
                        10..=34 => Route::IntraOrg,
                        35..=40 => Route::SpamJunk,
                        41..=42 => Route::SpamQuarantine,
                        _ => Route::Inbound,
                    }
                };
                let clicked = (mail.kind == MailKind::Clicked).then(|| self.urls[mail.url as usize].family);
                self.describe_benign(&mut rng, senders, mail, user, route, clicked, clock)
            }
        }
    }

    fn describe_campaign<'a>(&self, rng: &mut Rng, idx: usize, user: &'a User, d: Disposition) -> MailInfo<'a> {
        let clock = self.spec.clock;
        let (delivery_action, delivery_location, threat_types, detection, confidence, action, policy) = match d {
            Disposition::Inbox => ("Delivered", "Inbox/folder", "", "", r#"{"Spam":"1"}"#, "No action taken", ""),
            Disposition::Junk => ("Junked", "Junk folder", "Spam", SPAM_DETECTION, r#"{"Spam":"5"}"#, "Move message to junk mail folder", "Antispam"),
            Disposition::Quarantine => {
                ("Blocked", "Quarantine", "Phish", PHISH_DETECTION, r#"{"Phish":"High"}"#, "Send to quarantine", "Anti-phishing domain impersonation")
            }
        };
        let post = (d == Disposition::Inbox).then(|| PostAction {
            t: hour_start(clock, self.timeline.spike + 1) + 35 * TICKS_PER_MINUTE + idx as i64 * 4 * TICKS_PER_SECOND + 523 * TICKS_PER_MILLI,
            action: "Moved to quarantine",
            action_type: "Phish ZAP",
            trigger: "SpecialAction",
            location: "Quarantine",
            threat: "Phish",
            detection: PHISH_DETECTION,
        });
        let (latest_location, latest_action) = match d {
            Disposition::Inbox => ("Quarantine", "Moved to quarantine"),
            Disposition::Junk => ("Junk folder", "Junked"),
            Disposition::Quarantine => ("Quarantine", "Blocked"),
        };
        MailInfo {
            sender_from: CAMPAIGN_SENDER.into(),
            sender_mail_from: CAMPAIGN_MAIL_FROM.into(),
            sender_display: CAMPAIGN_DISPLAY.into(),
            sender_object_id: "".into(),
            sender_ipv4: CAMPAIGN_SENDER_IP.into(),
            recipient: Cow::Borrowed(&user.upn),
            recipient_object_id: Cow::Borrowed(&user.object_id),
            subject: CAMPAIGN_SUBJECT.into(),
            cluster: positive(mix2(self.spec.seed, streams::CAMPAIGN)),
            direction: "Inbound",
            delivery_action,
            delivery_location,
            threat_types,
            threat_names: "",
            detection_methods: detection,
            confidence,
            bcl: 0,
            email_action: action,
            email_action_policy: policy,
            language: "en",
            auth: AUTH_LOOKALIKE,
            urls: vec![CAMPAIGN_URL.into(), CAMPAIGN_DECOY_URL.into()],
            attachments: Vec::new(),
            latest_location,
            latest_action,
            internet_message_id: self.internet_message_id(rng, false, "mail.contoso-login.com"),
            post,
        }
    }

    fn describe_malware<'a>(&self, rng: &mut Rng, idx: usize, user: &'a User, d: Disposition, wave: u8) -> MailInfo<'a> {
        let clock = self.spec.clock;
        let blocked = d != Disposition::Inbox;
        let mut sha256 = String::with_capacity(64);
        for k in 0..4u64 {
            push_hex(&mut sha256, mix2(mix2(self.spec.seed, streams::MALWARE), k), 16);
        }
        let attachment = Attachment {
            name: MALWARE_FILE.into(),
            ext: "htm",
            sha256,
            size: 2873,
            threat: if blocked { "Malware" } else { "" },
            threat_name: if blocked { MALWARE_THREAT_NAME } else { "" },
            detection: if blocked { MALWARE_DETECTION } else { "" },
        };
        let post = (!blocked && wave == 1).then(|| PostAction {
            t: hour_start(clock, self.timeline.malware + 2) + 5 * TICKS_PER_MINUTE + idx as i64 * 3 * TICKS_PER_SECOND + 97 * TICKS_PER_MILLI,
            action: "Moved to quarantine",
            action_type: "Malware ZAP",
            trigger: "SpecialAction",
            location: "Quarantine",
            threat: "Malware",
            detection: MALWARE_DETECTION,
        });
        let (latest_location, latest_action) = match (blocked, post.is_some()) {
            (true, _) => ("Quarantine", "Blocked"),
            (false, true) => ("Quarantine", "Moved to quarantine"),
            (false, false) => ("Inbox/folder", "Delivered"),
        };
        MailInfo {
            sender_from: MALWARE_SENDER.into(),
            sender_mail_from: MALWARE_SENDER.into(),
            sender_display: MALWARE_DISPLAY.into(),
            sender_object_id: "".into(),
            sender_ipv4: MALWARE_SENDER_IP.into(),
            recipient: Cow::Borrowed(&user.upn),
            recipient_object_id: Cow::Borrowed(&user.object_id),
            subject: MALWARE_SUBJECT.into(),
            cluster: positive(mix2(self.spec.seed, streams::MALWARE)),
            direction: "Inbound",
            delivery_action: if blocked { "Blocked" } else { "Delivered" },
            delivery_location: if blocked { "Quarantine" } else { "Inbox/folder" },
            threat_types: if blocked { "Malware" } else { "" },
            threat_names: if blocked { MALWARE_THREAT_NAME } else { "" },
            detection_methods: if blocked { MALWARE_DETECTION } else { "" },
            confidence: r#"{"Spam":"1"}"#,
            bcl: 0,
            email_action: if blocked { "Send to quarantine" } else { "No action taken" },
            email_action_policy: if blocked { "Antimalware" } else { "" },
            language: "en",
            auth: AUTH_PASS,
            urls: vec![MALWARE_URL.into()],
            attachments: vec![attachment],
            latest_location,
            latest_action,
            internet_message_id: self.internet_message_id(rng, false, "northwindtraders-billing.com"),
            post,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn describe_benign<'a>(
        &'a self,
        rng: &mut Rng,
        senders: &'a Senders,
        mail: &Email,
        user: &'a User,
        route: Route,
        clicked: Option<Family>,
        clock: i64,
    ) -> MailInfo<'a> {
        let mut urls = Vec::new();
        if clicked.is_some() {
            urls.push(Cow::Borrowed(self.urls[mail.url as usize].url.as_str()));
        }
        let language = if rng.chance(9, 10) { "en" } else { rng.pick(&["de", "fr", "es", "nl", "ja"]) };
        let mut info = MailInfo {
            sender_from: "".into(),
            sender_mail_from: "".into(),
            sender_display: "".into(),
            sender_object_id: "".into(),
            sender_ipv4: "".into(),
            recipient: Cow::Borrowed(&user.upn),
            recipient_object_id: Cow::Borrowed(&user.object_id),
            subject: "".into(),
            cluster: 0,
            direction: "Inbound",
            delivery_action: "Delivered",
            delivery_location: "Inbox/folder",
            threat_types: "",
            threat_names: "",
            detection_methods: "",
            confidence: r#"{"Spam":"1"}"#,
            bcl: 0,
            email_action: "No action taken",
            email_action_policy: "",
            language,
            auth: AUTH_PASS,
            urls: Vec::new(),
            attachments: Vec::new(),
            latest_location: "Inbox/folder",
            latest_action: "Delivered",
            internet_message_id: String::new(),
            post: None,
        };
        let subject_pick;
        match route {
            Route::IntraOrg | Route::Outbound => {
                let (sender, recipient) = if route == Route::Outbound {
                    let (domain, _, _) = rng.pick(VENDORS);
                    let to = format!("{}@{domain}", rng.pick(EXTERNAL_CONTACTS));
                    (mail.user as usize, Some(to))
                } else {
                    let mut c = rng.index(self.users.len());
                    if c == mail.user as usize {
                        c = (c + 1) % self.users.len();
                    }
                    (c, None)
                };
                let person = &self.users[sender];
                info.sender_from = Cow::Borrowed(&person.upn);
                info.sender_mail_from = Cow::Borrowed(&person.upn);
                info.sender_display = Cow::Borrowed(&senders.display_names[sender]);
                info.sender_object_id = Cow::Borrowed(&person.object_id);
                subject_pick = rng.index(INTERNAL_SUBJECTS.len());
                info.subject = INTERNAL_SUBJECTS[subject_pick]
                    .replace("{team}", rng.pick(TEAMS))
                    .replace("{doc}", &format!("{} {}", rng.pick(DOC_WORDS), rng.pick(DOC_WORDS)))
                    .replace("{q}", &format!("Q{}", 1 + rng.below(4)))
                    .into();
                info.confidence = r#"{"Spam":"-1"}"#;
                info.email_action = "";
                if let Some(to) = recipient {
                    info.direction = "Outbound";
                    info.recipient = to.into();
                    info.recipient_object_id = "".into();
                    info.delivery_location = "On-premises/external";
                    info.latest_location = "On-premises/external";
                    info.confidence = "";
                } else {
                    info.direction = "Intra-org";
                }
                if clicked.is_none() && rng.chance(1, 2) {
                    urls.extend(self.random_link(rng, |f| f == Family::Internal));
                }
                if rng.chance(1, 4) {
                    let count = 1 + rng.chance(1, 5) as usize;
                    info.attachments = self.attachments(rng, count);
                }
                info.internet_message_id = self.internet_message_id(rng, true, "");
            }
            Route::Inbound => {
                let family = clicked.unwrap_or_else(|| match rng.below(3) {
                    0 => Family::Public,
                    _ => Family::Vendor(rng.index(VENDORS.len()) as u8),
                });
                let newsletter = matches!(family, Family::Public | Family::Microsoft);
                if newsletter {
                    let k = rng.index(NEWSLETTERS.len());
                    let (address, display) = NEWSLETTERS[k];
                    info.sender_from = address.into();
                    info.sender_display = display.into();
                    info.sender_mail_from = Cow::Borrowed(&senders.newsletter_mail_from[k]);
                    info.sender_ipv4 = Cow::Borrowed(&senders.newsletter_ip[k]);
                    subject_pick = 100 + rng.index(NEWSLETTER_SUBJECTS.len());
                    info.subject =
                        NEWSLETTER_SUBJECTS[subject_pick - 100].replace("{slug}", &format!("{} {}", rng.pick(SLUG_WORDS), rng.pick(SLUG_WORDS))).into();
                    info.bcl = 4 + rng.below(3) as i32;
                    if clicked.is_none() {
                        urls.extend(self.random_link(rng, |f| matches!(f, Family::Public | Family::Microsoft)));
                    }
                } else {
                    let v = match family {
                        Family::Vendor(v) => v as usize,
                        _ => rng.index(VENDORS.len()),
                    };
                    let (_, display, _) = VENDORS[v];
                    info.sender_from = Cow::Borrowed(&senders.vendor_from[v]);
                    info.sender_mail_from = Cow::Borrowed(&senders.vendor_from[v]);
                    info.sender_display = display.into();
                    info.sender_ipv4 = Cow::Borrowed(&senders.vendor_ip[v]);
                    subject_pick = 200 + rng.index(VENDOR_SUBJECTS.len());
                    info.subject =
                        VENDOR_SUBJECTS[subject_pick - 200].replace("{vendor}", display).replace("{n}", &(10_000 + rng.below(90_000)).to_string()).into();
                    info.bcl = rng.below(3) as i32;
                    if clicked.is_none() {
                        urls.extend(self.random_link(rng, |f| f == Family::Vendor(v as u8)));
                    }
                    if rng.chance(3, 10) {
                        info.attachments = self.attachments(rng, 1);
                    }
                }
                info.internet_message_id = self.internet_message_id(rng, false, domain_of(&info.sender_from));
            }
            Route::SpamJunk | Route::SpamQuarantine => {
                let domain = rng.pick(SPAM_DOMAINS);
                info.sender_from = format!("offers@{domain}").into();
                info.sender_mail_from = format!("mailer{}@{domain}", rng.below(100)).into();
                info.sender_display = "Special Offers".into();
                subject_pick = 300 + rng.index(SPAM_SUBJECTS.len());
                info.subject = SPAM_SUBJECTS[subject_pick - 300].into();
                info.sender_ipv4 = format!("{}.{}.{}.{}", 31 + rng.below(160), rng.below(256), rng.below(256), 1 + rng.below(254)).into();
                info.auth = AUTH_SPAM;
                info.threat_types = "Spam";
                info.detection_methods = SPAM_DETECTION;
                info.bcl = 7 + rng.below(3) as i32;
                let mut link = String::from("https://");
                link.push_str(domain);
                link.push_str("/promo/");
                push_hex(&mut link, rng.next_u64(), 8);
                urls.push(link.into());
                if route == Route::SpamJunk {
                    info.delivery_action = "Junked";
                    info.delivery_location = "Junk folder";
                    info.confidence = r#"{"Spam":"6"}"#;
                    info.email_action = "Move message to junk mail folder";
                    info.email_action_policy = "Antispam";
                    info.latest_location = "Junk folder";
                    info.latest_action = "Junked";
                    // Now and then an administrator cleans junk out of a mailbox.
                    if rng.chance(1, 10) {
                        let t = mail.t + TICKS_PER_HOUR + rng.range(0, 30 * 3600) * TICKS_PER_SECOND;
                        if t < clock {
                            info.post = Some(PostAction {
                                t,
                                action: "Soft delete",
                                action_type: "Manual remediation",
                                trigger: "AdminAction",
                                location: "Deleted items",
                                threat: "Spam",
                                detection: SPAM_DETECTION,
                            });
                            info.latest_location = "Deleted items";
                            info.latest_action = "Soft delete";
                        }
                    }
                } else {
                    info.delivery_action = "Blocked";
                    info.delivery_location = "Quarantine";
                    info.confidence = r#"{"Spam":"9"}"#;
                    info.email_action = "Send to quarantine";
                    info.email_action_policy = "Antispam high-confidence";
                    info.latest_location = "Quarantine";
                    info.latest_action = "Blocked";
                }
                info.internet_message_id = self.internet_message_id(rng, false, domain);
            }
        }
        if clicked.is_some() && rng.chance(1, 3) {
            // Clicked mail often carries a second link of the same kind.
            let family = clicked.unwrap_or(Family::Internal);
            urls.extend(self.random_link(rng, |f| f == family).filter(|u| !urls.contains(u)));
        }
        info.urls = urls;
        info.cluster = positive(mix2(super::plan::fnv(&info.sender_from), subject_pick as u64));
        info.sender_mail_from = if info.sender_mail_from.is_empty() { info.sender_from.clone() } else { info.sender_mail_from };
        info
    }

    /// Renders the requested e-mail tables in one pass over the mail.
    pub(crate) fn mail_tables(&self, which: MailTables) -> [Option<Table>; 4] {
        let seed = self.spec.seed;
        let all = self.all_emails();
        let senders = Senders::new(self);
        // Stable, so mails at the same time keep their index order.
        let order = crate::util::sort::order(all.len(), &mut |a, b| all[a].t.cmp(&all[b].t));
        let n = all.len();

        let mut ev = EventsBuilder::new(if which.events { n } else { 0 });
        // About 0.9 links a mail (a growing vector would double its room, so this is the one
        // allocation unless a seed gives more than one a mail).
        let mut ui = UrlInfoBuilder::new(if which.urls { n } else { 0 });
        let mut ai = AttachmentBuilder::new(if which.attachments { n / 4 } else { 0 });
        let mut posts: Vec<(i64, u32, PostAction, String, String)> = Vec::new();

        for &i in &order {
            let mail = &all[i as usize];
            let info = self.describe(&senders, i as usize, mail);
            let nmi = network_message_id_hash(seed, i);
            if which.events {
                ev.push(seed, i, mail.t, nmi, &info);
            }
            if which.urls {
                for (k, url) in info.urls.iter().enumerate() {
                    ui.push(seed, i, k, mail.t, nmi, url);
                }
            }
            if which.attachments {
                for (k, a) in info.attachments.iter().enumerate() {
                    ai.push(seed, i, k, mail.t, nmi, &info, a);
                }
            }
            if which.post_delivery {
                if let Some(p) = info.post {
                    posts.push((p.t, i, p, info.internet_message_id, info.recipient.into_owned()));
                }
            }
        }
        let post_table = which.post_delivery.then(|| {
            crate::util::sort::sort_by_key(&mut posts, |p| (p.0, p.1));
            post_delivery_table(seed, posts)
        });
        [which.events.then(|| ev.finish()), which.urls.then(|| ui.finish()), which.attachments.then(|| ai.finish()), post_table]
    }
}

fn push_report(out: &mut Guids, seed: u64, table: u64, idx: u32, k: usize) {
    out.push(mix2(mix2(mix2(seed, streams::MAIL_REPORT), table), ((idx as u64) << 8) | k as u64));
}

struct EventsBuilder {
    ts: Vec<i64>,
    nmi: Guids,
    imi: Packed,
    mail_from: Coded,
    from: Coded,
    display: Coded,
    sender_oid: Coded,
    mail_from_domain: Coded,
    from_domain: Coded,
    ipv4: Coded,
    recipient: Coded,
    recipient_oid: Coded,
    subject: Coded,
    cluster: Vec<i64>,
    direction: Coded,
    delivery_action: Coded,
    delivery_location: Coded,
    threat_types: Coded,
    threat_names: Coded,
    detection: Coded,
    confidence: Coded,
    bcl: Vec<i32>,
    email_action: Coded,
    policy: Coded,
    policy_guid: Coded,
    auth: Coded,
    attachments: Vec<i32>,
    url_count: Vec<i32>,
    language: Coded,
    report: Guids,
    latest_location: Coded,
    latest_action: Coded,
}

/// A dictionary-coded column being built, remembering the last string it saw: most cells
/// repeat the previous row's value, and those skip the hash lookup.
struct Coded {
    dict: Dict,
    codes: CodesBuilder,
    last: String,
    last_code: Option<u32>,
}

fn coded(cap: usize) -> Coded {
    Coded { dict: Dict::new(), codes: CodesBuilder::with_capacity(0, cap), last: String::new(), last_code: None }
}

fn put(c: &mut Coded, s: &str) {
    let code = match c.last_code {
        Some(code) if c.last == s => code,
        _ => {
            let code = c.dict.code(s);
            c.last.clear();
            c.last.push_str(s);
            c.last_code = Some(code);
            code
        }
    };
    c.codes.push(code);
}

fn col(c: Coded) -> crate::table::Column {
    c.dict.column_of(c.codes)
}

impl EventsBuilder {
    fn new(n: usize) -> EventsBuilder {
        EventsBuilder {
            ts: Vec::with_capacity(n),
            nmi: Guids::with_capacity(n),
            imi: Packed::with_capacity(n, 56),
            mail_from: coded(n),
            from: coded(n),
            display: coded(n),
            sender_oid: coded(n),
            mail_from_domain: coded(n),
            from_domain: coded(n),
            ipv4: coded(n),
            recipient: coded(n),
            recipient_oid: coded(n),
            subject: coded(n),
            cluster: Vec::with_capacity(n),
            direction: coded(n),
            delivery_action: coded(n),
            delivery_location: coded(n),
            threat_types: coded(n),
            threat_names: coded(n),
            detection: coded(n),
            confidence: coded(n),
            bcl: Vec::with_capacity(n),
            email_action: coded(n),
            policy: coded(n),
            policy_guid: coded(n),
            auth: coded(n),
            attachments: Vec::with_capacity(n),
            url_count: Vec::with_capacity(n),
            language: coded(n),
            report: Guids::with_capacity(n),
            latest_location: coded(n),
            latest_action: coded(n),
        }
    }

    fn push(&mut self, seed: u64, idx: u32, t: i64, nmi: u64, m: &MailInfo) {
        self.ts.push(t);
        self.nmi.push(nmi);
        self.imi.push(&m.internet_message_id);
        put(&mut self.mail_from, &m.sender_mail_from);
        put(&mut self.from, &m.sender_from);
        put(&mut self.display, &m.sender_display);
        put(&mut self.sender_oid, &m.sender_object_id);
        put(&mut self.mail_from_domain, domain_of(&m.sender_mail_from));
        put(&mut self.from_domain, domain_of(&m.sender_from));
        put(&mut self.ipv4, &m.sender_ipv4);
        put(&mut self.recipient, &m.recipient);
        put(&mut self.recipient_oid, &m.recipient_object_id);
        put(&mut self.subject, &m.subject);
        self.cluster.push(m.cluster);
        put(&mut self.direction, m.direction);
        put(&mut self.delivery_action, m.delivery_action);
        put(&mut self.delivery_location, m.delivery_location);
        put(&mut self.threat_types, m.threat_types);
        put(&mut self.threat_names, m.threat_names);
        put(&mut self.detection, m.detection_methods);
        put(&mut self.confidence, m.confidence);
        self.bcl.push(m.bcl);
        put(&mut self.email_action, m.email_action);
        put(&mut self.policy, m.email_action_policy);
        let guid = if m.email_action_policy.is_empty() { String::new() } else { super::rng::guid(mix2(seed, super::plan::fnv(m.email_action_policy))) };
        put(&mut self.policy_guid, &guid);
        put(&mut self.auth, m.auth);
        self.attachments.push(m.attachments.len() as i32);
        self.url_count.push(m.urls.len() as i32);
        put(&mut self.language, m.language);
        push_report(&mut self.report, seed, 1, idx, 0);
        put(&mut self.latest_location, m.latest_location);
        put(&mut self.latest_action, m.latest_action);
    }

    fn finish(self) -> Table {
        let n = self.ts.len();
        table(
            &docs::rendered_schema("EmailEvents").expect("known table"),
            vec![
                ("Timestamp", datetimes(self.ts)),
                ("NetworkMessageId", self.nmi.column()),
                ("InternetMessageId", self.imi.column()),
                ("SenderMailFromAddress", col(self.mail_from)),
                ("SenderFromAddress", col(self.from)),
                ("SenderDisplayName", col(self.display)),
                ("SenderObjectId", col(self.sender_oid)),
                ("SenderMailFromDomain", col(self.mail_from_domain)),
                ("SenderFromDomain", col(self.from_domain)),
                ("SenderIPv4", col(self.ipv4)),
                ("SenderIPv6", constant("", n)),
                ("RecipientEmailAddress", col(self.recipient)),
                ("RecipientObjectId", col(self.recipient_oid)),
                ("Subject", col(self.subject)),
                ("EmailClusterId", longs(self.cluster)),
                ("EmailDirection", col(self.direction)),
                ("DeliveryAction", col(self.delivery_action)),
                ("DeliveryLocation", col(self.delivery_location)),
                ("ThreatTypes", col(self.threat_types)),
                ("ThreatNames", col(self.threat_names)),
                ("DetectionMethods", col(self.detection)),
                ("ConfidenceLevel", col(self.confidence)),
                ("BulkComplaintLevel", ints(self.bcl)),
                ("EmailAction", col(self.email_action)),
                ("EmailActionPolicy", col(self.policy)),
                ("EmailActionPolicyGuid", col(self.policy_guid)),
                ("AuthenticationDetails", col(self.auth)),
                ("AttachmentCount", ints(self.attachments)),
                ("UrlCount", ints(self.url_count)),
                ("EmailLanguage", col(self.language)),
                ("Connectors", constant("", n)),
                ("OrgLevelAction", constant("", n)),
                ("OrgLevelPolicy", constant("", n)),
                ("UserLevelAction", constant("", n)),
                ("UserLevelPolicy", constant("", n)),
                ("ReportId", self.report.column()),
                ("AdditionalFields", constant("{}", n)),
                ("LatestDeliveryLocation", col(self.latest_location)),
                ("LatestDeliveryAction", col(self.latest_action)),
            ],
        )
    }
}

struct UrlInfoBuilder {
    ts: Vec<i64>,
    nmi: Guids,
    url: Coded,
    domain: Coded,
    report: Guids,
}

impl UrlInfoBuilder {
    fn new(n: usize) -> UrlInfoBuilder {
        UrlInfoBuilder { ts: Vec::with_capacity(n), nmi: Guids::with_capacity(n), url: coded(n), domain: coded(n), report: Guids::with_capacity(n) }
    }

    fn push(&mut self, seed: u64, idx: u32, k: usize, t: i64, nmi: u64, url: &str) {
        self.ts.push(t);
        self.nmi.push(nmi);
        put(&mut self.url, url);
        put(&mut self.domain, host_of(url));
        push_report(&mut self.report, seed, 2, idx, k);
    }

    fn finish(self) -> Table {
        let n = self.ts.len();
        table(
            &docs::rendered_schema("EmailUrlInfo").expect("known table"),
            vec![
                ("Timestamp", datetimes(self.ts)),
                ("NetworkMessageId", self.nmi.column()),
                ("Url", col(self.url)),
                ("UrlDomain", col(self.domain)),
                ("UrlLocation", constant("Body", n)),
                ("ReportId", self.report.column()),
            ],
        )
    }
}

struct AttachmentBuilder {
    ts: Vec<i64>,
    nmi: Guids,
    from: Coded,
    display: Coded,
    sender_oid: Coded,
    recipient: Coded,
    recipient_oid: Coded,
    name: Coded,
    ext: Coded,
    sha: Packed,
    size: Vec<i64>,
    threat: Coded,
    threat_name: Coded,
    detection: Coded,
    report: Guids,
}

impl AttachmentBuilder {
    fn new(n: usize) -> AttachmentBuilder {
        AttachmentBuilder {
            ts: Vec::with_capacity(n),
            nmi: Guids::with_capacity(n),
            from: coded(n),
            display: coded(n),
            sender_oid: coded(n),
            recipient: coded(n),
            recipient_oid: coded(n),
            name: coded(n),
            ext: coded(n),
            sha: Packed::with_capacity(n, 64),
            size: Vec::with_capacity(n),
            threat: coded(n),
            threat_name: coded(n),
            detection: coded(n),
            report: Guids::with_capacity(n),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(&mut self, seed: u64, idx: u32, k: usize, t: i64, nmi: u64, m: &MailInfo, a: &Attachment) {
        self.ts.push(t);
        self.nmi.push(nmi);
        put(&mut self.from, &m.sender_from);
        put(&mut self.display, &m.sender_display);
        put(&mut self.sender_oid, &m.sender_object_id);
        put(&mut self.recipient, &m.recipient);
        put(&mut self.recipient_oid, &m.recipient_object_id);
        put(&mut self.name, &a.name);
        put(&mut self.ext, a.ext);
        self.sha.push(&a.sha256);
        self.size.push(a.size);
        put(&mut self.threat, a.threat);
        put(&mut self.threat_name, a.threat_name);
        put(&mut self.detection, a.detection);
        push_report(&mut self.report, seed, 3, idx, k);
    }

    fn finish(self) -> Table {
        table(
            &docs::rendered_schema("EmailAttachmentInfo").expect("known table"),
            vec![
                ("Timestamp", datetimes(self.ts)),
                ("NetworkMessageId", self.nmi.column()),
                ("SenderFromAddress", col(self.from)),
                ("SenderDisplayName", col(self.display)),
                ("SenderObjectId", col(self.sender_oid)),
                ("RecipientEmailAddress", col(self.recipient)),
                ("RecipientObjectId", col(self.recipient_oid)),
                ("FileName", col(self.name)),
                ("FileType", col(self.ext)),
                ("SHA256", self.sha.column()),
                ("FileSize", longs(self.size)),
                ("ThreatTypes", col(self.threat)),
                ("ThreatNames", col(self.threat_name)),
                ("DetectionMethods", col(self.detection)),
                ("ReportId", self.report.column()),
            ],
        )
    }
}

fn post_delivery_table(seed: u64, posts: Vec<(i64, u32, PostAction, String, String)>) -> Table {
    let n = posts.len();
    let mut ts = Vec::with_capacity(n);
    let mut nmi = Guids::with_capacity(n);
    let mut imi = Packed::with_capacity(n, 56);
    let mut action = coded(n);
    let mut action_type = coded(n);
    let mut trigger = coded(n);
    let mut recipient = coded(n);
    let mut location = coded(n);
    let mut threat = coded(n);
    let mut detection = coded(n);
    let mut report = Guids::with_capacity(n);
    for (t, idx, p, internet_id, to) in &posts {
        ts.push(*t);
        nmi.push(network_message_id_hash(seed, *idx));
        imi.push(internet_id);
        put(&mut action, p.action);
        put(&mut action_type, p.action_type);
        put(&mut trigger, p.trigger);
        put(&mut recipient, to);
        put(&mut location, p.location);
        put(&mut threat, p.threat);
        put(&mut detection, p.detection);
        push_report(&mut report, seed, 4, *idx, 0);
    }
    table(
        &docs::rendered_schema("EmailPostDeliveryEvents").expect("known table"),
        vec![
            ("Timestamp", datetimes(ts)),
            ("NetworkMessageId", nmi.column()),
            ("InternetMessageId", imi.column()),
            ("Action", col(action)),
            ("ActionType", col(action_type)),
            ("ActionTrigger", col(trigger)),
            ("ActionResult", constant("Success", n)),
            ("RecipientEmailAddress", col(recipient)),
            ("DeliveryLocation", col(location)),
            ("ThreatTypes", col(threat)),
            ("DetectionMethods", col(detection)),
            ("ReportId", report.column()),
        ],
    )
}
