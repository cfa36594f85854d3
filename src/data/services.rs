//! `services.toml`: the services that run, validated, with geometry derived from the
//! infrastructure; and the drayage transfers generated between the terminals of a city.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::DataError;
use crate::geo::Infrastructure;
use crate::geo::{great_circle_path, haversine_km, LanePath};
use crate::model::{
    AirCapacity, AirRate, BorderCrossing, BoxRate, Capacity, DangerousGoodsAcceptance, ExpressRate,
    FclRates, LclRate, Mode, ModelParams, Repath, Schedule, Season, Service, ServiceFlags, Tariff,
    Terminal, TerminalId, TerminalKind, TruckRate, Validity, Weekday, ARCTIC_PASSAGES, KM_PER_NM,
};

/// The named rate tables of `tariffs.toml`, parsed.
pub type Tariffs = std::collections::BTreeMap<String, Tariff>;

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
    /// Road only: a truck is sent when the cargo is ready, `cutoff_hours` after booking
    /// (no `days` or `departure_time`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_demand: bool,
    #[serde(default)]
    pub days: Vec<String>,
    #[serde(default)]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_m3: Option<f64>,
    #[serde(default)]
    pub reefer: bool,
    /// Takes dangerous goods: of the classes listed, or without a list of every class (air
    /// belly capacity: of the classes passenger aircraft may carry).
    #[serde(default)]
    pub dangerous_goods: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dangerous_goods_classes: Option<Vec<u8>>,
    /// Services of one through movement (segments of one block train) share this name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub through: Option<String>,
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
    /// The emission factor class of `emissions.toml` (default: the mode's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emission_class: Option<String>,
    /// Rail only: the border crossings of the rail layer the train uses (the layer tags each
    /// crossing's segment; a train crosses no border it does not name).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rail_via: Vec<String>,
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
    /// Dated exceptions of this service alone (blank sailings in a carrier's schedule):
    /// `[["YYYY-MM-DD", "YYYY-MM-DD"], ...]`, inclusive. Shared ones are in `calendars.toml`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closed: Vec<[String; 2]>,
    /// The published transit time, port to port, in hours: the schedule's own figure, in place
    /// of a speed (the speed shown is the derived distance over it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_hours: Option<f64>,
    pub source: String,
    /// A rate table of `tariffs.toml` ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tariff: Option<String>,
    /// ... or the service's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<RateRecord>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub border: Option<BorderRecord>,
}

/// A rate table: a `[[tariff]]`'s `rate` in `tariffs.toml`, or a service's own
/// `[service.rate]`. Amounts are in `currency`; which products it prices is what the service
/// carries (see `model::Tariff`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RateRecord {
    /// `YYYY-MM-DD`: the date the figures refer to.
    pub as_of: String,
    /// ISO 4217; USD when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub currency: String,
    /// Full containers, per box: base + per km.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_per_20ft: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_20ft_km: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_per_40ft: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_40ft_km: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_cube_per_40ft: Option<f64>,
    /// Loose cargo at sea or on rail (LCL), per revenue tonne (W/M).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lcl_per_revenue_tonne: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lcl_per_revenue_tonne_km: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lcl_min_revenue_tonnes: Option<f64>,
    /// Air cargo per chargeable kilogram, with a minimum charge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub air_per_kg: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub air_min: Option<f64>,
    /// Trucks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_per_truck: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_truck_km: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truck_min: Option<f64>,
    /// A courier's parcel product.
    /// `[[up to kg, base, per kg], ...]`, ascending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub express_bands: Option<Vec<[f64; 3]>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub express_kg_per_m3: Option<f64>,
    /// Surcharges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reefer_per_20ft: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reefer_per_40ft: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dangerous_goods_per_box: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dangerous_goods_per_shipment: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ice_class_per_teu: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icebreaker_per_teu: Option<f64>,
}

/// A pair of figures that make one product: both or neither.
fn pair(
    (a_name, a): (&str, Option<f64>),
    (b_name, b): (&str, Option<f64>),
) -> Result<Option<(f64, f64)>, String> {
    match (a, b) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(format!("{a_name} is given without {b_name}")),
        (None, Some(_)) => Err(format!("{b_name} is given without {a_name}")),
        (a, b) => Ok(Some((figure(a_name, a)?, figure(b_name, b)?))),
    }
}

fn optional(name: &str, value: Option<f64>) -> Result<f64, String> {
    value.map_or(Ok(0.0), |v| figure(name, Some(v)))
}

