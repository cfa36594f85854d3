//! Pricing a network for one query: which services may carry this shipment under these
//! constraints, what each leg costs, and the sea services re-pathed around avoided passages.

use std::sync::Arc;

use super::{Exclusion, RouteQuery};
use crate::cost::{leg_cost, LegCost};
use crate::model::{
    AirCapacity, Mode, Network, Service, ServiceId, Terminal, TerminalId, SECONDS_PER_HOUR,
};

/// A sea service's path re-derived around the avoided passages.
#[derive(Debug, Clone, PartialEq)]
pub struct Repath {
    pub path: Vec<crate::model::LatLon>,
    pub distance_km: f64,
    pub passages: Vec<String>,
}

/// How one service fares in the current query.
#[derive(Debug, Clone)]
pub(super) struct PricedService {
    /// The static part of the leg (charges, CO2, in motion, border, discharge dwell).
    pub cost: LegCost,
    /// Counts towards the transfer limit (every leg but drayage).
    pub main_leg: bool,
    pub repath: Option<Arc<Repath>>,
    /// Seconds from departure to arrival (border formalities included), then to discharge:
    /// rounded once here, since a search reads them for every leg it times or bounds.
    pub ride_seconds: i64,
    pub discharge_seconds: i64,
}

impl PricedService {
    fn new(cost: LegCost, main_leg: bool, repath: Option<Arc<Repath>>) -> Self {
        let t = cost.time;
        PricedService {
            ride_seconds: ((t.in_motion_hours + t.border_hours) * SECONDS_PER_HOUR).round() as i64,
            discharge_seconds: (t.handling_hours * SECONDS_PER_HOUR).round() as i64,
            cost,
            main_leg,
            repath,
        }
    }
}

pub(super) fn terminal_allowed(network: &Network, query: &RouteQuery, t: TerminalId) -> bool {
    let c = &query.constraints;
    !c.avoid_terminals.contains(&t) && !c.avoid_countries.contains(&network.terminal(t).country)
}

/// Why a service may not carry a query's shipment. Worded only when a query asks for an
/// explanation: most queries refuse many services and never show why.
enum Refusal<'a> {
    Mode(Mode),
    Reefer,
    DangerousGoods,
    DangerousGoodsInBelly,
    Exploratory(&'a str),
    Location(&'a Terminal),
}

impl Refusal<'_> {
    /// The request field (or data rule) responsible.
    fn constraint(&self) -> &'static str {
        match self {
            Refusal::Mode(_) => "allowed_modes",
            Refusal::Reefer | Refusal::DangerousGoods | Refusal::DangerousGoodsInBelly => {
                "cargo_class"
            }
            Refusal::Exploratory(_) => "include_exploratory",
            Refusal::Location(_) => "avoid_locations",
        }
    }

    fn detail(&self) -> String {
        match self {
            Refusal::Mode(mode) => format!("{mode} is not an allowed mode"),
            Refusal::Reefer => "does not take reefer containers".to_string(),
            Refusal::DangerousGoods => "does not accept dangerous goods".to_string(),
            Refusal::DangerousGoodsInBelly => {
                "passenger-belly capacity does not carry dangerous goods".to_string()
            }
            Refusal::Exploratory(reason) => format!("exploratory line: {reason}"),
            Refusal::Location(t) => format!("calls at {} ({})", t.code, t.country),
        }
    }
}

