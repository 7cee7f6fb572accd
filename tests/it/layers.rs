//! The layer check: no module of the crate imports one at its own layer or above it.
//!
//! The layer order is written once, in ARCHITECTURE.md (the block after the line
//! `<!-- layers: ... -->`), one layer per line, lowest last: `layer N: a, b`, then any
//! downward edges that are forbidden too: `forbid: a -> b`. This test reads it, collects
//! every `crate::X` path in `src/**/*.rs` per top-level module (test modules under
//! `#[cfg(test)]` excluded: they may reach anywhere), and fails on any path that runs
//! sideways or up, or is forbidden, naming the file, the line and the two modules.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The rules read from ARCHITECTURE.md.
struct Layers {
    /// Top-level module → layer number.
    of: BTreeMap<String, usize>,
    /// (from, to) pairs that may not be used although `to` is lower.
    forbidden: Vec<(String, String)>,
}

fn layers(architecture: &str) -> Result<Layers, String> {
    let start = architecture.find("<!-- layers:").ok_or("ARCHITECTURE.md has no '<!-- layers: ... -->' marker")?;
    let mut out = BTreeMap::new();
    let mut forbidden = Vec::new();
    for line in architecture[start..].lines().skip(1).skip_while(|l| l.trim().starts_with("```")) {
        let line = line.trim();
        if line.starts_with("```") {
            break;
        }
        if let Some(edge) = line.strip_prefix("forbid:") {
            let (from, to) = edge.split_once("->").ok_or_else(|| format!("a 'forbid:' line needs 'a -> b': {line:?}"))?;
            forbidden.push((from.trim().to_string(), to.trim().to_string()));
            continue;
        }
        let Some(rest) = line.strip_prefix("layer ") else { return Err(format!("a line of the layer block does not start with 'layer N:': {line:?}")) };
        let (n, names) = rest.split_once(':').ok_or_else(|| format!("no ':' after the layer number in {line:?}"))?;
        let n: usize = n.trim().parse().map_err(|_| format!("the layer number in {line:?} is not a number"))?;
        for name in names.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if out.insert(name.to_string(), n).is_some() {
                return Err(format!("module '{name}' is listed twice in the layer block"));
            }
        }
    }
    if out.is_empty() {
        return Err("the layer block in ARCHITECTURE.md is empty".into());
    }
    for (from, to) in &forbidden {
        if !out.contains_key(from) || !out.contains_key(to) {
            return Err(format!("'forbid: {from} -> {to}' names a module that has no layer"));
        }
    }
    Ok(Layers { of: out, forbidden })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable source folder") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code lines (1-based numbers kept) without comment lines and without items
/// under `#[cfg(test)]`. The tree is rustfmt-formatted, so an item's closing brace is the
/// first later line at the item's indentation that starts with `}`.
fn code_lines(text: &str) -> Vec<(usize, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        if t.starts_with("#[cfg(test)]") {
            // Skip further attributes, then the item.
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim_start().starts_with("#[") {
                j += 1;
            }
            if j < lines.len() {
                let indent = lines[j].len() - lines[j].trim_start().len();
                if lines[j].trim_end().ends_with('{') {
                    j += 1;
                    while j < lines.len() && !(lines[j].len() - lines[j].trim_start().len() == indent && lines[j].trim_start().starts_with('}')) {
                        j += 1;
                    }
                } else {
                    while j < lines.len() && !lines[j].trim_end().ends_with(';') {
                        j += 1;
                    }
                }
            }
            i = j + 1;
            continue;
        }
        if !t.starts_with("//") {
            out.push((i + 1, lines[i]));
        }
        i += 1;
    }
    out
}

/// The top-level modules a piece of code names with `crate::…` (also inside
/// `use crate::{a, b::c}` groups, which may span lines).
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(k) = code[from..].find("crate::") {
        let at = from + k;
        from = at + "crate::".len();
        // `kqlab_crate::` or `$crate::` are not this crate's paths from here (`$crate` is, but
        // only in macros, which the tree has none of across modules).
        if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
            continue;
        }
        let rest = &code[from..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level items of the group, at brace depth 0.
            let mut depth = 0;
            let mut item_start = true;
            for (off, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphabetic() || c == '_') => {
                        let name: String = group[off..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                        out.push((at, name));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                out.push((at, name));
            }
        }
    }
    out
}

