//! Model → protobuf translation of terminals, locations, services and routes.

use crate::cost::{CostBreakdown, Emissions, GeneralizedWeights, Product, TimeBreakdown};
use crate::engine::{Exclusion, Route, RouteLabel, RouteLeg};
use crate::model::{
    ComplianceRule, FactorQuality, Instant, LatLon, Mode, Network, Service, Terminal, TerminalId,
    TerminalKind, KM_PER_NM,
};
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

fn terminal_kind(kind: TerminalKind) -> proto::TerminalKind {
    match kind {
        TerminalKind::Seaport => proto::TerminalKind::Seaport,
        TerminalKind::Airport => proto::TerminalKind::Airport,
        TerminalKind::RailTerminal => proto::TerminalKind::RailTerminal,
        TerminalKind::RoadTerminal => proto::TerminalKind::RoadTerminal,
    }
}

pub fn terminal(t: &Terminal) -> proto::Terminal {
    proto::Terminal {
        id: t.code.clone(),
        name: t.name.clone(),
        kind: terminal_kind(t.kind).into(),
        locode: t.locode.clone(),
        locode_aliases: t.aliases.clone(),
        iata_code: t.iata.clone().unwrap_or_default(),
        country_code: t.country.clone(),
        position: Some(lat_lng(t.position)),
        time_zone: t.timezone.iana_name().unwrap_or("UTC").to_string(),
    }
}

/// A leg's terminal: whole in the full view, by reference in the basic one.
fn leg_terminal(t: &Terminal, full: bool) -> proto::Terminal {
    if full {
        return terminal(t);
    }
    proto::Terminal {
        id: t.code.clone(),
        locode: t.locode.clone(),
        kind: terminal_kind(t.kind).into(),
        country_code: t.country.clone(),
        ..Default::default()
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

/// A service as the API shows it; with `include_path`, its polyline too.
pub fn service(network: &Network, s: &Service, include_path: bool) -> proto::Service {
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
        dangerous_goods: s.flags.dangerous_goods.any(),
        dangerous_goods_classes: s
            .flags
            .dangerous_goods
            .class_list()
            .into_iter()
            .map(i32::from)
            .collect(),
        products: service_products(s)
            .into_iter()
            .map(|p| product(p).into())
            .collect(),
        rates_as_of: date(s.tariff.as_of),
        exploratory: s.is_exploratory(),
        exploratory_reason: s.flags.exploratory.clone().unwrap_or_default(),
        passages: s.passages.clone(),
        crosses_border: s.border.is_some(),
        operator: s.operator.clone().unwrap_or_default(),
        season: s
            .validity
            .season
            .map(|season| season.to_string())
            .unwrap_or_default(),
        path: if include_path {
            s.path.iter().copied().map(lat_lng).collect()
        } else {
            Vec::new()
        },
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
        surcharges_usd: c.surcharges_usd(),
        total_usd: c.total_usd(),
        bunker_usd: c.bunker_usd,
        eu_ets_usd: c.eu_ets_usd,
        reefer_usd: c.reefer_usd,
        dangerous_goods_usd: c.dangerous_goods_usd,
        ice_usd: c.ice_usd,
        documentation_usd: c.documentation_usd,
    }
}

fn date(d: Option<jiff::civil::Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

pub fn product(p: Product) -> proto::FreightProduct {
    match p {
        Product::Fcl => proto::FreightProduct::Fcl,
        Product::Lcl => proto::FreightProduct::Lcl,
        Product::AirCargo => proto::FreightProduct::AirCargo,
        Product::Express => proto::FreightProduct::Express,
        Product::Truck => proto::FreightProduct::Truck,
    }
}

/// The products a service's tariff prices: what it carries.
fn service_products(s: &Service) -> Vec<Product> {
    let t = &s.tariff;
    [
        (t.fcl.is_some(), Product::Fcl),
        (t.lcl.is_some(), Product::Lcl),
        (t.air.is_some(), Product::AirCargo),
        (t.express.is_some(), Product::Express),
        (t.truck.is_some(), Product::Truck),
    ]
    .into_iter()
    .filter_map(|(has, p)| has.then_some(p))
    .collect()
}

pub fn timestamp(at: Instant) -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: at,
        nanos: 0,
    }
}

