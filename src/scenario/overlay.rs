//! Applying a scenario to the base network: a new [`Network`] built from the base's terminals
//! and services plus the scenario's changes. The base is only read, never mutated, so queries
//! on the base and on every other scenario go on unaffected.
//!
//! Every problem is reported with the definition field it comes from
//! (`added_services[0]`, `suspensions[2].until_date`, ...) so that the API can answer
//! `INVALID_ARGUMENT` naming it, and a stored scenario that no longer fits the base network is
//! reported as broken with the same message.

use std::collections::HashSet;
use std::sync::Arc;

use jiff::civil::Date;

use super::spec::{ScenarioDefinition, ServiceChange, Suspension, TerminalChange};
use crate::data;
use crate::model::{Mode, Network, Schedule, Service, TerminalId, KM_PER_NM};

/// Why a scenario cannot be applied: the field of the definition and the reason.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct OverlayError {
    pub field: String,
    pub reason: String,
}

impl OverlayError {
    fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        OverlayError {
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// Builds the scenario's network over `base`.
pub fn apply(base: &Network, def: &ScenarioDefinition) -> Result<Network, OverlayError> {
    if def.name.trim().is_empty() {
        return Err(OverlayError::new("name", "is empty"));
    }
    let infrastructure = base.infrastructure().cloned().ok_or_else(|| {
        OverlayError::new("base", "the base network carries no infrastructure layers")
    })?;
    let params = base.params();

    let mut terminals = base.terminals().to_vec();
    for (i, record) in def.added_terminals.iter().enumerate() {
        let field = format!("added_terminals[{i}]");
        let terminal = data::parse_terminal(record.clone(), params)
            .map_err(|reason| OverlayError::new(&field, format!("'{}': {reason}", record.id)))?;
        if terminals.iter().any(|t| t.code == terminal.code) {
            return Err(OverlayError::new(
                format!("{field}.id"),
                format!("terminal '{}' already exists", terminal.code),
            ));
        }
        terminals.push(terminal);
    }
    for (i, change) in def.terminal_changes.iter().enumerate() {
        change_terminal(&mut terminals, change)
            .map_err(|reason| OverlayError::new(format!("terminal_changes[{i}]"), reason))?;
    }

    let mut services: Vec<Service> = base
        .services()
        .iter()
        .filter(|s| !s.drayage)
        .cloned()
        .collect();
    let mut added = Vec::new();
    for (i, record) in def.added_services.iter().enumerate() {
        let field = format!("added_services[{i}]");
        let service =
            data::parse_service(record, &terminals, &infrastructure, params, base.tariffs())
                .map_err(|reason| {
                    OverlayError::new(&field, format!("'{}': {reason}", record.id))
                })?;
        let reverse = record.both_directions.then(|| data::reversed(&service));
        for mut s in std::iter::once(service).chain(reverse) {
            data::apply_calendars(&mut s, &terminals, params);
            if services.iter().chain(&added).any(|o| o.code == s.code) {
                return Err(OverlayError::new(
                    format!("{field}.id"),
                    format!("service '{}' already exists", s.code),
                ));
            }
            added.push(s);
        }
    }
    services.extend(added);
    for (i, change) in def.service_changes.iter().enumerate() {
        change_service(&mut services, change).map_err(|(sub, reason)| {
            OverlayError::new(format!("service_changes[{i}]{sub}"), reason)
        })?;
    }
    services.extend(data::drayage(&terminals, params));
    for (i, suspension) in def.suspensions.iter().enumerate() {
        suspend(&terminals, &mut services, suspension)
            .map_err(|(sub, reason)| OverlayError::new(format!("suspensions[{i}]{sub}"), reason))?;
    }

    Network::new(terminals, services, params.clone())
        .map(|n| {
            n.with_infrastructure(Arc::clone(&infrastructure))
                .with_tariffs(Arc::clone(base.tariffs()))
        })
        .map_err(|e| OverlayError::new("definition", e.to_string()))
}

/// The most TEU (or kg, for air) one departure may take: more than any ship or train.
const MAX_CAPACITY: f64 = 1_000_000.0;

/// The services a target names: `X` and its reverse `X-R`, or `X-R` alone.
fn targets(services: &[Service], code: &str) -> Vec<usize> {
    let reverse = format!("{code}-R");
    services
        .iter()
        .enumerate()
        .filter(|(_, s)| s.code == code || s.code == reverse)
        .map(|(i, _)| i)
        .collect()
}

/// A changed figure within `0..=max` (hours of dwell, charges per box or tonne): finite
/// nonsense such as 1e308 would overflow a route's totals.
fn within(name: &str, value: Option<f64>, max: f64) -> Result<Option<f64>, String> {
    match value {
        Some(v) if !(v.is_finite() && (0.0..=max).contains(&v)) => {
            Err(format!("{name} {v} is outside 0..{max}"))
        }
        other => Ok(other),
    }
}

fn change_terminal(
    terminals: &mut [crate::model::Terminal],
    change: &TerminalChange,
) -> Result<(), String> {
    let t = terminals
        .iter_mut()
        .find(|t| t.code == change.terminal)
        .ok_or_else(|| format!("terminal '{}' is not in the network", change.terminal))?;
    if let Some(v) = within("handling_hours", change.handling_hours, 720.0)? {
        t.handling.hours = v;
    }
    if let Some(v) = within("thc_usd_per_20ft", change.thc_usd_per_20ft, 100_000.0)? {
        t.handling.usd_per_20ft = v;
    }
    if let Some(v) = within("thc_usd_per_40ft", change.thc_usd_per_40ft, 100_000.0)? {
        t.handling.usd_per_40ft = v;
    }
    if let Some(v) = within("loose_usd_per_tonne", change.loose_usd_per_tonne, 100_000.0)? {
        t.handling.loose_usd_per_tonne = v;
    }
    Ok(())
}

fn change_service(
    services: &mut [Service],
    change: &ServiceChange,
) -> Result<(), (String, String)> {
    let found = targets(services, &change.service);
    if found.is_empty() {
        return Err((
            ".service".into(),
            format!("service '{}' is not in the network", change.service),
        ));
    }
    for i in found {
        let s = &mut services[i];
        if change.days.is_some() || change.departure_time.is_some() {
            let Schedule::Weekly {
                days,
                departure_minute,
                cutoff_hours,
            } = &s.schedule
            else {
                return Err((".days".into(), format!("'{}' runs on demand", s.code)));
            };
            let day_names = match &change.days {
                Some(d) => d.clone(),
                None => days.iter().map(|d| d.as_str().to_string()).collect(),
            };
            let time = change.departure_time.clone().unwrap_or_else(|| {
                format!("{:02}:{:02}", departure_minute / 60, departure_minute % 60)
            });
            s.schedule = data::parse_weekly(&day_names, &time, *cutoff_hours)
                .map_err(|r| (".days".to_string(), r))?;
        }
        let speed_kmh = match (s.mode, change.speed_kn, change.speed_kmh) {
            (_, None, None) => None,
            (Mode::Sea, Some(kn), None) => Some(kn * KM_PER_NM),
            (mode, None, Some(kmh)) if mode != Mode::Sea => Some(kmh),
            (mode, _, _) => {
                return Err((
                    ".speed_kn".into(),
                    format!(
                    "give speed_kn for sea services and speed_kmh for the others ('{}' is {mode})",
                    s.code
                ),
                ))
            }
        };
        if let Some(kmh) = speed_kmh {
            data::check_speed(s.mode, kmh).map_err(|r| (".speed".to_string(), r))?;
            s.speed_kmh = kmh;
            s.ice_speed_kmh = s.ice_speed_kmh.map(|ice| ice.min(kmh));
        }
        if let Some(f) = change.rate_factor {
            if !(f.is_finite() && f > 0.0 && f <= 100.0) {
                return Err((".rate_factor".into(), format!("{f} is outside (0, 100]")));
            }
            s.tariff.scale(f);
        }
        if let Some(c) = change.capacity {
            if !(c.is_finite() && c > 0.0 && c <= MAX_CAPACITY) {
                return Err((
                    ".capacity".into(),
                    format!("{c} is outside (0, {MAX_CAPACITY}]"),
                ));
            }
            // TEU per departure; kilograms for air, whose volume limit scales with it.
            if s.mode == Mode::Air {
                let old = s.capacity.kg.unwrap_or(c);
                s.capacity.m3 = s.capacity.m3.map(|m3| m3 * c / old);
                s.capacity.kg = Some(c);
            } else {
                s.capacity.teu = Some(c);
            }
        }
    }
    Ok(())
}

fn date(field: &str, value: &str) -> Result<Option<Date>, (String, String)> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    value.trim().parse::<Date>().map(Some).map_err(|_| {
        (
            format!(".{field}"),
            format!("'{value}' is not a YYYY-MM-DD date"),
        )
    })
}

fn suspend(
    terminals: &[crate::model::Terminal],
    services: &mut Vec<Service>,
    suspension: &Suspension,
) -> Result<(), (String, String)> {
    let from = date("from_date", &suspension.from_date)?;
    let until = date("until_date", &suspension.until_date)?;
    if let (Some(a), Some(b)) = (from, until) {
        if b < a {
            return Err((".until_date".into(), format!("{b} is before from_date {a}")));
        }
    }
    let affected: HashSet<usize> = match (suspension.service.trim(), suspension.terminal.trim()) {
        (code, "") if !code.is_empty() => {
            let found = targets(services, code);
            if found.is_empty() {
                return Err((
                    ".service".into(),
                    format!("service '{code}' is not in the network"),
                ));
            }
            found.into_iter().collect()
        }
        ("", code) if !code.is_empty() => {
            let id = terminals
                .iter()
                .position(|t| t.code == code)
                .map(|i| TerminalId(i as u32))
                .ok_or_else(|| {
                    (
                        ".terminal".to_string(),
                        format!("terminal '{code}' is not in the network"),
                    )
                })?;
            services
                .iter()
                .enumerate()
                .filter(|(_, s)| s.from == id || s.to == id)
                .map(|(i, _)| i)
                .collect()
        }
        _ => {
            return Err((
                String::new(),
                "give exactly one of service or terminal".to_string(),
            ))
        }
    };
    if from.is_none() && until.is_none() {
        let mut index = 0;
        services.retain(|_| {
            index += 1;
            !affected.contains(&(index - 1))
        });
        return Ok(());
    }
    let period = (from.unwrap_or(Date::MIN), until.unwrap_or(Date::MAX));
    for i in affected {
        services[i].validity.suspended.push(period);
    }
    Ok(())
}
