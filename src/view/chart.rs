//! Charts for KQL's `render` operator, drawn as SVG text.
//!
//! Two steps: [`build_model`] reads a result table the way Kusto's `render` does (an x-axis
//! column, y-axis columns, series columns) and checks it can be drawn; [`render_svg`] lays the
//! model out (axes with round ticks, datetime labels, legend) and writes SVG. Every string
//! from the data is escaped, so a label like `<script>` is drawn as text.
//!
//! Defaults follow Kusto's documentation: the x-axis is the first column (for `timechart`,
//! the first datetime column), the y-axes are the numeric columns, and the first string
//! column splits rows into series. `xcolumn`, `ycolumns` and `series` override them.

use super::{escape_html, grid};
use crate::table::{Column, Field, Table};
use crate::types::{time, DataType, Dynamic, Value};
use chrono::{Datelike, NaiveDate, Timelike};
use std::collections::HashMap;
use std::fmt::Write as _;

/// The visualizations of `render` that kqlab draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartKind {
    TimeChart,
    LineChart,
    AreaChart,
    ColumnChart,
    BarChart,
    PieChart,
    ScatterChart,
}

impl ChartKind {
    pub const ALL: [ChartKind; 7] = [
        ChartKind::TimeChart,
        ChartKind::LineChart,
        ChartKind::AreaChart,
        ChartKind::ColumnChart,
        ChartKind::BarChart,
        ChartKind::PieChart,
        ChartKind::ScatterChart,
    ];

    /// The name used after `render`.
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::TimeChart => "timechart",
            ChartKind::LineChart => "linechart",
            ChartKind::AreaChart => "areachart",
            ChartKind::ColumnChart => "columnchart",
            ChartKind::BarChart => "barchart",
            ChartKind::PieChart => "piechart",
            ChartKind::ScatterChart => "scatterchart",
        }
    }

    /// Parses a visualization name (case-sensitive, as KQL keywords are).
    pub fn from_name(name: &str) -> Option<ChartKind> {
        ChartKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// How several series share a category or an x position (`render ... with (kind=...)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Stacking {
    /// Kusto's `default`: side by side (columns, bars) or overlapping (areas, lines).
    #[default]
    Unstacked,
    Stacked,
    /// Stacked and scaled so each category or x position sums to 100%.
    Stacked100,
}

/// What to draw: the `render` operator's visualization and properties.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartSpec {
    pub kind: ChartKind,
    pub title: Option<String>,
    /// The x-axis column (`xcolumn`); default: the first column.
    pub xcolumn: Option<String>,
    /// The y-axis columns (`ycolumns`); default: every numeric column not used otherwise.
    pub ycolumns: Vec<String>,
    /// Columns whose combined values name a series (`series`); default: the first string column.
    pub series: Vec<String>,
    pub xtitle: Option<String>,
    pub ytitle: Option<String>,
    /// `legend=visible` (default) or `hidden`.
    pub legend: bool,
    pub stacking: Stacking,
    pub ymin: Option<f64>,
    pub ymax: Option<f64>,
}

impl ChartSpec {
    /// A spec with Kusto's defaults for `kind`.
    pub fn new(kind: ChartKind) -> ChartSpec {
        ChartSpec {
            kind,
            title: None,
            xcolumn: None,
            ycolumns: Vec::new(),
            series: Vec::new(),
            xtitle: None,
            ytitle: None,
            legend: true,
            stacking: Stacking::Unstacked,
            ymin: None,
            ymax: None,
        }
    }
}

/// Why a table cannot be drawn as requested, in words for the learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChartError {
    pub message: String,
}

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ChartError {}

fn err(message: impl Into<String>) -> ChartError {
    ChartError { message: message.into() }
}

/// The x-axis of a model.
#[derive(Clone, Debug, PartialEq)]
pub enum XAxis {
    /// Datetimes, as ticks (100 ns since the Unix epoch) held in `f64`.
    Time { min: f64, max: f64 },
    /// Numbers; `timespan` says values are timespan ticks and labels are durations.
    Number { min: f64, max: f64, timespan: bool },
    /// Labels in order of first appearance; point x values are indexes into them.
    Category { labels: Vec<String> },
}

/// One named line, set of columns, or the slices of a pie.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    /// `(x, y)`; x is a datetime tick count, a number or a category index (see [`XAxis`]).
    pub points: Vec<(f64, f64)>,
}

/// A chart ready to lay out.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartModel {
    pub kind: ChartKind,
    pub title: Option<String>,
    pub x_title: String,
    pub y_title: String,
    pub x: XAxis,
    pub series: Vec<Series>,
    pub stacking: Stacking,
    pub legend: bool,
    pub ymin: Option<f64>,
    pub ymax: Option<f64>,
    /// Things the learner should know (series or categories left out).
    pub notes: Vec<String>,
}

/// At most this many series are drawn (the first ones in the data).
pub const MAX_SERIES: usize = 20;
/// At most this many categories are drawn by column and bar charts.
pub const MAX_CATEGORIES: usize = 100;
/// A pie shows this many slices; the rest are summed into "Other".
pub const MAX_SLICES: usize = 12;

fn column_list(table: &Table) -> String {
    table.fields.iter().map(|f| format!("{} ({})", f.name, f.ty)).collect::<Vec<_>>().join(", ")
}

fn numeric_at(col: &Column, row: usize) -> Option<f64> {
    let v = match col {
        Column::Int(p) => p.get(row).map(f64::from),
        Column::Long(p) | Column::DateTime(p) | Column::TimeSpan(p) => p.get(row).map(|v| v as f64),
        Column::Real(p) => p.get(row),
        Column::Bool(p) => p.get(row).map(|b| if b { 1.0 } else { 0.0 }),
        _ => None,
    };
    v.filter(|v| v.is_finite())
}

fn is_y_type(ty: DataType) -> bool {
    ty.is_numeric()
}

fn is_series_type(ty: DataType) -> bool {
    matches!(ty, DataType::String | DataType::Guid | DataType::Bool | DataType::Dynamic)
}

/// Suggests a chart for a result without `render`: a timechart when the first column is a
/// datetime and another column is numeric (the shape of `summarize ... by bin(Timestamp, 1h)`).
pub fn suggest(table: &Table) -> Option<ChartSpec> {
    let first = table.fields.first()?;
    (first.ty == DataType::DateTime && table.fields.iter().skip(1).any(|f| is_y_type(f.ty)) && table.len() > 1).then(|| ChartSpec::new(ChartKind::TimeChart))
}

/// The first array of a dynamic column, if its rows hold arrays.
fn first_array(col: &Column) -> Option<&[Dynamic]> {
    match col {
        Column::Dynamic(rows) => rows.iter().find_map(|d| match d {
            Dynamic::Array(a) => Some(a.as_slice()),
            _ => None,
        }),
        _ => None,
    }
}

/// A datetime inside a dynamic value: a datetime, or text that reads as one (how datetimes
/// arrive after a trip through JSON, e.g. from the query worker).
fn dynamic_time(d: &Dynamic) -> Option<i64> {
    match d {
        Dynamic::DateTime(t) => Some(*t),
        Dynamic::String(s) => time::parse_datetime(s),
        _ => None,
    }
}

fn is_time_array(col: &Column) -> bool {
    first_array(col).is_some_and(|a| a.iter().any(|d| dynamic_time(d).is_some()) && a.iter().all(|d| d.is_null() || dynamic_time(d).is_some()))
}

fn is_number_array(col: &Column) -> bool {
    first_array(col).is_some_and(|a| a.iter().all(|d| matches!(d, Dynamic::Long(_) | Dynamic::Real(_) | Dynamic::Null)))
}

/// `make-series` output (one row per series; the time axis and the values as arrays) turned
/// into one row per point, the shape `render` reads otherwise: Kusto draws each row's arrays
/// as a line, with x from the axis array. Returns the flat table (the axis, the row's other
/// columns, then the values) and how many of those other columns there are; `None` when the
/// table is not series-shaped.
pub fn expand_series(table: &Table, spec: &ChartSpec) -> Option<(Table, usize)> {
    let dynamic = |i: usize| table.fields[i].ty == DataType::Dynamic;
    let x = match &spec.xcolumn {
        Some(name) => {
            let i = table.column_index(name)?;
            (dynamic(i) && first_array(&table.columns[i]).is_some()).then_some(i)?
        }
        None => {
            // A scalar datetime column means the ordinary reading applies.
            if table.fields.iter().any(|f| f.ty == DataType::DateTime) {
                return None;
            }
            (0..table.fields.len()).find(|&i| dynamic(i) && is_time_array(&table.columns[i]))?
        }
    };
    let ys: Vec<usize> = if spec.ycolumns.is_empty() {
        (0..table.fields.len()).filter(|&i| i != x && dynamic(i) && is_number_array(&table.columns[i])).collect()
    } else {
        spec.ycolumns.iter().filter_map(|n| table.column_index(n)).filter(|&i| i != x && dynamic(i)).collect()
    };
    if ys.is_empty() {
        return None;
    }
    let keys: Vec<usize> = (0..table.fields.len()).filter(|&i| i != x && !ys.contains(&i) && !dynamic(i)).collect();
    let time_axis = is_time_array(&table.columns[x]);
    let mut fields = vec![Field::new(&table.fields[x].name, if time_axis { DataType::DateTime } else { DataType::Real })];
    fields.extend(keys.iter().map(|&k| table.fields[k].clone()));
    fields.extend(ys.iter().map(|&y| Field::new(&table.fields[y].name, DataType::Real)));
    let array_at = |c: usize, row: usize| match table.value(row, c) {
        Value::Dynamic(Dynamic::Array(a)) => a,
        _ => std::sync::Arc::new(Vec::new()),
    };
    let number = |d: Option<&Dynamic>| match d {
        Some(Dynamic::Long(v)) => Value::Real(*v as f64),
        Some(Dynamic::Real(v)) => Value::Real(*v),
        Some(Dynamic::DateTime(t)) => Value::DateTime(*t),
        _ => Value::Null,
    };
    let mut rows = Vec::new();
    for row in 0..table.len() {
        let axis = array_at(x, row);
        let values: Vec<_> = ys.iter().map(|&y| array_at(y, row)).collect();
        for (i, a) in axis.iter().enumerate() {
            let mut r =
                vec![if time_axis { dynamic_time(a).map_or(Value::Null, Value::DateTime) } else { number(Some(a)).as_f64().map_or(Value::Null, Value::Real) }];
            r.extend(keys.iter().map(|&k| table.value(row, k)));
            r.extend(values.iter().map(|v| number(v.get(i))));
            rows.push(r);
        }
    }
    Some((Table::from_rows(fields, &rows), keys.len()))
}