/// Why a service may not carry this query's shipment, if it may not (the passage constraint
/// is handled by re-pathing, not here).
fn refusal<'a>(network: &'a Network, query: &RouteQuery, s: &'a Service) -> Option<Refusal<'a>> {
    let c = &query.constraints;
    if !(s.drayage || c.allowed_modes.is_empty() || c.allowed_modes.contains(&s.mode)) {
        return Some(Refusal::Mode(s.mode));
    }
    if query.shipment.is_reefer() && !(s.flags.reefer || s.drayage) {
        return Some(Refusal::Reefer);
    }
    if query.shipment.dangerous_goods && !s.drayage {
        if !s.flags.dangerous_goods {
            return Some(Refusal::DangerousGoods);
        }
        if s.flags.air_capacity == Some(AirCapacity::Belly) {
            return Some(Refusal::DangerousGoodsInBelly);
        }
    }
    if let Some(reason) = &s.flags.exploratory {
        if !c.include_exploratory {
            return Some(Refusal::Exploratory(reason));
        }
    }
    [s.from, s.to]
        .into_iter()
        .find(|&t| !terminal_allowed(network, query, t))
        .map(|t| Refusal::Location(network.terminal(t)))
}

/// Re-derives a sea service's path with the avoided passages closed: `Ok(None)` when it
/// crosses none of them, `Err` when the lanes offer no way round.
fn repath(network: &Network, query: &RouteQuery, s: &Service) -> Result<Option<Repath>, String> {
    let avoid = &query.constraints.avoid_passages;
    if !s.passages.iter().any(|p| avoid.contains(p)) {
        return Ok(None);
    }
    let lanes = network
        .sea_lanes()
        .ok_or_else(|| "no sea-lane layer to re-path it".to_string())?;
    let (a, b) = (
        network.terminal(s.from).position,
        network.terminal(s.to).position,
    );
    let (path, _, _) = lanes
        .route_between(a, b, |p| !avoid.iter().any(|v| v == p) && s.may_pass(p))
        .ok_or_else(|| format!("no sea path avoiding {}", avoid.join(", ")))?;
    if path.passages.iter().any(|p| avoid.contains(p)) {
        return Err(format!("no sea path avoiding {}", avoid.join(", ")));
    }
    // Arctic services exist for the Arctic: without their passage they are another line.
    if let Some(missing) = s.sea_via.iter().find(|v| !path.passages.contains(v)) {
        return Err(format!("it only runs via {missing}"));
    }
    Ok(Some(Repath {
        distance_km: path.length_km,
        passages: path.passages,
        path: path.points,
    }))
}

/// Prices every service for the query; `None` for the ones it may not use, each recorded in
/// `exclusions` when the query asks for an explanation.
pub(super) fn price_services(
    network: &Network,
    query: &RouteQuery,
    exclusions: &mut Vec<Exclusion>,
) -> Vec<Option<PricedService>> {
    network
        .service_ids()
        .map(|id: ServiceId| {
            let s = network.service(id);
            if let Some(refused) = refusal(network, query, s) {
                if query.explain {
                    exclusions.push(Exclusion::service(
                        id,
                        refused.constraint(),
                        refused.detail(),
                    ));
                }
                return None;
            }
            match repath(network, query, s) {
                Ok(None) => Some(PricedService::new(
                    leg_cost(network, s, &query.shipment),
                    !s.drayage,
                    None,
                )),
                Ok(Some(r)) => {
                    let mut moved = s.clone();
                    moved.set_path(crate::geo::LanePath {
                        points: r.path.clone(),
                        length_km: r.distance_km,
                        passages: r.passages.clone(),
                    });
                    if query.explain {
                        exclusions.push(Exclusion::service(
                            id,
                            "avoid_passages",
                            format!(
                                "re-pathed via {} ({:.0} km instead of {:.0} km)",
                                r.passages.join(", "),
                                r.distance_km,
                                s.distance_km
                            ),
                        ));
                    }
                    Some(PricedService::new(
                        leg_cost(network, &moved, &query.shipment),
                        true,
                        Some(Arc::new(r)),
                    ))
                }
                Err(why) => {
                    if query.explain {
                        exclusions.push(Exclusion::service(
                            id,
                            "avoid_passages",
                            format!("crosses {}: {why}", s.passages.join(", ")),
                        ));
                    }
                    None
                }
            }
        })
        .collect()
}
