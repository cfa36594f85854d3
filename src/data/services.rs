//! `services.toml`: the services that run, validated, with geometry derived from the
//! infrastructure; and the drayage transfers generated between the terminals of a city.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::DataError;
use crate::geo::Infrastructure;
use crate::geo::{great_circle_path, haversine_km, LanePath};
use crate::model::{
    AirCapacity, BorderCrossing, Mode, ModelParams, Rate, Schedule, Season, Service, ServiceFlags,
    Terminal, TerminalId, TerminalKind, Validity, Weekday, ARCTIC_PASSAGES, KM_PER_NM,
};

/// The farthest a terminal may lie from the layer it is snapped to.
const MAX_SEA_SNAP_KM: f64 = 60.0;
const MAX_RAIL_SNAP_KM: f64 = 30.0;
/// Vertex spacing of drawn great circles (air, road).
const GREAT_CIRCLE_SEGMENT_KM: f64 = 50.0;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    service: Vec<ServiceRecord>,
}

/// One `[[service]]` record as written in `services.toml` (and in scenario files, which add
/// services in the same format). Parsed into a [`Service`] by [`parse_service`].
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceRecord {
    pub id: String,
    pub name: String,
    pub mode: String,
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub both_directions: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    pub days: Vec<String>,
    pub departure_time: String,
    pub cutoff_hours: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_kn: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_kmh: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_teu: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_kg: Option<f64>,
    #[serde(default)]
    pub reefer: bool,
    #[serde(default)]
    pub dangerous_goods: bool,
    #[serde(default)]
    pub exploratory: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub exploratory_reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub air_capacity: Option<String>,
    #[serde(default)]
    pub sea_via: Vec<String>,
    #[serde(default)]
    pub sea_closed: Vec<String>,
    /// Sea only: average speed where the path runs in Arctic ice (north of 66 N).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ice_speed_kn: Option<f64>,
    /// `MM-DD..MM-DD`: departures only inside this window of every year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season: Option<String>,
    /// `YYYY-MM-DD`: first and last departure dates (a pilot line, a suspension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_date: Option<String>,
    pub source: String,
    pub rate: RateRecord,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub border: Option<BorderRecord>,
}

/// The `[service.rate]` table.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RateRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_usd_per_teu: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_per_teu_km: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_per_truck_km: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_usd_per_truck: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usd_per_kg: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_usd: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reefer_usd_per_teu: Option<f64>,
    #[serde(default)]
    pub ice_class_usd_per_teu: f64,
    #[serde(default)]
    pub icebreaker_usd_per_teu: f64,
}

/// The `[service.border]` table.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BorderRecord {
    pub customs_hours: f64,
    pub customs_usd_per_teu: f64,
    #[serde(default)]
    pub gauge_change: bool,
}

/// A required figure, checked for sign and presence.
fn figure(name: &str, value: Option<f64>) -> Result<f64, String> {
    let v = value.ok_or_else(|| format!("{name} is missing"))?;
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(format!("{name} must not be negative, got {v}"))
    }
}

/// A figure that must not be given for this mode.
fn absent(name: &str, value: Option<f64>, mode: Mode) -> Result<(), String> {
    match value {
        Some(_) => Err(format!("{name} does not apply to {mode} services")),
        None => Ok(()),
    }
}

