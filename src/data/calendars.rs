//! `calendars.toml`: dated exceptions to the weekly timetables (public holidays, blank
//! sailings, suspended trains), and their application to the services they cover.

use std::path::Path;

use serde::Deserialize;

use super::DataError;
use crate::model::{Mode, ModelParams, Service, ServiceCalendar, Terminal};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    calendar: Vec<CalendarRecord>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarRecord {
    id: String,
    reason: String,
    source: String,
    /// `[["YYYY-MM-DD", "YYYY-MM-DD"], ...]`, inclusive.
    closed: Vec<[String; 2]>,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    countries: Vec<String>,
    #[serde(default)]
    modes: Vec<String>,
}

/// Closed date ranges from their file form `[["YYYY-MM-DD", "YYYY-MM-DD"], ...]` (inclusive,
/// each at most two months: longer is a suspension, which belongs in a service's dates).
pub(crate) fn parse_closed(
    ranges: &[[String; 2]],
) -> Result<Vec<(jiff::civil::Date, jiff::civil::Date)>, String> {
    let mut closed = Vec::new();
    for (i, [from, until]) in ranges.iter().enumerate() {
        let date = |v: &str| {
            v.trim()
                .parse::<jiff::civil::Date>()
                .map_err(|_| format!("closed[{i}]: '{v}' is not a YYYY-MM-DD date"))
        };
        let (a, b) = (date(from)?, date(until)?);
        if b < a {
            return Err(format!("closed[{i}]: {b} is before {a}"));
        }
        if b.since(a).map_or(true, |span| span.get_days() > 62) {
            return Err(format!(
                "closed[{i}]: {a}..{b} is longer than two months (a suspension belongs in the \
                 service's own dates)"
            ));
        }
        closed.push((a, b));
    }
    Ok(closed)
}

fn parse(raw: &CalendarRecord) -> Result<ServiceCalendar, String> {
    if raw.id.trim().is_empty() || raw.reason.trim().is_empty() || raw.source.trim().is_empty() {
        return Err("id, reason and source must not be empty".to_string());
    }
    if raw.closed.is_empty() {
        return Err("closed lists no dates".to_string());
    }
    let closed = parse_closed(&raw.closed)?;
    let names_services = !raw.services.is_empty();
    let selects = !raw.countries.is_empty() || !raw.modes.is_empty();
    if names_services && selects {
        return Err("name services, or select by countries and modes, not both".to_string());
    }
    if let Some(c) = raw
        .countries
        .iter()
        .find(|c| !(c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase())))
    {
        return Err(format!("country '{c}' is not an ISO 3166 alpha-2 code"));
    }
    let modes = raw
        .modes
        .iter()
        .map(|m| m.parse::<Mode>())
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ServiceCalendar {
        id: raw.id.clone(),
        reason: raw.reason.clone(),
        closed,
        services: raw.services.clone(),
        countries: raw.countries.clone(),
        modes,
    })
}

/// Loads `calendars.toml`; a file that is absent means no exceptions.
pub fn load(path: &Path) -> Result<Vec<ServiceCalendar>, DataError> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let file: File = super::read_toml(path)?;
    let mut out: Vec<ServiceCalendar> = Vec::new();
    for (i, raw) in file.calendar.iter().enumerate() {
        let record = format!("calendar #{} '{}'", i + 1, raw.id);
        let calendar = parse(raw).map_err(|reason| DataError::new(path, &record, reason))?;
        if out.iter().any(|c| c.id == calendar.id) {
            return Err(DataError::new(path, &record, "duplicate calendar id"));
        }
        out.push(calendar);
    }
    Ok(out)
}

/// Checks that every service a calendar names exists.
pub fn check_named_services(
    path: &Path,
    calendars: &[ServiceCalendar],
    services: &[Service],
) -> Result<(), DataError> {
    for c in calendars {
        if let Some(id) = c
            .services
            .iter()
            .find(|id| !services.iter().any(|s| s.code == **id))
        {
            return Err(DataError::new(
                path,
                format!("calendar '{}'", c.id),
                format!("service '{id}' is not in services.toml"),
            ));
        }
    }
    Ok(())
}

/// Adds the closed dates of every calendar that covers the service to its validity.
pub(crate) fn apply(service: &mut Service, terminals: &[Terminal], params: &ModelParams) {
    let origin = &terminals[service.from.index()].country;
    for calendar in &params.calendars {
        if calendar.covers(service, origin) {
            service.validity.closed.extend(&calendar.closed);
        }
    }
}
