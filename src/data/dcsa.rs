//! Carriers' published schedules in the DCSA Commercial Schedules format (API v1.0,
//! `GET /point-to-point-routes`): dated routings become `services.toml` records.
//!
//! A routing is one solution from a place of receipt to a place of delivery: legs, each with a
//! dated departure and arrival at a UN/LOCODE (and optionally a facility), a mode of transport
//! and the carrier's service. The importer groups the dated legs of one carrier service
//! between two of our terminals that leave on the same weekday at the same local time into
//! one weekly service: its departure days and time, its published transit time, its cut-off
//! (the routing's FCL delivery cut-off, `FCO`), its first and last dates, and the weeks in
//! between that have no sailing (blank sailings) as closed dates. Nothing it cannot map is
//! dropped quietly: every such record is reported with the file, the record and the reason.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{DataError, ServiceRecord};
use crate::model::{Mode, Network, Terminal, TerminalKind, Weekday};

/// What the schedules do not say and the network needs: the rate table (DCSA schedules carry
/// no prices), the slots per departure, and the source key the records cite.
#[derive(Debug, Clone)]
pub struct ScheduleImport {
    pub tariff: String,
    pub capacity_teu: f64,
    pub source: String,
}

/// At most this many routings per file: a schedule export for a forwarder's lanes holds
/// hundreds; more is a mistake (or a whole carrier's network, which is not what this is for).
pub const MAX_ROUTINGS: usize = 10_000;