/// Every import that runs sideways or up, as "file:line: message".
fn back_edges(root: &Path, rules: &Layers) -> Vec<String> {
    let layer_of = &rules.of;
    let src = root.join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).expect("under src");
        let first = rel.components().next().expect("a path").as_os_str().to_string_lossy().to_string();
        let module = first.trim_end_matches(".rs").to_string();
        // The crate root and the binaries sit above every module.
        if matches!(module.as_str(), "lib" | "main" | "bin") {
            continue;
        }
        let shown = format!("src/{}", rel.display());
        let Some(&mine) = layer_of.get(&module) else {
            problems.push(format!("{shown}: module '{module}' is not in ARCHITECTURE.md's layer block; add it to the layer it belongs to"));
            continue;
        };
        let text = fs::read_to_string(&file).expect("readable source file");
        let lines = code_lines(&text);
        let mut code = String::new();
        let mut line_at = Vec::new();
        for (n, l) in &lines {
            line_at.push((code.len(), *n));
            code.push_str(l);
            code.push('\n');
        }
        for (at, target) in crate_paths(&code) {
            if target == module {
                continue;
            }
            let line = line_at.iter().rev().find(|(start, _)| *start <= at).map_or(0, |(_, n)| *n);
            match layer_of.get(&target) {
                None => problems.push(format!("{shown}:{line}: 'crate::{target}' is not a module in ARCHITECTURE.md's layer block")),
                Some(&theirs) if theirs >= mine => problems.push(format!(
                    "{shown}:{line}: '{module}' (layer {mine}) imports '{target}' (layer {theirs}); a module may use only modules on lower layers"
                )),
                Some(_) if rules.forbidden.iter().any(|(f, t)| *f == module && *t == target) => {
                    problems.push(format!("{shown}:{line}: '{module}' imports '{target}', which ARCHITECTURE.md forbids (forbid: {module} -> {target})"))
                }
                Some(_) => {}
            }
        }
    }
    problems
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn no_module_imports_its_own_layer_or_one_above() {
    let architecture = fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let rules = layers(&architecture).unwrap_or_else(|e| panic!("{e}"));
    let problems = back_edges(&root(), &rules);
    assert!(problems.is_empty(), "{} import(s) break the layer order:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn every_top_level_module_has_a_layer() {
    let architecture = fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let layer_of = layers(&architecture).unwrap_or_else(|e| panic!("{e}")).of;
    for entry in fs::read_dir(root().join("src")).expect("src") {
        let name = entry.expect("entry").file_name().to_string_lossy().trim_end_matches(".rs").to_string();
        if !matches!(name.as_str(), "lib" | "main" | "bin") {
            assert!(layer_of.contains_key(&name), "src/{name} is not in ARCHITECTURE.md's layer block");
        }
    }
    for name in layer_of.keys() {
        let exists = root().join("src").join(name).is_dir() || root().join("src").join(format!("{name}.rs")).is_file();
        assert!(exists, "ARCHITECTURE.md's layer block lists '{name}', which is not a module under src/");
    }
}

#[test]
fn the_scanner_sees_grouped_multi_line_and_nested_paths_and_skips_tests_and_comments() {
    let code = "use crate::{\n    diag::Span,\n    exec::{self, run},\n};\n// crate::web in a comment\nfn f() { crate::bind::bind(); }\n#[cfg(test)]\nmod tests {\n    use crate::app;\n}\nfn g() { my_crate::x(); }\n";
    let kept: String = code_lines(code).iter().map(|(_, l)| format!("{l}\n")).collect();
    let names: Vec<String> = crate_paths(&kept).into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, ["diag", "exec", "bind"]);
}

#[test]
fn a_sideways_upward_or_forbidden_import_is_reported_with_file_and_line() {
    // A scratch tree: `low` imports `high`, which sits above it; `a` and `b` share a layer;
    // `high` may use `low` but not `a`.
    let dir = std::env::temp_dir().join(format!("kqlab-layers-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("src/low")).unwrap();
    fs::write(dir.join("src/low/mod.rs"), "//! low\n\nuse crate::high::X;\n").unwrap();
    fs::write(dir.join("src/a.rs"), "fn f() { crate::b::g() }\n").unwrap();
    fs::write(dir.join("src/b.rs"), "").unwrap();
    fs::write(dir.join("src/high.rs"), "use crate::low::Y;\nuse crate::a::Z;\n").unwrap();
    let arch = "<!-- layers: test -->\n```text\nlayer 2: high\nlayer 1: a, b\nlayer 0: low\nforbid: high -> a\n```\n";
    let problems = back_edges(&dir, &layers(arch).unwrap());
    let _ = fs::remove_dir_all(&dir);
    assert_eq!(
        problems,
        [
            "src/a.rs:1: 'a' (layer 1) imports 'b' (layer 1); a module may use only modules on lower layers",
            "src/high.rs:2: 'high' imports 'a', which ARCHITECTURE.md forbids (forbid: high -> a)",
            "src/low/mod.rs:3: 'low' (layer 0) imports 'high' (layer 2); a module may use only modules on lower layers",
        ]
    );
}