fn parse_mode_fields(raw: &ServiceRecord, mode: Mode) -> Result<(f64, f64, Rate), String> {
    let r = &raw.rate;
    let speed_kmh = match mode {
        Mode::Sea => {
            absent("speed_kmh", raw.speed_kmh, mode)?;
            figure("speed_kn", raw.speed_kn)? * KM_PER_NM
        }
        _ => {
            absent("speed_kn", raw.speed_kn, mode)?;
            figure("speed_kmh", raw.speed_kmh)?
        }
    };
    check_speed(mode, speed_kmh)?;
    let (capacity, rate) = match mode {
        Mode::Sea | Mode::Rail => {
            absent("capacity_kg", raw.capacity_kg, mode)?;
            absent("rate.usd_per_kg", r.usd_per_kg, mode)?;
            absent("rate.usd_per_truck_km", r.usd_per_truck_km, mode)?;
            (
                figure("capacity_teu", raw.capacity_teu)?,
                Rate::PerTeu {
                    base_usd_per_teu: figure("rate.base_usd_per_teu", r.base_usd_per_teu)?,
                    usd_per_teu_km: figure("rate.usd_per_teu_km", r.usd_per_teu_km)?,
                },
            )
        }
        Mode::Road => {
            absent("capacity_kg", raw.capacity_kg, mode)?;
            absent("rate.usd_per_teu_km", r.usd_per_teu_km, mode)?;
            (
                figure("capacity_teu", raw.capacity_teu)?,
                Rate::PerTruck {
                    base_usd_per_truck: figure("rate.base_usd_per_truck", r.base_usd_per_truck)?,
                    usd_per_truck_km: figure("rate.usd_per_truck_km", r.usd_per_truck_km)?,
                    min_usd: figure("rate.min_usd", r.min_usd)?,
                },
            )
        }
        Mode::Air => {
            absent("capacity_teu", raw.capacity_teu, mode)?;
            absent("rate.usd_per_teu_km", r.usd_per_teu_km, mode)?;
            (
                figure("capacity_kg", raw.capacity_kg)?,
                Rate::PerChargeableKg {
                    usd_per_kg: figure("rate.usd_per_kg", r.usd_per_kg)?,
                    min_usd: figure("rate.min_usd", r.min_usd)?,
                },
            )
        }
    };
    if capacity <= 0.0 {
        return Err("capacity must be positive".to_string());
    }
    Ok((speed_kmh, capacity, rate))
}

fn parse_schedule(raw: &ServiceRecord) -> Result<Schedule, String> {
    parse_weekly(&raw.days, &raw.departure_time, raw.cutoff_hours)
}

/// A weekly schedule from its file form: day names, `HH:MM` local time, cut-off hours.
pub(crate) fn parse_weekly(
    day_names: &[String],
    departure_time: &str,
    cutoff_hours: f64,
) -> Result<Schedule, String> {
    if day_names.is_empty() {
        return Err("days is empty: a service needs at least one weekly departure".to_string());
    }
    let mut days = Vec::new();
    for d in day_names {
        let day = Weekday::parse(d).ok_or_else(|| format!("day '{d}' is not one of mon..sun"))?;
        if days.contains(&day) {
            return Err(format!("day '{d}' is listed twice"));
        }
        days.push(day);
    }
    days.sort();
    let minute = departure_time
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<u16>().ok()?, m.parse::<u16>().ok()?)))
        .filter(|&(h, m)| h < 24 && m < 60 && departure_time.len() == 5)
        .map(|(h, m)| h * 60 + m)
        .ok_or_else(|| format!("departure_time '{departure_time}' is not HH:MM"))?;
    if !(cutoff_hours.is_finite() && (0.0..=240.0).contains(&cutoff_hours)) {
        return Err(format!("cutoff_hours {cutoff_hours} is outside 0..240"));
    }
    Ok(Schedule::Weekly {
        days,
        departure_minute: minute,
        cutoff_hours,
    })
}

/// Checks a speed against what the mode can do.
pub(crate) fn check_speed(mode: Mode, speed_kmh: f64) -> Result<(), String> {
    let max_speed_kmh = match mode {
        Mode::Sea => 30.0 * KM_PER_NM,
        Mode::Air => 1000.0,
        Mode::Rail => 160.0,
        Mode::Road => 100.0,
    };
    if speed_kmh.is_finite() && speed_kmh > 0.0 && speed_kmh <= max_speed_kmh {
        Ok(())
    } else {
        Err(format!(
            "speed {speed_kmh:.1} km/h is not plausible for {mode} (0 < speed <= {max_speed_kmh:.0})"
        ))
    }
}