/// Reads a table as `render` does and checks it can be drawn. Series arrays (the output of
/// `make-series`) are drawn one line per row.
pub fn build_model(table: &Table, spec: &ChartSpec) -> Result<ChartModel, ChartError> {
    match expand_series(table, spec) {
        Some((flat, n_keys)) => {
            // The flat table is: the axis, the row's other columns (they name the series), the values.
            let mut spec = spec.clone();
            spec.ycolumns = flat.fields[1 + n_keys..].iter().map(|f| f.name.clone()).collect();
            if spec.series.is_empty() {
                spec.series = flat.fields[1..1 + n_keys].iter().map(|f| f.name.clone()).collect();
            }
            build_rows_model(&flat, &spec)
        }
        None => build_rows_model(table, spec),
    }
}

fn build_rows_model(table: &Table, spec: &ChartSpec) -> Result<ChartModel, ChartError> {
    let kind = spec.kind;
    if table.fields.is_empty() {
        return Err(err("The result has no columns to chart."));
    }
    let find = |name: &str, what: &str| {
        table.column_index(name).ok_or_else(|| err(format!("The {what} '{name}' is not a column of the result. Columns: {}.", column_list(table))))
    };
    let x = match &spec.xcolumn {
        Some(name) => find(name, "xcolumn")?,
        None if kind == ChartKind::TimeChart => table.fields.iter().position(|f| f.ty == DataType::DateTime).unwrap_or(0),
        None => 0,
    };
    let x_field = &table.fields[x];
    if kind == ChartKind::TimeChart && x_field.ty != DataType::DateTime {
        return Err(err(format!(
            "A timechart needs a datetime column for its x-axis, but '{}' is {}. Summarize by a time bin, e.g. `summarize count() by bin(Timestamp, 1h)`, or choose another chart.",
            x_field.name, x_field.ty
        )));
    }
    let mut ys: Vec<usize> = Vec::new();
    for name in &spec.ycolumns {
        let i = find(name, "ycolumn")?;
        let f = &table.fields[i];
        if !is_y_type(f.ty) {
            return Err(err(format!("The ycolumn '{}' is {}; a chart can only plot numbers (int, long, real).", f.name, f.ty)));
        }
        ys.push(i);
    }
    let series_cols: Vec<usize> = if !spec.series.is_empty() {
        spec.series.iter().map(|n| find(n, "series column")).collect::<Result<_, _>>()?
    } else if kind == ChartKind::PieChart {
        Vec::new()
    } else {
        table.fields.iter().enumerate().find(|(i, f)| *i != x && !ys.contains(i) && is_series_type(f.ty)).map(|(i, _)| vec![i]).unwrap_or_default()
    };
    if ys.is_empty() {
        ys = (0..table.fields.len()).filter(|i| *i != x && !series_cols.contains(i) && is_y_type(table.fields[*i].ty)).collect();
        if kind == ChartKind::PieChart {
            ys.truncate(1);
        }
    }
    if ys.is_empty() {
        return Err(err(format!(
            "A {} needs a numeric column to plot, and the result has none besides the x-axis. Columns: {}.",
            kind.name(),
            column_list(table)
        )));
    }

    let x_col = &*table.columns[x];
    let categorical = match kind {
        ChartKind::ColumnChart | ChartKind::BarChart | ChartKind::PieChart => true,
        ChartKind::TimeChart => false,
        _ => !matches!(x_field.ty, DataType::DateTime | DataType::Int | DataType::Long | DataType::Real | DataType::TimeSpan),
    };
    let datetime_labels = categorical && x_field.ty == DataType::DateTime;
    let day_only = datetime_labels
        && match x_col {
            Column::DateTime(p) => p.iter().flatten().all(|t| t.rem_euclid(time::TICKS_PER_DAY) == 0),
            _ => false,
        };

    let mut notes = Vec::new();
    let mut series: Vec<Series> = Vec::new();
    let mut series_index: HashMap<String, usize> = HashMap::new();
    let mut dropped_series = 0usize;
    let mut labels: Vec<String> = Vec::new();
    let mut label_index: HashMap<String, usize> = HashMap::new();
    let mut dropped_categories = false;
    // (series, category) → index of the point, for summing repeated categories.
    let mut cat_points: HashMap<(usize, usize), usize> = HashMap::new();
    let max_categories = if kind == ChartKind::PieChart { usize::MAX } else { MAX_CATEGORIES };

    for row in 0..table.len() {
        let xv = if categorical {
            if x_col.is_null(row) && x_field.ty != DataType::String {
                continue;
            }
            let label = match x_col {
                Column::DateTime(p) => {
                    let t = p.get(row).unwrap_or_default();
                    let full = time::format_datetime(t);
                    if day_only {
                        full[..10].to_string()
                    } else {
                        full.trim_end_matches('Z').replacen('T', " ", 1)
                    }
                }
                _ => grid::format_cell(x_col, row),
            };
            let next = labels.len();
            let idx = match label_index.get(&label) {
                Some(&i) => i,
                None if next < max_categories => {
                    label_index.insert(label.clone(), next);
                    labels.push(label);
                    next
                }
                None => {
                    dropped_categories = true;
                    continue;
                }
            };
            idx as f64
        } else {
            match numeric_at(x_col, row) {
                Some(v) => v,
                None => continue,
            }
        };
        let key = series_cols.iter().map(|&c| grid::format_cell(&table.columns[c], row)).collect::<Vec<_>>().join(", ");
        for &y in &ys {
            let Some(yv) = numeric_at(&table.columns[y], row) else { continue };
            let name = match (series_cols.is_empty(), ys.len()) {
                (true, _) => table.fields[y].name.clone(),
                (false, 1) if key.is_empty() => "(empty)".to_string(),
                (false, 1) => key.clone(),
                (false, _) => format!("{key}, {}", table.fields[y].name),
            };
            let s = match series_index.get(&name) {
                Some(&s) => s,
                None if series.len() < MAX_SERIES => {
                    series_index.insert(name.clone(), series.len());
                    series.push(Series { name, points: Vec::new() });
                    series.len() - 1
                }
                None => {
                    dropped_series += 1;
                    series_index.insert(name, usize::MAX);
                    continue;
                }
            };
            if s == usize::MAX {
                continue;
            }
            if categorical {
                let c = xv as usize;
                match cat_points.get(&(s, c)) {
                    Some(&p) => series[s].points[p].1 += yv,
                    None => {
                        cat_points.insert((s, c), series[s].points.len());
                        series[s].points.push((xv, yv));
                    }
                }
            } else {
                series[s].points.push((xv, yv));
            }
        }
    }
    if dropped_series > 0 {
        notes.push(format!("Showing the first {MAX_SERIES} series of {}.", MAX_SERIES + dropped_series));
    }
    if dropped_categories {
        notes.push(format!("Showing the first {MAX_CATEGORIES} categories."));
    }

    let xaxis = if categorical {
        XAxis::Category { labels }
    } else {
        if kind != ChartKind::ScatterChart {
            for s in &mut series {
                crate::util::sort::sort_by(&mut s.points, |a, b| a.0.total_cmp(&b.0));
            }
        }
        let (lo, hi) = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 0.0) };
        if x_field.ty == DataType::DateTime {
            XAxis::Time { min: lo, max: hi }
        } else {
            XAxis::Number { min: lo, max: hi, timespan: x_field.ty == DataType::TimeSpan }
        }
    };

    let series = if kind == ChartKind::PieChart { pie_slices(series, &mut notes) } else { series };

    let y_title = spec.ytitle.clone().unwrap_or_else(|| if ys.len() == 1 { table.fields[ys[0]].name.clone() } else { String::new() });
    Ok(ChartModel {
        kind,
        title: spec.title.clone(),
        x_title: spec.xtitle.clone().unwrap_or_else(|| x_field.name.clone()),
        y_title,
        x: xaxis,
        series,
        stacking: spec.stacking,
        legend: spec.legend,
        ymin: spec.ymin,
        ymax: spec.ymax,
        notes,
    })
}

