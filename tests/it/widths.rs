//! Dictionary code widths (issue 17): a string column stores its per-row codes in 1, 2 or 4
//! bytes, the narrowest that holds its dictionary. The width is storage only: every query gives
//! the same answer whichever width a column has, and a column whose dictionary grows past 256
//! (or 65,536) entries while it is built, concatenated or unioned widens its codes on the way.

use kqlab::engine::{self, RunOptions};
use kqlab::table::{Catalog, Codes, CodesBuilder, Column, ColumnBuilder, Field, Prim, StrColumn, StrDict, Table, TableDoc};
use kqlab::types::{DataType, Value};
use std::sync::Arc;

fn width(c: &Column) -> usize {
    c.as_str_column().expect("a string column").codes.width()
}

fn texts(c: &Column) -> Vec<String> {
    (0..c.len()).map(|i| c.value(i).to_display()).collect()
}

#[test]
fn the_width_is_the_narrowest_that_holds_the_dictionary() {
    for (entries, expected) in [(1, 1), (256, 1), (257, 2), (65_536, 2), (65_537, 4)] {
        let values: Vec<String> = (0..entries).map(|i| format!("v{i}")).collect();
        let c = Column::String(StrColumn::from_strs(values.iter().map(String::as_str)));
        assert_eq!(width(&c), expected, "{entries} entries");
        assert_eq!(texts(&c), values, "{entries} entries: the values survive");
        assert_eq!(c.heap_bytes(), entries * expected + c.as_str_column().unwrap().dict.heap_bytes());
    }
}

#[test]
fn a_dictionary_that_grows_past_256_and_65536_entries_during_a_build_widens_the_codes() {
    let mut b = ColumnBuilder::new(DataType::String, 0);
    let mut expect = Vec::new();
    // Repeats among the new values, so codes written before each widening are read back too.
    for i in 0..100_000usize {
        let s = format!("s{}", if i % 3 == 0 { i / 7 } else { i });
        b.push(&Value::str(&s));
        expect.push(s);
    }
    let c = b.finish();
    assert_eq!(width(&c), 4);
    assert_eq!(texts(&c), expect);

    let mut codes = CodesBuilder::new();
    for k in [0u32, 255, 256, 7, 65_535, 65_536, 3] {
        codes.push(k);
    }
    assert_eq!(codes.finish().to_u32(), vec![0, 255, 256, 7, 65_535, 65_536, 3]);
}

#[test]
fn concatenating_two_narrow_columns_into_a_wider_dictionary_widens_the_codes() {
    let a: Vec<String> = (0..200).map(|i| format!("a{i}")).collect();
    let b: Vec<String> = (0..200).map(|i| format!("b{i}")).collect();
    let ca = Column::String(StrColumn::from_strs(a.iter().map(String::as_str)));
    let cb = Column::String(StrColumn::from_strs(b.iter().map(String::as_str)));
    assert_eq!((width(&ca), width(&cb)), (1, 1));
    let both = Column::concat(DataType::String, &[&ca, &cb]);
    assert_eq!(width(&both), 2, "400 entries need 2 bytes");
    assert_eq!(texts(&both), a.iter().chain(&b).cloned().collect::<Vec<_>>());

    // The same through a query: `union` of two tables whose columns are 1 byte wide.
    let mut cat = Catalog::new();
    for (name, col) in [("A", ca), ("B", cb)] {
        cat.insert(name, Table::new(vec![Field::new("s", DataType::String)], vec![Arc::new(col)]), TableDoc::default());
    }
    let r = engine::run("union A, B | summarize n = dcount(s), f = min(s), l = max(s)", &cat, &RunOptions::default()).expect("runs");
    assert_eq!(r.table.row(0), vec![Value::Long(400), Value::str("a0"), Value::str("b99")]);
    let r = engine::run("union A, B | where s in ('a199', 'b0', 'b199') | order by s asc", &cat, &RunOptions::default()).expect("runs");
    assert_eq!(texts(&r.table.columns[0]), vec!["a199", "b0", "b199"]);
}

/// A table whose `s` and `u` columns hold the same values with codes of the given width
/// (`u` draws from a 300-entry dictionary, so it has one row per entry at least once).
fn table_in_width(w: usize) -> Table {
    let n = 3000usize;
    let words = ["alpha", "Beta", "gamma-login", "delta", "", "epsilon signin", "zeta", "eta"];
    let s_vals: Vec<&str> = (0..n).map(|i| words[(i * 7 + i / 5) % words.len()]).collect();
    let u_strings: Vec<String> = (0..n).map(|i| format!("user{:03}@contoso.com", (i * 31) % 300)).collect();
    let col = |vals: Vec<&str>| {
        let narrow = StrColumn::from_strs(vals);
        let codes = narrow.codes.to_u32();
        let codes = match w {
            1 => Codes::U8(codes.iter().map(|&c| u8::try_from(c).expect("fits one byte")).collect()),
            2 => Codes::U16(codes.iter().map(|&c| c as u16).collect()),
            _ => Codes::U32(codes),
        };
        StrColumn { dict: narrow.dict.clone(), codes }
    };
    let s = col(s_vals.clone());
    // 300 entries do not fit one byte: in the 1-byte table `u` is 2 bytes wide.
    let u = col_wide(&u_strings, w.max(2));
    // `p` repeats entries in its dictionary (not deduplicated), as generated id columns do.
    let plain = StrColumn::from_strs_plain(s_vals.iter().copied());
    let p = match w {
        4 => StrColumn { codes: Codes::U32(plain.codes.to_u32()), dict: plain.dict.clone() },
        _ => StrColumn { codes: Codes::U16(plain.codes.to_u32().iter().map(|&c| c as u16).collect()), dict: plain.dict.clone() },
    };
    assert_eq!(s.codes.width(), w);
    Table::new(
        vec![Field::new("i", DataType::Long), Field::new("s", DataType::String), Field::new("u", DataType::String), Field::new("p", DataType::String)],
        vec![Arc::new(Column::Long(Prim::new((0..n as i64).collect()))), Arc::new(Column::String(s)), Arc::new(Column::String(u)), Arc::new(Column::String(p))],
    )
}

