//! Unit conversion: convert_angle, convert_energy, convert_force, convert_length,
//! convert_mass, convert_speed, convert_temperature and convert_volume. Each family has one
//! base unit (degree, joule, newton, meter, kilogram, meter per second, kelvin, cubic meter)
//! and every unit is its size in that base; a conversion goes through the base. Unit names
//! are the ones the docs list (matched without regard to case); an unknown unit gives null.

use super::{Call, FResult};
use crate::exec::cast::to_f64;
use crate::types::Value;
use std::f64::consts::PI;

const RAD: f64 = 180.0 / PI;

const ANGLE: &[(&str, f64)] = &[
    ("Arcminute", 1.0 / 60.0),
    ("Arcsecond", 1.0 / 3600.0),
    ("Centiradian", 1e-2 * RAD),
    ("Deciradian", 1e-1 * RAD),
    ("Degree", 1.0),
    ("Gradian", 0.9),
    ("Microdegree", 1e-6),
    ("Microradian", 1e-6 * RAD),
    ("Millidegree", 1e-3),
    ("Milliradian", 1e-3 * RAD),
    ("Nanodegree", 1e-9),
    ("Nanoradian", 1e-9 * RAD),
    ("NatoMil", 360.0 / 6400.0),
    ("Radian", RAD),
    ("Revolution", 360.0),
];

const BTU: f64 = 1_055.055_852_62;
const EV: f64 = 1.602_176_634e-19;

const ENERGY: &[(&str, f64)] = &[
    ("BritishThermalUnit", BTU),
    ("KilobritishThermalUnit", BTU * 1e3),
    ("MegabritishThermalUnit", BTU * 1e6),
    ("GigabritishThermalUnit", BTU * 1e9),
    ("Calorie", 4.184),
    ("Kilocalorie", 4.184e3),
    ("Megacalorie", 4.184e6),
    ("ThermEc", 1.055_055_852_62e8),
    ("DecathermEc", 1.055_055_852_62e9),
    ("ThermImperial", 1.055_055_852_573_48e8),
    ("DecathermImperial", 1.055_055_852_573_48e9),
    ("ThermUs", 1.054_804e8),
    ("DecathermUs", 1.054_804e9),
    ("ElectronVolt", EV),
    ("KiloelectronVolt", EV * 1e3),
    ("MegaelectronVolt", EV * 1e6),
    ("GigaelectronVolt", EV * 1e9),
    ("TeraelectronVolt", EV * 1e12),
    ("Erg", 1e-7),
    ("FootPound", 1.355_817_948_331_400_4),
    ("HorsepowerHour", 2.684_519_537_696_173e6),
    ("Millijoule", 1e-3),
    ("Joule", 1.0),
    ("Kilojoule", 1e3),
    ("Megajoule", 1e6),
    ("Gigajoule", 1e9),
    ("WattHour", 3600.0),
    ("KilowattHour", 3.6e6),
    ("MegawattHour", 3.6e9),
    ("GigawattHour", 3.6e12),
    ("TerawattHour", 3.6e15),
    ("WattDay", 86_400.0),
    ("KilowattDay", 8.64e7),
    ("MegawattDay", 8.64e10),
    ("GigawattDay", 8.64e13),
    ("TerawattDay", 8.64e16),
];

const POUND_FORCE: f64 = 4.448_221_615_260_5;

const FORCE: &[(&str, f64)] = &[
    ("Micronewton", 1e-6),
    ("Millinewton", 1e-3),
    ("Newton", 1.0),
    ("Decanewton", 10.0),
    ("Kilonewton", 1e3),
    ("Meganewton", 1e6),
    ("Dyn", 1e-5),
    ("KilogramForce", 9.806_65),
    ("KiloPond", 9.806_65),
    ("TonneForce", 9_806.65),
    ("PoundForce", POUND_FORCE),
    ("KilopoundForce", POUND_FORCE * 1e3),
    ("OunceForce", POUND_FORCE / 16.0),
    ("ShortTonForce", POUND_FORCE * 2000.0),
    ("Poundal", 0.138_254_954_376),
];

const INCH: f64 = 0.0254;
const LIGHT_YEAR: f64 = 9.460_730_472_580_8e15;
const PARSEC: f64 = 3.085_677_581_28e16;

