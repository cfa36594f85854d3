//! Scenario definitions: protobuf messages <-> the scenario file records. Both directions,
//! because a definition comes in with Create/Update and goes out with Get/List.

use super::{convert, ApiError};
use crate::data::{BorderRecord, RateRecord, ServiceRecord, TerminalRecord};
use crate::model::Mode;
use crate::proto;
use crate::scenario::{ScenarioDefinition, ServiceChange, Suspension, TerminalChange};

/// Terminal kinds as the file writes them.
const KINDS: [(proto::TerminalKind, &str); 4] = [
    (proto::TerminalKind::Seaport, "seaport"),
    (proto::TerminalKind::Airport, "airport"),
    (proto::TerminalKind::RailTerminal, "rail_terminal"),
    (proto::TerminalKind::RoadTerminal, "road_terminal"),
];

fn non_empty(v: &str) -> Option<String> {
    (!v.is_empty()).then(|| v.to_string())
}

fn terminal_from_proto(
    t: proto::TerminalDefinition,
    field: &str,
) -> Result<TerminalRecord, ApiError> {
    let kind = KINDS
        .iter()
        .find(|(k, _)| *k as i32 == t.kind)
        .map(|(_, s)| s.to_string())
        .ok_or_else(|| {
            ApiError::invalid(
                format!("{field}.kind"),
                format!("{} is not a terminal kind", t.kind),
            )
        })?;
    let position = t
        .position
        .ok_or_else(|| ApiError::invalid(format!("{field}.position"), "is required"))?;
    #[allow(deprecated)]
    for (name, value) in [
        ("handling_usd_per_teu", t.handling_usd_per_teu),
        ("handling_usd_per_tonne", t.handling_usd_per_tonne),
    ] {
        if value != 0.0 {
            return Err(ApiError::invalid(
                format!("{field}.{name}"),
                format!("{value}: replaced by thc_per_20ft, thc_per_40ft and loose_per_tonne"),
            ));
        }
    }
    Ok(TerminalRecord {
        id: t.id,
        name: t.name,
        city: t.city,
        kind,
        locode: t.locode,
        aliases: t.aliases.join(" "),
        iata: t.iata,
        country: t.country,
        lat: position.latitude,
        lon: position.longitude,
        timezone: t.timezone,
        currency: t.currency,
        thc_per_20ft: t.thc_per_20ft,
        thc_per_40ft: t.thc_per_40ft,
        loose_per_tonne: t.loose_per_tonne,
        loose_min: t.loose_min,
        handling_hours: t.handling_hours,
        source: t.source,
    })
}

fn terminal_to_proto(t: &TerminalRecord) -> proto::TerminalDefinition {
    let kind = KINDS
        .iter()
        .find(|(_, s)| *s == t.kind)
        .map_or(proto::TerminalKind::Unspecified, |(k, _)| *k);
    proto::TerminalDefinition {
        id: t.id.clone(),
        name: t.name.clone(),
        city: t.city.clone(),
        kind: kind.into(),
        locode: t.locode.clone(),
        aliases: t.aliases.split_whitespace().map(str::to_string).collect(),
        iata: t.iata.clone(),
        country: t.country.clone(),
        position: Some(proto::LatLng {
            latitude: t.lat,
            longitude: t.lon,
        }),
        timezone: t.timezone.clone(),
        handling_hours: t.handling_hours,
        source: t.source.clone(),
        currency: t.currency.clone(),
        thc_per_20ft: t.thc_per_20ft,
        thc_per_40ft: t.thc_per_40ft,
        loose_per_tonne: t.loose_per_tonne,
        loose_min: t.loose_min,
        ..Default::default()
    }
}

