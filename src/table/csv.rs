//! CSV import and export (filled in by the data layer).
use super::Table;
#[derive(Clone, Debug, PartialEq)]
pub struct CsvError { pub line: usize, pub message: String }
#[derive(Clone, Debug, Default)]
pub struct CsvOptions {}
pub fn read_csv(_text: &str, _opts: &CsvOptions) -> Result<Table, CsvError> { Err(CsvError { line: 0, message: "not yet".into() }) }
pub fn write_csv(_t: &Table) -> String { String::new() }