const LENGTH: &[(&str, f64)] = &[
    ("Angstrom", 1e-10),
    ("Nanometer", 1e-9),
    ("Micrometer", 1e-6),
    ("Millimeter", 1e-3),
    ("Centimeter", 1e-2),
    ("Decimeter", 1e-1),
    ("Meter", 1.0),
    ("Decameter", 10.0),
    ("Hectometer", 100.0),
    ("Kilometer", 1e3),
    ("Microinch", INCH * 1e-6),
    ("Mil", INCH * 1e-3),
    ("Twip", INCH / 1440.0),
    ("DtpPoint", INCH / 72.0),
    ("DtpPica", INCH / 6.0),
    ("PrinterPoint", INCH / 72.27),
    ("PrinterPica", INCH / 6.0225),
    ("Inch", INCH),
    ("Hand", INCH * 4.0),
    ("Foot", 0.3048),
    ("UsSurveyFoot", 1200.0 / 3937.0),
    ("Yard", 0.9144),
    ("Fathom", 1.8288),
    ("DataMile", 1828.8),
    ("Chain", 20.1168),
    ("Shackle", 27.432),
    ("Mile", 1609.344),
    ("NauticalMile", 1852.0),
    ("SolarRadius", 6.955_10e8),
    ("AstronomicalUnit", 1.495_978_707e11),
    ("LightYear", LIGHT_YEAR),
    ("KilolightYear", LIGHT_YEAR * 1e3),
    ("MegalightYear", LIGHT_YEAR * 1e6),
    ("Parsec", PARSEC),
    ("Kiloparsec", PARSEC * 1e3),
    ("Megaparsec", PARSEC * 1e6),
];

const POUND: f64 = 0.453_592_37;

const MASS: &[(&str, f64)] = &[
    ("Nanogram", 1e-12),
    ("Microgram", 1e-9),
    ("Milligram", 1e-6),
    ("Centigram", 1e-5),
    ("Decigram", 1e-4),
    ("Gram", 1e-3),
    ("Decagram", 1e-2),
    ("Hectogram", 1e-1),
    ("Kilogram", 1.0),
    ("Tonne", 1e3),
    ("Kilotonne", 1e6),
    ("Megatonne", 1e9),
    ("Grain", 6.479_891e-5),
    ("Ounce", POUND / 16.0),
    ("Pound", POUND),
    ("Kilopound", POUND * 1e3),
    ("Megapound", POUND * 1e6),
    ("Stone", POUND * 14.0),
    ("ShortHundredweight", POUND * 100.0),
    ("LongHundredweight", POUND * 112.0),
    ("ShortTon", POUND * 2000.0),
    ("LongTon", POUND * 2240.0),
    ("Slug", 14.593_902_937_206_364),
    ("EarthMass", 5.9722e24),
    ("SolarMass", 1.988_47e30),
];

const FOOT: f64 = 0.3048;
const SURVEY_FOOT: f64 = 1200.0 / 3937.0;

const SPEED: &[(&str, f64)] = &[
    ("NanometerPerSecond", 1e-9),
    ("NanometerPerMinute", 1e-9 / 60.0),
    ("MicrometerPerSecond", 1e-6),
    ("MicrometerPerMinute", 1e-6 / 60.0),
    ("MillimeterPerSecond", 1e-3),
    ("MillimeterPerMinute", 1e-3 / 60.0),
    ("MillimeterPerHour", 1e-3 / 3600.0),
    ("CentimeterPerSecond", 1e-2),
    ("CentimeterPerMinute", 1e-2 / 60.0),
    ("CentimeterPerHour", 1e-2 / 3600.0),
    ("DecimeterPerSecond", 1e-1),
    ("DecimeterPerMinute", 1e-1 / 60.0),
    ("MeterPerSecond", 1.0),
    ("MeterPerMinute", 1.0 / 60.0),
    ("MeterPerHour", 1.0 / 3600.0),
    ("KilometerPerSecond", 1e3),
    ("KilometerPerMinute", 1e3 / 60.0),
    ("KilometerPerHour", 1e3 / 3600.0),
    ("InchPerSecond", INCH),
    ("InchPerMinute", INCH / 60.0),
    ("InchPerHour", INCH / 3600.0),
    ("FootPerSecond", FOOT),
    ("FootPerMinute", FOOT / 60.0),
    ("FootPerHour", FOOT / 3600.0),
    ("UsSurveyFootPerSecond", SURVEY_FOOT),
    ("UsSurveyFootPerMinute", SURVEY_FOOT / 60.0),
    ("UsSurveyFootPerHour", SURVEY_FOOT / 3600.0),
    ("YardPerSecond", 0.9144),
    ("YardPerMinute", 0.9144 / 60.0),
    ("YardPerHour", 0.9144 / 3600.0),
    ("MilePerHour", 1609.344 / 3600.0),
    ("Knot", 1852.0 / 3600.0),
];

