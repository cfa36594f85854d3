//! The command-line client's side of the API: building requests from command-line options and
//! rendering answers as readable tables or JSON. It only speaks protobuf; the binary connects.

use std::fmt::Write as _;

use serde_json::{json, Value};

use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};

use crate::proto;

/// What `freight route` was asked for.
#[derive(Debug, Clone, Default)]
pub struct RouteOptions {
    pub origin: String,
    pub destination: String,
    pub objective: proto::Objective,
    pub count_20ft: i32,
    pub count_40ft: i32,
    /// 40' high-cube boxes (dry, or high-cube reefers with `reefer`).
    pub count_40ft_hc: i32,
    pub reefer: bool,
    /// Loose cargo instead of containers when set.
    pub weight_kg: Option<f64>,
    pub volume_m3: Option<f64>,
    pub dangerous_goods: bool,
    /// UN hazard class 1..9; 0 when not declared.
    pub dangerous_goods_class: i32,
    pub cargo_aircraft_only: bool,
    pub keep_together: bool,
    pub temperature_controlled: bool,
    pub ignore_passage_advisories: bool,
    pub modes: Vec<proto::TransportMode>,
    pub avoid_locations: Vec<String>,
    pub avoid_countries: Vec<String>,
    pub max_transfers: Option<i32>,
    pub include_exploratory: bool,
    pub max_routes: Option<i32>,
    /// Seconds since the epoch; unset means now.
    pub ready_at: Option<i64>,
    pub deliver_by: Option<i64>,
    pub avoid_passages: Vec<String>,
    pub max_cost_usd: Option<f64>,
    pub explain: bool,
    /// Route on this scenario instead of the base network.
    pub scenario_id: String,
    /// Minimise and label by tank-to-wake CO2e instead of well-to-wake.
    pub tank_to_wake: bool,
    /// Ask for the basic view: legs without their path polylines.
    pub basic_view: bool,
}

/// Parses an RFC 3339 instant with its offset (`2027-03-02T08:00+08:00`) into epoch seconds.
pub fn parse_instant(text: &str) -> Result<i64, String> {
    text.parse::<jiff::Timestamp>()
        .map(|t| t.as_second())
        .map_err(|e| format!("'{text}' is not an RFC 3339 time with offset: {e}"))
}

fn stamp(seconds: i64) -> prost_types::Timestamp {
    prost_types::Timestamp { seconds, nanos: 0 }
}

/// A timestamp in a time zone, `2027-03-02 18:00 +08`.
fn local(t: &Option<prost_types::Timestamp>, zone: &str) -> String {
    let Some(t) = t else {
        return "-".to_string();
    };
    let tz = jiff::tz::TimeZone::get(zone).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::from_second(t.seconds).map_or_else(
        |_| t.seconds.to_string(),
        |ts| ts.to_zoned(tz).strftime("%Y-%m-%d %H:%M %:z").to_string(),
    )
}