fn service_from_proto(s: proto::ServiceDefinition, field: &str) -> Result<ServiceRecord, ApiError> {
    let mode = proto::TransportMode::try_from(s.mode)
        .ok()
        .and_then(convert::mode_from_proto)
        .ok_or_else(|| {
            ApiError::invalid(
                format!("{field}.mode"),
                format!("{} is not a transport mode", s.mode),
            )
        })?;
    let rate = s
        .rate
        .map(|rate| rate_from_proto(rate, &format!("{field}.rate")))
        .transpose()?;
    if s.closed.len() > MAX_CLOSED_RANGES {
        return Err(ApiError::invalid(
            format!("{field}.closed"),
            format!(
                "{} date ranges: at most {MAX_CLOSED_RANGES} per service",
                s.closed.len()
            ),
        ));
    }
    if s.dangerous_goods_classes.len() > 9 {
        return Err(ApiError::invalid(
            format!("{field}.dangerous_goods_classes"),
            format!(
                "{} entries: there are nine classes",
                s.dangerous_goods_classes.len()
            ),
        ));
    }
    let dangerous_goods_classes = s
        .dangerous_goods_classes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            u8::try_from(*c)
                .ok()
                .filter(|c| (1..=9).contains(c))
                .ok_or_else(|| {
                    ApiError::invalid(
                        format!("{field}.dangerous_goods_classes[{i}]"),
                        format!("{c} is not a class 1..9"),
                    )
                })
        })
        .collect::<Result<Vec<u8>, _>>()?;
    Ok(ServiceRecord {
        id: s.id,
        name: s.name,
        mode: mode.as_str().to_string(),
        from: s.from,
        to: s.to,
        both_directions: s.both_directions,
        operator: non_empty(&s.operator),
        on_demand: s.on_demand,
        days: s.days,
        departure_time: s.departure_time,
        cutoff_hours: s.cutoff_hours,
        speed_kn: s.speed_kn,
        speed_kmh: s.speed_kmh,
        capacity_teu: s.capacity_teu,
        capacity_kg: s.capacity_kg,
        capacity_m3: s.capacity_m3,
        reefer: s.reefer,
        dangerous_goods: s.dangerous_goods,
        dangerous_goods_classes: (!dangerous_goods_classes.is_empty())
            .then_some(dangerous_goods_classes),
        through: non_empty(&s.through),
        exploratory: !s.exploratory_reason.trim().is_empty(),
        exploratory_reason: s.exploratory_reason,
        air_capacity: non_empty(&s.air_capacity),
        sea_via: s.sea_via,
        sea_closed: s.sea_closed,
        rail_via: s.rail_via,
        emission_class: non_empty(&s.emission_class),
        ice_speed_kn: s.ice_speed_kn,
        season: non_empty(&s.season),
        first_date: non_empty(&s.first_date),
        last_date: non_empty(&s.last_date),
        closed: s
            .closed
            .into_iter()
            .map(|r| [r.from_date, r.until_date])
            .collect(),
        transit_hours: s.transit_hours,
        source: s.source,
        tariff: non_empty(&s.tariff),
        rate,
        border: s.border.map(|b| BorderRecord {
            customs_hours: b.customs_hours,
            customs_usd_per_teu: b.customs_usd_per_teu,
            gauge_change: b.gauge_change,
        }),
    })
}

/// A year of weekly blank sailings is 53 ranges; more is a mistake.
const MAX_CLOSED_RANGES: usize = 64;

/// A courier tariff has a handful of weight bands; more is a mistake.
const MAX_EXPRESS_BANDS: usize = 16;