/// Volumes as the conversion library behind Kusto defines them; a few (the cubic foot and
/// inch, the US gallon, the acre-foot) are rounded there, and the docs' example shows the
/// acre-foot's rounding (1.2 cubic meters = 0.0009728568 acre-feet).
const CUBIC_FOOT: f64 = 0.028_316_8;
const US_GALLON: f64 = 0.003_785_41;
const IMPERIAL_GALLON: f64 = 0.004_546_09;

const VOLUME: &[(&str, f64)] = &[
    ("CubicMicrometer", 1e-18),
    ("CubicMillimeter", 1e-9),
    ("CubicCentimeter", 1e-6),
    ("CubicDecimeter", 1e-3),
    ("CubicMeter", 1.0),
    ("HectocubicMeter", 1e2),
    ("KilocubicMeter", 1e3),
    ("CubicHectometer", 1e6),
    ("CubicKilometer", 1e9),
    ("Microliter", 1e-9),
    ("Milliliter", 1e-6),
    ("Centiliter", 1e-5),
    ("Deciliter", 1e-4),
    ("Liter", 1e-3),
    ("Decaliter", 1e-2),
    ("Hectoliter", 1e-1),
    ("Kiloliter", 1.0),
    ("Megaliter", 1e3),
    ("CubicInch", 1.6387e-5),
    ("CubicFoot", CUBIC_FOOT),
    ("HectocubicFoot", CUBIC_FOOT * 1e2),
    ("KilocubicFoot", CUBIC_FOOT * 1e3),
    ("MegacubicFoot", CUBIC_FOOT * 1e6),
    ("CubicYard", 0.764_554_858),
    ("CubicMile", 4.168_181_825_440_58e9),
    ("BoardFoot", 2.359_737_216e-3),
    ("AcreFoot", 1.0 / 0.000_810_714),
    ("UsGallon", US_GALLON),
    ("DeciusGallon", US_GALLON * 1e-1),
    ("DecausGallon", US_GALLON * 1e1),
    ("HectousGallon", US_GALLON * 1e2),
    ("KilousGallon", US_GALLON * 1e3),
    ("MegausGallon", US_GALLON * 1e6),
    ("ImperialGallon", IMPERIAL_GALLON),
    ("KiloimperialGallon", IMPERIAL_GALLON * 1e3),
    ("MegaimperialGallon", IMPERIAL_GALLON * 1e6),
    ("ImperialOunce", 2.841_306_25e-5),
    ("ImperialPint", 5.682_612_5e-4),
    ("ImperialBeerBarrel", 0.163_659_24),
    ("UsOunce", 2.957_352_956_253_76e-5),
    ("UsPint", 4.731_764_73e-4),
    ("UsQuart", 9.463_529_46e-4),
    ("UsBeerBarrel", 0.117_347_765_8),
    ("OilBarrel", 0.158_987_294_928),
    ("UsTablespoon", 1.478_676_478_125e-5),
    ("AuTablespoon", 2e-5),
    ("UkTablespoon", 1.5e-5),
    ("MetricTeaspoon", 5e-6),
    ("UsTeaspoon", 4.928_921_593_75e-6),
    ("MetricCup", 2.5e-4),
    ("UsCustomaryCup", 2.365_882_365e-4),
    ("UsLegalCup", 2.4e-4),
];

fn factor(table: &[(&str, f64)], unit: &Value) -> Option<f64> {
    let Value::String(u) = unit else { return None };
    table.iter().find(|(name, _)| name.eq_ignore_ascii_case(u)).map(|(_, f)| *f)
}