impl RateRecord {
    /// The rate table in US dollars, checked: signs, pairs that belong together, and at least
    /// one product.
    pub(crate) fn parse(&self, params: &ModelParams) -> Result<Tariff, String> {
        let as_of = self
            .as_of
            .trim()
            .parse::<jiff::civil::Date>()
            .map_err(|_| format!("rate.as_of '{}' is not a YYYY-MM-DD date", self.as_of))?;
        let currency = if self.currency.trim().is_empty() {
            "USD"
        } else {
            self.currency.trim()
        };
        let usd = params
            .usd_per_unit(currency)
            .map_err(|e| format!("rate.{e}"))?;
        let money = |name: &str, v: Option<f64>| optional(name, v).map(|v| v * usd);
        let box_rate = |(base, km): (f64, f64)| BoxRate {
            base_usd: base * usd,
            usd_per_km: km * usd,
        };
        let twenty = pair(
            ("rate.base_per_20ft", self.base_per_20ft),
            ("rate.per_20ft_km", self.per_20ft_km),
        )?;
        let forty = pair(
            ("rate.base_per_40ft", self.base_per_40ft),
            ("rate.per_40ft_km", self.per_40ft_km),
        )?;
        let fcl = match (twenty, forty) {
            (None, None) => None,
            (Some(a), Some(b)) => Some(FclRates {
                per_20ft: box_rate(a),
                per_40ft: box_rate(b),
                high_cube_usd: money("rate.high_cube_per_40ft", self.high_cube_per_40ft)?,
            }),
            _ => {
                return Err(
                    "full-container rates need both the 20' and the 40' rate (base_per_20ft, \
                     per_20ft_km, base_per_40ft, per_40ft_km): a 40' is not two 20's"
                        .to_string(),
                )
            }
        };
        let lcl = match self.lcl_per_revenue_tonne {
            None => None,
            Some(v) => Some(LclRate {
                per_revenue_tonne: box_rate((
                    figure("rate.lcl_per_revenue_tonne", Some(v))?,
                    optional(
                        "rate.lcl_per_revenue_tonne_km",
                        self.lcl_per_revenue_tonne_km,
                    )?,
                )),
                min_revenue_tonnes: self
                    .lcl_min_revenue_tonnes
                    .map_or(Ok(1.0), |v| figure("rate.lcl_min_revenue_tonnes", Some(v)))?,
            }),
        };
        let air = pair(
            ("rate.air_per_kg", self.air_per_kg),
            ("rate.air_min", self.air_min),
        )?
        .map(|(kg, min)| AirRate {
            usd_per_kg: kg * usd,
            min_usd: min * usd,
        });
        let truck = match pair(
            ("rate.base_per_truck", self.base_per_truck),
            ("rate.per_truck_km", self.per_truck_km),
        )? {
            None => None,
            Some((base, km)) => Some(TruckRate {
                base_usd_per_truck: base * usd,
                usd_per_truck_km: km * usd,
                min_usd: money("rate.truck_min", self.truck_min)?,
            }),
        };
        let express = match &self.express_bands {
            None => None,
            Some(bands) => {
                let mut last = 0.0;
                let mut out = Vec::new();
                for (i, [up_to, base, per_kg]) in bands.iter().enumerate() {
                    if !(up_to.is_finite() && *up_to > last) {
                        return Err(format!(
                            "rate.express_bands[{i}]: weights must ascend, got {up_to}"
                        ));
                    }
                    last = *up_to;
                    out.push((
                        *up_to,
                        figure("rate.express_bands base", Some(*base))? * usd,
                        figure("rate.express_bands per kg", Some(*per_kg))? * usd,
                    ));
                }
                let kg_per_m3 = figure("rate.express_kg_per_m3", self.express_kg_per_m3)?;
                if out.is_empty() || kg_per_m3 <= 0.0 {
                    return Err(
                        "rate.express_bands needs a band and express_kg_per_m3 a positive figure"
                            .to_string(),
                    );
                }
                Some(ExpressRate {
                    bands: out,
                    kg_per_m3,
                })
            }
        };
        if fcl.is_none() && lcl.is_none() && air.is_none() && truck.is_none() && express.is_none() {
            return Err(
                "the rate prices nothing: give full-container, LCL, air, truck or \
                        express rates"
                    .to_string(),
            );
        }
        Ok(Tariff {
            as_of: Some(as_of),
            fcl,
            lcl,
            air,
            truck,
            express,
            reefer_usd_per_20ft: money("rate.reefer_per_20ft", self.reefer_per_20ft)?,
            reefer_usd_per_40ft: money("rate.reefer_per_40ft", self.reefer_per_40ft)?,
            dangerous_goods_usd_per_box: money(
                "rate.dangerous_goods_per_box",
                self.dangerous_goods_per_box,
            )?,
            dangerous_goods_usd_per_shipment: money(
                "rate.dangerous_goods_per_shipment",
                self.dangerous_goods_per_shipment,
            )?,
            documentation_usd: money("rate.documentation", self.documentation)?,
            ice_class_usd_per_teu: money("rate.ice_class_per_teu", self.ice_class_per_teu)?,
            icebreaker_usd_per_teu: money("rate.icebreaker_per_teu", self.icebreaker_per_teu)?,
        })
    }
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

/// The largest amount a rate or charge may state, in its currency (won and yen included):
/// finite nonsense such as 1e308 would overflow a route's totals.
const MAX_AMOUNT: f64 = 1e9;

/// A required figure, checked for sign, size and presence.
fn figure(name: &str, value: Option<f64>) -> Result<f64, String> {
    let v = value.ok_or_else(|| format!("{name} is missing"))?;
    if v.is_finite() && (0.0..=MAX_AMOUNT).contains(&v) {
        Ok(v)
    } else if v.is_finite() && v > MAX_AMOUNT {
        Err(format!("{name} {v} is more than {MAX_AMOUNT}"))
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

/// A capacity figure: absent, or positive and at most a million (TEU, kg or m3 per
/// departure).
fn capacity(name: &str, value: Option<f64>) -> Result<Option<f64>, String> {
    match value {
        None => Ok(None),
        Some(v) if v.is_finite() && v > 0.0 && v <= 1e6 => Ok(Some(v)),
        Some(v) => Err(format!("{name} {v} is outside (0, 1000000]")),
    }
}

/// The speed (None when the record gives a published transit time instead, see
/// [`Speed`]) and the capacity of a service record.
fn parse_mode_fields(raw: &ServiceRecord, mode: Mode) -> Result<(Speed, Capacity), String> {
    let speed = match (raw.transit_hours, mode) {
        (Some(hours), _) => {
            absent("speed_kn", raw.speed_kn, mode)
                .and_then(|_| absent("speed_kmh", raw.speed_kmh, mode))
                .map_err(|_| "give a speed or transit_hours, not both".to_string())?;
            if !(hours.is_finite() && hours > 0.0 && hours <= 24.0 * 90.0) {
                return Err(format!("transit_hours {hours} is outside 0..2160"));
            }
            if raw.ice_speed_kn.is_some() {
                return Err("ice_speed_kn does not apply to a published transit time".to_string());
            }
            Speed::Transit(hours)
        }
        (None, Mode::Sea) => {
            absent("speed_kmh", raw.speed_kmh, mode)?;
            Speed::Kmh(figure("speed_kn", raw.speed_kn)? * KM_PER_NM)
        }
        (None, _) => {
            absent("speed_kn", raw.speed_kn, mode)?;
            Speed::Kmh(figure("speed_kmh", raw.speed_kmh)?)
        }
    };
    if let Speed::Kmh(kmh) = speed {
        check_speed(mode, kmh)?;
    }
    let capacity = Capacity {
        teu: capacity("capacity_teu", raw.capacity_teu)?,
        kg: capacity("capacity_kg", raw.capacity_kg)?,
        m3: capacity("capacity_m3", raw.capacity_m3)?,
    };
    match mode {
        Mode::Air => {
            absent("capacity_teu", raw.capacity_teu, mode)?;
            capacity.kg.ok_or("capacity_kg is missing")?;
        }
        _ => {
            capacity.teu.ok_or("capacity_teu is missing")?;
        }
    }
    Ok((speed, capacity))
}

/// How a record times its voyages: a speed, or a published transit time (a carrier's
/// schedule) that becomes the speed over the derived distance.
#[derive(Clone, Copy)]
enum Speed {
    Kmh(f64),
    Transit(f64),
}

/// Checks that a tariff sells only what the mode can carry.
pub(crate) fn check_tariff(mode: Mode, t: &Tariff) -> Result<(), String> {
    let wrong = |what: &str| Err(format!("a {mode} service cannot sell {what}"));
    match mode {
        Mode::Air if t.fcl.is_some() => wrong("full containers (FCL never goes by air)"),
        Mode::Air if t.lcl.is_some() || t.truck.is_some() => wrong("LCL or trucking"),
        Mode::Air if t.air.is_none() && t.express.is_none() => {
            Err("an air service needs air (air_per_kg) or express rates".to_string())
        }
        Mode::Sea | Mode::Rail if t.air.is_some() || t.truck.is_some() => {
            wrong("air cargo or trucking")
        }
        Mode::Road if t.truck.is_none() => {
            Err("a road service needs truck rates (base_per_truck, per_truck_km)".to_string())
        }
        Mode::Road if t.fcl.is_some() || t.lcl.is_some() || t.air.is_some() => {
            wrong("sea, rail or air products")
        }
        _ => Ok(()),
    }
}

/// The rate table of a service: a named tariff of `tariffs.toml` or its own, not both.
fn service_tariff(
    raw: &ServiceRecord,
    mode: Mode,
    tariffs: &Tariffs,
    params: &ModelParams,
) -> Result<Tariff, String> {
    let tariff = match (&raw.tariff, &raw.rate) {
        (Some(id), None) => tariffs
            .get(id.trim())
            .cloned()
            .ok_or_else(|| format!("tariff '{id}' is not in tariffs.toml"))?,
        (None, Some(rate)) => rate.parse(params)?,
        (Some(_), Some(_)) => {
            return Err("give either tariff or a [service.rate] table, not both".to_string())
        }
        (None, None) => {
            return Err("needs a tariff (of tariffs.toml) or a [service.rate] table".to_string())
        }
    };
    check_tariff(mode, &tariff)?;
    Ok(tariff)
}

fn parse_schedule(raw: &ServiceRecord, mode: Mode) -> Result<Schedule, String> {
    if !raw.on_demand {
        return parse_weekly(&raw.days, &raw.departure_time, raw.cutoff_hours);
    }
    if mode != Mode::Road {
        return Err("on_demand applies to road services (trucks) only".to_string());
    }
    if !(raw.days.is_empty() && raw.departure_time.trim().is_empty()) {
        return Err("an on-demand service has no days or departure_time".to_string());
    }
    let lead_hours = raw.cutoff_hours;
    if !(lead_hours.is_finite() && (0.0..=240.0).contains(&lead_hours)) {
        return Err(format!("cutoff_hours {lead_hours} is outside 0..240"));
    }
    Ok(Schedule::OnDemand { lead_hours })
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
    let (min_speed_kmh, max_speed_kmh) = match mode {
        Mode::Sea => (2.0 * KM_PER_NM, 30.0 * KM_PER_NM),
        Mode::Air => (150.0, 1000.0),
        Mode::Rail => (5.0, 160.0),
        Mode::Road => (5.0, 100.0),
    };
    if speed_kmh.is_finite() && (min_speed_kmh..=max_speed_kmh).contains(&speed_kmh) {
        Ok(())
    } else {
        Err(format!(
            "speed {speed_kmh:.4} km/h is not plausible for {mode} ({min_speed_kmh:.1} to \
             {max_speed_kmh:.0} km/h)"
        ))
    }
}

/// The kinds of terminal a mode may call at. Trains also load at the quay of a port with
/// on-dock rail (Dalian's Dayaowan terminal, Vostochny): the container goes from ship to
/// wagon without a truck between two terminals.
fn allowed_kinds(mode: Mode) -> Option<&'static [TerminalKind]> {
    match mode {
        Mode::Sea => Some(&[TerminalKind::Seaport]),
        Mode::Air => Some(&[TerminalKind::Airport]),
        Mode::Rail => Some(&[TerminalKind::RailTerminal, TerminalKind::Seaport]),
        Mode::Road => None,
    }
}

/// Derives the path of a service from its layer: (points, km, passages).
fn derive_path(
    mode: Mode,
    from: &Terminal,
    to: &Terminal,
    (sea_via, sea_closed, rail_via): (&[String], &[String], &[String]),
    infrastructure: &Infrastructure,
    params: &ModelParams,
    advised: &mut (Vec<String>, Option<LanePath>),
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
                if mode == Mode::Rail {
                    return rail_via.iter().any(|v| v == p);
                }
                (!ARCTIC_PASSAGES.contains(&p) || sea_via.iter().any(|v| v == p))
                    && !sea_closed.iter().any(|v| v == p)
            };
            let (mut path, mut sa, mut sb) = layer
                .route_between(a, b, is_open)
                .ok_or_else(|| format!("no {name} path from {} to {}", from.code, to.code))?;
            // Carriers sail round the passages they are avoiding: the usual path does too,
            // where the lanes allow.
            let advised_passages: Vec<String> = path
                .passages
                .iter()
                .filter(|p| mode == Mode::Sea && params.is_advised_against(p))
                .cloned()
                .collect();
            if !advised_passages.is_empty() {
                let closed = |p: &str| advised_passages.iter().any(|v| v == p);
                if let Some(round) = layer.route_between(a, b, |p| is_open(p) && !closed(p)) {
                    let through = std::mem::replace(&mut path, round.0);
                    (sa, sb) = (round.1, round.2);
                    *advised = (advised_passages, Some(through));
                }
            }
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
            if let Some(missing) = rail_via.iter().find(|v| !path.passages.contains(v)) {
                return Err(format!(
                    "rail_via names '{missing}' but the derived path does not cross there"
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
    tariffs: &Tariffs,
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
    if let Some(kinds) = allowed_kinds(mode) {
        for t in [tf, tt] {
            if !kinds.contains(&t.kind) {
                return Err(format!(
                    "{mode} service cannot call at {} ({})",
                    t.code,
                    t.kind.as_str()
                ));
            }
        }
    }
    let (speed, capacity) = parse_mode_fields(raw, mode)?;
    let tariff = service_tariff(raw, mode, tariffs, params)?;
    let schedule = parse_schedule(raw, mode)?;
    let validity = parse_validity(raw)?;
    let ice_speed_kmh = match (mode, raw.ice_speed_kn) {
        (_, None) => None,
        (Mode::Sea, Some(kn))
            if kn.is_finite()
                && kn > 0.0
                && matches!(speed, Speed::Kmh(kmh) if kn * KM_PER_NM <= kmh) =>
        {
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
    if mode != Mode::Rail && !raw.rail_via.is_empty() {
        return Err("rail_via applies to rail services only".to_string());
    }
    if let Some(both) = raw.sea_via.iter().find(|v| raw.sea_closed.contains(v)) {
        return Err(format!(
            "passage '{both}' is in both sea_via and sea_closed"
        ));
    }
    let dangerous_goods = dangerous_goods_acceptance(raw, mode, air_capacity, params)?;
    let through = match raw.through.as_deref().map(str::trim) {
        None => None,
        Some("") => return Err("through is empty".to_string()),
        Some(_) if !matches!(mode, Mode::Rail | Mode::Sea) => {
            return Err("through applies to rail and sea services".to_string())
        }
        Some(name) => Some(name.to_string()),
    };
    let model = &params.emissions;
    let emission_factor = match raw.emission_class.as_deref().map(str::trim) {
        None | Some("") => model.default_for(
            mode,
            air_capacity == Some(AirCapacity::Belly),
            haversine_km(tf.position, tt.position),
        ),
        Some(id) => model
            .index_of(id)
            .ok_or_else(|| format!("emission_class '{id}' is not a factor of emissions.toml"))?,
    };
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
    let mut advised = (Vec::new(), None);
    let path = derive_path(
        mode,
        tf,
        tt,
        (&raw.sea_via, &raw.sea_closed, &raw.rail_via),
        infrastructure,
        params,
        &mut advised,
    )?;
    let (advised_around, through_advised) = advised;
    let speed_kmh = match speed {
        Speed::Kmh(kmh) => kmh,
        Speed::Transit(hours) => {
            let kmh = path.length_km / hours;
            check_speed(mode, kmh).map_err(|e| {
                format!(
                    "transit_hours {hours} over the derived {:.0} km: {e}",
                    path.length_km
                )
            })?;
            kmh
        }
    };
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
        tariff,
        through,
        border,
        flags: ServiceFlags {
            reefer: raw.reefer,
            dangerous_goods,
            exploratory,
            air_capacity,
        },
        drayage: false,
        sea_via: raw.sea_via.clone(),
        sea_closed: raw.sea_closed.clone(),
        advised_around,
        path_through_advised: through_advised.map(|p| {
            std::sync::Arc::new(Repath::new(p).measured(&infrastructure.emission_control_areas))
        }),
        emission_factor,
        ..Service::default()
    };
    let usual = Repath::new(path);
    service.follow(&if mode == Mode::Sea {
        usual.measured(&infrastructure.emission_control_areas)
    } else {
        usual
    });
    Ok(service)
}

/// Which dangerous goods a service takes. Passenger aircraft take only the classes the model
/// lists for them, and never "Cargo Aircraft Only" packages; freighters, ships, trains and
/// trucks take those packages (the label restricts aircraft only).
fn dangerous_goods_acceptance(
    raw: &ServiceRecord,
    mode: Mode,
    air_capacity: Option<AirCapacity>,
    params: &ModelParams,
) -> Result<DangerousGoodsAcceptance, String> {
    let belly = air_capacity == Some(AirCapacity::Belly);
    let classes: Vec<u8> = match (raw.dangerous_goods, &raw.dangerous_goods_classes) {
        (false, None) => return Ok(DangerousGoodsAcceptance::none()),
        (false, Some(_)) => {
            return Err("dangerous_goods_classes given but dangerous_goods is false".to_string())
        }
        (true, None) if belly => params.passenger_aircraft_dg_classes.clone(),
        (true, None) => (1..=9).collect(),
        (true, Some(list)) => {
            if let Some(bad) = list.iter().find(|c| !(1..=9).contains(*c)) {
                return Err(format!("dangerous goods class {bad} is not 1..9"));
            }
            if belly {
                if let Some(c) = list
                    .iter()
                    .find(|c| !params.passenger_aircraft_dg_classes.contains(c))
                {
                    return Err(format!(
                        "class {c} is not one passenger aircraft may carry (model.toml \
                         dangerous_goods.passenger_aircraft_classes)"
                    ));
                }
            }
            list.clone()
        }
    };
    let cargo_aircraft_only = mode != Mode::Air || !belly;
    Ok(DangerousGoodsAcceptance::classes(
        &classes,
        cargo_aircraft_only,
    ))
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
        closed: super::calendars::parse_closed(&raw.closed)?,
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
    r.path = s.path.iter().rev().copied().collect();
    r.passages.reverse();
    r.path_through_advised = s
        .path_through_advised
        .as_ref()
        .map(|p| std::sync::Arc::new(p.reversed()));
    r
}

/// Loads every service (both directions where asked), deriving its geometry.
pub fn load(
    path: &Path,
    terminals: &[Terminal],
    infrastructure: &Infrastructure,
    params: &ModelParams,
    tariffs: &Tariffs,
) -> Result<Vec<Service>, DataError> {
    let file: File = super::read_toml(path)?;
    let mut services: Vec<Service> = Vec::new();
    for (i, raw) in file.service.iter().enumerate() {
        let record = format!("service #{} '{}'", i + 1, raw.id);
        let service = parse_service(raw, terminals, infrastructure, params, tariffs)
            .map_err(|reason| DataError::new(path, &record, reason))?;
        let both = raw.both_directions.then(|| reversed(&service));
        for mut s in std::iter::once(service).chain(both) {
            super::calendars::apply(&mut s, terminals, params);
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
                schedule: Schedule::OnDemand { lead_hours: 0.0 },
                speed_kmh: params.drayage_speed_kmh,
                capacity: Capacity::unlimited(),
                tariff: Tariff {
                    truck: Some(TruckRate {
                        base_usd_per_truck: params.drayage_base_usd_per_truck,
                        usd_per_truck_km: params.drayage_usd_per_truck_km,
                        min_usd: params.drayage_base_usd_per_truck,
                    }),
                    ..Tariff::default()
                },
                flags: ServiceFlags {
                    reefer: true,
                    dangerous_goods: DangerousGoodsAcceptance::all(),
                    exploratory: None,
                    air_capacity: None,
                },
                drayage: true,
                emission_factor: params.emissions.defaults.drayage,
                path: vec![a.position, b.position].into(),
                distance_km: km,
                ..Service::default()
            });
        }
    }
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TariffFile {
    tariff: Vec<TariffRecord>,
}

/// One `[[tariff]]` of `tariffs.toml`: a named rate table services refer to.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TariffRecord {
    id: String,
    #[allow(dead_code)]
    name: String,
    source: String,
    rate: RateRecord,
}

/// Loads `tariffs.toml`.
pub fn load_tariffs(path: &Path, params: &ModelParams) -> Result<Tariffs, DataError> {
    let file: TariffFile = super::read_toml(path)?;
    let mut out = Tariffs::new();
    for (i, t) in file.tariff.iter().enumerate() {
        let record = format!("tariff #{} '{}'", i + 1, t.id);
        if t.source.trim().is_empty() {
            return Err(DataError::new(path, &record, "source is empty"));
        }
        let tariff = t
            .rate
            .parse(params)
            .map_err(|reason| DataError::new(path, &record, reason))?;
        if out.insert(t.id.clone(), tariff).is_some() {
            return Err(DataError::new(path, &record, "duplicate tariff id"));
        }
    }
    Ok(out)
}