/// A pie uses one series: one point per label, summed, without non-positive values; small
/// slices beyond [`MAX_SLICES`] become "Other".
fn pie_slices(series: Vec<Series>, notes: &mut Vec<String>) -> Vec<Series> {
    let Some(first) = series.into_iter().next() else { return Vec::new() };
    let mut slices: Vec<(f64, f64)> = first.points.into_iter().filter(|p| p.1 > 0.0).collect();
    if slices.len() > MAX_SLICES {
        let mut by_size = slices.clone();
        crate::util::sort::sort_by(&mut by_size, |a, b| b.1.total_cmp(&a.1));
        let cutoff = by_size[MAX_SLICES - 2].1;
        let mut kept = Vec::new();
        let mut other = 0.0;
        for p in slices {
            if p.1 >= cutoff && kept.len() < MAX_SLICES - 1 {
                kept.push(p);
            } else {
                other += p.1;
            }
        }
        kept.push((-1.0, other));
        notes.push(format!("Slices after the largest {} are summed into \"Other\".", MAX_SLICES - 1));
        slices = kept;
    }
    vec![Series { name: first.name, points: slices }]
}

/// Size of the SVG in user units (it scales to its container).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SvgOptions {
    pub width: f64,
    pub height: f64,
}

impl Default for SvgOptions {
    fn default() -> Self {
        SvgOptions { width: 800.0, height: 360.0 }
    }
}

/// Series colours (Tableau 10), readable on light and dark backgrounds.
pub const PALETTE: [&str; 10] = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

/// Reads the table, then draws it: the usual entry point.
pub fn chart_svg(table: &Table, spec: &ChartSpec, opts: &SvgOptions) -> Result<String, ChartError> {
    Ok(render_svg(&build_model(table, spec)?, opts))
}

/// Round numbers for an axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Ticks {
    pub min: f64,
    pub max: f64,
    pub step: f64,
    pub values: Vec<f64>,
}

fn nice_num(x: f64, round: bool) -> f64 {
    let exp = x.log10().floor();
    let f = x / 10f64.powf(exp);
    let nf = if round {
        if f < 1.5 {
            1.0
        } else if f < 3.0 {
            2.0
        } else if f < 7.0 {
            5.0
        } else {
            10.0
        }
    } else if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    nf * 10f64.powf(exp)
}

/// About `target` round ticks (steps of 1, 2 or 5 times a power of ten) covering `[min, max]`.
pub fn nice_ticks(min: f64, max: f64, target: usize) -> Ticks {
    let target = target.max(2);
    let (mut lo, mut hi) = if min.is_finite() && max.is_finite() { (min.min(max), min.max(max)) } else { (0.0, 1.0) };
    if lo == hi {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        lo -= pad;
        hi += pad;
        if min >= 0.0 && lo < 0.0 {
            lo = 0.0;
        }
    }
    let span = nice_num(hi - lo, false);
    let step = nice_num(span / (target - 1) as f64, true);
    if !step.is_finite() || step <= 0.0 {
        return Ticks { min: lo, max: hi, step: hi - lo, values: vec![lo, hi] };
    }
    let nmin = (lo / step).floor() * step;
    let nmax = (hi / step).ceil() * step;
    let decimals = (-step.log10().floor()).max(0.0) as i32;
    let scale = 10f64.powi(decimals.min(15));
    let count = ((nmax - nmin) / step).round() as usize;
    let values = (0..=count.min(1000)).map(|i| ((nmin + i as f64 * step) * scale).round() / scale).collect();
    Ticks { min: nmin, max: nmax, step, values }
}

/// Formats an axis number with as many decimals as the step needs; thousands get separators,
/// millions and more a suffix (`2.5M`).
pub fn format_number(v: f64, step: f64) -> String {
    let abs = v.abs();
    let (scaled, suffix, step) = if abs >= 1e9 {
        (v / 1e9, "B", step / 1e9)
    } else if abs >= 1e6 {
        (v / 1e6, "M", step / 1e6)
    } else {
        (v, "", step)
    };
    let decimals = if step > 0.0 && step.is_finite() { (-step.log10().floor()).clamp(0.0, 6.0) as usize } else { 0 };
    let text = format!("{:.*}", decimals, scaled);
    let text = if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') { text[1..].to_string() } else { text };
    if suffix.is_empty() && decimals == 0 && abs >= 1000.0 {
        let (sign, digits) = if let Some(d) = text.strip_prefix('-') { ("-", d) } else { ("", text.as_str()) };
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
        return format!("{sign}{out}");
    }
    format!("{text}{suffix}")
}

/// How datetime ticks are spaced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeStep {
    /// A fixed number of ticks (100 ns units).
    Fixed(i64),
    Months(u32),
    Years(i32),
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// At most about `target` datetime ticks on round times in UTC (whole minutes, hours, days,
/// months or years) inside `[min, max]`.
pub fn time_ticks(min: f64, max: f64, target: usize) -> (Vec<i64>, TimeStep) {
    use time::{TICKS_PER_DAY as D, TICKS_PER_HOUR as H, TICKS_PER_MILLI as MS, TICKS_PER_MINUTE as M, TICKS_PER_SECOND as S};
    let target = target.max(2) as f64;
    let lo = min.clamp(time::MIN_DATETIME as f64, time::MAX_DATETIME as f64) as i64;
    let hi = max.clamp(time::MIN_DATETIME as f64, time::MAX_DATETIME as f64) as i64;
    let span = (hi - lo) as f64;
    let fixed = [
        MS,
        2 * MS,
        5 * MS,
        10 * MS,
        20 * MS,
        50 * MS,
        100 * MS,
        200 * MS,
        500 * MS,
        S,
        2 * S,
        5 * S,
        10 * S,
        15 * S,
        30 * S,
        M,
        2 * M,
        5 * M,
        10 * M,
        15 * M,
        30 * M,
        H,
        2 * H,
        3 * H,
        6 * H,
        12 * H,
        D,
        2 * D,
        3 * D,
        5 * D,
        7 * D,
        14 * D,
    ];
    let step = fixed
        .iter()
        .find(|&&s| span / s as f64 <= target)
        .map(|&s| TimeStep::Fixed(s))
        .or_else(|| [1u32, 2, 3, 6].into_iter().find(|&m| span / (m as f64 * 30.44 * D as f64) <= target).map(TimeStep::Months))
        .unwrap_or_else(|| {
            let years = span / (365.25 * D as f64);
            let y = (0..5).flat_map(|e| [1, 2, 5].map(|m| m * 10i32.pow(e))).find(|&y| years / y as f64 <= target).unwrap_or(100_000);
            TimeStep::Years(y)
        });
    let mut out = Vec::new();
    let Some(start) = time::to_naive(lo) else { return (out, step) };
    match step {
        TimeStep::Fixed(s) => {
            let mut t = lo.div_euclid(s) * s;
            if t < lo {
                t += s;
            }
            while t <= hi && out.len() < 1000 {
                out.push(t);
                t += s;
            }
        }
        TimeStep::Months(k) => {
            let d = start.date();
            let mut month0 = d.year() * 12 + d.month0() as i32;
            month0 = month0.div_euclid(k as i32) * k as i32;
            while let Some(date) = NaiveDate::from_ymd_opt(month0.div_euclid(12), month0.rem_euclid(12) as u32 + 1, 1) {
                let t = time::from_naive(date.and_hms_opt(0, 0, 0).expect("midnight exists"));
                if t > hi || out.len() >= 1000 {
                    break;
                }
                if t >= lo {
                    out.push(t);
                }
                month0 += k as i32;
            }
        }
        TimeStep::Years(k) => {
            let y0 = start.year();
            let mut y = y0.div_euclid(k) * k;
            while let Some(date) = NaiveDate::from_ymd_opt(y, 1, 1) {
                let t = time::from_naive(date.and_hms_opt(0, 0, 0).expect("midnight exists"));
                if t > hi || out.len() >= 1000 {
                    break;
                }
                if t >= lo {
                    out.push(t);
                }
                y += k;
            }
        }
    }
    (out, step)
}

/// The label of a datetime tick: the main text and, where the date (or year) changes from
/// the previous tick, a second line giving it.
pub fn time_label(t: i64, step: TimeStep, prev: Option<i64>) -> (String, Option<String>) {
    let Some(dt) = time::to_naive(t) else { return (String::new(), None) };
    let prev = prev.and_then(time::to_naive);
    let day = format!("{} {}", MONTHS[dt.month0() as usize], dt.day());
    let new_day = prev.is_none_or(|p| p.date() != dt.date());
    let new_year = prev.is_none_or(|p| p.year() != dt.year());
    match step {
        TimeStep::Fixed(s) if s < time::TICKS_PER_SECOND => {
            let ms = t.rem_euclid(time::TICKS_PER_SECOND) / time::TICKS_PER_MILLI;
            (format!("{:02}:{:02}:{:02}.{:03}", dt.hour(), dt.minute(), dt.second(), ms), new_day.then_some(day))
        }
        TimeStep::Fixed(s) if s < time::TICKS_PER_MINUTE => (format!("{:02}:{:02}:{:02}", dt.hour(), dt.minute(), dt.second()), new_day.then_some(day)),
        TimeStep::Fixed(s) if s < time::TICKS_PER_DAY => (format!("{:02}:{:02}", dt.hour(), dt.minute()), new_day.then_some(day)),
        TimeStep::Fixed(_) => (day, new_year.then(|| dt.year().to_string())),
        TimeStep::Months(_) => (MONTHS[dt.month0() as usize].to_string(), new_year.then(|| dt.year().to_string())),
        TimeStep::Years(_) => (dt.year().to_string(), None),
    }
}