/// value × (from's size) ÷ (to's size), or null for an unknown unit or a missing value.
fn linear(c: &Call, table: &[(&str, f64)]) -> FResult {
    let (Some(x), Some(from), Some(to)) = (c.a.first().and_then(to_f64), factor(table, &c.a[1]), factor(table, &c.a[2])) else {
        return Ok(Value::Null);
    };
    Ok(Value::Real(if from == to { x } else { x * from / to }))
}

pub fn convert_angle(c: &Call) -> FResult {
    // Tilt is the sine of the angle, so it is not a multiple of the degree.
    let tilt = |v: &Value| matches!(v, Value::String(u) if u.eq_ignore_ascii_case("Tilt"));
    let (from_tilt, to_tilt) = (tilt(&c.a[1]), tilt(&c.a[2]));
    if !from_tilt && !to_tilt {
        return linear(c, ANGLE);
    }
    let Some(x) = c.a.first().and_then(to_f64) else { return Ok(Value::Null) };
    let degrees = if from_tilt {
        x.asin() * RAD
    } else {
        match factor(ANGLE, &c.a[1]) {
            Some(f) => x * f,
            None => return Ok(Value::Null),
        }
    };
    Ok(if to_tilt { Value::Real((degrees / RAD).sin()) } else { factor(ANGLE, &c.a[2]).map_or(Value::Null, |f| Value::Real(degrees / f)) })
}

pub fn convert_energy(c: &Call) -> FResult {
    linear(c, ENERGY)
}

pub fn convert_force(c: &Call) -> FResult {
    linear(c, FORCE)
}

pub fn convert_length(c: &Call) -> FResult {
    linear(c, LENGTH)
}

pub fn convert_mass(c: &Call) -> FResult {
    linear(c, MASS)
}

pub fn convert_speed(c: &Call) -> FResult {
    linear(c, SPEED)
}

pub fn convert_volume(c: &Call) -> FResult {
    linear(c, VOLUME)
}

/// Temperature scales differ by an offset as well as a size: each unit is a pair of maps
/// to and from kelvin.
fn to_kelvin(unit: &str, x: f64) -> Option<f64> {
    Some(match unit.to_ascii_lowercase().as_str() {
        "kelvin" => x,
        "degreecelsius" => x + 273.15,
        "millidegreecelsius" => x / 1000.0 + 273.15,
        "degreefahrenheit" => (x + 459.67) * 5.0 / 9.0,
        "degreerankine" => x * 5.0 / 9.0,
        "degreedelisle" => 373.15 - x * 2.0 / 3.0,
        "degreenewton" => x * 100.0 / 33.0 + 273.15,
        "degreereaumur" => x * 5.0 / 4.0 + 273.15,
        "degreeroemer" => (x - 7.5) * 40.0 / 21.0 + 273.15,
        "solartemperature" => x * 5778.0,
        _ => return None,
    })
}

fn from_kelvin(unit: &str, k: f64) -> Option<f64> {
    Some(match unit.to_ascii_lowercase().as_str() {
        "kelvin" => k,
        "degreecelsius" => k - 273.15,
        "millidegreecelsius" => (k - 273.15) * 1000.0,
        "degreefahrenheit" => k * 9.0 / 5.0 - 459.67,
        "degreerankine" => k * 9.0 / 5.0,
        "degreedelisle" => (373.15 - k) * 3.0 / 2.0,
        "degreenewton" => (k - 273.15) * 33.0 / 100.0,
        "degreereaumur" => (k - 273.15) * 4.0 / 5.0,
        "degreeroemer" => (k - 273.15) * 21.0 / 40.0 + 7.5,
        "solartemperature" => k / 5778.0,
        _ => return None,
    })
}

pub fn convert_temperature(c: &Call) -> FResult {
    let (Some(x), Value::String(from), Value::String(to)) = (c.a.first().and_then(to_f64), &c.a[1], &c.a[2]) else {
        return Ok(Value::Null);
    };
    Ok(to_kelvin(from, x).and_then(|k| from_kelvin(to, k)).map_or(Value::Null, Value::Real))
}