fn time_zone(t: &Terminal) -> String {
    t.timezone.iana_name().unwrap_or("UTC").to_string()
}

fn label(l: RouteLabel) -> proto::RouteLabel {
    match l {
        RouteLabel::Fastest => proto::RouteLabel::Fastest,
        RouteLabel::Cheapest => proto::RouteLabel::Cheapest,
        RouteLabel::LowestCo2 => proto::RouteLabel::LowestCo2,
        RouteLabel::Balanced => proto::RouteLabel::Balanced,
    }
}

fn leg(network: &Network, leg: &RouteLeg, with_path: bool) -> proto::Leg {
    let s = network.service(leg.service);
    let (from, to) = (network.terminal(s.from), network.terminal(s.to));
    let (distance_km, passages, path) = match &leg.repath {
        Some(r) => (r.distance_km, &r.passages, &r.path),
        None => (s.distance_km, &s.passages, &s.path),
    };
    proto::Leg {
        mode: mode(s.mode).into(),
        service_id: s.code.clone(),
        service_name: s.name.clone(),
        from: Some(leg_terminal(from, with_path)),
        to: Some(leg_terminal(to, with_path)),
        distance_km,
        distance_nm: if s.mode == Mode::Sea {
            distance_km / KM_PER_NM
        } else {
            0.0
        },
        time: Some(time(&leg.cost.time)),
        cost: Some(cost(&leg.cost.cost)),
        co2_kg: leg.cost.emissions.wtw_kg(),
        co2e_wtw_kg: leg.cost.emissions.wtw_kg(),
        co2e_ttw_kg: leg.cost.emissions.ttw_kg(),
        hub_co2e_kg: leg.cost.emissions.hub_wtw_kg,
        emission_method: Some(emission_method(network, &leg.cost.emissions, distance_km)),
        emission_factor_quality: factor_quality(
            network
                .params()
                .emissions
                .factor(leg.cost.emissions.factor)
                .quality,
        )
        .into(),
        eca_km: leg.cost.emissions.eca_km,
        eu_ets_km: leg.cost.emissions.eu_ets_km,
        exploratory: s.is_exploratory(),
        exploratory_reason: s.flags.exploratory.clone().unwrap_or_default(),
        passages: passages.clone(),
        path: if with_path {
            path.iter().copied().map(lat_lng).collect()
        } else {
            Vec::new()
        },
        drayage: s.drayage,
        departure_time: Some(timestamp(leg.departure)),
        arrival_time: Some(timestamp(leg.arrival)),
        departure_time_zone: time_zone(from),
        arrival_time_zone: time_zone(to),
        repathed: leg.repath.is_some(),
        departures: leg.departures as i32,
        product: product(leg.product).into(),
        rates_as_of: date(s.tariff.as_of),
        advisory: advisory_note(network, &s.advised_around, leg.repath.is_some()),
        advised_around: if leg.repath.is_some() {
            Vec::new()
        } else {
            s.advised_around.clone()
        },
        compliance_flags: network
            .params()
            .compliance_flags(&from.country, &to.country)
            .map(compliance_flag)
            .collect(),
    }
}

fn emission_method(network: &Network, e: &Emissions, distance_km: f64) -> proto::EmissionMethod {
    let f = network.params().emissions.factor(e.factor);
    proto::EmissionMethod {
        factor_id: f.id.clone(),
        activity: e.activity,
        activity_unit: f.activity.unit().to_string(),
        distance_km: distance_km + f.distance_uplift_km,
        wtw_kg_per_unit: f.wtw_kg,
        ttw_kg_per_unit: f.ttw_kg,
        source: f.source.clone(),
    }
}

fn factor_quality(q: FactorQuality) -> proto::EmissionFactorQuality {
    match q {
        FactorQuality::SourcedDefault => proto::EmissionFactorQuality::SourcedDefault,
        FactorQuality::Estimate => proto::EmissionFactorQuality::Estimate,
    }
}