fn col_wide(vals: &[String], w: usize) -> StrColumn {
    let narrow = StrColumn::from_strs(vals.iter().map(String::as_str));
    let codes = narrow.codes.to_u32();
    let codes = match w {
        2 => Codes::U16(codes.iter().map(|&c| c as u16).collect()),
        _ => Codes::U32(codes),
    };
    StrColumn { dict: narrow.dict.clone(), codes }
}

fn rows(q: &str, cat: &Catalog) -> Vec<Vec<String>> {
    let r = engine::run(q, cat, &RunOptions::default()).unwrap_or_else(|e| panic!("{q}: {e:?}"));
    (0..r.table.len()).map(|i| r.table.columns.iter().map(|c| c.value(i).to_display()).collect()).collect()
}

#[test]
fn every_kernel_answers_the_same_for_each_code_width() {
    let queries = [
        "T | where s == 'delta' | count",
        "T | where s != '' | summarize n = count() by s | order by s asc",
        "T | where s contains 'login' or s has 'signin' | summarize count()",
        "T | where s startswith 'g' | project i, s | take 5",
        "T | where s in~ ('BETA', 'zeta') | summarize n = count(), m = max(i)",
        "T | where s matches regex '^e' | count",
        "T | summarize n = count(), d = dcount(s), set = make_set(s) by u | order by u asc | take 20",
        "T | summarize d = dcount(u) by s | order by s asc",
        "T | summarize n = count() by s, u | order by n desc, s asc, u asc | take 10",
        "T | summarize n = count() by p | order by p asc",
        "T | distinct s, u | count",
        "T | order by s asc, u desc, i asc | project i | take 30",
        "T | top 5 by s desc, i asc | project i, s",
        "T | extend l = strlen(s), up = toupper(s), q = iff(s == 'eta', 'yes', 'no') | summarize sum(l), dcount(up), countif(q == 'yes')",
        "T | extend same = s == p, other = u == s | summarize countif(same), countif(other)",
        "T | where s == 'alpha' | join kind=inner (T | where s == 'alpha' | summarize by u) on u | count",
        "T | summarize by s | join kind=leftouter (T | summarize n = count() by p) on $left.s == $right.p | order by s asc",
        "T | extend x = tolong(i % 3) | summarize by s, x | count",
        "T | project s | union (T | project s = u) | summarize dcount(s)",
        "T | serialize | extend prev_s = prev(s) | where prev_s == s | count",
    ];
    let cats: Vec<Catalog> = [1usize, 2, 4]
        .iter()
        .map(|&w| {
            let mut cat = Catalog::new();
            cat.insert("T", table_in_width(w), TableDoc::default());
            cat
        })
        .collect();
    for q in queries {
        let answers: Vec<_> = cats.iter().map(|c| rows(q, c)).collect();
        assert!(!answers[0].is_empty(), "{q}: no rows");
        assert_eq!(answers[0], answers[1], "{q}: 1-byte and 2-byte codes differ");
        assert_eq!(answers[0], answers[2], "{q}: 1-byte and 4-byte codes differ");
    }
}

#[test]
fn the_generated_click_table_uses_one_byte_codes_for_its_small_dictionaries() {
    let spec = kqlab::data::DatasetSpec::new(42, 20_000, kqlab::types::time::parse_datetime("2026-11-22T12:00:00Z").unwrap());
    let t = kqlab::data::url_click_events(&spec);
    for name in ["ActionType", "AccountUpn", "Workload", "ThreatTypes", "AppName", "TenantId", "Type"] {
        let c = t.column(name).expect("a column");
        let s = c.as_str_column().expect("a string column");
        assert!(s.dict.len() <= 256, "{name}: {} entries", s.dict.len());
        assert_eq!(s.codes.width(), 1, "{name}");
    }
    let url = t.column("Url").unwrap().as_str_column().unwrap();
    assert_eq!(url.codes.width(), Codes::width_for(url.dict.len()), "Url: {} entries", url.dict.len());
    // Equal to a dictionary rebuilt from the values (same strings row by row).
    let rebuilt = StrDict::from_strings(url.dict.iter());
    assert_eq!(rebuilt.len(), url.dict.len());
}
