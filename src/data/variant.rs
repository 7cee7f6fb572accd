//! Story variants: the same story told with other names, addresses, files, counts and times.
//!
//! Variant 0 is the data learners see. Variant 1 is the *hidden* copy a lesson re-runs a passing
//! answer on (see `lesson::check::recheck`): it keeps the story's shape — the same kinds of
//! events in the same order, so every lesson solution still finds a real answer — but changes
//! everything a learner could read off the screen and paste into a query:
//!
//! - **background**: another seed, so other colleagues, counts, IDs and click times;
//! - **people**: the story's cast gets other names (the victim included), see [`story_people`];
//! - **counts**: two blocked clickers do not click and three recipients are not on the
//!   campaign's lists, so the number of clickers, copies and recipients differ; the intruder's
//!   PowerShell runs `whoami` twice (`/all`, then `/priv`), so per-parent counts differ too;
//! - **times**: the campaign comes one working day earlier, at 10:00 local instead of 09:00,
//!   and the malware lure's clicks at 14:00 (see `plan::Timeline::for_variant`);
//! - **text**: domains, URLs, sender addresses, subjects, IP addresses, the victim's laptop,
//!   file names, the scheduled task, the command-and-control host (inside the encoded
//!   PowerShell too) and every file hash are rewritten by [`disguise`] after a table is
//!   generated, so no generator's code path needs a second copy of each literal.
//!
//! Variant 0 never passes through any of this: its tables are byte-identical to the data
//! before variants existed (the digests pinned in `tests/it/data.rs`).

use super::plan::cast;
use super::rng::mix2;
use super::DatasetSpec;
use crate::table::{Column, StrColumn, Table};
use crate::types::Dynamic;
use std::sync::Arc;

/// The hidden variant's seed is derived from the lesson's seed with this salt.
const SEED_SALT: u64 = 0x4849_4444_454E_0001;

/// The spec the generator actually runs with: for a hidden variant, another seed.
pub(crate) fn effective(spec: &DatasetSpec) -> DatasetSpec {
    if spec.variant == 0 {
        spec.clone()
    } else {
        DatasetSpec { seed: mix2(spec.seed, SEED_SALT ^ spec.variant as u64), ..spec.clone() }
    }
}

/// The hidden cast, person for person (same roles as `names::STORY_PEOPLE`). None of these
/// names is in the visible cast or in the lists generated colleagues are drawn from, so a
/// rename can never collide with anybody.
const HIDDEN_PEOPLE: &[(&str, &str)] = &[
    ("Anouk", "Brandt"),
    ("Tobias", "Achebe"),
    ("Greta", "Lindholm"),
    ("Ruben", "Falk"),
    ("Mira", "Johansson"),
    ("Dario", "Conti"),
    ("Ines", "Marlow"),
    ("Jakob", "Severin"),
    ("Lotte", "Dekker"),
    ("Farid", "Nasser"),
    ("Helena", "Brun"),
    ("Milan", "Horak"),
    ("Selin", "Aydin"),
    ("Joel", "Ekstrom"),
    ("Marta", "Kovacs"),
    ("Vikram", "Bose"),
    ("Alba", "Ferreira"),
    ("Emil", "Strand"),
    ("Nadine", "Okoye"),
    ("Paolo", "Greco"),
    ("Astrid", "Dahl"),
    ("Thiago", "Barros"),
    ("Hana", "Sakai"),
    ("Petra", "Lang"),
    ("Kofi", "Asante"),
    ("Elise", "Girard"),
    ("Levon", "Petrosyan"),
    ("Signe", "Berglund"),
    ("Iker", "Zubiri"),
    ("Liv", "Norberg"),
    ("Remy", "Charpentier"),
    ("Shirin", "Tehrani"),
    ("Bruna", "Pires"),
    ("Vera", "Sundqvist"),
    ("Callum", "Frost"),
    ("Lucia", "Serrano"),
    ("Arvind", "Pillai"),
    ("Femke", "Visser"),
    ("Yuri", "Volkov"),
    ("Magda", "Wozniak"),
    ("Samira", "Haidari"),
    ("Karel", "Dvorak"),
    ("Jun", "Takeda"),
    ("Odile", "Marchand"),
    ("Rory", "Gallagher"),
];