fn compliance_flag(rule: &ComplianceRule) -> proto::ComplianceFlag {
    proto::ComplianceFlag {
        id: rule.id.clone(),
        country_codes: rule.countries.clone(),
        reason: rule.reason.clone(),
        source: rule.source.clone(),
    }
}

/// Why a sea leg goes round passages carriers avoid, in words (empty when it does not).
fn advisory_note(network: &Network, advised_around: &[String], repathed: bool) -> String {
    let params = network.params();
    let Some(a) = advised_around
        .first()
        .filter(|_| !repathed)
        .and_then(|p| params.advisory_for(p))
    else {
        return String::new();
    };
    format!(
        "routed round {} as carriers have since {}: {} (set ignore_passage_advisories for the \
         passage)",
        advised_around.join(", "),
        a.since,
        a.reason
    )
}

/// A found route as the API shows it; without `with_paths` its legs carry no polylines (the
/// basic view).
pub fn route(
    network: &Network,
    r: &Route,
    weights: &GeneralizedWeights,
    teu: f64,
    with_paths: bool,
) -> proto::Route {
    let legs: Vec<proto::Leg> = r.legs.iter().map(|l| leg(network, l, with_paths)).collect();
    let door_to_door = r.door_to_door_hours();
    let mut compliance_flags: Vec<proto::ComplianceFlag> = Vec::new();
    for flag in legs.iter().flat_map(|l| &l.compliance_flags) {
        if !compliance_flags.iter().any(|f| f.id == flag.id) {
            compliance_flags.push(flag.clone());
        }
    }
    proto::Route {
        compliance_flags,
        distance_km: legs.iter().map(|l| l.distance_km).sum(),
        exploratory: legs.iter().any(|l| l.exploratory),
        legs,
        time: Some(time(&r.total.time)),
        cost: Some(cost(&r.total.cost)),
        co2_kg: r.total.emissions.wtw_kg(),
        co2e_wtw_kg: r.total.emissions.wtw_kg(),
        co2e_ttw_kg: r.total.emissions.ttw_kg(),
        hub_co2e_kg: r.total.emissions.hub_wtw_kg,
        eca_km: r.total.emissions.eca_km,
        eu_ets_km: r.total.emissions.eu_ets_km,
        generalized_cost_usd: weights.generalized_usd(
            r.total.cost.total_usd(),
            door_to_door,
            r.total.co2_kg,
            teu,
        ),
        transfers: r.transfers as i32,
        labels: r.labels.iter().map(|l| label(*l).into()).collect(),
        ready_at: Some(timestamp(r.ready_at)),
        arrival_time: Some(timestamp(r.arrival)),
        door_to_door: Some(duration(door_to_door)),
        rates_as_of: date(r.rates_as_of(network)),
    }
}

pub fn exclusion(network: &Network, e: &Exclusion) -> proto::Exclusion {
    proto::Exclusion {
        service_id: e
            .service
            .map(|s| network.service(s).code.clone())
            .unwrap_or_default(),
        constraint: super::words::refusal_field(&e.reason).to_string(),
        detail: super::words::refusal(network, e.service, &e.reason),
    }
}

/// A route in the few numbers a matrix cell holds.
pub fn route_summary(network: &Network, r: &Route) -> proto::RouteSummary {
    proto::RouteSummary {
        cost_usd: r.total.cost.total_usd(),
        door_to_door_hours: r.door_to_door_hours(),
        co2e_kg: r.total.co2_kg,
        transfers: r.transfers as i32,
        service_ids: r
            .legs
            .iter()
            .map(|l| network.service(l.service))
            .filter(|s| !s.drayage)
            .map(|s| s.code.clone())
            .collect(),
        departure_time: r.legs.first().map(|l| timestamp(l.departure)),
        arrival_time: Some(timestamp(r.arrival)),
        labels: r.labels.iter().map(|&l| label(l) as i32).collect(),
    }
}
