//! Renders the plan's clicks as the `UrlClickEvents` table.

use super::build::{bools, constant, datetimes, table, Dict, Guids};
use super::docs;
use super::plan::{streams, Plan, ACTIONS, APPS, DETECTIONS, NO_EMAIL, THREATS, WORKLOADS};
use super::rng::mix2;
use crate::table::Table;

/// The hash whose GUID ([`push_guid`](super::rng::push_guid)) is mail number `idx`'s
/// NetworkMessageId (shared with the e-mail tables).
pub(crate) fn network_message_id_hash(seed: u64, idx: u32) -> u64 {
    mix2(mix2(seed, streams::NMI), idx as u64)
}

impl Plan {
    pub fn url_click_events(&self) -> Table {
        let n = self.clicks.len();
        let seed = self.spec.seed;
        let report_key = mix2(seed, streams::CLICK_REPORT);

        // Dictionaries are filled before the row loop, so rows only copy codes.
        let mut url_dict = Dict::new();
        let mut chain_dict = Dict::new();
        let url_code: Vec<u32> = self.urls.iter().map(|u| url_dict.code(&u.url)).collect();
        let chain_code: Vec<u32> = self.urls.iter().map(|u| chain_dict.code(&u.chain)).collect();
        let mut action_dict = Dict::new();
        let action_code: Vec<u32> = ACTIONS.iter().map(|a| action_dict.code(a)).collect();
        let mut user_dict = Dict::new();
        let user_code: Vec<u32> = self.users.iter().map(|u| user_dict.code(&u.upn)).collect();
        let mut workload_dict = Dict::new();
        let workload_code: Vec<u32> = WORKLOADS.iter().map(|w| workload_dict.code(w)).collect();
        let mut threat_dict = Dict::new();
        let threat_code: Vec<u32> = THREATS.iter().map(|t| threat_dict.code(t)).collect();
        let mut detection_dict = Dict::new();
        let detection_code: Vec<u32> = DETECTIONS.iter().map(|d| detection_dict.code(d)).collect();
        let mut ip_dict = Dict::new();
        let ip_code: Vec<u32> = self.ips.iter().map(|ip| ip_dict.code(ip)).collect();
        let mut app_dict = Dict::new();
        let mut version_dict = Dict::new();
        let mut source_dict = Dict::new();
        let app_code: Vec<u32> = APPS.iter().map(|a| app_dict.code(a.0)).collect();
        let version_code: Vec<u32> = APPS.iter().map(|a| version_dict.code(a.1)).collect();
        let source_code: Vec<u32> = self.app_source_ids.iter().map(|s| source_dict.code(s)).collect();

        let mut ts = Vec::with_capacity(n);
        let mut url = url_dict.codes(n);
        let mut action = action_dict.codes(n);
        let mut upn = user_dict.codes(n);
        let mut workload = workload_dict.codes(n);
        let mut nmi = Guids::with_capacity(n);
        let mut threat = threat_dict.codes(n);
        let mut detection = detection_dict.codes(n);
        let mut ip = ip_dict.codes(n);
        let mut through = Vec::with_capacity(n);
        let mut chain = chain_dict.codes(n);
        let mut report = Guids::with_capacity(n);
        let mut app = app_dict.codes(n);
        let mut version = version_dict.codes(n);
        let mut source = source_dict.codes(n);

        for c in &self.clicks {
            ts.push(c.t);
            url.push(url_code[c.url as usize]);
            action.push(action_code[c.action as usize]);
            upn.push(user_code[c.user as usize]);
            workload.push(workload_code[c.workload as usize]);
            if c.email != NO_EMAIL {
                nmi.push(network_message_id_hash(seed, c.email));
            } else {
                nmi.push_empty();
            }
            threat.push(threat_code[c.threat as usize]);
            detection.push(detection_code[c.threat as usize]);
            ip.push(ip_code[c.ip as usize]);
            through.push(c.through);
            chain.push(chain_code[c.url as usize]);
            report.push(mix2(report_key, c.report));
            app.push(app_code[c.app as usize]);
            version.push(version_code[c.app as usize]);
            source.push(source_code[c.app as usize]);
        }

        table(
            &docs::schema("UrlClickEvents").expect("known table"),
            vec![
                ("Timestamp", datetimes(ts.clone())),
                ("Url", url_dict.column_of(url)),
                ("ActionType", action_dict.column_of(action)),
                ("AccountUpn", user_dict.column_of(upn)),
                ("Workload", workload_dict.column_of(workload)),
                ("NetworkMessageId", nmi.column()),
                ("ThreatTypes", threat_dict.column_of(threat)),
                ("DetectionMethods", detection_dict.column_of(detection)),
                ("IPAddress", ip_dict.column_of(ip)),
                ("IsClickedThrough", bools(through)),
                ("UrlChain", chain_dict.column_of(chain)),
                ("ReportId", report.column()),
                ("AppName", app_dict.column_of(app)),
                ("AppVersion", version_dict.column_of(version)),
                ("SourceId", source_dict.column_of(source)),
                ("TenantId", constant(&self.tenant_id, n)),
                ("Type", constant("UrlClickEvents", n)),
                ("SourceSystem", constant("Azure", n)),
                ("TimeGenerated", datetimes(ts)),
            ],
        )
    }
}