/// The story's cast in a variant.
pub(crate) fn story_people(variant: u8) -> &'static [(&'static str, &'static str)] {
    if variant == 0 {
        super::names::STORY_PEOPLE
    } else {
        HIDDEN_PEOPLE
    }
}

/// Campaign clickers (by cast index) who do not click in a variant: two ordinary blocked
/// clicks, so the number of clickers and of campaign click events differ.
pub(crate) fn dropped_clickers(variant: u8) -> &'static [usize] {
    if variant == 0 {
        &[]
    } else {
        &[8, 13]
    }
}

/// Non-clicking recipients who are not on the attacker's lists in a variant (three inbox
/// copies fewer: other recipient, copy and purge counts).
pub(crate) fn dropped_recipients(variant: u8) -> &'static [usize] {
    if variant == 0 {
        &[]
    } else {
        &[21, 29, 35]
    }
}

/// Text of the visible story and its hidden counterpart, longest first where one contains
/// another. A match must not sit inside a longer word or number (see [`replace_bounded`]).
///
/// The entries before [`LEADS`] are the story's *leads*: what the lessons' narratives hand the
/// learner to start from (the campaign's domain and sender, the victim and her laptop, the
/// files and hosts a previous step found); so are the three people the lessons introduce by
/// name (the repeat clicker, the one who clicked through the warning, the victim). The re-check translates them in the queries it runs
/// on the hidden copy ([`translate_lead`]), so a query may name a lead; everything after them
/// (addresses) is changed in the data only.
const TEXT: &[(&str, &str)] = &[
    ("it-support@contoso-login.com", "helpdesk@contoso-verify.com"),
    ("Contoso IT Service Desk", "Contoso Helpdesk Team"),
    ("Action required: your Contoso password expires today", "Reminder: confirm your Contoso account within 24 hours"),
    ("contoso-login", "contoso-verify"),
    ("session=pw-reset", "session=acct-check"),
    ("northwindtraders-billing", "fabrikam-payments"),
    ("Northwind Traders Accounts", "Fabrikam Payments Team"),
    ("INV-20417", "INV-58832"),
    ("InvoiceLure.A", "InvoiceLure.C"),
    ("sendfiles-now", "filedrop-express"),
    ("ctso-lt-2417", "ctso-lt-3081"),
    ("CTSO-LT-2417", "CTSO-LT-3081"),
    ("Contoso_Password_Reset", "Contoso_Account_Check"),
    ("Password_Reset_Instructions", "Account_Check_Steps"),
    ("sync.ps1", "helper.ps1"),
    ("cdn.contososync.net", "img.fastedge-cdn.net"),
    ("ContosoSyncUpdate", "EdgeHelperRefresh"),
    ("ContosoSync", "EdgeHelper"),
    ("e.vargas.archive@mailvault-box.net", "i.marlow.backup@inboxsafe-mail.net"),
    ("emma.vargas", "ines.marlow"),
    ("Emma Vargas", "Ines Marlow"),
    // Not leads: changed in the data only.
    ("203.0.113.45", "203.0.113.162"),
    ("198.51.100.23", "198.51.100.201"),
    ("203.0.113.77", "203.0.113.19"),
    ("198.51.100.87", "198.51.100.140"),
];

/// How many entries at the start of [`TEXT`] are leads.
const LEADS: usize = TEXT.len() - 4;