/// A `[service.rate]` table from protobuf; the per-TEU fields of old clients are refused by
/// name, since a 40' is not two 20's.
fn rate_from_proto(
    rate: proto::ServiceRateDefinition,
    field: &str,
) -> Result<RateRecord, ApiError> {
    #[allow(deprecated)]
    let legacy = [
        ("base_usd_per_teu", rate.base_usd_per_teu),
        ("usd_per_teu_km", rate.usd_per_teu_km),
        ("base_usd_per_truck", rate.base_usd_per_truck),
        ("usd_per_truck_km", rate.usd_per_truck_km),
        ("usd_per_kg", rate.usd_per_kg),
        ("min_usd", rate.min_usd),
        ("reefer_usd_per_teu", rate.reefer_usd_per_teu),
        (
            "ice_class_usd_per_teu",
            Some(rate.ice_class_usd_per_teu).filter(|v| *v != 0.0),
        ),
        (
            "icebreaker_usd_per_teu",
            Some(rate.icebreaker_usd_per_teu).filter(|v| *v != 0.0),
        ),
    ];
    if let Some((name, value)) = legacy.iter().find(|(_, v)| v.is_some()) {
        return Err(ApiError::invalid(
            format!("{field}.{name}"),
            format!(
                "{}: per-TEU rates were replaced by per-box rates (base_per_20ft, per_20ft_km, \
                 base_per_40ft, per_40ft_km), air_per_kg/air_min, base_per_truck/per_truck_km",
                value.unwrap_or_default()
            ),
        ));
    }
    if rate.express_bands.len() > 3 * MAX_EXPRESS_BANDS
        || !rate.express_bands.len().is_multiple_of(3)
    {
        return Err(ApiError::invalid(
            format!("{field}.express_bands"),
            format!(
                "{} values: give at most {MAX_EXPRESS_BANDS} bands of three (up to kg, base, per kg)",
                rate.express_bands.len()
            ),
        ));
    }
    Ok(RateRecord {
        as_of: rate.as_of,
        currency: rate.currency,
        base_per_20ft: rate.base_per_20ft,
        per_20ft_km: rate.per_20ft_km,
        base_per_40ft: rate.base_per_40ft,
        per_40ft_km: rate.per_40ft_km,
        high_cube_per_40ft: rate.high_cube_per_40ft,
        lcl_per_revenue_tonne: rate.lcl_per_revenue_tonne,
        lcl_per_revenue_tonne_km: rate.lcl_per_revenue_tonne_km,
        lcl_min_revenue_tonnes: rate.lcl_min_revenue_tonnes,
        air_per_kg: rate.air_per_kg,
        air_min: rate.air_min,
        base_per_truck: rate.base_per_truck,
        per_truck_km: rate.per_truck_km,
        truck_min: rate.truck_min,
        express_bands: (!rate.express_bands.is_empty()).then(|| {
            rate.express_bands
                .chunks(3)
                .map(|c| [c[0], c[1], c[2]])
                .collect()
        }),
        express_kg_per_m3: rate.express_kg_per_m3,
        reefer_per_20ft: rate.reefer_per_20ft,
        reefer_per_40ft: rate.reefer_per_40ft,
        dangerous_goods_per_box: rate.dangerous_goods_per_box,
        dangerous_goods_per_shipment: rate.dangerous_goods_per_shipment,
        documentation: rate.documentation,
        ice_class_per_teu: rate.ice_class_per_teu,
        icebreaker_per_teu: rate.icebreaker_per_teu,
    })
}

fn rate_to_proto(r: &RateRecord) -> proto::ServiceRateDefinition {
    proto::ServiceRateDefinition {
        as_of: r.as_of.clone(),
        currency: r.currency.clone(),
        base_per_20ft: r.base_per_20ft,
        per_20ft_km: r.per_20ft_km,
        base_per_40ft: r.base_per_40ft,
        per_40ft_km: r.per_40ft_km,
        high_cube_per_40ft: r.high_cube_per_40ft,
        lcl_per_revenue_tonne: r.lcl_per_revenue_tonne,
        lcl_per_revenue_tonne_km: r.lcl_per_revenue_tonne_km,
        lcl_min_revenue_tonnes: r.lcl_min_revenue_tonnes,
        air_per_kg: r.air_per_kg,
        air_min: r.air_min,
        base_per_truck: r.base_per_truck,
        per_truck_km: r.per_truck_km,
        truck_min: r.truck_min,
        express_bands: r
            .express_bands
            .iter()
            .flatten()
            .flatten()
            .copied()
            .collect(),
        express_kg_per_m3: r.express_kg_per_m3,
        reefer_per_20ft: r.reefer_per_20ft,
        reefer_per_40ft: r.reefer_per_40ft,
        dangerous_goods_per_box: r.dangerous_goods_per_box,
        dangerous_goods_per_shipment: r.dangerous_goods_per_shipment,
        documentation: r.documentation,
        ice_class_per_teu: r.ice_class_per_teu,
        icebreaker_per_teu: r.icebreaker_per_teu,
        ..Default::default()
    }
}

