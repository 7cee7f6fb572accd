//! Literal text a regular expression needs, for a pre-filter before the regex runs.
//!
//! kqlab's regex engine (`regex-lite`, chosen for the size of the web module) has no literal
//! optimisations: every haystack goes through its NFA simulation, about 2 µs per 100 bytes.
//! Most patterns people write contain plain text every match must include
//! (`net\s+group\s.*/domain` needs `net`, `group` and `/domain`), and a substring search
//! over a column's dictionary finds the few entries holding it many times faster
//! (`strops::dict_prefiltered`). [`required_literal`] finds such a piece of text.
//!
//! The scan is deliberately conservative: it only has to be right when it answers, so every
//! construct it does not fully understand makes it answer `None` (no pre-filter) rather than
//! guess. It answers only for patterns that compile (the caller compiles first), which rules
//! out unbalanced groups and classes.

/// The longest run of ASCII text that every match of `pattern` contains, compared
/// case-insensitively (the pre-filter's search ignores ASCII case, which also covers `(?i)`).
/// `None` when there is none or the pattern uses syntax this scan does not follow
/// (an alternation at the top level, verbose mode `(?x)`, unknown escapes).
pub fn required_literal(pattern: &str) -> Option<String> {
    let p: Vec<char> = pattern.chars().collect();
    if verbose_mode(&p) {
        return None;
    }
    let mut runs: Vec<String> = Vec::new();
    let mut cur = String::new();
    // Whether the last atom was a character appended to `cur` (a quantifier may remove it).
    let mut last_literal = false;
    // Whether the last thing read was a quantifier: one more (`a{2}{0,1}`, `a+(?i)?`) would
    // repeat the repetition, which this scan does not follow.
    let mut after_quantifier = false;
    let mut i = 0;
    let end_run = |cur: &mut String, runs: &mut Vec<String>| {
        if !cur.is_empty() {
            runs.push(std::mem::take(cur));
        }
    };
    while i < p.len() {
        let c = p[i];
        match c {
            '|' => return None,
            '(' => {
                let close = skip_group(&p, i)?;
                // `(?flags)` sets flags and matches nothing; any other group is one atom whose
                // text this scan does not look into.
                let flags_only = p.get(i + 1) == Some(&'?') && p[i + 2..close - 1].iter().all(|c| c.is_ascii_alphabetic() || *c == '-');
                // A quantifier after `(?i)` applies to the atom before it (`a(?i)?` is `a?`),
                // so a flag group leaves `last_literal` as it was.
                if !flags_only {
                    end_run(&mut cur, &mut runs);
                    last_literal = false;
                    after_quantifier = false;
                }
                i = close;
                continue;
            }
            '[' => {
                end_run(&mut cur, &mut runs);
                last_literal = false;
                i = skip_class(&p, i)?;
            }
            '.' | '^' | '$' => {
                end_run(&mut cur, &mut runs);
                last_literal = false;
                i += 1;
            }
            '?' | '*' | '+' | '{' => {
                if after_quantifier {
                    return None;
                }
                let (min_zero, next) = quantifier(&p, i)?;
                if last_literal && min_zero {
                    cur.pop();
                }
                end_run(&mut cur, &mut runs);
                last_literal = false;
                after_quantifier = true;
                i = next;
                continue;
            }
            '\\' => {
                let (lit, next) = escape(&p, i)?;
                match lit {
                    Some(ch) if ch.is_ascii() => {
                        cur.push(ch);
                        last_literal = true;
                    }
                    _ => {
                        end_run(&mut cur, &mut runs);
                        last_literal = false;
                    }
                }
                i = next;
            }
            ch if ch.is_ascii() => {
                cur.push(ch);
                last_literal = true;
                i += 1;
            }
            _ => {
                // Non-ASCII text: the pre-filter searches ASCII needles only.
                end_run(&mut cur, &mut runs);
                last_literal = false;
                i += 1;
            }
        }
        after_quantifier = false;
    }
    end_run(&mut cur, &mut runs);
    runs.into_iter().max_by_key(|r| r.len())
}