fn approx_text_width(text: &str, font_px: f64) -> f64 {
    text.chars().count() as f64 * font_px * 0.6
}

fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(max_chars.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// A data value in a tooltip: integers with separators, other numbers with up to four
/// decimals.
fn plain_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format_number(v, 1.0)
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

struct Frame {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
}

impl Frame {
    fn right(&self) -> f64 {
        self.left + self.width
    }
    fn bottom(&self) -> f64 {
        self.top + self.height
    }
}

fn scale(v: f64, lo: f64, hi: f64, a: f64, b: f64) -> f64 {
    if hi > lo {
        a + (v - lo) / (hi - lo) * (b - a)
    } else {
        (a + b) / 2.0
    }
}

/// Stacked values per series: `(x, lower, upper)`. Unstacked charts use a zero lower bound.
fn stack(model: &ChartModel) -> Vec<Vec<(f64, f64, f64)>> {
    let mode = model.stacking;
    if mode == Stacking::Unstacked || model.kind == ChartKind::ScatterChart || model.kind == ChartKind::LineChart || model.kind == ChartKind::TimeChart {
        return model.series.iter().map(|s| s.points.iter().map(|&(x, y)| (x, 0.0, y)).collect()).collect();
    }
    // Sum per x position (exact x values; time bins and categories line up).
    let key = |x: f64| x.to_bits();
    let mut totals: HashMap<u64, f64> = HashMap::new();
    if mode == Stacking::Stacked100 {
        for s in &model.series {
            for &(x, y) in &s.points {
                *totals.entry(key(x)).or_default() += y.abs();
            }
        }
    }
    let mut pos: HashMap<u64, f64> = HashMap::new();
    let mut neg: HashMap<u64, f64> = HashMap::new();
    model
        .series
        .iter()
        .map(|s| {
            s.points
                .iter()
                .map(|&(x, y)| {
                    let y = if mode == Stacking::Stacked100 {
                        let t = totals.get(&key(x)).copied().unwrap_or(0.0);
                        if t > 0.0 {
                            y / t * 100.0
                        } else {
                            0.0
                        }
                    } else {
                        y
                    };
                    let base = if y >= 0.0 { pos.entry(key(x)).or_default() } else { neg.entry(key(x)).or_default() };
                    let lower = *base;
                    *base += y;
                    (x, lower, lower + y)
                })
                .collect()
        })
        .collect()
}

/// Thins a line already in pixel coordinates (sorted by x) when it has more than `limit`
/// points: per horizontal pixel it keeps the lowest and the highest point, in their order, so
/// the drawing looks the same with at most two points per pixel.
fn decimate(points: &[(f64, f64)], limit: usize) -> Vec<(f64, f64)> {
    if points.len() <= limit {
        return points.to_vec();
    }
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(limit);
    let mut i = 0;
    while i < points.len() {
        let px = points[i].0.floor();
        let mut j = i;
        let (mut lo, mut hi) = (i, i);
        while j < points.len() && points[j].0.floor() == px {
            if points[j].1 < points[lo].1 {
                lo = j;
            }
            if points[j].1 > points[hi].1 {
                hi = j;
            }
            j += 1;
        }
        out.push(points[lo.min(hi)]);
        if lo != hi {
            out.push(points[lo.max(hi)]);
        }
        i = j;
    }
    out
}

/// Lays a model out and writes SVG.
pub fn render_svg(model: &ChartModel, opts: &SvgOptions) -> String {
    let (w, h) = (opts.width.max(200.0), opts.height.max(150.0));
    let mut svg = String::with_capacity(16 * 1024);
    let kind = model.kind.name();
    let label = match &model.title {
        Some(t) => format!("{kind}: {t}"),
        None => format!("{kind} of {} by {}", if model.y_title.is_empty() { "values" } else { &model.y_title }, model.x_title),
    };
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-{kind}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">",
        n(w),
        n(h),
        escape_html(&label)
    );
    let _ = write!(svg, "<title>{}</title>", escape_html(&label));
    let font = 12.0;
    let mut top = 12.0;
    if let Some(t) = &model.title {
        let _ = write!(
            svg,
            "<text class=\"chart-title\" x=\"{}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"600\" fill=\"currentColor\">{}</text>",
            n(w / 2.0),
            escape_html(&truncate(t, 90))
        );
        top += 24.0;
    }
    let has_points = model.series.iter().any(|s| !s.points.is_empty());
    if !has_points {
        let _ = write!(
            svg,
            "<text class=\"chart-empty\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\" fill=\"currentColor\">No data to chart</text></svg>",
            n(w / 2.0),
            n(h / 2.0)
        );
        return svg;
    }

    // Legend items: one per series, or one per slice of a pie.
    let legend_items: Vec<(String, usize)> = if model.kind == ChartKind::PieChart {
        let labels = match &model.x {
            XAxis::Category { labels } => labels.clone(),
            _ => Vec::new(),
        };
        let total: f64 = model.series[0].points.iter().map(|p| p.1).sum();
        model.series[0]
            .points
            .iter()
            .enumerate()
            .map(|(i, &(c, v))| {
                let name = if c < 0.0 { "Other".to_string() } else { labels.get(c as usize).cloned().unwrap_or_default() };
                (format!("{} ({:.1}%)", name, v / total * 100.0), i)
            })
            .collect()
    } else if model.legend && model.series.len() > 1 {
        model.series.iter().enumerate().map(|(i, s)| (s.name.clone(), i)).collect()
    } else {
        Vec::new()
    };
    let legend_rows = layout_legend(&legend_items, w - 32.0, font);
    let legend_h = legend_rows.len() as f64 * 18.0;

    if model.kind == ChartKind::PieChart {
        let plot = Frame { left: 16.0, top, width: w - 32.0, height: h - top - 12.0 - legend_h };
        draw_pie(&mut svg, model, &plot);
        draw_legend(&mut svg, &legend_rows, 16.0, plot.bottom() + 8.0, font);
        svg.push_str("</svg>");
        return svg;
    }

    let horizontal = model.kind == ChartKind::BarChart;
    let stacked = stack(model);
    let (mut vlo, mut vhi) = stacked.iter().flatten().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &(_, a, b)| (lo.min(a.min(b)), hi.max(a.max(b))));
    let zero_based =
        matches!(model.kind, ChartKind::ColumnChart | ChartKind::BarChart | ChartKind::AreaChart) || (model.kind != ChartKind::ScatterChart && vlo >= 0.0);
    if zero_based {
        vlo = vlo.min(0.0);
        vhi = vhi.max(0.0);
    }
    if let Some(m) = model.ymin.filter(|v| v.is_finite()) {
        vlo = m;
    }
    if let Some(m) = model.ymax.filter(|v| v.is_finite()) {
        vhi = m;
    }
    let vt = nice_ticks(vlo, vhi, if horizontal { 6 } else { 5 });
    let (vmin, vmax) = (model.ymin.unwrap_or(vt.min), model.ymax.unwrap_or(vt.max));
    let value_labels: Vec<(f64, String)> =
        vt.values.iter().filter(|v| **v >= vmin - 1e-9 && **v <= vmax + 1e-9).map(|&v| (v, format_number(v, vt.step))).collect();

    let categories: &[String] = match &model.x {
        XAxis::Category { labels } => labels,
        _ => &[],
    };
    // Horizontal bars put categories (the x column) on the side and values at the bottom.
    let (bottom_title, side_title) = if horizontal { (&model.y_title, &model.x_title) } else { (&model.x_title, &model.y_title) };
    let y_title_w = if side_title.is_empty() { 0.0 } else { 18.0 };
    let x_title_h = if bottom_title.is_empty() { 0.0 } else { 18.0 };
    let two_line_x = matches!(model.x, XAxis::Time { .. });
    let left = if horizontal {
        let widest = categories.iter().map(|c| approx_text_width(&truncate(c, 24), font)).fold(0.0, f64::max);
        16.0 + y_title_w + widest.min(180.0)
    } else {
        let widest = value_labels.iter().map(|(_, t)| approx_text_width(t, font)).fold(0.0, f64::max);
        16.0 + y_title_w + widest
    };
    let bottom_axis = if horizontal {
        22.0
    } else if two_line_x {
        36.0
    } else {
        22.0
    };
    let plot = Frame { left, top, width: (w - left - 20.0).max(50.0), height: (h - top - bottom_axis - x_title_h - legend_h - 8.0).max(40.0) };

    // Value axis (y, or x for horizontal bars): grid lines and labels.
    svg.push_str("<g class=\"grid\" stroke=\"currentColor\" stroke-opacity=\"0.15\">");
    for (v, _) in &value_labels {
        if horizontal {
            let x = scale(*v, vmin, vmax, plot.left, plot.right());
            let _ = write!(svg, "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", n(x), n(plot.top), n(plot.bottom()));
        } else {
            let y = scale(*v, vmin, vmax, plot.bottom(), plot.top);
            let _ = write!(svg, "<line x1=\"{1}\" y1=\"{0}\" x2=\"{2}\" y2=\"{0}\"/>", n(y), n(plot.left), n(plot.right()));
        }
    }
    svg.push_str("</g>");
    svg.push_str("<g class=\"axis value-axis\" fill=\"currentColor\" font-size=\"12\">");
    for (v, t) in &value_labels {
        if horizontal {
            let x = scale(*v, vmin, vmax, plot.left, plot.right());
            let _ = write!(svg, "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", n(x), n(plot.bottom() + 16.0), escape_html(t));
        } else {
            let y = scale(*v, vmin, vmax, plot.bottom(), plot.top);
            let _ = write!(svg, "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", n(plot.left - 6.0), n(y + 4.0), escape_html(t));
        }
    }
    svg.push_str("</g>");

    // Category / time / number axis.
    svg.push_str("<g class=\"axis x-axis\" fill=\"currentColor\" font-size=\"12\">");
    let _ = write!(
        svg,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"currentColor\" stroke-opacity=\"0.5\"/>",
        n(plot.left),
        n(plot.bottom()),
        n(plot.right()),
        n(plot.bottom())
    );
    let (xlo, xhi) = x_range(&model.x);
    let x_to_px = |x: f64| -> f64 {
        match &model.x {
            XAxis::Category { labels } => plot.left + (x + 0.5) * plot.width / labels.len().max(1) as f64,
            _ => scale(x, xlo, xhi, plot.left + 4.0, plot.right() - 4.0),
        }
    };
    match &model.x {
        XAxis::Time { min, max } => {
            let target = (plot.width / 90.0).floor().max(2.0) as usize;
            let (ticks, step) = time_ticks(*min, *max, target);
            let mut prev = None;
            for t in ticks {
                let x = x_to_px(t as f64);
                let (main, second) = time_label(t, step, prev);
                prev = Some(t);
                let _ = write!(
                    svg,
                    "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"currentColor\" stroke-opacity=\"0.5\"/><text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>",
                    n(x),
                    n(plot.bottom()),
                    n(plot.bottom() + 4.0),
                    n(plot.bottom() + 16.0),
                    escape_html(&main)
                );
                if let Some(s) = second {
                    let _ = write!(
                        svg,
                        "<text class=\"x-date\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"600\">{}</text>",
                        n(x),
                        n(plot.bottom() + 30.0),
                        escape_html(&s)
                    );
                }
            }
        }
        XAxis::Number { min, max, timespan } => {
            let target = (plot.width / 90.0).floor().max(2.0) as usize;
            let t = nice_ticks(*min, *max, target);
            for v in t.values.iter().filter(|v| **v >= *min - 1e-9 && **v <= *max + 1e-9) {
                let x = x_to_px(*v);
                let text = if *timespan { time::format_timespan(*v as i64) } else { format_number(*v, t.step) };
                let _ = write!(
                    svg,
                    "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"currentColor\" stroke-opacity=\"0.5\"/><text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>",
                    n(x),
                    n(plot.bottom()),
                    n(plot.bottom() + 4.0),
                    n(plot.bottom() + 16.0),
                    escape_html(&text)
                );
            }
        }
        XAxis::Category { labels } => {
            if horizontal {
                let band = plot.height / labels.len().max(1) as f64;
                let every = (14.0 / band).ceil().max(1.0) as usize;
                for (i, l) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
                    let y = plot.top + (i as f64 + 0.5) * band;
                    let _ = write!(
                        svg,
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\"><title>{}</title>{}</text>",
                        n(plot.left - 6.0),
                        n(y + 4.0),
                        escape_html(l),
                        escape_html(&truncate(l, 24))
                    );
                }
            } else {
                let band = plot.width / labels.len().max(1) as f64;
                let max_chars = ((band - 4.0) / (font * 0.6)).floor().clamp(4.0, 18.0) as usize;
                let widest = labels.iter().map(|l| truncate(l, max_chars).chars().count()).max().unwrap_or(1) as f64;
                let every = ((widest * font * 0.6 + 8.0) / band).ceil().max(1.0) as usize;
                for (i, l) in labels.iter().enumerate().filter(|(i, _)| i % every == 0) {
                    let x = x_to_px(i as f64);
                    let _ = write!(
                        svg,
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\"><title>{}</title>{}</text>",
                        n(x),
                        n(plot.bottom() + 16.0),
                        escape_html(l),
                        escape_html(&truncate(l, max_chars))
                    );
                }
            }
        }
    }
    svg.push_str("</g>");

    // Axis titles.
    if !bottom_title.is_empty() {
        let _ = write!(
            svg,
            "<text class=\"axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"currentColor\">{}</text>",
            n(plot.left + plot.width / 2.0),
            n(plot.bottom() + bottom_axis + 14.0),
            escape_html(&truncate(bottom_title, 80))
        );
    }
    if !side_title.is_empty() {
        let cx = 14.0;
        let cy = plot.top + plot.height / 2.0;
        let _ = write!(
            svg,
            "<text class=\"axis-title\" x=\"{0}\" y=\"{1}\" text-anchor=\"middle\" font-size=\"12\" fill=\"currentColor\" transform=\"rotate(-90 {0} {1})\">{2}</text>",
            n(cx),
            n(cy),
            escape_html(&truncate(side_title, 50))
        );
    }

    // Data.
    svg.push_str("<g class=\"plot\">");
    let v_to_px = |v: f64| -> f64 {
        if horizontal {
            scale(v, vmin, vmax, plot.left, plot.right())
        } else {
            scale(v, vmin, vmax, plot.bottom(), plot.top)
        }
    };
    match model.kind {
        ChartKind::ColumnChart | ChartKind::BarChart => {
            let ncat = categories.len().max(1) as f64;
            let band = if horizontal { plot.height } else { plot.width } / ncat;
            let group = band * 0.8;
            let nseries = model.series.len().max(1) as f64;
            let side_by_side = model.stacking == Stacking::Unstacked;
            let bar = if side_by_side { group / nseries } else { group };
            for (si, s) in stacked.iter().enumerate() {
                let color = PALETTE[si % PALETTE.len()];
                let _ = write!(svg, "<g class=\"series s{}\" fill=\"{color}\">", si % PALETTE.len());
                for &(c, lower, upper) in s {
                    let start = c * band + band * 0.1 + if side_by_side { si as f64 * bar } else { 0.0 };
                    let (a, b) = (v_to_px(lower), v_to_px(upper));
                    let (lo_px, hi_px) = (a.min(b), a.max(b));
                    let cat = categories.get(c as usize).map(String::as_str).unwrap_or("");
                    let value = upper - lower;
                    let tip = if model.series.len() > 1 {
                        format!("{cat} · {}: {}", model.series[si].name, plain_number(value))
                    } else {
                        format!("{cat}: {}", plain_number(value))
                    };
                    let (x, y, bw, bh) =
                        if horizontal { (lo_px, plot.top + start, hi_px - lo_px, bar) } else { (plot.left + start, lo_px, bar, hi_px - lo_px) };
                    let _ = write!(
                        svg,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>",
                        n(x),
                        n(y),
                        n(bw.max(0.5)),
                        n(bh.max(0.5)),
                        escape_html(&tip)
                    );
                }
                svg.push_str("</g>");
            }
        }
        ChartKind::ScatterChart => {
            for (si, s) in model.series.iter().enumerate() {
                let color = PALETTE[si % PALETTE.len()];
                let _ = write!(svg, "<g class=\"series s{}\" fill=\"{color}\" fill-opacity=\"0.8\">", si % PALETTE.len());
                let mut seen = std::collections::HashSet::new();
                for &(x, y) in &s.points {
                    let (px, py) = (x_to_px(x), v_to_px(y));
                    if seen.insert(((px * 2.0) as i64, (py * 2.0) as i64)) {
                        let _ = write!(svg, "<circle cx=\"{}\" cy=\"{}\" r=\"3\"/>", n(px), n(py));
                    }
                }
                svg.push_str("</g>");
            }
        }
        _ => {
            let area = model.kind == ChartKind::AreaChart;
            for (si, s) in stacked.iter().enumerate() {
                let color = PALETTE[si % PALETTE.len()];
                let limit = (plot.width * 2.0) as usize;
                let upper: Vec<(f64, f64)> = decimate(&s.iter().map(|&(x, _, u)| (x_to_px(x), v_to_px(u))).collect::<Vec<_>>(), limit);
                if upper.is_empty() {
                    continue;
                }
                let mut d = String::new();
                for (i, (x, y)) in upper.iter().enumerate() {
                    let _ = write!(d, "{}{},{}", if i == 0 { "M" } else { "L" }, n(*x), n(*y));
                }
                if area {
                    let lower: Vec<(f64, f64)> = decimate(&s.iter().map(|&(x, l, _)| (x_to_px(x), v_to_px(l))).collect::<Vec<_>>(), limit);
                    let mut fill = d.clone();
                    for (x, y) in lower.iter().rev() {
                        let _ = write!(fill, "L{},{}", n(*x), n(*y));
                    }
                    fill.push('Z');
                    let _ = write!(svg, "<path class=\"area s{}\" d=\"{fill}\" fill=\"{color}\" fill-opacity=\"0.35\" stroke=\"none\"/>", si % PALETTE.len());
                }
                let _ = write!(
                    svg,
                    "<path class=\"series s{}\" d=\"{d}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" stroke-linejoin=\"round\"/>",
                    si % PALETTE.len()
                );
                // Hover markers with values, while they stay few.
                if s.len() <= 60 {
                    let _ = write!(svg, "<g class=\"points s{}\" fill=\"{color}\">", si % PALETTE.len());
                    for (k, &(x, _, u)) in s.iter().enumerate() {
                        let raw = model.series[si].points.get(k).map(|p| p.1).unwrap_or(u);
                        let xl = match &model.x {
                            XAxis::Time { .. } => time::format_datetime(x as i64),
                            XAxis::Number { timespan: true, .. } => time::format_timespan(x as i64),
                            XAxis::Number { .. } => plain_number(x),
                            XAxis::Category { labels } => labels.get(x as usize).cloned().unwrap_or_default(),
                        };
                        let tip = if model.series.len() > 1 {
                            format!("{xl} · {}: {}", model.series[si].name, plain_number(raw))
                        } else {
                            format!("{xl}: {}", plain_number(raw))
                        };
                        let _ = write!(svg, "<circle cx=\"{}\" cy=\"{}\" r=\"3\"><title>{}</title></circle>", n(x_to_px(x)), n(v_to_px(u)), escape_html(&tip));
                    }
                    svg.push_str("</g>");
                }
            }
        }
    }
    svg.push_str("</g>");
    let legend_top = plot.bottom() + bottom_axis + x_title_h + 8.0;
    draw_legend(&mut svg, &legend_rows, plot.left.min(16.0 + y_title_w), legend_top, font);
    svg.push_str("</svg>");
    svg
}

