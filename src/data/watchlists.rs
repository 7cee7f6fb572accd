//! Microsoft Sentinel watchlists: `_GetWatchlist('name')` tables built from CSV text, and the
//! two small watchlists every built-in catalog carries so `_GetWatchlist` works in the
//! playground.
//!
//! Sentinel stores a watchlist's rows as property bags and `_GetWatchlist` unpacks them, so its
//! result has `_DTItemId`, `LastUpdatedTimeUTC` and `SearchKey` (the value of the column chosen
//! as the search key when the watchlist was made) and then every column of the uploaded CSV,
//! as strings. [`from_csv`] builds that shape.
//!
//! The built-in watchlists:
//!
//! - **`IOCs`** (search key `Indicator`): indicators of compromise a threat-intelligence feed
//!   would share. Nine are from the story (the phishing and malware domains, the attacker's,
//!   the staging server's and the command-and-control addresses and host, the forwarding
//!   mailbox's domain and the malware sender) and seven are not in the data at all, as in a
//!   real feed: matching the list against the logs is the hunt.
//! - **`NetworkRanges`** (search key `Range`): address ranges with a name and a kind (Contoso's
//!   internal networks, Microsoft 365, the traveller's hotel network, hosting providers known for
//!   abuse) for `evaluate ipv4_lookup(...)` and `ipv4_is_in_range`.

use super::cloud::{ATTACKER_IP, FORWARD_TO};
use super::device::{C2_HOST, C2_IP, STAGING_IP};
use crate::table::{read_csv, CsvOptions, Field, Table};
use crate::types::{DataType, Value};

/// A `_GetWatchlist` table from CSV text with a header row: `_DTItemId`, `LastUpdatedTimeUTC`
/// (`updated`), `SearchKey` (the `search_key` column, or the first one), then the CSV's columns
/// as strings. The error says what is wrong with the text.
pub fn from_csv(name: &str, text: &str, search_key: Option<&str>, updated: i64) -> Result<Table, String> {
    let (raw, _) = read_csv(text, &CsvOptions::default()).map_err(|e| format!("line {}: {}", e.line, e.message))?;
    let key = match search_key {
        Some(k) => raw.column_index(k).ok_or_else(|| {
            let have: Vec<&str> = raw.fields.iter().map(|f| f.name.as_str()).collect();
            format!("the search key '{k}' is not a column of the file (it has {})", have.join(", "))
        })?,
        None => 0,
    };
    let mut fields =
        vec![Field::new("_DTItemId", DataType::String), Field::new("LastUpdatedTimeUTC", DataType::DateTime), Field::new("SearchKey", DataType::String)];
    fields.extend(raw.fields.iter().map(|f| Field::new(&f.name, DataType::String)));
    let rows: Vec<Vec<Value>> = (0..raw.len())
        .map(|r| {
            let cells: Vec<String> = raw.row(r).iter().map(|v| if matches!(v, Value::Null) { String::new() } else { v.to_display() }).collect();
            let id = super::rng::guid(super::rng::mix2(super::plan::fnv(name), r as u64));
            let mut row = vec![Value::str(&id), Value::DateTime(updated), Value::str(&cells[key])];
            row.extend(cells.iter().map(|c| Value::str(c)));
            row
        })
        .collect();
    Ok(Table::from_rows(fields, &rows))
}

/// The built-in watchlists as (name, search key, CSV text), made from the story's constants.
pub fn builtin() -> Vec<(&'static str, &'static str, String)> {
    let forward_domain = FORWARD_TO.split('@').nth(1).unwrap_or(FORWARD_TO);
    let iocs = format!(
        "Indicator,Type,ThreatType,Confidence,Description\n\
         contoso-login.com,domain,Phishing,high,Credential phishing site imitating the Contoso sign-in page\n\
         {ATTACKER_IP},ipv4,Phishing,high,Sends phishing mail and signs in with stolen passwords\n\
         {STAGING_IP},ipv4,Malware,medium,Hosts password-reset themed zip archives\n\
         {C2_HOST},domain,C2,high,Command-and-control host of a PowerShell implant\n\
         {C2_IP},ipv4,C2,high,Command-and-control address of a PowerShell implant\n\
         northwindtraders-billing.com,domain,Malware,medium,Invoice lures linking to malware\n\
         198.51.100.23,ipv4,Malware,medium,Mail relay of the invoice lures\n\
         {forward_domain},domain,Exfiltration,medium,Mailbox provider used as a drop for forwarded mail\n\
         tinyurl.com/contoso-login-mfa,url,Phishing,medium,Short link to the phishing site\n\
         fabrikam-payroll-update.com,domain,Phishing,low,Payroll-themed phishing domain\n\
         192.0.2.200,ipv4,C2,low,Cobalt Strike team server\n\
         update-msedge-cdn.net,domain,Malware,medium,Fake browser update downloads\n\
         203.0.113.200,ipv4,Scanning,low,Mass scanning of remote desktop ports\n\
         secure-docs-share.org,domain,Phishing,low,File-share themed credential phishing\n\
         198.51.100.250,ipv4,BruteForce,low,Password spraying against Microsoft 365\n\
         invoice-portal-login.net,domain,Phishing,low,Invoice-themed credential phishing\n"
    );
    let ranges = "Range,Name,Kind\n\
         10.0.0.0/8,Contoso internal,Corporate\n\
         192.168.0.0/16,Home networks,Private\n\
         52.112.0.0/14,Microsoft Teams,Microsoft 365\n\
         13.107.0.0/16,Microsoft 365 front doors,Microsoft 365\n\
         198.51.100.0/24,Hotel network (New York),Travel\n\
         203.0.113.0/24,Bulletproof hosting,Suspicious hosting\n"
        .to_string();
    vec![("IOCs", "Indicator", iocs), ("NetworkRanges", "Range", ranges)]
}

/// Adds the built-in watchlists to a catalog (`updated`: their last-update time).
pub fn add_builtin(catalog: &mut crate::table::Catalog, updated: i64) {
    for (name, key, text) in builtin() {
        catalog.insert_watchlist(name, from_csv(name, &text, Some(key), updated).expect("the built-in watchlists parse"));
    }
}