/// The replacements for a variant: [`TEXT`], plus the encoded PowerShell command (base64 of
/// the script, whose own text is rewritten first).
fn replacements() -> &'static [(String, String)] {
    static ALL: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let script = super::device::STAGE1_SCRIPT;
        let mut all = vec![(super::device::encoded_command(script), super::device::encoded_command(&rewrite_text(script, TEXT.iter().map(|(a, b)| (*a, *b)))))];
        all.extend(TEXT.iter().map(|(a, b)| (a.to_string(), b.to_string())));
        all
    })
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Replaces every occurrence of `from` in `s` that is not part of a longer word or number: a
/// pattern that begins (ends) with a letter or digit must not follow (precede) one.
fn replace_bounded(s: &str, from: &str, to: &str) -> Option<String> {
    replace_matches(s, s, from, &|_| to.to_string())
}

/// [`replace_bounded`] ignoring ASCII case (for query literals: `has`, `contains` and `=~`
/// ignore case). A match written in capitals gets the replacement in capitals.
fn replace_bounded_ci(s: &str, from: &str, to: &str) -> Option<String> {
    let upper = |m: &str| if m.bytes().any(|b| b.is_ascii_lowercase()) { to.to_string() } else { to.to_ascii_uppercase() };
    replace_matches(s, &s.to_ascii_lowercase(), &from.to_ascii_lowercase(), &upper)
}

/// Replaces the bounded matches of `from` in `hay` (`s` or a same-length case-folded copy of
/// it) with `to(matched text of s)`.
fn replace_matches(s: &str, hay: &str, from: &str, to: &dyn Fn(&str) -> String) -> Option<String> {
    let (fb, sb) = (from.as_bytes(), s.as_bytes());
    let mut out = String::new();
    let mut last = 0;
    let mut start = 0;
    while let Some(pos) = hay[start..].find(from).map(|p| p + start) {
        let end = pos + fb.len();
        let left_ok = !is_word(fb[0]) || pos == 0 || !is_word(sb[pos - 1]);
        let right_ok = !is_word(fb[fb.len() - 1]) || end == sb.len() || !is_word(sb[end]);
        if left_ok && right_ok {
            out.push_str(&s[last..pos]);
            out.push_str(&to(&s[pos..end]));
            last = end;
        }
        start = pos + 1;
        while !s.is_char_boundary(start) {
            start += 1;
        }
    }
    if last == 0 {
        return None;
    }
    out.push_str(&s[last..]);
    Some(out)
}

fn rewrite_text<'a>(s: &str, pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut cur = s.to_string();
    for (from, to) in pairs {
        if cur.contains(from) {
            if let Some(next) = replace_bounded(&cur, from, to) {
                cur = next;
            }
        }
    }
    cur
}

fn rewrite_text_ci<'a>(s: &str, pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut cur = s.to_string();
    for (from, to) in pairs {
        if let Some(next) = replace_bounded_ci(&cur, from, to) {
            cur = next;
        }
    }
    cur
}

/// A string literal of a query, translated for the hidden copy: the story's leads (see
/// [`TEXT`]) become the hidden variant's; everything else is left as written.
pub fn translate_lead(s: &str) -> String {
    static CAST: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    // The people the lessons introduce by name: `first.last` (UPNs, account names) and
    // `First Last` (display names). The rest of the cast is what a learner must find.
    let cast = CAST.get_or_init(|| {
        let named = [cast::MARIA, cast::SOFIA, cast::EMMA];
        let pairs = named.iter().map(|&k| (&super::names::STORY_PEOPLE[k], &HIDDEN_PEOPLE[k]));
        pairs
            .flat_map(|(&(f, l), &(hf, hl))| {
                let lower = |a: &str, b: &str| format!("{a}.{b}").to_lowercase();
                [(lower(f, l), lower(hf, hl)), (format!("{f} {l}"), format!("{hf} {hl}"))]
            })
            .collect()
    });
    let leads = TEXT[..LEADS].iter().map(|(a, b)| (*a, *b));
    let text = rewrite_text_ci(s, leads);
    rewrite_text_ci(&text, cast.iter().map(|(a, b)| (a.as_str(), b.as_str())))
}