fn x_range(x: &XAxis) -> (f64, f64) {
    match x {
        XAxis::Time { min, max } | XAxis::Number { min, max, .. } => {
            if min == max {
                let pad = if matches!(x, XAxis::Time { .. }) { time::TICKS_PER_HOUR as f64 } else { (min.abs() * 0.1).max(1.0) };
                (min - pad, max + pad)
            } else {
                (*min, *max)
            }
        }
        XAxis::Category { labels } => (0.0, labels.len() as f64),
    }
}

/// Legend rows: `(text, series index, x offset)` per item.
fn layout_legend(items: &[(String, usize)], width: f64, font: f64) -> Vec<Vec<(String, usize, f64)>> {
    const MAX_ROWS: usize = 4;
    let mut rows: Vec<Vec<(String, usize, f64)>> = Vec::new();
    let mut x = 0.0;
    for (k, (text, idx)) in items.iter().enumerate() {
        let text = truncate(text, 32);
        let item_w = 18.0 + approx_text_width(&text, font) + 16.0;
        if rows.is_empty() || (x + item_w > width && x > 0.0) {
            if rows.len() == MAX_ROWS {
                let more = items.len() - k;
                if let Some(last) = rows.last_mut() {
                    last.push((format!("+{more} more"), usize::MAX, x));
                }
                break;
            }
            rows.push(Vec::new());
            x = 0.0;
        }
        rows.last_mut().expect("a row was pushed").push((text, *idx, x));
        x += item_w;
    }
    rows
}