fn required_kind(mode: Mode) -> Option<TerminalKind> {
    match mode {
        Mode::Sea => Some(TerminalKind::Seaport),
        Mode::Air => Some(TerminalKind::Airport),
        Mode::Rail => Some(TerminalKind::RailTerminal),
        Mode::Road => None,
    }
}

/// Derives the path of a service from its layer: (points, km, passages).
fn derive_path(
    mode: Mode,
    from: &Terminal,
    to: &Terminal,
    (sea_via, sea_closed): (&[String], &[String]),
    infrastructure: &Infrastructure,
    params: &ModelParams,
) -> Result<LanePath, String> {
    let (a, b) = (from.position, to.position);
    match mode {
        Mode::Air => Ok(LanePath {
            points: great_circle_path(a, b, GREAT_CIRCLE_SEGMENT_KM),
            length_km: haversine_km(a, b),
            passages: Vec::new(),
        }),
        Mode::Road => Ok(LanePath {
            points: great_circle_path(a, b, GREAT_CIRCLE_SEGMENT_KM),
            length_km: haversine_km(a, b) * params.road_circuity,
            passages: Vec::new(),
        }),
        Mode::Sea | Mode::Rail => {
            let (layer, max_snap, name) = if mode == Mode::Sea {
                (&infrastructure.sea, MAX_SEA_SNAP_KM, "sea-lane")
            } else {
                (&infrastructure.rail, MAX_RAIL_SNAP_KM, "rail")
            };
            let is_open = |p: &str| {
                (!ARCTIC_PASSAGES.contains(&p) || sea_via.iter().any(|v| v == p))
                    && !sea_closed.iter().any(|v| v == p)
            };
            let (path, sa, sb) = layer
                .route_between(a, b, is_open)
                .ok_or_else(|| format!("no {name} path from {} to {}", from.code, to.code))?;
            for (t, snap) in [(from, sa), (to, sb)] {
                if snap.distance_km > max_snap {
                    return Err(format!(
                        "terminal {} is {:.1} km from the {name} network (at most {max_snap} km)",
                        t.code, snap.distance_km
                    ));
                }
            }
            if let Some(missing) = sea_via.iter().find(|v| !path.passages.contains(v)) {
                return Err(format!(
                    "sea_via names '{missing}' but the derived path does not use it"
                ));
            }
            Ok(path)
        }
    }
}

