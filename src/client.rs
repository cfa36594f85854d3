//! The command-line client's side of the API: building requests from command-line options and
//! rendering answers as readable tables or JSON. It only speaks protobuf; the binary connects.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::proto;

/// What `freight route` was asked for.
#[derive(Debug, Clone, Default)]
pub struct RouteOptions {
    pub origin: String,
    pub destination: String,
    pub objective: proto::Objective,
    pub count_20ft: i32,
    pub count_40ft: i32,
    pub reefer: bool,
    /// Loose cargo instead of containers when set.
    pub weight_kg: Option<f64>,
    pub volume_m3: Option<f64>,
    pub dangerous_goods: bool,
    pub modes: Vec<proto::TransportMode>,
    pub avoid_locations: Vec<String>,
    pub avoid_countries: Vec<String>,
    pub max_transfers: Option<i32>,
    pub include_exploratory: bool,
    pub max_routes: Option<i32>,
}

impl RouteOptions {
    pub fn request(&self) -> proto::FindRoutesRequest {
        let cargo = match (self.weight_kg, self.volume_m3) {
            (None, None) => proto::shipment::Cargo::Containers(proto::ContainerLoad {
                count_20ft: self.count_20ft,
                count_40ft: self.count_40ft,
                reefer: self.reefer,
            }),
            (w, v) => proto::shipment::Cargo::LooseCargo(proto::LooseCargo {
                weight_kg: w.unwrap_or(0.0),
                volume_m3: v.unwrap_or(0.0),
            }),
        };
        proto::FindRoutesRequest {
            origin: self.origin.clone(),
            destination: self.destination.clone(),
            shipment: Some(proto::Shipment {
                cargo: Some(cargo),
                dangerous_goods: self.dangerous_goods,
            }),
            objective: self.objective.into(),
            constraints: Some(proto::Constraints {
                allowed_modes: self.modes.iter().map(|m| (*m).into()).collect(),
                avoid_locations: self.avoid_locations.clone(),
                avoid_countries: self.avoid_countries.clone(),
                max_transfers: self.max_transfers,
                include_exploratory: self.include_exploratory,
            }),
            max_routes: self.max_routes,
            weights: None,
        }
    }
}

fn hours(d: &Option<prost_types::Duration>) -> f64 {
    d.as_ref().map_or(0.0, |d| d.seconds as f64 / 3600.0)
}

/// `3.2 d` above two days, `14.5 h` below.
fn human_duration(h: f64) -> String {
    if h >= 48.0 {
        format!("{:.1} d", h / 24.0)
    } else {
        format!("{h:.1} h")
    }
}

fn mode_name(m: i32) -> &'static str {
    match proto::TransportMode::try_from(m) {
        Ok(proto::TransportMode::Sea) => "sea",
        Ok(proto::TransportMode::Air) => "air",
        Ok(proto::TransportMode::Rail) => "rail",
        Ok(proto::TransportMode::Road) => "road",
        _ => "?",
    }
}

fn terminal_id(t: &Option<proto::Terminal>) -> &str {
    t.as_ref().map_or("?", |t| t.id.as_str())
}

/// The routes as a table of legs with totals, one block per route.
pub fn routes_table(resp: &proto::FindRoutesResponse) -> String {
    let mut out = String::new();
    if resp.routes.is_empty() {
        let _ = writeln!(out, "No route: {}", resp.no_route_reason);
        return out;
    }
    for (i, r) in resp.routes.iter().enumerate() {
        let total_usd = r.cost.as_ref().map_or(0.0, |c| c.total_usd);
        let total_h = r.time.as_ref().map_or(0.0, |t| hours(&t.total));
        let _ = writeln!(
            out,
            "Route {}: {} transfer(s){}",
            i + 1,
            r.transfers,
            if r.exploratory { "  [EXPLORATORY]" } else { "" }
        );
        let _ = writeln!(
            out,
            "  {:<5} {:<22} {:<13} {:<13} {:>9} {:>9} {:>11} {:>10}  passages",
            "mode", "service", "from", "to", "km", "time", "cost USD", "CO2 kg"
        );
        for leg in &r.legs {
            let _ = writeln!(
                out,
                "  {:<5} {:<22} {:<13} {:<13} {:>9.0} {:>9} {:>11.0} {:>10.1}  {}",
                mode_name(leg.mode),
                truncate(&leg.service_id, 22),
                terminal_id(&leg.from),
                terminal_id(&leg.to),
                leg.distance_km,
                human_duration(leg.time.as_ref().map_or(0.0, |t| hours(&t.total))),
                leg.cost.as_ref().map_or(0.0, |c| c.total_usd),
                leg.co2_kg,
                leg.passages.join(",")
            );
        }
        let _ = writeln!(
            out,
            "  {:<5} {:<22} {:<13} {:<13} {:>9.0} {:>9} {:>11.0} {:>10.1}",
            "total",
            "",
            "",
            "",
            r.distance_km,
            human_duration(total_h),
            total_usd,
            r.co2_kg
        );
        if let Some(reason) = r
            .legs
            .iter()
            .find(|l| l.exploratory)
            .map(|l| &l.exploratory_reason)
        {
            let _ = writeln!(out, "  exploratory: {reason}");
        }
        let _ = writeln!(out);
    }
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).chain(std::iter::once('…')).collect()
    }
}