fn service_to_proto(s: &ServiceRecord) -> proto::ServiceDefinition {
    let mode = s
        .mode
        .parse::<Mode>()
        .map_or(proto::TransportMode::Unspecified, convert::mode);
    proto::ServiceDefinition {
        id: s.id.clone(),
        name: s.name.clone(),
        mode: mode.into(),
        from: s.from.clone(),
        to: s.to.clone(),
        both_directions: s.both_directions,
        operator: s.operator.clone().unwrap_or_default(),
        on_demand: s.on_demand,
        days: s.days.clone(),
        departure_time: s.departure_time.clone(),
        cutoff_hours: s.cutoff_hours,
        speed_kn: s.speed_kn,
        speed_kmh: s.speed_kmh,
        capacity_teu: s.capacity_teu,
        capacity_kg: s.capacity_kg,
        capacity_m3: s.capacity_m3,
        reefer: s.reefer,
        dangerous_goods: s.dangerous_goods,
        dangerous_goods_classes: s
            .dangerous_goods_classes
            .iter()
            .flatten()
            .map(|c| i32::from(*c))
            .collect(),
        through: s.through.clone().unwrap_or_default(),
        tariff: s.tariff.clone().unwrap_or_default(),
        exploratory_reason: s.exploratory_reason.clone(),
        air_capacity: s.air_capacity.clone().unwrap_or_default(),
        sea_via: s.sea_via.clone(),
        sea_closed: s.sea_closed.clone(),
        rail_via: s.rail_via.clone(),
        emission_class: s.emission_class.clone().unwrap_or_default(),
        ice_speed_kn: s.ice_speed_kn,
        season: s.season.clone().unwrap_or_default(),
        first_date: s.first_date.clone().unwrap_or_default(),
        last_date: s.last_date.clone().unwrap_or_default(),
        transit_hours: s.transit_hours,
        closed: s
            .closed
            .iter()
            .map(|[from, until]| proto::DateRange {
                from_date: from.clone(),
                until_date: until.clone(),
            })
            .collect(),
        source: s.source.clone(),
        rate: s.rate.as_ref().map(rate_to_proto),
        border: s.border.as_ref().map(|b| proto::BorderDefinition {
            customs_hours: b.customs_hours,
            customs_usd_per_teu: b.customs_usd_per_teu,
            gauge_change: b.gauge_change,
        }),
    }
}

/// A definition from a request; `field` is where it sits in the request (`definition`).
pub fn from_proto(
    d: Option<proto::ScenarioDefinition>,
    field: &str,
) -> Result<ScenarioDefinition, ApiError> {
    let d = d.ok_or_else(|| ApiError::invalid(field, "is required"))?;
    let added_terminals = d
        .added_terminals
        .into_iter()
        .enumerate()
        .map(|(i, t)| terminal_from_proto(t, &format!("{field}.added_terminals[{i}]")))
        .collect::<Result<_, _>>()?;
    let added_services = d
        .added_services
        .into_iter()
        .enumerate()
        .map(|(i, s)| service_from_proto(s, &format!("{field}.added_services[{i}]")))
        .collect::<Result<_, _>>()?;
    Ok(ScenarioDefinition {
        name: d.name,
        description: d.description,
        added_terminals,
        added_services,
        suspensions: d
            .suspensions
            .into_iter()
            .map(|s| Suspension {
                service: s.service_id,
                terminal: s.terminal_id,
                from_date: s.from_date,
                until_date: s.until_date,
                reason: s.reason,
            })
            .collect(),
        service_changes: d
            .service_changes
            .into_iter()
            .map(|c| ServiceChange {
                service: c.service_id,
                days: (!c.days.is_empty()).then_some(c.days),
                departure_time: non_empty(&c.departure_time),
                speed_kn: c.speed_kn,
                speed_kmh: c.speed_kmh,
                rate_factor: c.rate_factor,
                capacity: c.capacity,
            })
            .collect(),
        terminal_changes: d
            .terminal_changes
            .into_iter()
            .map(|c| TerminalChange {
                terminal: c.terminal_id,
                handling_hours: c.handling_hours,
                thc_usd_per_20ft: c.thc_usd_per_20ft,
                thc_usd_per_40ft: c.thc_usd_per_40ft,
                loose_usd_per_tonne: c.loose_usd_per_tonne,
            })
            .collect(),
    })
}