/// Whether verbose mode (`x`, where whitespace and `#` comments are not text) is mentioned in
/// any flag group, set or cleared: then no pre-filter.
fn verbose_mode(p: &[char]) -> bool {
    (0..p.len())
        .any(|i| p[i] == '(' && p.get(i + 1) == Some(&'?') && p[i + 2..].iter().take_while(|c| c.is_ascii_alphabetic() || **c == '-').any(|&c| c == 'x'))
}

/// The position after the group that opens at `p[i] == '('`, skipping escapes and classes.
fn skip_group(p: &[char], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = i;
    while j < p.len() {
        match p[j] {
            '\\' => j += 2,
            '[' => j = skip_class(p, j)?,
            '(' => {
                depth += 1;
                j += 1;
            }
            ')' => {
                depth -= 1;
                j += 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => j += 1,
        }
    }
    None
}

/// The position after the class that opens at `p[i] == '['`: a `]` right after the opening
/// (or after `^`) is a member, `[` opens a nested class (`[[:alpha:]]`, `[a[bc]]`).
fn skip_class(p: &[char], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if p.get(j) == Some(&'^') {
        j += 1;
    }
    if p.get(j) == Some(&']') {
        j += 1;
    }
    while j < p.len() {
        match p[j] {
            '\\' => j += 2,
            '[' => j = skip_class(p, j)?,
            ']' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// The quantifier at `p[i]`: whether it allows zero repetitions, and the position after it
/// (and after a lazy `?`). `None` for a `{` that is not a counted repetition.
fn quantifier(p: &[char], i: usize) -> Option<(bool, usize)> {
    let (min_zero, mut j) = match p[i] {
        '?' | '*' => (true, i + 1),
        '+' => (false, i + 1),
        _ => {
            let close = i + p[i..].iter().position(|&c| c == '}')?;
            let body: String = p[i + 1..close].iter().collect();
            let min = body.split(',').next()?.trim();
            if min.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == ',' || c == ' ') {
                return None;
            }
            (min.parse::<u64>().ok()? == 0, close + 1)
        }
    };
    if p.get(j) == Some(&'?') {
        j += 1;
    }
    Some((min_zero, j))
}

/// The escape at `p[i] == '\\'`: the character it stands for when it is one fixed character
/// (`\.`, `\/`, `\ `), otherwise `None` (classes such as `\d`, assertions, code points), and
/// the position after it. An escape this scan does not know ends the scan (`Err` as `None`).
fn escape(p: &[char], i: usize) -> Option<(Option<char>, usize)> {
    let c = *p.get(i + 1)?;
    let after = i + 2;
    // A code point given in hex: one character, but not decoded here.
    let hex = |digits: usize| -> Option<usize> {
        if p.get(after) == Some(&'{') {
            Some(after + p[after..].iter().position(|&c| c == '}')? + 1)
        } else {
            (p.len() >= after + digits && p[after..after + digits].iter().all(|c| c.is_ascii_hexdigit())).then_some(after + digits)
        }
    };
    Some(match c {
        'x' => (None, hex(2)?),
        'u' => (None, hex(4)?),
        'U' => (None, hex(8)?),
        // `\b{start}` and friends.
        'b' if p.get(after) == Some(&'{') => (None, after + p[after..].iter().position(|&c| c == '}')? + 1),
        'd' | 'D' | 's' | 'S' | 'w' | 'W' | 'b' | 'B' | 'A' | 'z' | 'a' | 'f' | 't' | 'n' | 'r' | 'v' | '<' | '>' => (None, after),
        c if c.is_ascii_punctuation() || c == ' ' => (Some(c), after),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::required_literal as lit;

    #[test]
    fn plain_text_and_breaks() {
        assert_eq!(lit(r"net\s+group\s.*/domain").as_deref(), Some("/domain"));
        assert_eq!(lit("powershell").as_deref(), Some("powershell"));
        assert_eq!(lit(r"evil\.com").as_deref(), Some("evil.com"));
        assert_eq!(lit(r"^https?://").as_deref(), Some("http"));
        assert_eq!(lit(r"a\d+bcd").as_deref(), Some("bcd"));
        assert_eq!(lit(r"[a-z]+\.exe$").as_deref(), Some(".exe"));
        assert_eq!(lit(r"\x41BC").as_deref(), Some("BC"));
        assert_eq!(lit(r"\x{41}BCD\u0041xy").as_deref(), Some("BCD"));
    }

    #[test]
    fn optional_characters_are_not_required() {
        // `s?` makes the `s` optional: `http` is required, `https` is not.
        assert_eq!(lit("https?").as_deref(), Some("http"));
        assert_eq!(lit("abcd*").as_deref(), Some("abc"));
        assert_eq!(lit("abcd{0,3}").as_deref(), Some("abc"));
        assert_eq!(lit("abcd{0}").as_deref(), Some("abc"));
        assert_eq!(lit("abcd+e").as_deref(), Some("abcd"));
        assert_eq!(lit("abcd{2}e").as_deref(), Some("abcd"));
        assert_eq!(lit("abcd*?x").as_deref(), Some("abc"));
        assert_eq!(lit("a?").as_deref(), None);
        // A repeated repetition: `b{2}` made optional as a whole.
        assert_eq!(lit("ab{2}{0,1}"), None);
        assert_eq!(lit("xyA+(?i)?"), None);
    }

    #[test]
    fn groups_classes_and_alternations() {
        assert_eq!(lit("foo|bar"), None);
        assert_eq!(lit("(foo|bar)baz").as_deref(), Some("baz"));
        assert_eq!(lit("(abcdef)?x").as_deref(), Some("x"));
        assert_eq!(lit(r"[|(]abc").as_deref(), Some("abc"));
        assert_eq!(lit(r"[]|]abc").as_deref(), Some("abc"));
        assert_eq!(lit(r"[[:alpha:]|]abc").as_deref(), Some("abc"));
        assert_eq!(lit(r"(a\)|b)cd").as_deref(), Some("cd"));
        assert_eq!(lit("(?i)PowerShell").as_deref(), Some("PowerShell"));
        assert_eq!(lit("ab(?i)cd").as_deref(), Some("abcd"));
        assert_eq!(lit("(?x)a b c"), None);
        assert_eq!(lit("ab(?-x)cd"), None);
        assert_eq!(lit("(?i:xyz)ab").as_deref(), Some("ab"));
        assert_eq!(lit("école"), Some("cole".to_string()));
        assert_eq!(lit(""), None);
        assert_eq!(lit(r"\d+"), None);
        assert_eq!(lit(r"\pL"), None);
    }

    /// Random patterns built from the constructs above, against random texts: whenever the
    /// regex matches, the text contains the literal (ignoring ASCII case). The alphabet is
    /// small so that matches are common.
    #[test]
    fn every_match_contains_the_literal() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let atoms = [
            "a",
            "b",
            "c",
            "A",
            "ab",
            "abc",
            "\\.",
            ".",
            "\\d",
            "\\s",
            " ",
            "[ab]",
            "[^a]",
            "(ab|c)",
            "(?:b)",
            "(?i)",
            "(?i:ab)",
            "é",
            "\\x61",
            "^",
            "$",
            "\\b",
            "\\b{start}",
            "[]a]",
            "(a(b)c)",
            "\\x{62}",
            "a{2}",
            "(?-i)",
            "[[:alpha:]]",
            "\\W",
        ];
        let quants = ["", "", "", "?", "*", "+", "{0,2}", "{2}", "{1,}", "??", "+?"];
        let alphabet = ['a', 'b', 'c', 'A', 'B', '.', ' ', '1', 'é'];
        let mut checked = 0;
        for _ in 0..6000 {
            let mut pat = String::new();
            for _ in 0..1 + next(5) {
                pat.push_str(atoms[next(atoms.len())]);
                pat.push_str(quants[next(quants.len())]);
            }
            let Ok(re) = crate::util::regex::compile_regex(&pat) else { continue };
            let Some(l) = lit(&pat) else { continue };
            let needle = l.to_ascii_lowercase();
            for _ in 0..40 {
                let text: String = (0..next(9)).map(|_| alphabet[next(alphabet.len())]).collect();
                if re.is_match(&text) {
                    checked += 1;
                    assert!(text.to_ascii_lowercase().contains(&needle), "{pat:?} matches {text:?} without {l:?}");
                }
            }
        }
        assert!(checked > 1000, "only {checked} matches checked");
    }
}
