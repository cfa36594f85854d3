//! `terminals.csv`: one row per seaport, airport, rail or road terminal.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::DataError;
use crate::model::{Handling, LatLon, ModelParams, Terminal, TerminalKind};

/// One row of `terminals.csv` (and a `[[terminal]]` of a scenario file, same columns).
/// Parsed into a [`Terminal`] by [`parse_terminal`].
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TerminalRecord {
    pub id: String,
    pub name: String,
    pub city: String,
    pub kind: String,
    pub locode: String,
    /// Other official UN/LOCODEs that name this terminal or its city, space-separated.
    #[serde(default)]
    pub aliases: String,
    #[serde(default)]
    pub iata: String,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    pub timezone: String,
    /// ISO 4217 code of the charges below (converted to USD at the model's dated rates).
    pub currency: String,
    /// Terminal handling charge per full container, by size.
    pub thc_per_20ft: f64,
    pub thc_per_40ft: f64,
    /// Loose cargo (CFS, warehouse, airport handling) per revenue or chargeable tonne, and the
    /// minimum per shipment.
    pub loose_per_tonne: f64,
    pub loose_min: f64,
    pub handling_hours: f64,
    pub source: String,
}

fn is_upper_alnum(s: &str, len: usize) -> bool {
    s.len() == len
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

pub(crate) fn parse_terminal(
    row: TerminalRecord,
    params: &ModelParams,
) -> Result<Terminal, String> {
    let kind = match row.kind.as_str() {
        "seaport" => TerminalKind::Seaport,
        "airport" => TerminalKind::Airport,
        "rail_terminal" => TerminalKind::RailTerminal,
        "road_terminal" => TerminalKind::RoadTerminal,
        other => {
            return Err(format!(
                "kind '{other}' is not one of seaport, airport, rail_terminal, road_terminal"
            ))
        }
    };
    if !is_upper_alnum(&row.locode, 5) {
        return Err(format!(
            "locode '{}' is not a 5-character UN/LOCODE",
            row.locode
        ));
    }
    if !is_upper_alnum(&row.country, 2) || !row.locode.starts_with(&row.country) {
        return Err(format!(
            "country '{}' is not the ISO code that begins locode '{}'",
            row.country, row.locode
        ));
    }
    let tag = row.id.strip_prefix(&format!("{}-", row.locode));
    if !tag.is_some_and(|t| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    }) {
        return Err(format!(
            "id '{}' is not '{}-<TAG>' with an upper-case tag",
            row.id, row.locode
        ));
    }
    let aliases: Vec<String> = row.aliases.split_whitespace().map(str::to_string).collect();
    if aliases.len() > 8 {
        return Err(format!("{} aliases: at most 8", aliases.len()));
    }
    if let Some(bad) = aliases.iter().find(|a| !is_upper_alnum(a, 5)) {
        return Err(format!("alias '{bad}' is not a 5-character UN/LOCODE"));
    }
    if let Some(same) = aliases.iter().find(|a| **a == row.locode) {
        return Err(format!("alias '{same}' repeats the locode"));
    }
    let iata = match (kind, row.iata.trim()) {
        (TerminalKind::Airport, code) if is_upper_alnum(code, 3) => Some(code.to_string()),
        (TerminalKind::Airport, code) => {
            return Err(format!("airport needs a 3-letter IATA code, got '{code}'"))
        }
        (_, "") => None,
        (_, code) => return Err(format!("only airports have an IATA code, got '{code}'")),
    };
    if !(row.lat.is_finite() && (-90.0..=90.0).contains(&row.lat)) {
        return Err(format!("lat {} is outside -90..90", row.lat));
    }
    if !(row.lon.is_finite() && (-180.0..=180.0).contains(&row.lon)) {
        return Err(format!("lon {} is outside -180..180", row.lon));
    }
    let timezone = jiff::tz::TimeZone::get(row.timezone.trim()).map_err(|_| {
        format!(
            "timezone '{}' is not an IANA time zone name (e.g. Asia/Shanghai)",
            row.timezone
        )
    })?;
    for (field, value) in [
        ("thc_per_20ft", row.thc_per_20ft),
        ("thc_per_40ft", row.thc_per_40ft),
        ("loose_per_tonne", row.loose_per_tonne),
        ("loose_min", row.loose_min),
        ("handling_hours", row.handling_hours),
    ] {
        if !(value.is_finite() && value >= 0.0) {
            return Err(format!("{field} must not be negative, got {value}"));
        }
    }
    if row.handling_hours > 24.0 * 30.0 {
        return Err(format!(
            "handling_hours {} is more than a month",
            row.handling_hours
        ));
    }
    let usd = params.usd_per_unit(&row.currency)?;
    for (field, value) in [
        ("name", &row.name),
        ("city", &row.city),
        ("source", &row.source),
    ] {
        if value.trim().is_empty() {
            return Err(format!("{field} is empty"));
        }
    }
    Ok(Terminal {
        code: row.id,
        name: row.name,
        city: row.city,
        kind,
        locode: row.locode,
        aliases,
        iata,
        country: row.country,
        position: LatLon::new(row.lat, row.lon),
        timezone,
        handling: Handling {
            usd_per_20ft: row.thc_per_20ft * usd,
            usd_per_40ft: row.thc_per_40ft * usd,
            loose_usd_per_tonne: row.loose_per_tonne * usd,
            loose_min_usd: row.loose_min * usd,
            hours: row.handling_hours,
        },
    })
}

pub fn load(path: &Path, params: &ModelParams) -> Result<Vec<Terminal>, DataError> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| DataError::new(path, "file", format!("cannot read: {e}")))?;
    let mut terminals: Vec<Terminal> = Vec::new();
    for result in reader.deserialize::<TerminalRecord>() {
        let row = result.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            DataError::new(path, format!("line {line}"), e.to_string())
        })?;
        let record = format!("line {} ({})", terminals.len() + 2, row.id);
        let terminal =
            parse_terminal(row, params).map_err(|reason| DataError::new(path, &record, reason))?;
        if terminals.iter().any(|t| t.code == terminal.code) {
            return Err(DataError::new(
                path,
                record,
                format!("duplicate id '{}'", terminal.code),
            ));
        }
        terminals.push(terminal);
    }
    if terminals.is_empty() {
        return Err(DataError::new(path, "file", "no terminals"));
    }
    Ok(terminals)
}