fn draw_legend(svg: &mut String, rows: &[Vec<(String, usize, f64)>], left: f64, top: f64, font: f64) {
    if rows.is_empty() {
        return;
    }
    svg.push_str("<g class=\"legend\" font-size=\"12\" fill=\"currentColor\">");
    for (r, row) in rows.iter().enumerate() {
        let y = top + r as f64 * 18.0;
        for (text, idx, x) in row {
            let x = left + x;
            if *idx != usize::MAX {
                let c = idx % PALETTE.len();
                let _ = write!(svg, "<rect class=\"swatch s{c}\" x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" rx=\"2\" fill=\"{}\"/>", n(x), n(y), PALETTE[c]);
            }
            let _ = write!(svg, "<text x=\"{}\" y=\"{}\">{}</text>", n(x + 18.0), n(y + font - 2.0), escape_html(text));
        }
    }
    svg.push_str("</g>");
}

fn draw_pie(svg: &mut String, model: &ChartModel, plot: &Frame) {
    let s = &model.series[0];
    let total: f64 = s.points.iter().map(|p| p.1).sum();
    let labels = match &model.x {
        XAxis::Category { labels } => labels.as_slice(),
        _ => &[],
    };
    let cx = plot.left + plot.width / 2.0;
    let cy = plot.top + plot.height / 2.0;
    let r = (plot.width.min(plot.height) / 2.0 - 8.0).max(10.0);
    svg.push_str("<g class=\"plot pie\" stroke=\"#ffffff\" stroke-width=\"1\">");
    let mut angle = -std::f64::consts::FRAC_PI_2;
    for (i, &(c, v)) in s.points.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let name = if c < 0.0 { "Other".to_string() } else { labels.get(c as usize).cloned().unwrap_or_default() };
        let tip = format!("{name}: {} ({:.1}%)", plain_number(v), v / total * 100.0);
        let sweep = v / total * std::f64::consts::TAU;
        if s.points.len() == 1 || sweep >= std::f64::consts::TAU - 1e-9 {
            let _ = write!(
                svg,
                "<circle class=\"slice s{}\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{color}\"><title>{}</title></circle>",
                i % PALETTE.len(),
                n(cx),
                n(cy),
                n(r),
                escape_html(&tip)
            );
            continue;
        }
        let (x0, y0) = (cx + r * angle.cos(), cy + r * angle.sin());
        angle += sweep;
        let (x1, y1) = (cx + r * angle.cos(), cy + r * angle.sin());
        let large = if sweep > std::f64::consts::PI { 1 } else { 0 };
        let _ = write!(
            svg,
            "<path class=\"slice s{}\" d=\"M{},{}L{},{}A{},{} 0 {large} 1 {},{}Z\" fill=\"{color}\"><title>{}</title></path>",
            i % PALETTE.len(),
            n(cx),
            n(cy),
            n(x0),
            n(y0),
            n(r),
            n(r),
            n(x1),
            n(y1),
            escape_html(&tip)
        );
    }
    svg.push_str("</g>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Field;
    use crate::types::Value;

    const H: i64 = time::TICKS_PER_HOUR;

    fn t0() -> i64 {
        time::parse_datetime("2026-11-22T00:00:00Z").unwrap()
    }

    /// Hourly clicks for two URLs, with a spike at 09:00 for the first.
    fn hourly() -> Table {
        let mut rows = Vec::new();
        for h in 0..24 {
            for (url, base) in [("https://contoso-login.example/a", 3i64), ("https://fabrikam.example/b", 1)] {
                let spike = if h == 9 && base == 3 { 40 } else { 0 };
                rows.push(vec![Value::DateTime(t0() + h * H), Value::str(url), Value::Long(base + spike + h % 3)]);
            }
        }
        Table::from_rows(vec![Field::new("Timestamp", DataType::DateTime), Field::new("Url", DataType::String), Field::new("count_", DataType::Long)], &rows)
    }

    fn count(haystack: &str, needle: &str) -> usize {
        haystack.matches(needle).count()
    }

    #[test]
    fn nice_ticks_are_round() {
        let t = nice_ticks(0.0, 97.0, 5);
        assert_eq!(t.values, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(t.step, 20.0);
        let t = nice_ticks(0.1, 0.73, 5);
        assert_eq!(t.values, vec![0.0, 0.2, 0.4, 0.6, 0.8]);
        let t = nice_ticks(-3.5, 12.0, 5);
        assert_eq!(t.values, vec![-5.0, 0.0, 5.0, 10.0, 15.0]);
        // A single value gets a range around it; non-finite input gives a unit range.
        let t = nice_ticks(42.0, 42.0, 5);
        assert!(t.min <= 42.0 && t.max >= 42.0 && t.values.len() >= 2);
        assert_eq!(nice_ticks(0.0, 0.0, 5).values.first(), Some(&0.0));
        assert_eq!(nice_ticks(f64::NAN, 1.0, 5).values, vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert!(nice_ticks(-1e308, 1e308, 5).values.len() <= 1001);
    }

    #[test]
    fn formats_axis_numbers() {
        assert_eq!(format_number(0.0, 20.0), "0");
        assert_eq!(format_number(12000.0, 2000.0), "12,000");
        assert_eq!(format_number(-1500.0, 500.0), "-1,500");
        assert_eq!(format_number(0.25, 0.05), "0.25");
        assert_eq!(format_number(2_500_000.0, 500_000.0), "2.5M");
        assert_eq!(format_number(3e9, 1e9), "3B");
        assert_eq!(format_number(-0.0001, 0.2), "0.0");
    }

    #[test]
    fn time_ticks_land_on_round_times() {
        let (ticks, step) = time_ticks(t0() as f64, (t0() + 23 * H) as f64, 8);
        assert_eq!(step, TimeStep::Fixed(3 * H));
        assert_eq!(ticks.len(), 8);
        assert_eq!(ticks[0], t0());
        assert_eq!(time_label(ticks[0], step, None), ("00:00".to_string(), Some("Nov 22".to_string())));
        assert_eq!(time_label(ticks[1], step, Some(ticks[0])), ("03:00".to_string(), None));
        // Ticks start at the first round time inside the range.
        let (ticks, _) = time_ticks((t0() + 17 * time::TICKS_PER_MINUTE) as f64, (t0() + 5 * H) as f64, 6);
        assert_eq!(ticks[0], t0() + H);
        // Days, months and years.
        let (ticks, step) = time_ticks(t0() as f64, (t0() + 10 * time::TICKS_PER_DAY) as f64, 6);
        assert_eq!(step, TimeStep::Fixed(2 * time::TICKS_PER_DAY));
        // Two-day steps are counted from the Unix epoch: 2026-11-22 is an odd day.
        assert_eq!(time_label(ticks[0], step, None), ("Nov 23".to_string(), Some("2026".to_string())));
        let (ticks, step) = time_ticks(t0() as f64, (t0() + 200 * time::TICKS_PER_DAY) as f64, 6);
        assert_eq!(step, TimeStep::Months(2));
        assert_eq!(time_label(ticks[0], step, None), ("Jan".to_string(), Some("2027".to_string())));
        assert_eq!(time_label(ticks[1], step, Some(ticks[0])), ("Mar".to_string(), None));
        let (ticks, step) = time_ticks(0.0, t0() as f64, 6);
        assert_eq!(step, TimeStep::Years(10));
        assert_eq!(time_label(ticks[0], step, None).0, "1970");
        // Seconds.
        let (_, step) = time_ticks(t0() as f64, (t0() + 50 * time::TICKS_PER_SECOND) as f64, 6);
        assert_eq!(step, TimeStep::Fixed(10 * time::TICKS_PER_SECOND));
        assert_eq!(time_label(t0() + 10 * time::TICKS_PER_SECOND, step, Some(t0())).0, "00:00:10");
        // Extreme ranges stay bounded.
        let (ticks, _) = time_ticks(time::MIN_DATETIME as f64, time::MAX_DATETIME as f64, 6);
        assert!(!ticks.is_empty() && ticks.len() <= 12);
        let (ticks, _) = time_ticks(f64::NEG_INFINITY, f64::INFINITY, 6);
        assert!(ticks.len() <= 1000);
    }

    #[test]
    fn seventeen_days_get_day_ticks() {
        // A 17-day axis at the chart's usual width (about 8 labels wanted): ticks every few
        // days, not weekly (which left two or three labels).
        let (ticks, step) = time_ticks(t0() as f64, (t0() + 17 * time::TICKS_PER_DAY) as f64, 8);
        assert_eq!(step, TimeStep::Fixed(3 * time::TICKS_PER_DAY));
        assert!((5..=10).contains(&ticks.len()), "{} ticks", ticks.len());
        let svg = render_svg(
            &build_model(
                &Table::from_rows(
                    vec![Field::new("Timestamp", DataType::DateTime), Field::new("n", DataType::Long)],
                    &(0..=17 * 24).map(|h| vec![Value::DateTime(t0() + h * H), Value::Long(h % 5)]).collect::<Vec<_>>(),
                ),
                &ChartSpec::new(ChartKind::TimeChart),
            )
            .unwrap(),
            &SvgOptions::default(),
        );
        let labels = MONTHS.iter().map(|m| count(&svg, &format!(">{m} "))).sum::<usize>();
        assert!((5..=10).contains(&labels), "{labels} day labels in {svg}");
        for days in [10, 17, 25, 40] {
            let (ticks, _) = time_ticks(t0() as f64, (t0() + days * time::TICKS_PER_DAY) as f64, 8);
            assert!((3..=10).contains(&ticks.len()), "{days} days: {} ticks", ticks.len());
        }
    }

    /// `make-series Clicks = count() default = 0 on Timestamp step 1d by Url`: one row per URL,
    /// the values and the time axis as arrays.
    fn series_table() -> Table {
        let axis = Dynamic::array((0..4).map(|d| Dynamic::DateTime(t0() + d * time::TICKS_PER_DAY)).collect());
        let rows = vec![
            vec![
                Value::str("https://a.example/"),
                Value::Dynamic(Dynamic::array(vec![Dynamic::Long(1), Dynamic::Long(5), Dynamic::Long(2), Dynamic::Long(0)])),
                Value::Dynamic(axis.clone()),
            ],
            vec![
                Value::str("https://b.example/"),
                Value::Dynamic(Dynamic::array(vec![Dynamic::Real(0.5), Dynamic::Long(0), Dynamic::Null, Dynamic::Long(7)])),
                Value::Dynamic(axis),
            ],
        ];
        Table::from_rows(vec![Field::new("Url", DataType::String), Field::new("Clicks", DataType::Dynamic), Field::new("Timestamp", DataType::Dynamic)], &rows)
    }

    #[test]
    fn make_series_arrays_draw_one_line_per_row() {
        let m = build_model(&series_table(), &ChartSpec::new(ChartKind::TimeChart)).unwrap();
        // The same table after a trip through JSON (the query worker's wire format), where
        // the axis holds datetimes as text, draws the same chart.
        let via_json = crate::app::wire::decode_table(&crate::app::wire::encode_table(&series_table())).unwrap();
        assert_eq!(build_model(&via_json, &ChartSpec::new(ChartKind::TimeChart)).unwrap(), m);
        assert_eq!(m.x, XAxis::Time { min: t0() as f64, max: (t0() + 3 * time::TICKS_PER_DAY) as f64 });
        assert_eq!(m.x_title, "Timestamp");
        assert_eq!(m.y_title, "Clicks");
        assert_eq!(m.series.len(), 2);
        assert_eq!(m.series[0].name, "https://a.example/");
        let d = time::TICKS_PER_DAY as f64;
        assert_eq!(m.series[0].points, vec![(t0() as f64, 1.0), (t0() as f64 + d, 5.0), (t0() as f64 + 2.0 * d, 2.0), (t0() as f64 + 3.0 * d, 0.0)]);
        // A null element is a gap, not a zero.
        assert_eq!(m.series[1].points, vec![(t0() as f64, 0.5), (t0() as f64 + d, 0.0), (t0() as f64 + 3.0 * d, 7.0)]);
        let svg = render_svg(&m, &SvgOptions::default());
        assert_eq!(count(&svg, "<path class=\"series"), 2);
        // Without a series column: one line named after the value column; two value columns
        // in one row give two lines; other chart kinds read the arrays too.
        let one = Table::from_rows(vec![series_table().fields[1].clone(), series_table().fields[2].clone()], &[series_table().row(0)[1..].to_vec()]);
        let m = build_model(&one, &ChartSpec::new(ChartKind::TimeChart)).unwrap();
        assert_eq!(m.series.len(), 1);
        assert_eq!(m.series[0].name, "Clicks");
        let mut spec = ChartSpec::new(ChartKind::LineChart);
        spec.xcolumn = Some("Timestamp".into());
        let m = build_model(&series_table(), &spec).unwrap();
        assert_eq!(m.series.len(), 2);
        // An explicit ycolumns picks the arrays to draw.
        let mut spec = ChartSpec::new(ChartKind::TimeChart);
        spec.ycolumns = vec!["Clicks".into()];
        assert_eq!(build_model(&series_table(), &spec).unwrap().series.len(), 2);
        // A dynamic column that is not an array still gets the ordinary explanation.
        let bag = Table::from_rows(
            vec![Field::new("Timestamp", DataType::DateTime), Field::new("Props", DataType::Dynamic)],
            &[vec![Value::DateTime(t0()), Value::Dynamic(Dynamic::Null)]],
        );
        assert!(build_model(&bag, &ChartSpec::new(ChartKind::TimeChart)).is_err());
    }

    #[test]
    fn timechart_defaults_follow_kusto() {
        let m = build_model(&hourly(), &ChartSpec::new(ChartKind::TimeChart)).unwrap();
        assert_eq!(m.x_title, "Timestamp");
        assert_eq!(m.y_title, "count_");
        assert_eq!(m.series.len(), 2);
        assert_eq!(m.series[0].name, "https://contoso-login.example/a");
        assert_eq!(m.series[0].points.len(), 24);
        assert_eq!(m.series[0].points[9], ((t0() + 9 * H) as f64, 43.0));
        assert_eq!(m.x, XAxis::Time { min: t0() as f64, max: (t0() + 23 * H) as f64 });
        let svg = render_svg(&m, &SvgOptions::default());
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-timechart\""));
        assert!(svg.ends_with("</svg>"));
        assert_eq!(count(&svg, "<path class=\"series"), 2);
        assert_eq!(count(&svg, "<rect class=\"swatch"), 2);
        assert!(svg.contains(">Nov 22</text>"));
        assert!(svg.contains(">03:00</text>"));
        assert!(svg.contains("<title>2026-11-22T09:00:00Z · https://contoso-login.example/a: 43</title>"));
        // The y-axis reaches past the spike with round ticks.
        assert!(svg.contains(">50</text>") || svg.contains(">45</text>"), "{svg}");
    }

    #[test]
    fn timechart_picks_the_datetime_column_and_explains_failures() {
        let t = Table::from_rows(
            vec![Field::new("Url", DataType::String), Field::new("Timestamp", DataType::DateTime), Field::new("n", DataType::Long)],
            &[vec![Value::str("a"), Value::DateTime(t0()), Value::Long(1)]],
        );
        let m = build_model(&t, &ChartSpec::new(ChartKind::TimeChart)).unwrap();
        assert_eq!(m.x_title, "Timestamp");
        assert_eq!(m.series[0].name, "a");

        let no_time = Table::from_rows(vec![Field::new("Url", DataType::String), Field::new("n", DataType::Long)], &[]);
        let e = build_model(&no_time, &ChartSpec::new(ChartKind::TimeChart)).unwrap_err();
        assert!(e.message.contains("needs a datetime column"), "{e}");
        let strings = Table::from_rows(vec![Field::new("a", DataType::String), Field::new("b", DataType::String)], &[]);
        let e = build_model(&strings, &ChartSpec::new(ChartKind::ColumnChart)).unwrap_err();
        assert_eq!(e.message, "A columnchart needs a numeric column to plot, and the result has none besides the x-axis. Columns: a (string), b (string).");
        let mut spec = ChartSpec::new(ChartKind::LineChart);
        spec.xcolumn = Some("Nope".into());
        let e = build_model(&hourly(), &spec).unwrap_err();
        assert!(e.message.starts_with("The xcolumn 'Nope' is not a column of the result."), "{e}");
        let mut spec = ChartSpec::new(ChartKind::LineChart);
        spec.ycolumns = vec!["Url".into()];
        assert!(build_model(&hourly(), &spec).unwrap_err().message.contains("can only plot numbers"));
        assert!(build_model(&Table::empty(vec![]), &ChartSpec::new(ChartKind::PieChart)).is_err());
    }

    #[test]
    fn empty_results_draw_a_message() {
        let t = Table::empty(vec![Field::new("Timestamp", DataType::DateTime), Field::new("n", DataType::Long)]);
        let svg = chart_svg(&t, &ChartSpec::new(ChartKind::TimeChart), &SvgOptions::default()).unwrap();
        assert!(svg.contains("No data to chart"));
    }

    #[test]
    fn column_and_bar_charts_use_categories() {
        let t = Table::from_rows(
            vec![Field::new("Domain", DataType::String), Field::new("Clicks", DataType::Long), Field::new("Users", DataType::Long)],
            &[
                vec![Value::str("contoso.example"), Value::Long(10), Value::Long(4)],
                vec![Value::str("fabrikam.example"), Value::Long(3), Value::Long(2)],
                vec![Value::str("contoso.example"), Value::Long(5), Value::Long(1)],
            ],
        );
        let mut spec = ChartSpec::new(ChartKind::ColumnChart);
        // The string column is the x-axis, so there is no series column: one series per y column.
        let m = build_model(&t, &spec).unwrap();
        assert_eq!(m.x, XAxis::Category { labels: vec!["contoso.example".into(), "fabrikam.example".into()] });
        assert_eq!(m.series.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Clicks", "Users"]);
        // Repeated categories are summed.
        assert_eq!(m.series[0].points, vec![(0.0, 15.0), (1.0, 3.0)]);
        let svg = render_svg(&m, &SvgOptions::default());
        assert_eq!(count(&svg, "<rect x="), 4);
        assert!(svg.contains("<title>contoso.example · Clicks: 15</title>"));
        spec.kind = ChartKind::BarChart;
        spec.stacking = Stacking::Stacked;
        let svg = chart_svg(&t, &spec, &SvgOptions::default()).unwrap();
        assert!(svg.contains("chart-barchart"));
        assert_eq!(count(&svg, "<rect x="), 4);
        spec.stacking = Stacking::Stacked100;
        let m = build_model(&t, &spec).unwrap();
        let stacked = stack(&m);
        // contoso: 15 clicks and 5 users → 75% and 25%.
        assert_eq!(stacked[0][0], (0.0, 0.0, 75.0));
        assert_eq!(stacked[1][0], (0.0, 75.0, 100.0));
    }

    #[test]
    fn pie_sums_and_limits_slices() {
        let rows: Vec<Vec<Value>> = (0..20).map(|i| vec![Value::str(&format!("d{i}")), Value::Long(20 - i)]).collect();
        let t = Table::from_rows(vec![Field::new("Domain", DataType::String), Field::new("n", DataType::Long)], &rows);
        let m = build_model(&t, &ChartSpec::new(ChartKind::PieChart)).unwrap();
        assert_eq!(m.series.len(), 1);
        assert_eq!(m.series[0].points.len(), MAX_SLICES);
        let other = m.series[0].points.last().unwrap();
        assert_eq!(other.0, -1.0);
        assert_eq!(other.1, (1..=9).sum::<i64>() as f64);
        assert_eq!(m.notes.len(), 1);
        let svg = render_svg(&m, &SvgOptions::default());
        assert_eq!(count(&svg, "<path class=\"slice"), MAX_SLICES);
        assert!(svg.contains("Other ("));
        // One slice is a full circle.
        let one = Table::from_rows(vec![Field::new("k", DataType::String), Field::new("n", DataType::Long)], &[vec![Value::str("all"), Value::Long(5)]]);
        let svg = chart_svg(&one, &ChartSpec::new(ChartKind::PieChart), &SvgOptions::default()).unwrap();
        assert!(svg.contains("<circle class=\"slice s0\""));
        assert!(svg.contains("all (100.0%)"));
    }

    #[test]
    fn numeric_line_scatter_and_area() {
        let rows: Vec<Vec<Value>> = (0..50).map(|i| vec![Value::Real(i as f64 / 2.0), Value::Long((i * i) % 17)]).collect();
        let t = Table::from_rows(vec![Field::new("x", DataType::Real), Field::new("y", DataType::Long)], &rows);
        for kind in [ChartKind::LineChart, ChartKind::ScatterChart, ChartKind::AreaChart] {
            let m = build_model(&t, &ChartSpec::new(kind)).unwrap();
            assert!(matches!(m.x, XAxis::Number { min: 0.0, max: 24.5, timespan: false }));
            let svg = render_svg(&m, &SvgOptions::default());
            assert!(svg.contains(&format!("chart-{}", kind.name())));
            match kind {
                ChartKind::ScatterChart => assert_eq!(count(&svg, "<circle cx="), 50),
                ChartKind::AreaChart => assert_eq!(count(&svg, "<path class=\"area"), 1),
                _ => assert_eq!(count(&svg, "<path class=\"series"), 1),
            }
        }
        // Strings on the x-axis of a line chart are categories in data order.
        let t = Table::from_rows(
            vec![Field::new("k", DataType::String), Field::new("v", DataType::Real)],
            &[vec![Value::str("b"), Value::Real(1.0)], vec![Value::str("a"), Value::Real(2.0)]],
        );
        let m = build_model(&t, &ChartSpec::new(ChartKind::LineChart)).unwrap();
        assert_eq!(m.x, XAxis::Category { labels: vec!["b".into(), "a".into()] });
    }

    #[test]
    fn many_points_are_decimated_and_many_series_capped() {
        let rows: Vec<Vec<Value>> =
            (0..100_000).map(|i| vec![Value::DateTime(t0() + i * time::TICKS_PER_MINUTE), Value::str(&format!("s{}", i % 30)), Value::Long(i % 97)]).collect();
        let t = Table::from_rows(vec![Field::new("Timestamp", DataType::DateTime), Field::new("k", DataType::String), Field::new("v", DataType::Long)], &rows);
        let m = build_model(&t, &ChartSpec::new(ChartKind::TimeChart)).unwrap();
        assert_eq!(m.series.len(), MAX_SERIES);
        assert_eq!(m.notes, vec![format!("Showing the first {MAX_SERIES} series of 30.")]);
        let svg = render_svg(&m, &SvgOptions::default());
        assert!(svg.len() < 1_000_000, "svg is {} bytes", svg.len());
        assert_eq!(count(&svg, "<rect class=\"swatch"), MAX_SERIES);
    }

    #[test]
    fn long_legends_say_what_is_left_out() {
        let rows: Vec<Vec<Value>> =
            (0..20).map(|i| vec![Value::Long(i), Value::str(&format!("https://very-long-campaign-domain-{i}.example/path")), Value::Long(i)]).collect();
        let t = Table::from_rows(vec![Field::new("x", DataType::Long), Field::new("u", DataType::String), Field::new("n", DataType::Long)], &rows);
        let svg = chart_svg(&t, &ChartSpec::new(ChartKind::ScatterChart), &SvgOptions::default()).unwrap();
        assert!(svg.contains(" more</text>"), "{svg}");
        assert!(svg.contains("…"));
    }

    #[test]
    fn hostile_labels_are_escaped() {
        let evil = "<script>alert(1)</script><svg onload=alert(2)>\"'&";
        let t = Table::from_rows(
            vec![Field::new(evil, DataType::String), Field::new("n\"><script>", DataType::Long)],
            &[vec![Value::str(evil), Value::Long(1)], vec![Value::str("ok"), Value::Long(2)]],
        );
        for kind in ChartKind::ALL {
            let mut spec = ChartSpec::new(kind);
            spec.title = Some(evil.to_string());
            spec.xtitle = Some(evil.to_string());
            spec.ytitle = Some(evil.to_string());
            if kind == ChartKind::TimeChart {
                assert!(build_model(&t, &spec).is_err());
                continue;
            }
            let svg = chart_svg(&t, &spec, &SvgOptions::default()).unwrap();
            assert!(!svg.contains("<script"), "{kind:?}: {svg}");
            assert!(!svg.contains("<svg onload"), "{kind:?}");
            assert!(svg.contains("&lt;script&gt;"), "{kind:?}");
            // Only our own elements appear.
            for part in svg.split('<').skip(1) {
                let name: String = part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/').collect();
                assert!(
                    ["svg", "/svg", "title", "/title", "text", "/text", "g", "/g", "line", "rect", "/rect", "path", "/path", "circle", "/circle"]
                        .contains(&name.as_str()),
                    "{kind:?}: unexpected element {name}"
                );
            }
        }
    }

    #[test]
    fn kind_names_round_trip() {
        for k in ChartKind::ALL {
            assert_eq!(ChartKind::from_name(k.name()), Some(k));
        }
        assert_eq!(ChartKind::from_name("Timechart"), None);
        assert_eq!(suggest(&hourly()).map(|s| s.kind), Some(ChartKind::TimeChart));
    }
}