pub fn to_proto(d: &ScenarioDefinition) -> proto::ScenarioDefinition {
    proto::ScenarioDefinition {
        name: d.name.clone(),
        description: d.description.clone(),
        added_terminals: d.added_terminals.iter().map(terminal_to_proto).collect(),
        added_services: d.added_services.iter().map(service_to_proto).collect(),
        suspensions: d
            .suspensions
            .iter()
            .map(|s| proto::Suspension {
                service_id: s.service.clone(),
                terminal_id: s.terminal.clone(),
                from_date: s.from_date.clone(),
                until_date: s.until_date.clone(),
                reason: s.reason.clone(),
            })
            .collect(),
        service_changes: d
            .service_changes
            .iter()
            .map(|c| proto::ServiceChange {
                service_id: c.service.clone(),
                days: c.days.clone().unwrap_or_default(),
                departure_time: c.departure_time.clone().unwrap_or_default(),
                speed_kn: c.speed_kn,
                speed_kmh: c.speed_kmh,
                rate_factor: c.rate_factor,
                capacity: c.capacity,
            })
            .collect(),
        terminal_changes: d
            .terminal_changes
            .iter()
            .map(|c| proto::TerminalChange {
                terminal_id: c.terminal.clone(),
                handling_hours: c.handling_hours,
                thc_usd_per_20ft: c.thc_usd_per_20ft,
                thc_usd_per_40ft: c.thc_usd_per_40ft,
                loose_usd_per_tonne: c.loose_usd_per_tonne,
                ..Default::default()
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_file_survives_the_trip_through_protobuf() {
        let text = r#"
name = "Weekly Dalian-Niigata RoRo"
description = "what-if"

[[terminal]]
id = "JPKIJ-RORO"
name = "Niigata RoRo berth"
city = "Niigata"
kind = "seaport"
locode = "JPKIJ"
country = "JP"
lat = 37.95
lon = 139.06
timezone = "Asia/Tokyo"
currency = "JPY"
thc_per_20ft = 34500.0
thc_per_40ft = 53500.0
loose_per_tonne = 4500.0
loose_min = 4500.0
handling_hours = 12.0
source = "estimate"

[[service]]
id = "SEA-DLC-KIJ-RORO"
name = "Dalian - Niigata RoRo"
mode = "sea"
from = "CNDLC-PORT"
to = "JPKIJ-RORO"
both_directions = true
days = ["fri"]
departure_time = "20:00"
cutoff_hours = 6.0
speed_kn = 20.0
capacity_teu = 200.0
reefer = true
source = "scenario"

[service.rate]
as_of = "2025-06-27"
base_per_20ft = 300.0
per_20ft_km = 0.03
base_per_40ft = 500.0
per_40ft_km = 0.05
reefer_per_20ft = 200.0

[[suspend]]
service = "RAIL-MLX-ZBK"
from_date = "2027-03-01"
until_date = "2027-03-31"

[[change]]
service = "SEA-DLC-PUS"
days = ["mon", "thu"]
rate_factor = 0.9

[[terminal_change]]
terminal = "CNDLC-PORT"
handling_hours = 12.0
"#;
        let def = ScenarioDefinition::from_toml(text).unwrap();
        let back = from_proto(Some(to_proto(&def)), "definition").unwrap();
        assert_eq!(back, def);
        assert_eq!(ScenarioDefinition::from_toml(&def.to_toml()).unwrap(), def);
        assert_eq!(
            def.added_service_ids(),
            ["SEA-DLC-KIJ-RORO", "SEA-DLC-KIJ-RORO-R"]
        );
    }
}