/// A cell's text in the hidden variant.
pub(crate) fn rewrite(s: &str) -> String {
    rewrite_text(s, replacements().iter().map(|(a, b)| (a.as_str(), b.as_str())))
}

/// Another hash of the same length and alphabet, the same for the same input (so joins on
/// hashes still work): hexadecimal digits stay hexadecimal, in the same case.
fn other_hash(h: &str) -> String {
    if h.is_empty() || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return h.to_string();
    }
    let upper = h.bytes().any(|b| b.is_ascii_uppercase());
    let mut state = mix2(super::plan::fnv(h), SEED_SALT);
    let digits = if upper { b"0123456789ABCDEF" } else { b"0123456789abcdef" };
    (0..h.len())
        .map(|k| {
            if k % 16 == 0 {
                state = mix2(state, k as u64);
            }
            digits[((state >> (4 * (k % 16))) & 15) as usize] as char
        })
        .collect()
}

fn is_hash_column(name: &str) -> bool {
    name.ends_with("SHA1") || name.ends_with("SHA256") || name.ends_with("MD5")
}

/// A generated table as the variant tells it: every string and dynamic cell rewritten (once
/// per distinct string) and every file hash replaced. Variant 0 is returned untouched.
pub(crate) fn disguise(table: Table, variant: u8) -> Table {
    if variant == 0 {
        return table;
    }
    let fields = table.fields.clone();
    let columns = fields
        .iter()
        .zip(&table.columns)
        .map(|(f, c)| match c.as_ref() {
            Column::String(s) if is_hash_column(&f.name) => Arc::new(Column::String(s.map_dict(other_hash))),
            Column::String(s) => Arc::new(Column::String(rewrite_column(s))),
            Column::Dynamic(d) => Arc::new(Column::Dynamic(d.iter().map(rewrite_dynamic).collect())),
            _ => c.clone(),
        })
        .collect();
    Table::new(fields, columns)
}