pub(crate) fn parse_service(
    raw: &ServiceRecord,
    terminals: &[Terminal],
    infrastructure: &Infrastructure,
    params: &ModelParams,
) -> Result<Service, String> {
    let mode: Mode = raw.mode.parse()?;
    if raw.id.trim().is_empty() || raw.id.contains(char::is_whitespace) {
        return Err(format!("id '{}' must be non-empty without spaces", raw.id));
    }
    if raw.name.trim().is_empty() || raw.source.trim().is_empty() {
        return Err("name and source must not be empty".to_string());
    }
    let find = |field: &str, code: &str| {
        terminals
            .iter()
            .position(|t| t.code == code)
            .map(|i| TerminalId(i as u32))
            .ok_or_else(|| format!("{field} '{code}' is not a terminal in terminals.csv"))
    };
    let (from, to) = (find("from", &raw.from)?, find("to", &raw.to)?);
    if from == to {
        return Err(format!("from and to are the same terminal '{}'", raw.from));
    }
    let (tf, tt) = (&terminals[from.index()], &terminals[to.index()]);
    if let Some(kind) = required_kind(mode) {
        for t in [tf, tt] {
            if t.kind != kind {
                return Err(format!(
                    "{mode} service cannot call at {} ({})",
                    t.code,
                    t.kind.as_str()
                ));
            }
        }
    }
    let (speed_kmh, capacity, rate) = parse_mode_fields(raw, mode)?;
    let schedule = parse_schedule(raw)?;
    let validity = parse_validity(raw)?;
    let ice_speed_kmh = match (mode, raw.ice_speed_kn) {
        (_, None) => None,
        (Mode::Sea, Some(kn)) if kn.is_finite() && kn > 0.0 && kn * KM_PER_NM <= speed_kmh => {
            Some(kn * KM_PER_NM)
        }
        (Mode::Sea, Some(kn)) => {
            return Err(format!(
                "ice_speed_kn {kn} must be positive and at most speed_kn"
            ))
        }
        (_, Some(_)) => return Err("ice_speed_kn applies to sea services only".to_string()),
    };
    let exploratory = match (raw.exploratory, raw.exploratory_reason.trim()) {
        (true, "") => return Err("exploratory service needs an exploratory_reason".to_string()),
        (true, reason) => Some(reason.to_string()),
        (false, "") => None,
        (false, _) => return Err("exploratory_reason given but exploratory is false".to_string()),
    };
    let air_capacity = match (mode, raw.air_capacity.as_deref()) {
        (Mode::Air, Some("freighter")) => Some(AirCapacity::Freighter),
        (Mode::Air, Some("belly")) => Some(AirCapacity::Belly),
        (Mode::Air, other) => {
            return Err(format!(
                "air_capacity must be freighter or belly, got {other:?}"
            ))
        }
        (_, None) => None,
        (_, Some(_)) => return Err("air_capacity applies to air services only".to_string()),
    };
    if mode != Mode::Sea && !(raw.sea_via.is_empty() && raw.sea_closed.is_empty()) {
        return Err("sea_via and sea_closed apply to sea services only".to_string());
    }
    if let Some(both) = raw.sea_via.iter().find(|v| raw.sea_closed.contains(v)) {
        return Err(format!(
            "passage '{both}' is in both sea_via and sea_closed"
        ));
    }
    let reefer_usd_per_teu = match (raw.reefer, raw.rate.reefer_usd_per_teu) {
        (true, v) => figure("rate.reefer_usd_per_teu", v)?,
        (false, _) => 0.0,
    };
    let ice_class_usd_per_teu = figure(
        "rate.ice_class_usd_per_teu",
        Some(raw.rate.ice_class_usd_per_teu),
    )?;
    let icebreaker_usd_per_teu = figure(
        "rate.icebreaker_usd_per_teu",
        Some(raw.rate.icebreaker_usd_per_teu),
    )?;
    let over_land = matches!(mode, Mode::Rail | Mode::Road);
    let border = match (&raw.border, over_land && tf.country != tt.country) {
        (Some(b), true) => {
            figure("border.customs_hours", Some(b.customs_hours))?;
            figure("border.customs_usd_per_teu", Some(b.customs_usd_per_teu))?;
            Some(BorderCrossing {
                customs_hours: b.customs_hours,
                customs_usd_per_teu: b.customs_usd_per_teu,
                gauge_change: b.gauge_change,
            })
        }
        (None, true) => {
            return Err(format!(
                "{mode} service crosses the {}-{} border and needs a [service.border] table",
                tf.country, tt.country
            ))
        }
        (Some(_), false) => {
            return Err("[service.border] given but the service crosses no land border".to_string())
        }
        (None, false) => None,
    };
    let path = derive_path(
        mode,
        tf,
        tt,
        (&raw.sea_via, &raw.sea_closed),
        infrastructure,
        params,
    )?;
    let mut service = Service {
        code: raw.id.clone(),
        name: raw.name.clone(),
        operator: raw.operator.clone().filter(|o| !o.trim().is_empty()),
        mode,
        from,
        to,
        schedule,
        validity,
        speed_kmh,
        ice_speed_kmh,
        capacity,
        rate,
        reefer_usd_per_teu,
        ice_class_usd_per_teu,
        icebreaker_usd_per_teu,
        border,
        flags: ServiceFlags {
            reefer: raw.reefer,
            dangerous_goods: raw.dangerous_goods,
            exploratory,
            air_capacity,
        },
        drayage: false,
        sea_via: raw.sea_via.clone(),
        sea_closed: raw.sea_closed.clone(),
        ..Service::default()
    };
    service.set_path(path);
    Ok(service)
}