impl RouteOptions {
    pub fn request(&self) -> proto::FindRoutesRequest {
        let cargo = match (self.weight_kg, self.volume_m3) {
            (None, None) => proto::shipment::Cargo::Containers(proto::ContainerLoad {
                count_20ft: self.count_20ft,
                count_40ft: self.count_40ft,
                reefer: self.reefer,
                boxes: (self.count_40ft_hc > 0)
                    .then(|| proto::ContainerBoxes {
                        r#type: if self.reefer {
                            proto::ContainerType::Reefer40
                        } else {
                            proto::ContainerType::HighCube40
                        }
                        .into(),
                        count: self.count_40ft_hc,
                    })
                    .into_iter()
                    .collect(),
            }),
            (w, v) => proto::shipment::Cargo::LooseCargo(proto::LooseCargo {
                weight_kg: w.unwrap_or(0.0),
                volume_m3: v.unwrap_or(0.0),
                temperature_controlled: self.temperature_controlled,
            }),
        };
        proto::FindRoutesRequest {
            origin: self.origin.clone(),
            destination: self.destination.clone(),
            shipment: Some(proto::Shipment {
                cargo: Some(cargo),
                dangerous_goods: self.dangerous_goods,
                dangerous_goods_class: self.dangerous_goods_class,
                cargo_aircraft_only: self.cargo_aircraft_only,
                keep_together: self.keep_together,
            }),
            objective: self.objective.into(),
            constraints: Some(proto::Constraints {
                allowed_modes: self.modes.iter().map(|m| (*m).into()).collect(),
                avoid_locations: self.avoid_locations.clone(),
                avoid_countries: self.avoid_countries.clone(),
                max_transfers: self.max_transfers,
                include_exploratory: self.include_exploratory,
                avoid_passages: self.avoid_passages.clone(),
                deliver_by: self.deliver_by.map(stamp),
                max_cost_usd: self.max_cost_usd,
                ignore_passage_advisories: self.ignore_passage_advisories,
            }),
            max_routes: self.max_routes,
            weights: None,
            ready_at: self.ready_at.map(stamp),
            explain: self.explain,
            scenario_id: self.scenario_id.clone(),
            co2_basis: if self.tank_to_wake {
                proto::Co2Basis::TankToWake
            } else {
                proto::Co2Basis::WellToWake
            }
            .into(),
            view: if self.basic_view {
                proto::RouteView::Basic
            } else {
                proto::RouteView::Full
            }
            .into(),
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
    }
    for (i, r) in resp.routes.iter().enumerate() {
        let total_usd = r.cost.as_ref().map_or(0.0, |c| c.total_usd);
        let total_h = hours(&r.door_to_door);
        let labels: Vec<&str> = r.labels.iter().map(|l| label_name(*l)).collect();
        let first_zone = r
            .legs
            .first()
            .map_or("UTC", |l| l.departure_time_zone.as_str());
        let last_zone = r
            .legs
            .last()
            .map_or("UTC", |l| l.arrival_time_zone.as_str());
        let _ = writeln!(
            out,
            "Route {}{}: {} transfer(s){}; ready {}, available {}",
            i + 1,
            if labels.is_empty() {
                String::new()
            } else {
                format!(" [{}]", labels.join(", "))
            },
            r.transfers,
            if r.exploratory { " [EXPLORATORY]" } else { "" },
            local(&r.ready_at, first_zone),
            local(&r.arrival_time, last_zone),
        );
        let _ = writeln!(
            out,
            "  {:<5} {:<22} {:<13} {:<13} {:<23} {:<23} {:>7} {:>9} {:>9} {:>9}  passages",
            "mode",
            "service",
            "from",
            "to",
            "departs",
            "arrives",
            "km",
            "time",
            "cost USD",
            "CO2 kg"
        );
        for leg in &r.legs {
            let _ = writeln!(
                out,
                "  {:<5} {:<22} {:<13} {:<13} {:<23} {:<23} {:>7.0} {:>9} {:>9.0} {:>9.1}  {}",
                mode_name(leg.mode),
                truncate(&leg.service_id, 22),
                terminal_id(&leg.from),
                terminal_id(&leg.to),
                local(&leg.departure_time, &leg.departure_time_zone),
                local(&leg.arrival_time, &leg.arrival_time_zone),
                leg.distance_km,
                human_duration(leg.time.as_ref().map_or(0.0, |t| hours(&t.total))),
                leg.cost.as_ref().map_or(0.0, |c| c.total_usd),
                leg.co2_kg,
                leg.passages.join(",")
            );
        }
        let _ = writeln!(
            out,
            "  {:<5} {:<22} {:<13} {:<13} {:<23} {:<23} {:>7.0} {:>9} {:>9.0} {:>9.1}",
            "total",
            "",
            "",
            "",
            "",
            "door to door",
            r.distance_km,
            human_duration(total_h),
            total_usd,
            r.co2_kg
        );
        if let Some(c) = &r.cost {
            let _ = writeln!(
                out,
                "  charges: {}; rates as of {}",
                charges(c),
                r.rates_as_of
            );
        }
        let _ =
            writeln!(
            out,
            "  CO2e: {:.1} kg well-to-wake, {:.1} kg tank-to-wake (terminal moves {:.1} kg WTW){}",
            r.co2e_wtw_kg,
            r.co2e_ttw_kg,
            r.hub_co2e_kg,
            if r.eca_km > 0.0 || r.eu_ets_km > 0.0 {
                format!("; {:.0} km in ECAs, {:.0} km in EU ETS scope", r.eca_km, r.eu_ets_km)
            } else {
                String::new()
            }
        );
        for leg in &r.legs {
            if leg.departures > 1 {
                let _ = writeln!(
                    out,
                    "  {}: spread over {} departures (capacity per departure)",
                    leg.service_id, leg.departures
                );
            }
            if !leg.advisory.is_empty() {
                let _ = writeln!(out, "  {}: {}", leg.service_id, leg.advisory);
            }
        }
        if let Some(reason) = r
            .legs
            .iter()
            .find(|l| l.exploratory)
            .map(|l| &l.exploratory_reason)
        {
            let _ = writeln!(out, "  exploratory: {reason}");
        }
        for flag in &r.compliance_flags {
            let _ = writeln!(
                out,
                "  screening ({}): {}",
                flag.country_codes.join(", "),
                flag.reason
            );
        }
        let _ = writeln!(out);
    }
    if !resp.exclusions.is_empty() {
        let _ = writeln!(out, "Excluded candidates:");
        for e in &resp.exclusions {
            let _ = writeln!(
                out,
                "  {:<22} {:<20} {}",
                e.service_id, e.constraint, e.detail
            );
        }
    }
    out
}