/// A file hash written anywhere (a watchlist's indicator, a line of a bundled file): 32, 40 or
/// 64 hexadecimal digits.
fn is_hash_text(s: &str) -> bool {
    matches!(s.len(), 32 | 40 | 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A list a lesson or the catalog serves beside the tables (a watchlist) as the variant tells
/// it: like [`disguise`], and a cell that is a file hash is replaced whatever its column is
/// called (an indicator list holds hashes under `SearchKey`), the same way the tables' hash
/// columns are, so the list still matches the hidden tables.
pub(crate) fn disguise_list(table: Table, variant: u8) -> Table {
    if variant == 0 {
        return table;
    }
    let fields = table.fields.clone();
    let columns = table
        .columns
        .iter()
        .map(|c| match c.as_ref() {
            Column::String(s) => Arc::new(Column::String(s.map_dict(|v| if is_hash_text(v) { other_hash(v) } else { rewrite(v) }))),
            Column::Dynamic(d) => Arc::new(Column::Dynamic(d.iter().map(rewrite_dynamic).collect())),
            _ => c.clone(),
        })
        .collect();
    Table::new(fields, columns)
}

/// The text of a bundled file (`externaldata`) as the variant tells it: the story's facts
/// rewritten, and every word that is a file hash replaced as in the tables.
pub(crate) fn disguise_text(text: &str, variant: u8) -> String {
    if variant == 0 {
        return text.to_string();
    }
    let text = rewrite(text);
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for ch in text.chars().chain(std::iter::once('\n')) {
        if ch.is_ascii_hexdigit() {
            word.push(ch);
            continue;
        }
        // A hexadecimal run glued to other letters or digits is not a hash on its own.
        let glued = ch.is_alphanumeric() || out.chars().last().is_some_and(|c: char| c.is_alphanumeric());
        out.push_str(&if !glued && is_hash_text(&word) { other_hash(&word) } else { std::mem::take(&mut word) });
        word.clear();
        out.push(ch);
    }
    out.pop();
    out
}

fn rewrite_column(s: &StrColumn) -> StrColumn {
    s.map_dict(rewrite)
}

fn rewrite_dynamic(d: &Dynamic) -> Dynamic {
    if d.is_null() {
        return d.clone();
    }
    let json = d.to_json();
    let new = rewrite(&json);
    if new == json {
        return d.clone();
    }
    Dynamic::parse_json(&new).unwrap_or_else(|_| d.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_files_get_the_hidden_story_and_hashes() {
        let sha = "8e7463a22d3ceb830bbdf3291403b9e3487f1384b4e0b7ab2095e8057253cd50";
        let text = format!("Indicator,Kind\n203.0.113.45,ip\n{sha},sha256\nx{sha},glued\n");
        let out = disguise_text(&text, 1);
        assert_eq!(out, format!("Indicator,Kind\n203.0.113.162,ip\n{},sha256\nx{sha},glued\n", other_hash(sha)));
        assert_eq!(disguise_text(&text, 0), text, "variant 0 is the visible story");
        let t = crate::data::watchlists::from_csv("L", &text, None, 0).unwrap();
        let d = disguise_list(t, 1);
        let col: Vec<String> = (0..d.len()).map(|r| d.value(r, 2).to_display()).collect();
        assert_eq!(col, ["203.0.113.162".to_string(), other_hash(sha), format!("x{sha}")]);
    }

    #[test]
    fn replacements_respect_word_boundaries() {
        assert_eq!(rewrite("https://contoso-login.com/x"), "https://contoso-verify.com/x");
        assert_eq!(rewrite("203.0.113.45"), "203.0.113.162");
        assert_eq!(rewrite("203.0.113.450 1203.0.113.45"), "203.0.113.450 1203.0.113.45", "inside a longer number: untouched");
        assert_eq!(rewrite(r"C:\Users\emma.vargas\ContosoSync\sync.ps1"), r"C:\Users\ines.marlow\EdgeHelper\helper.ps1");
        assert_eq!(rewrite("ContosoSyncUpdate"), "EdgeHelperRefresh");
    }

    #[test]
    fn leads_are_translated_ignoring_case_and_answers_are_not() {
        assert_eq!(translate_lead("CONTOSO-LOGIN"), "CONTOSO-VERIFY");
        assert_eq!(translate_lead("Contoso-Login.com"), "contoso-verify.com");
        assert_eq!(translate_lead("sofia.lindqvist@contoso.com"), "mira.johansson@contoso.com");
        assert_eq!(translate_lead("priya.raman@contoso.com"), "priya.raman@contoso.com", "only the people the lessons name are leads");
        assert_eq!(translate_lead("203.0.113.45"), "203.0.113.45", "addresses are not leads");
    }

    #[test]
    fn hidden_names_are_new_and_unique() {
        use super::super::names::{FIRST_NAMES, LAST_NAMES, STORY_PEOPLE};
        assert_eq!(HIDDEN_PEOPLE.len(), STORY_PEOPLE.len());
        let mut seen = std::collections::HashSet::new();
        for (f, l) in HIDDEN_PEOPLE {
            assert!(!FIRST_NAMES.contains(f) && !STORY_PEOPLE.iter().any(|(sf, _)| sf == f), "{f}");
            assert!(!LAST_NAMES.contains(l) && !STORY_PEOPLE.iter().any(|(_, sl)| sl == l), "{l}");
            assert!(seen.insert(format!("{f}.{l}")));
        }
        assert_eq!(HIDDEN_PEOPLE[super::super::plan::cast::EMMA], ("Ines", "Marlow"), "the victim's rename matches TEXT");
    }

    #[test]
    fn hashes_change_but_stay_consistent() {
        let h = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        assert_eq!(other_hash(h), other_hash(h));
        assert_ne!(other_hash(h), h);
        assert_eq!(other_hash(h).len(), h.len());
        assert_eq!(other_hash(""), "");
    }
}
