//! A small argument parser: `--name value`, `--name=value`, flags and positionals.

use std::collections::BTreeMap;

pub struct Args {
    pub positional: Vec<String>,
    values: BTreeMap<String, Vec<String>>,
    flags: Vec<String>,
}

impl Args {
    /// Parses `argv`; `with_value` options take an argument, `flags` do not. Unknown options
    /// are errors naming the option.
    pub fn parse(argv: Vec<String>, with_value: &[&str], flags: &[&str]) -> Result<Args, String> {
        let mut a = Args { positional: Vec::new(), values: BTreeMap::new(), flags: Vec::new() };
        let mut it = argv.into_iter();
        while let Some(arg) = it.next() {
            if arg == "-" || !arg.starts_with("--") {
                a.positional.push(arg);
                continue;
            }
            let body = &arg[2..];
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (body.to_string(), None),
            };
            if with_value.contains(&name.as_str()) {
                let v = match inline {
                    Some(v) => v,
                    None => it.next().ok_or_else(|| format!("--{name} needs a value"))?,
                };
                a.values.entry(name).or_default().push(v);
            } else if flags.contains(&name.as_str()) {
                a.flags.push(name);
            } else {
                return Err(format!("unknown option --{name}"));
            }
        }
        Ok(a)
    }

    pub fn value(&self, name: &str) -> Option<String> {
        self.values.get(name).and_then(|v| v.last().cloned())
    }

    pub fn values(&self, name: &str) -> Vec<String> {
        self.values.get(name).cloned().unwrap_or_default()
    }

    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    pub fn number(&self, name: &str) -> Result<Option<u64>, String> {
        match self.value(name) {
            None => Ok(None),
            Some(v) => v.replace('_', "").parse::<u64>().map(Some).map_err(|_| format!("--{name} must be a whole number, not '{v}'")),
        }
    }
}