/// The emissions method per leg, as a sustainability report lists it (ISO 14083): the
/// activity, the factor and its source, the well-to-wake and tank-to-wake CO2e, the terminal
/// moves, and a sea leg's kilometres in emission control areas and in EU ETS scope.
pub fn emissions_table(resp: &proto::FindRoutesResponse) -> String {
    let mut out = String::new();
    for (i, r) in resp.routes.iter().enumerate() {
        let _ = writeln!(out, "Route {} emissions (ISO 14083 / GLEC):", i + 1);
        let _ =
            writeln!(
            out,
            "  {:<22} {:<28} {:>12} {:<7} {:>9} {:>9} {:>9} {:>9} {:>8} {:>7} {:>7}  {:<8} source",
            "service", "factor", "activity", "unit", "WTW/unit", "TTW/unit", "WTW kg", "TTW kg",
            "hub kg", "ECA km", "ETS km", "quality"
        );
        for leg in &r.legs {
            let m = leg.emission_method.clone().unwrap_or_default();
            let quality = match proto::EmissionFactorQuality::try_from(leg.emission_factor_quality)
            {
                Ok(proto::EmissionFactorQuality::Estimate) => "estimate",
                Ok(proto::EmissionFactorQuality::SourcedDefault) => "sourced",
                _ => "-",
            };
            let _ = writeln!(
                out,
                "  {:<22} {:<28} {:>12.0} {:<7} {:>9.4} {:>9.4} {:>9.1} {:>9.1} {:>8.1} {:>7.0} {:>7.0}  {:<8} {}",
                truncate(&leg.service_id, 22),
                truncate(&m.factor_id, 28),
                m.activity,
                m.activity_unit,
                m.wtw_kg_per_unit,
                m.ttw_kg_per_unit,
                leg.co2e_wtw_kg,
                leg.co2e_ttw_kg,
                leg.hub_co2e_kg,
                leg.eca_km,
                leg.eu_ets_km,
                quality,
                m.source
            );
        }
        let _ = writeln!(
            out,
            "  {:<22} {:<28} {:>12} {:<7} {:>9} {:>9} {:>9.1} {:>9.1} {:>8.1} {:>7.0} {:>7.0}",
            "total",
            "",
            "",
            "",
            "",
            "",
            r.co2e_wtw_kg,
            r.co2e_ttw_kg,
            r.hub_co2e_kg,
            r.eca_km,
            r.eu_ets_km
        );
        let _ = writeln!(out);
    }
    out
}