fn parse_validity(raw: &ServiceRecord) -> Result<Validity, String> {
    let date = |field: &str, value: &Option<String>| -> Result<Option<jiff::civil::Date>, String> {
        value
            .as_deref()
            .map(|v| {
                v.trim()
                    .parse::<jiff::civil::Date>()
                    .map_err(|_| format!("{field} '{v}' is not a YYYY-MM-DD date"))
            })
            .transpose()
    };
    let validity = Validity {
        season: raw.season.as_deref().map(Season::parse).transpose()?,
        first_date: date("first_date", &raw.first_date)?,
        last_date: date("last_date", &raw.last_date)?,
        suspended: Vec::new(),
    };
    if let (Some(a), Some(b)) = (validity.first_date, validity.last_date) {
        if b < a {
            return Err(format!("last_date {b} is before first_date {a}"));
        }
    }
    Ok(validity)
}

/// The same service run the other way.
pub(crate) fn reversed(s: &Service) -> Service {
    let mut r = s.clone();
    r.code = format!("{}-R", s.code);
    std::mem::swap(&mut r.from, &mut r.to);
    r.path.reverse();
    r.passages.reverse();
    r
}

/// Loads every service (both directions where asked), deriving its geometry.
pub fn load(
    path: &Path,
    terminals: &[Terminal],
    infrastructure: &Infrastructure,
    params: &ModelParams,
) -> Result<Vec<Service>, DataError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| DataError::new(path, "file", format!("cannot read: {e}")))?;
    let file: File = toml::from_str(&text).map_err(|e| {
        let record = e
            .span()
            .map(|span| format!("line {}", text[..span.start].lines().count().max(1)))
            .unwrap_or_else(|| "toml".to_string());
        DataError::new(path, record, e.message().to_string())
    })?;
    let mut services: Vec<Service> = Vec::new();
    for (i, raw) in file.service.iter().enumerate() {
        let record = format!("service #{} '{}'", i + 1, raw.id);
        let service = parse_service(raw, terminals, infrastructure, params)
            .map_err(|reason| DataError::new(path, &record, reason))?;
        let both = raw.both_directions.then(|| reversed(&service));
        for s in std::iter::once(service).chain(both) {
            if services.iter().any(|o| o.code == s.code) {
                return Err(DataError::new(
                    path,
                    &record,
                    format!("duplicate service id '{}'", s.code),
                ));
            }
            services.push(s);
        }
    }
    Ok(services)
}

/// Truck transfers between every ordered pair of terminals that share a LOCODE, priced by the
/// model's drayage rates: they let a route change mode inside a city.
pub fn drayage(terminals: &[Terminal], params: &ModelParams) -> Vec<Service> {
    let mut out = Vec::new();
    for (i, a) in terminals.iter().enumerate() {
        for (j, b) in terminals.iter().enumerate() {
            if i == j || a.locode != b.locode {
                continue;
            }
            let km = haversine_km(a.position, b.position) * params.road_circuity;
            out.push(Service {
                code: format!("drayage:{}>{}", a.code, b.code),
                name: format!("Drayage {} to {}", a.name, b.name),
                operator: None,
                mode: Mode::Road,
                from: TerminalId(i as u32),
                to: TerminalId(j as u32),
                schedule: Schedule::OnDemand,
                speed_kmh: params.drayage_speed_kmh,
                capacity: f64::INFINITY,
                rate: Rate::PerTruck {
                    base_usd_per_truck: params.drayage_base_usd_per_truck,
                    usd_per_truck_km: params.drayage_usd_per_truck_km,
                    min_usd: params.drayage_base_usd_per_truck,
                },
                flags: ServiceFlags {
                    reefer: true,
                    dangerous_goods: true,
                    exploratory: None,
                    air_capacity: None,
                },
                drayage: true,
                path: vec![a.position, b.position],
                distance_km: km,
                ..Service::default()
            });
        }
    }
    out
}
