//! Model → protobuf translation of terminals, locations, services and routes.

use crate::cost::{CostBreakdown, GeneralizedWeights, TimeBreakdown};
use crate::engine::Route;
use crate::model::{LatLon, Mode, Network, Service, Terminal, TerminalId, TerminalKind, KM_PER_NM};
use crate::proto;

pub fn mode(m: Mode) -> proto::TransportMode {
    match m {
        Mode::Sea => proto::TransportMode::Sea,
        Mode::Air => proto::TransportMode::Air,
        Mode::Rail => proto::TransportMode::Rail,
        Mode::Road => proto::TransportMode::Road,
    }
}

pub fn mode_from_proto(m: proto::TransportMode) -> Option<Mode> {
    match m {
        proto::TransportMode::Unspecified => None,
        proto::TransportMode::Sea => Some(Mode::Sea),
        proto::TransportMode::Air => Some(Mode::Air),
        proto::TransportMode::Rail => Some(Mode::Rail),
        proto::TransportMode::Road => Some(Mode::Road),
    }
}

fn lat_lng(p: LatLon) -> proto::LatLng {
    proto::LatLng {
        latitude: p.lat,
        longitude: p.lon,
    }
}

pub fn terminal(t: &Terminal) -> proto::Terminal {
    let kind = match t.kind {
        TerminalKind::Seaport => proto::TerminalKind::Seaport,
        TerminalKind::Airport => proto::TerminalKind::Airport,
        TerminalKind::RailTerminal => proto::TerminalKind::RailTerminal,
        TerminalKind::RoadTerminal => proto::TerminalKind::RoadTerminal,
    };
    proto::Terminal {
        id: t.code.clone(),
        name: t.name.clone(),
        kind: kind.into(),
        locode: t.locode.clone(),
        iata_code: t.iata.clone().unwrap_or_default(),
        country_code: t.country.clone(),
        position: Some(lat_lng(t.position)),
        time_zone: t.timezone.clone(),
    }
}

pub fn location(network: &Network, locode: &str, ids: &[TerminalId]) -> proto::Location {
    let first = network.terminal(ids[0]);
    proto::Location {
        locode: locode.to_string(),
        name: first.city.clone(),
        country_code: first.country.clone(),
        terminals: ids
            .iter()
            .map(|id| terminal(network.terminal(*id)))
            .collect(),
    }
}

pub fn service(network: &Network, s: &Service) -> proto::Service {
    proto::Service {
        id: s.code.clone(),
        name: s.name.clone(),
        mode: mode(s.mode).into(),
        from_terminal_id: network.terminal(s.from).code.clone(),
        to_terminal_id: network.terminal(s.to).code.clone(),
        distance_km: s.distance_km,
        departures_per_week: s.schedule.departures_per_week().unwrap_or(0) as i32,
        speed_kmh: s.speed_kmh,
        reefer: s.flags.reefer,
        dangerous_goods: s.flags.dangerous_goods,
        exploratory: s.is_exploratory(),
        exploratory_reason: s.flags.exploratory.clone().unwrap_or_default(),
        passages: s.passages.clone(),
        crosses_border: s.border.is_some(),
        operator: s.operator.clone().unwrap_or_default(),
    }
}

fn duration(hours: f64) -> prost_types::Duration {
    let seconds = (hours * 3600.0).round();
    prost_types::Duration {
        seconds: seconds as i64,
        nanos: 0,
    }
}

fn time(t: &TimeBreakdown) -> proto::TimeBreakdown {
    proto::TimeBreakdown {
        in_motion: Some(duration(t.in_motion_hours)),
        waiting: Some(duration(t.waiting_hours)),
        handling: Some(duration(t.handling_hours)),
        border: Some(duration(t.border_hours)),
        total: Some(duration(t.total_hours())),
    }
}

fn cost(c: &CostBreakdown) -> proto::CostBreakdown {
    proto::CostBreakdown {
        freight_usd: c.freight_usd,
        handling_usd: c.handling_usd,
        border_usd: c.border_usd,
        surcharges_usd: c.surcharges_usd,
        total_usd: c.total_usd(),
    }
}

pub fn route(network: &Network, r: &Route, weights: &GeneralizedWeights, teu: f64) -> proto::Route {
    let legs: Vec<proto::Leg> = r
        .legs
        .iter()
        .map(|leg| {
            let s = network.service(leg.service);
            proto::Leg {
                mode: mode(s.mode).into(),
                service_id: s.code.clone(),
                service_name: s.name.clone(),
                from: Some(terminal(network.terminal(s.from))),
                to: Some(terminal(network.terminal(s.to))),
                distance_km: s.distance_km,
                distance_nm: if s.mode == Mode::Sea {
                    s.distance_km / KM_PER_NM
                } else {
                    0.0
                },
                time: Some(time(&leg.cost.time)),
                cost: Some(cost(&leg.cost.cost)),
                co2_kg: leg.cost.co2_kg,
                exploratory: s.is_exploratory(),
                exploratory_reason: s.flags.exploratory.clone().unwrap_or_default(),
                passages: s.passages.clone(),
                path: s.path.iter().copied().map(lat_lng).collect(),
                drayage: s.drayage,
            }
        })
        .collect();
    proto::Route {
        distance_km: legs.iter().map(|l| l.distance_km).sum(),
        exploratory: legs.iter().any(|l| l.exploratory),
        legs,
        time: Some(time(&r.total.time)),
        cost: Some(cost(&r.total.cost)),
        co2_kg: r.total.co2_kg,
        generalized_cost_usd: weights.generalized_usd(&r.total, teu),
        transfers: r.transfers as i32,
    }
}