fn cost_json(c: &Option<proto::CostBreakdown>) -> Value {
    let c = c.unwrap_or_default();
    json!({
        "freight_usd": c.freight_usd, "handling_usd": c.handling_usd, "border_usd": c.border_usd,
        "surcharges_usd": c.surcharges_usd, "total_usd": c.total_usd,
    })
}

fn time_json(t: &Option<proto::TimeBreakdown>) -> Value {
    let t = t.unwrap_or_default();
    json!({
        "in_motion_hours": hours(&t.in_motion), "waiting_hours": hours(&t.waiting),
        "handling_hours": hours(&t.handling), "border_hours": hours(&t.border),
        "total_hours": hours(&t.total),
    })
}

/// The routes as JSON (paths left out: they are long; ask the API for them).
pub fn routes_json(resp: &proto::FindRoutesResponse) -> Value {
    let routes: Vec<Value> = resp
        .routes
        .iter()
        .map(|r| {
            let legs: Vec<Value> = r
                .legs
                .iter()
                .map(|l| {
                    json!({
                        "mode": mode_name(l.mode), "service_id": l.service_id,
                        "service_name": l.service_name, "from": terminal_id(&l.from),
                        "to": terminal_id(&l.to), "distance_km": l.distance_km,
                        "distance_nm": l.distance_nm, "time": time_json(&l.time),
                        "cost": cost_json(&l.cost), "co2_kg": l.co2_kg,
                        "exploratory": l.exploratory, "exploratory_reason": l.exploratory_reason,
                        "passages": l.passages, "drayage": l.drayage,
                    })
                })
                .collect();
            json!({
                "legs": legs, "distance_km": r.distance_km, "time": time_json(&r.time),
                "cost": cost_json(&r.cost), "co2_kg": r.co2_kg,
                "generalized_cost_usd": r.generalized_cost_usd, "transfers": r.transfers,
                "exploratory": r.exploratory,
            })
        })
        .collect();
    json!({ "routes": routes, "no_route_reason": resp.no_route_reason })
}

/// Locations and their terminals as a table.
pub fn locations_table(locations: &[proto::Location]) -> String {
    let mut out = String::new();
    for l in locations {
        let _ = writeln!(out, "{}  {} ({})", l.locode, l.name, l.country_code);
        for t in &l.terminals {
            let kind = proto::TerminalKind::try_from(t.kind)
                .map(|k| {
                    k.as_str_name()
                        .trim_start_matches("TERMINAL_KIND_")
                        .to_ascii_lowercase()
                })
                .unwrap_or_default();
            let _ = writeln!(out, "    {:<14} {:<14} {}", t.id, kind, t.name);
        }
    }
    out
}

pub fn locations_json(locations: &[proto::Location]) -> Value {
    Value::Array(
        locations
            .iter()
            .map(|l| {
                let terminals: Vec<Value> = l
                    .terminals
                    .iter()
                    .map(|t| {
                        let p = t.position.unwrap_or_default();
                        json!({
                            "id": t.id, "name": t.name, "iata_code": t.iata_code,
                            "latitude": p.latitude, "longitude": p.longitude, "time_zone": t.time_zone,
                        })
                    })
                    .collect();
                json!({ "locode": l.locode, "name": l.name, "country_code": l.country_code, "terminals": terminals })
            })
            .collect(),
    )
}