/// The non-zero charges of a breakdown, as a quote lists them.
fn charges(c: &proto::CostBreakdown) -> String {
    [
        ("freight", c.freight_usd),
        ("handling", c.handling_usd),
        ("border", c.border_usd),
        ("BAF", c.bunker_usd),
        ("EU ETS", c.eu_ets_usd),
        ("reefer", c.reefer_usd),
        ("DG", c.dangerous_goods_usd),
        ("ice", c.ice_usd),
        ("docs", c.documentation_usd),
    ]
    .iter()
    .filter(|(_, v)| *v > 0.005)
    .map(|(name, v)| format!("{name} {v:.0}"))
    .collect::<Vec<_>>()
    .join(", ")
}

fn rfc3339(t: &Option<prost_types::Timestamp>) -> Value {
    t.as_ref()
        .and_then(|t| jiff::Timestamp::from_second(t.seconds).ok())
        .map_or(Value::Null, |t| Value::String(t.to_string()))
}

fn label_name(l: i32) -> &'static str {
    match proto::RouteLabel::try_from(l) {
        Ok(proto::RouteLabel::Fastest) => "fastest",
        Ok(proto::RouteLabel::Cheapest) => "cheapest",
        Ok(proto::RouteLabel::LowestCo2) => "lowest CO2",
        Ok(proto::RouteLabel::Balanced) => "balanced",
        _ => "?",
    }
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
        "bunker_usd": c.bunker_usd, "eu_ets_usd": c.eu_ets_usd, "reefer_usd": c.reefer_usd,
        "dangerous_goods_usd": c.dangerous_goods_usd, "ice_usd": c.ice_usd,
        "documentation_usd": c.documentation_usd,
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
/// One route as an RFC 7946 GeoJSON FeatureCollection: a LineString per leg along its path
/// (`[longitude, latitude]`), with the leg's mode, service, times, cost and CO2e as
/// properties. The console's download writes the same properties.
pub fn route_geojson(route: &proto::Route) -> Value {
    let features: Vec<Value> = route
        .legs
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let coordinates: Vec<Value> = l
                .path
                .iter()
                .map(|p| json!([p.longitude, p.latitude]))
                .collect();
            json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coordinates},
                "properties": {
                    "leg": i + 1, "mode": mode_name(l.mode), "service_id": l.service_id,
                    "service_name": l.service_name, "from": terminal_id(&l.from),
                    "to": terminal_id(&l.to),
                    "departure_time": rfc3339(&l.departure_time),
                    "arrival_time": rfc3339(&l.arrival_time),
                    "departure_time_zone": l.departure_time_zone,
                    "arrival_time_zone": l.arrival_time_zone,
                    "distance_km": l.distance_km,
                    "cost_usd": l.cost.as_ref().map_or(0.0, |c| c.total_usd),
                    "co2e_wtw_kg": l.co2e_wtw_kg,
                    "exploratory": l.exploratory,
                },
            })
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

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
                        "departure_time": rfc3339(&l.departure_time),
                        "arrival_time": rfc3339(&l.arrival_time),
                        "departure_time_zone": l.departure_time_zone,
                        "arrival_time_zone": l.arrival_time_zone,
                        "co2e_wtw_kg": l.co2e_wtw_kg, "co2e_ttw_kg": l.co2e_ttw_kg,
                        "hub_co2e_kg": l.hub_co2e_kg, "eca_km": l.eca_km, "eu_ets_km": l.eu_ets_km,
                        "emission_method": l.emission_method.as_ref().map(|m| json!({
                            "factor_id": m.factor_id, "activity": m.activity,
                            "activity_unit": m.activity_unit, "distance_km": m.distance_km,
                            "wtw_kg_per_unit": m.wtw_kg_per_unit,
                            "ttw_kg_per_unit": m.ttw_kg_per_unit, "source": m.source,
                        })),
                    })
                })
                .collect();
            json!({
                "legs": legs, "distance_km": r.distance_km, "time": time_json(&r.time),
                "cost": cost_json(&r.cost), "co2_kg": r.co2_kg,
                "generalized_cost_usd": r.generalized_cost_usd, "transfers": r.transfers,
                "exploratory": r.exploratory,
                "labels": r.labels.iter().map(|l| label_name(*l)).collect::<Vec<_>>(),
                "ready_at": rfc3339(&r.ready_at), "arrival_time": rfc3339(&r.arrival_time),
                "door_to_door_hours": hours(&r.door_to_door),
                "co2e_wtw_kg": r.co2e_wtw_kg, "co2e_ttw_kg": r.co2e_ttw_kg,
                "hub_co2e_kg": r.hub_co2e_kg, "eca_km": r.eca_km, "eu_ets_km": r.eu_ets_km,
                "compliance_flags": r.compliance_flags.iter().map(|f| json!({
                    "id": f.id, "country_codes": f.country_codes, "reason": f.reason,
                    "source": f.source,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let exclusions: Vec<Value> = resp
        .exclusions
        .iter()
        .map(
            |e| json!({"service_id": e.service_id, "constraint": e.constraint, "detail": e.detail}),
        )
        .collect();
    json!({
        "routes": routes, "no_route_reason": resp.no_route_reason, "exclusions": exclusions,
        "earliest_arrival": rfc3339(&resp.earliest_arrival),
    })
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

/// Opens a channel to `server`; `https://` servers need the CA certificate that signed the
/// server's certificate (`--ca-cert`).
pub async fn connect(server: &str, ca_cert: Option<&std::path::Path>) -> Result<Channel, String> {
    let mut endpoint =
        Endpoint::from_shared(server.to_string()).map_err(|e| format!("server '{server}': {e}"))?;
    if let Some(path) = ca_cert {
        let pem = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        endpoint = endpoint
            .tls_config(ClientTlsConfig::new().ca_certificate(Certificate::from_pem(pem)))
            .map_err(|e| format!("TLS: {e}"))?;
    }
    endpoint
        .connect()
        .await
        .map_err(|e| format!("cannot reach {server}: {e}"))
}

/// A request carrying a bearer token (when one is given).
pub fn with_token<T>(message: T, token: Option<&str>) -> Result<tonic::Request<T>, String> {
    let mut request = tonic::Request::new(message);
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        let value = format!("Bearer {token}")
            .parse()
            .map_err(|_| "the token has characters a header cannot carry".to_string())?;
        request.metadata_mut().insert("authorization", value);
    }
    Ok(request)
}

/// Reads a scenario file into the protobuf definition.
pub fn read_scenario_file(path: &std::path::Path) -> Result<proto::ScenarioDefinition, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let definition = crate::scenario::ScenarioDefinition::from_toml(&text)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(crate::api::definition_to_proto(&definition))
}

fn state_name(s: &proto::Scenario) -> &'static str {
    match proto::ScenarioState::try_from(s.state) {
        Ok(proto::ScenarioState::Ready) => "ready",
        Ok(proto::ScenarioState::Broken) => "BROKEN",
        _ => "?",
    }
}

/// One line per scenario.
pub fn scenarios_table(scenarios: &[proto::Scenario]) -> String {
    let mut out = format!(
        "{:<10} {:<5} {:<7} {:<30} {}\n",
        "id", "ver", "state", "name", "adds"
    );
    for s in scenarios {
        let name = s.definition.as_ref().map_or("", |d| d.name.as_str());
        let _ = writeln!(
            out,
            "{:<10} {:<5} {:<7} {:<30} {}",
            s.id,
            s.version,
            state_name(s),
            truncate(name, 30),
            s.added_service_ids.join(",")
        );
        if !s.problem.is_empty() {
            let _ = writeln!(out, "           problem: {}", s.problem);
        }
    }
    out
}

/// The scenario file of a scenario, with its id and state as comments: the export format.
pub fn scenario_file(s: &proto::Scenario) -> String {
    let mut out = format!(
        "# scenario {} version {} ({})\n",
        s.id,
        s.version,
        state_name(s)
    );
    if !s.problem.is_empty() {
        let _ = writeln!(out, "# problem: {}", s.problem);
    }
    out.push_str(&s.definition_toml);
    out
}

/// The header of the comparison table.
pub fn comparison_header() -> String {
    format!(
        "{:<7} {:<7} {:>8} {:>10} {:>10} {:>9} {:>9} {:>9} {:>7}  {}\n",
        "from",
        "to",
        "TEU/yr",
        "base USD",
        "scen USD",
        "base h",
        "scen h",
        "dCO2 kg",
        "switch",
        "scenario services"
    )
}

/// One compared pair, one line.
pub fn comparison_row(p: &proto::PairComparison) -> String {
    let pair = p.pair.clone().unwrap_or_default();
    let num = |o: &Option<proto::PairOutcome>, f: fn(&proto::PairOutcome) -> f64| {
        o.as_ref()
            .map_or("-".to_string(), |o| format!("{:.0}", f(o)))
    };
    format!(
        "{:<7} {:<7} {:>8.0} {:>10} {:>10} {:>9} {:>9} {:>9.0} {:>6.0}%  {}\n",
        pair.origin,
        pair.destination,
        pair.annual_teu,
        num(&p.base, |o| o.cost_usd_per_teu),
        num(&p.scenario, |o| o.cost_usd_per_teu),
        num(&p.base, |o| o.door_to_door_hours),
        num(&p.scenario, |o| o.door_to_door_hours),
        p.delta_co2_kg_per_teu,
        p.switched_share * 100.0,
        p.scenario
            .as_ref()
            .map_or(String::new(), |o| o.service_ids.join(" > ")),
    )
}

pub fn comparison_summary(s: &proto::ComparisonSummary) -> String {
    let mut out = format!(
        "\n{} pairs, {} switch to an added service; attracted {:.0} TEU/yr; saves {:.0} USD/yr and {:.0} TEU-hours/yr\n",
        s.pairs, s.pairs_switched, s.attracted_teu_per_year, s.cost_saved_usd_per_year, s.teu_hours_saved_per_year
    );
    for p in &s.switched_pairs {
        let _ = writeln!(
            out,
            "  switches: {} -> {} ({:.0} TEU/yr)",
            p.origin, p.destination, p.annual_teu
        );
    }
    for l in &s.line_loads {
        let _ = writeln!(
            out,
            "  {}: {:.1} TEU/week of {:.0} capacity ({:.0}%)",
            l.service_id,
            l.weekly_teu,
            l.weekly_capacity_teu,
            l.utilisation * 100.0
        );
    }
    out
}

/// A message as one gRPC length-prefixed frame (uncompressed flag, big-endian length, bytes):
/// the request body an HTTP/2 load generator such as h2load sends as it is.
pub fn grpc_frame(message: &impl prost::Message) -> Vec<u8> {
    let body = message.encode_to_vec();
    let mut frame = Vec::with_capacity(5 + body.len());
    frame.push(0);
    frame.extend_from_slice(&(body.len() as u32).to_be_bytes());
    frame.extend_from_slice(&body);
    frame
}

/// One matrix element as a JSON object (a line of `freight matrix --json`), with the places
/// named as the request named them.
pub fn matrix_element_json(e: &proto::RouteMatrixElement, from: &[String], to: &[String]) -> Value {
    let name = |list: &[String], i: i32| list.get(i as usize).cloned().unwrap_or_default();
    let summary = |r: &proto::RouteSummary| {
        json!({
            "cost_usd": (r.cost_usd * 100.0).round() / 100.0,
            "door_to_door_hours": (r.door_to_door_hours * 10.0).round() / 10.0,
            "co2e_kg": (r.co2e_kg * 10.0).round() / 10.0,
            "transfers": r.transfers,
            "service_ids": r.service_ids,
            "departure_time": rfc3339(&r.departure_time),
            "arrival_time": rfc3339(&r.arrival_time),
        })
    };
    let status = e.status.clone().unwrap_or_default();
    let mut out = json!({
        "origin": name(from, e.origin_index),
        "destination": name(to, e.destination_index),
        "ready_time": rfc3339(&e.ready_time),
        "status": {"code": code_name(status.code), "message": status.message},
    });
    if let Some(r) = &e.route {
        out["route"] = summary(r);
    }
    if !e.pareto_set.is_empty() {
        out["pareto_set"] = e.pareto_set.iter().map(summary).collect();
    }
    out
}

/// The matrix as a table: a row per origin and destination, a column per ready day, each
/// cell the best route's charges and door-to-door days (`-` where there is no route).
pub fn matrix_table(
    from: &[String],
    to: &[String],
    ready: &[i64],
    elements: &[proto::RouteMatrixElement],
) -> String {
    let mut cells = std::collections::HashMap::new();
    for e in elements {
        let cell = match &e.route {
            Some(r) => format!(
                "{:>7.0} USD {:>5.1} d",
                r.cost_usd,
                r.door_to_door_hours / 24.0
            ),
            None => "-".to_string(),
        };
        cells.insert(
            (e.origin_index, e.destination_index, e.ready_time_index),
            cell,
        );
    }
    let mut out = format!("{:<8} {:<8}", "from", "to");
    for &t in ready {
        let day = jiff::Timestamp::from_second(t).map_or_else(
            |_| t.to_string(),
            |ts| {
                ts.to_zoned(jiff::tz::TimeZone::UTC)
                    .strftime("%a %m-%d")
                    .to_string()
            },
        );
        let _ = write!(out, " {day:>19}");
    }
    out.push('\n');
    for (o, origin) in from.iter().enumerate() {
        for (d, destination) in to.iter().enumerate() {
            let _ = write!(out, "{origin:<8} {destination:<8}");
            for r in 0..ready.len() {
                let cell = cells
                    .get(&(o as i32, d as i32, r as i32))
                    .map_or("?", String::as_str);
                let _ = write!(out, " {cell:>19}");
            }
            out.push('\n');
        }
    }
    out
}

/// A gRPC status code as the spec spells it (`OK`, `NOT_FOUND`, ...).
fn code_name(code: i32) -> String {
    let camel = format!("{:?}", tonic::Code::from(code));
    let mut out = String::new();
    for (i, ch) in camel.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

/// Terminals in reach, earliest first: arrival in the terminal's local time, door-to-door
/// days, least cost.
pub fn reachable_table(resp: &proto::FindReachableResponse) -> String {
    let mut out = format!(
        "{:<14} {:<32} {:<24} {:>7} {:>9}\n",
        "terminal", "name", "earliest arrival", "days", "least USD"
    );
    for r in &resp.terminals {
        let t = r.terminal.clone().unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<14} {:<32} {:<24} {:>7.1} {:>9.0}",
            t.id,
            t.name.chars().take(32).collect::<String>(),
            local(&r.earliest_arrival_time, &t.time_zone),
            r.least_door_to_door_hours / 24.0,
            r.least_cost_usd
        );
    }
    out
}