/// The cut-off when a routing gives none (cargo at the terminal a day before departure).
const DEFAULT_CUTOFF_HOURS: f64 = 24.0;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PointToPoint {
    #[serde(default)]
    cut_off_times: Vec<CutOffTime>,
    legs: Vec<Leg>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CutOffTime {
    cut_off_date_time_code: String,
    cut_off_date_time: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Leg {
    #[serde(default)]
    transport: Option<Transport>,
    departure: Place,
    arrival: Place,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Transport {
    mode_of_transport: String,
    #[serde(default)]
    service_partners: Vec<ServicePartner>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ServicePartner {
    #[serde(default)]
    carrier_code: Option<String>,
    #[serde(default)]
    carrier_service_name: Option<String>,
    #[serde(default)]
    carrier_service_code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Place {
    location: Location,
    date_time: String,
}

#[derive(Deserialize)]
struct Location {
    #[serde(rename = "UNLocationCode", default)]
    un_location_code: Option<String>,
}

/// One dated leg, mapped onto our terminals.
struct DatedLeg {
    mode: Mode,
    from: usize,
    to: usize,
    carrier: String,
    service_code: String,
    service_name: String,
    departure: jiff::Zoned,
    transit_hours: f64,
    cutoff_hours: Option<f64>,
}

/// The legs of one weekly service: same mode, terminals, carrier service, weekday and time.
type GroupKey = (Mode, usize, usize, String, Weekday, (i8, i8));

/// Reads one DCSA point-to-point file and turns it into service records, or reports every
/// record it cannot map.
pub fn import_point_to_point(
    path: &Path,
    network: &Network,
    options: &ScheduleImport,
) -> Result<Vec<ServiceRecord>, Vec<DataError>> {
    let fail = |record: &str, reason: String| vec![DataError::new(path, record, reason)];
    let text =
        std::fs::read_to_string(path).map_err(|e| fail("file", format!("cannot read: {e}")))?;
    let routings: Vec<serde_json::Value> = serde_json::from_str(&text).map_err(|e| {
        fail(
            &format!("line {}", e.line()),
            format!("not a JSON array of point-to-point routings: {e}"),
        )
    })?;
    if routings.len() > MAX_ROUTINGS {
        return Err(fail(
            "file",
            format!(
                "{} routings: at most {MAX_ROUTINGS} per file",
                routings.len()
            ),
        ));
    }
    if network.tariffs().get(&options.tariff).is_none() {
        return Err(fail(
            "options",
            format!("tariff '{}' is not in tariffs.toml", options.tariff),
        ));
    }
    let mut errors = Vec::new();
    let mut legs = Vec::new();
    for (i, value) in routings.into_iter().enumerate() {
        let record = format!("routing #{}", i + 1);
        let routing: PointToPoint = match serde_json::from_value(value) {
            Ok(r) => r,
            Err(e) => {
                errors.push(DataError::new(path, &record, e.to_string()));
                continue;
            }
        };
        let fco = routing
            .cut_off_times
            .iter()
            .find(|c| c.cut_off_date_time_code == "FCO")
            .map(|c| timestamp(&c.cut_off_date_time).map_err(|e| format!("cutOffTimes FCO: {e}")));
        let fco = match fco.transpose() {
            Ok(t) => t,
            Err(reason) => {
                errors.push(DataError::new(path, &record, reason));
                continue;
            }
        };
        if routing.legs.is_empty() {
            errors.push(DataError::new(path, &record, "legs is empty".to_string()));
        }
        for (j, leg) in routing.legs.iter().enumerate() {
            let record = format!("{record} leg #{}", j + 1);
            let cutoff = if j == 0 { fco } else { None };
            match map_leg(leg, network, cutoff) {
                Ok(l) => legs.push(l),
                Err(reason) => errors.push(DataError::new(path, &record, reason)),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut groups: BTreeMap<GroupKey, Vec<DatedLeg>> = BTreeMap::new();
    for leg in legs {
        let key = (
            leg.mode,
            leg.from,
            leg.to,
            leg.service_code.clone(),
            Weekday::of(leg.departure.date()),
            (leg.departure.hour(), leg.departure.minute()),
        );
        groups.entry(key).or_default().push(leg);
    }
    let mut records = Vec::new();
    for (key, mut group) in groups {
        group.sort_by(|a, b| a.departure.cmp(&b.departure));
        let record = service_record(&key, &group, network, options);
        if let Err(reason) = super::parse_service(
            &record,
            network.terminals(),
            network
                .infrastructure()
                .expect("a loaded network has its layers"),
            network.params(),
            network.tariffs(),
        ) {
            errors.push(DataError::new(
                path,
                format!("service {}", record.id),
                reason,
            ));
            continue;
        }
        records.push(record);
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(errors)
    }
}

fn timestamp(text: &str) -> Result<jiff::Timestamp, String> {
    text.parse::<jiff::Timestamp>().map_err(|_| {
        format!(
            "'{}' is not a date-time with an offset (e.g. 2026-03-02T18:00:00+08:00)",
            text.chars().take(40).collect::<String>()
        )
    })
}

fn map_leg(leg: &Leg, network: &Network, fco: Option<jiff::Timestamp>) -> Result<DatedLeg, String> {
    let transport = leg
        .transport
        .as_ref()
        .ok_or("transport is missing: the mode of transport is needed")?;
    let mode = match transport.mode_of_transport.as_str() {
        "VESSEL" | "BARGE" => Mode::Sea,
        "RAIL" => Mode::Rail,
        "TRUCK" => Mode::Road,
        other => {
            return Err(format!(
                "modeOfTransport '{other}' names no single mode (VESSEL, BARGE, RAIL or TRUCK)"
            ))
        }
    };
    let partner = transport.service_partners.first();
    let service_code = partner
        .and_then(|p| p.carrier_service_code.clone())
        .filter(|c| !c.trim().is_empty())
        .ok_or("servicePartners[0].carrierServiceCode is missing")?;
    if !service_code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(format!(
            "carrierServiceCode '{service_code}' has characters other than letters, digits and '-'"
        ));
    }
    let from = terminal(network, &leg.departure, mode, "departure")?;
    let to = terminal(network, &leg.arrival, mode, "arrival")?;
    let departs =
        timestamp(&leg.departure.date_time).map_err(|e| format!("departure.dateTime: {e}"))?;
    let arrives =
        timestamp(&leg.arrival.date_time).map_err(|e| format!("arrival.dateTime: {e}"))?;
    let transit_hours = arrives.duration_since(departs).as_secs_f64() / 3600.0;
    if transit_hours <= 0.0 {
        return Err(format!(
            "arrival {} is not after departure {}",
            leg.arrival.date_time, leg.departure.date_time
        ));
    }
    let cutoff_hours = fco.map(|t| departs.duration_since(t).as_secs_f64() / 3600.0);
    if let Some(h) = cutoff_hours.filter(|h| !(0.0..=240.0).contains(h)) {
        return Err(format!(
            "the FCO cut-off is {h:.0} h before departure (0..240 expected)"
        ));
    }
    let t = &network.terminals()[from];
    Ok(DatedLeg {
        mode,
        from,
        to,
        carrier: partner
            .and_then(|p| p.carrier_code.clone())
            .unwrap_or_default(),
        service_name: partner
            .and_then(|p| p.carrier_service_name.clone())
            .unwrap_or_else(|| service_code.clone()),
        service_code,
        departure: departs.to_zoned(t.timezone.clone()),
        transit_hours,
        cutoff_hours,
    })
}

/// The terminal of a place: the one terminal of its UN/LOCODE that the mode calls at.
fn terminal(network: &Network, place: &Place, mode: Mode, field: &str) -> Result<usize, String> {
    let code = place
        .location
        .un_location_code
        .as_deref()
        .ok_or_else(|| format!("{field}.location.UNLocationCode is missing"))?;
    let kinds: &[TerminalKind] = match mode {
        Mode::Sea => &[TerminalKind::Seaport],
        Mode::Rail => &[TerminalKind::RailTerminal, TerminalKind::Seaport],
        Mode::Road => &[TerminalKind::RoadTerminal, TerminalKind::Seaport],
        Mode::Air => &[TerminalKind::Airport],
    };
    let candidates: Vec<(usize, &Terminal)> = network
        .terminals()
        .iter()
        .enumerate()
        .filter(|(_, t)| t.locode == code && kinds.contains(&t.kind))
        .collect();
    match candidates.as_slice() {
        [(i, _)] => Ok(*i),
        [] => Err(format!(
            "{field}: UN/LOCODE '{}' has no {mode} terminal in terminals.csv",
            code.chars().take(10).collect::<String>()
        )),
        several => {
            let ids: Vec<&str> = several.iter().map(|(_, t)| t.code.as_str()).collect();
            // Rail at a port with on-dock rail: the rail terminal is the one meant.
            match several
                .iter()
                .find(|(_, t)| mode == Mode::Rail && t.kind == TerminalKind::RailTerminal)
            {
                Some((i, _)) if several.len() == 2 => Ok(*i),
                _ => Err(format!(
                    "{field}: UN/LOCODE '{code}' has several {mode} terminals ({})",
                    ids.join(", ")
                )),
            }
        }
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// One weekly service from the dated legs of a group (sorted by departure).
fn service_record(
    key: &GroupKey,
    group: &[DatedLeg],
    network: &Network,
    options: &ScheduleImport,
) -> ServiceRecord {
    let (mode, from, to, code, weekday, (hour, minute)) = key;
    let (tf, tt) = (&network.terminals()[*from], &network.terminals()[*to]);
    let first = group[0].departure.date();
    let last = group[group.len() - 1].departure.date();
    // Weeks between the first and last sailing without one are blank sailings.
    let sailed: Vec<jiff::civil::Date> = group.iter().map(|l| l.departure.date()).collect();
    let mut closed = Vec::new();
    let mut week = first;
    while week < last {
        if !sailed.contains(&week) {
            closed.push([week.to_string(), week.to_string()]);
        }
        week = week.checked_add(jiff::Span::new().days(7)).unwrap_or(last);
    }
    let cutoffs: Vec<f64> = group.iter().filter_map(|l| l.cutoff_hours).collect();
    let leg = &group[0];
    let strip = |code: &str| code.split('-').next().unwrap_or(code).to_string();
    ServiceRecord {
        id: format!(
            "DCSA-{}-{code}-{}-{}-{}",
            if leg.carrier.is_empty() {
                "X"
            } else {
                &leg.carrier
            },
            strip(&tf.code),
            strip(&tt.code),
            weekday.as_str().to_uppercase()
        ),
        name: format!("{} ({code}) {} – {}", leg.service_name, tf.city, tt.city),
        mode: mode.as_str().to_string(),
        from: tf.code.clone(),
        to: tt.code.clone(),
        operator: (!leg.carrier.is_empty()).then(|| leg.carrier.clone()),
        days: vec![weekday.as_str().to_string()],
        departure_time: format!("{hour:02}:{minute:02}"),
        cutoff_hours: if cutoffs.is_empty() {
            DEFAULT_CUTOFF_HOURS
        } else {
            (median(cutoffs) * 10.0).round() / 10.0
        },
        transit_hours: Some(
            (median(group.iter().map(|l| l.transit_hours).collect()) * 10.0).round() / 10.0,
        ),
        capacity_teu: Some(options.capacity_teu),
        first_date: Some(first.to_string()),
        last_date: Some(last.to_string()),
        closed,
        tariff: Some(options.tariff.clone()),
        source: options.source.clone(),
        ..ServiceRecord::default()
    }
}

/// The records as `services.toml` text.
pub fn to_toml(records: &[ServiceRecord]) -> String {
    #[derive(serde::Serialize)]
    struct File<'a> {
        service: &'a [ServiceRecord],
    }
    toml::to_string(&File { service: records }).unwrap_or_default()
}
