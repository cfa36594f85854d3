//! `ComputeRouteMatrix` and `FindReachable`: many questions in one call, each answered by the
//! engine's one-to-many searches (one per origin and ready time for a whole row of
//! destinations; one per origin for everything within reach).

use std::sync::Arc;

use super::routing::{
    co2_basis, constraints, instant, network_of, now, objective, ready_window_check, resolve,
    shipment, weights,
};
use super::{convert, ApiError, NetworkState};
use crate::engine::RouteQuery;
use crate::model::{Instant, TerminalId, SECONDS_PER_HOUR};
use crate::proto;
use crate::scenario::Catalog;

/// Elements (origins × destinations × ready times) one matrix call may ask for: a port
/// office's 50 × 50 places over a week is 17,500.
pub const MAX_MATRIX_ELEMENTS: usize = 25_000;
/// Places per list.
pub const MAX_MATRIX_PLACES: usize = 100;
/// Matrix calls running at once; more are refused until one ends.
pub const MAX_CONCURRENT_MATRICES: usize = 2;
/// Reachability searches running at once (each covers the network up to its deadline, on the
/// blocking pool); more are refused until one ends.
pub const MAX_CONCURRENT_REACHABILITY: usize = 8;
/// A ready window spans at most this many days ...
const MAX_WINDOW_DAYS: i64 = 31;
/// ... at steps of at least an hour.
const MIN_STEP_SECONDS: i64 = 3_600;
const SECONDS_PER_DAY: i64 = 86_400;
/// Routes in an element's Pareto set, at most (FindRoutes' own cap).
const PARETO_ROUTES: usize = 20;

/// A validated matrix request: the places resolved, the ready times listed, and the query
/// every element shares but for its origin, destination and ready time.
pub(super) struct Matrix {
    pub state: Arc<NetworkState>,
    origins: Vec<Vec<TerminalId>>,
    destinations: Vec<Vec<TerminalId>>,
    ready_times: Vec<Instant>,
    template: RouteQuery,
    pareto: bool,
}

fn places(
    network: &crate::model::Network,
    field: &str,
    codes: &[String],
) -> Result<Vec<Vec<TerminalId>>, ApiError> {
    if codes.is_empty() {
        return Err(ApiError::invalid(
            field,
            "is empty; give at least one place",
        ));
    }
    if codes.len() > MAX_MATRIX_PLACES {
        return Err(ApiError::ResourceExhausted(format!(
            "{field}: {} places; at most {MAX_MATRIX_PLACES} per call",
            codes.len()
        )));
    }
    codes
        .iter()
        .enumerate()
        .map(|(i, code)| resolve(network, &format!("{field}[{i}]"), code))
        .collect()
}

fn ready_times(req: &proto::ComputeRouteMatrixRequest) -> Result<Vec<Instant>, ApiError> {
    let times = match (&req.ready_window, req.ready_times.is_empty()) {
        (Some(_), false) => {
            return Err(ApiError::invalid(
                "ready_window",
                "give ready_times or ready_window, not both",
            ))
        }
        (None, true) => vec![now()],
        (None, false) => req
            .ready_times
            .iter()
            .enumerate()
            .map(|(i, t)| instant(&format!("ready_times[{i}]"), t))
            .collect::<Result<_, _>>()?,
        (Some(w), true) => {
            let start = match &w.start {
                Some(t) => instant("ready_window.start", t)?,
                None => now(),
            };
            let end = match &w.end {
                Some(t) => instant("ready_window.end", t)?,
                None => return Err(ApiError::invalid("ready_window.end", "is required")),
            };
            let step = match &w.step {
                None => SECONDS_PER_DAY,
                Some(d) if d.nanos == 0 && d.seconds >= MIN_STEP_SECONDS => d.seconds,
                Some(d) => {
                    return Err(ApiError::invalid(
                        "ready_window.step",
                        format!(
                            "must be whole seconds, at least {MIN_STEP_SECONDS}; got {}s {}ns",
                            d.seconds, d.nanos
                        ),
                    ))
                }
            };
            if end <= start || end - start > MAX_WINDOW_DAYS * SECONDS_PER_DAY {
                return Err(ApiError::invalid(
                    "ready_window.end",
                    format!(
                        "must be after start and at most {MAX_WINDOW_DAYS} days later (got {} s after)",
                        end - start
                    ),
                ));
            }
            (start..end).step_by(step as usize).collect()
        }
    };
    for (i, &t) in times.iter().enumerate() {
        ready_window_check(&format!("ready_times[{i}]"), t)?;
    }
    Ok(times)
}

/// Validates a matrix request against the network it names; the size limit is checked
/// before any place is resolved.
pub(super) fn matrix(
    catalog: &Catalog,
    req: proto::ComputeRouteMatrixRequest,
) -> Result<Matrix, ApiError> {
    let ready = ready_times(&req)?;
    let elements = req.origins.len() * req.destinations.len() * ready.len();
    if elements > MAX_MATRIX_ELEMENTS {
        return Err(ApiError::ResourceExhausted(format!(
            "origins x destinations x ready times: {} x {} x {} = {elements}; at most {MAX_MATRIX_ELEMENTS} elements per call",
            req.origins.len(),
            req.destinations.len(),
            ready.len()
        )));
    }
    let state = network_of(catalog, "scenario_id", &req.scenario_id)?;
    let network = &state.network;
    let origins = places(network, "origins", &req.origins)?;
    let destinations = places(network, "destinations", &req.destinations)?;
    let endpoints: Vec<TerminalId> = origins
        .iter()
        .chain(&destinations)
        .flatten()
        .copied()
        .collect();
    let mut constraints = constraints(network, req.constraints.clone(), &endpoints)?;
    if let Some(t) = req.constraints.as_ref().and_then(|c| c.deliver_by.as_ref()) {
        constraints.deliver_by = Some(instant("constraints.deliver_by", t)?);
    }
    let template = RouteQuery {
        origins: Vec::new(),
        destinations: Vec::new(),
        shipment: shipment(req.shipment)?,
        objective: objective(req.objective)?,
        constraints,
        ready_at: ready[0],
        max_routes: PARETO_ROUTES,
        weights: weights(network, req.weights)?,
        explain: false,
        co2_basis: co2_basis(req.co2_basis)?,
    };
    Ok(Matrix {
        origins,
        destinations,
        ready_times: ready,
        template,
        pareto: req.include_pareto_set,
        state,
    })
}

impl Matrix {
    pub fn elements(&self) -> usize {
        self.origins.len() * self.destinations.len() * self.ready_times.len()
    }

    /// Answers every element, one search per origin and ready time, handing each to `emit`
    /// as soon as its search is done. Stops early, with how far it got, when `emit` returns
    /// false (the caller went away) or `keep_going` does (the deadline passed).
    pub fn run(
        &self,
        mut keep_going: impl FnMut() -> bool,
        mut emit: impl FnMut(proto::RouteMatrixElement) -> bool,
    ) -> Result<(), usize> {
        let (network, planner) = (&self.state.network, &self.state.planner);
        let mut sent = 0;
        for (oi, origin) in self.origins.iter().enumerate() {
            // Destinations that share a terminal with the origin are the same place.
            let (same, other): (Vec<usize>, Vec<usize>) = (0..self.destinations.len())
                .partition(|&d| self.destinations[d].iter().any(|t| origin.contains(t)));
            let targets: Vec<Vec<TerminalId>> = other
                .iter()
                .map(|&d| self.destinations[d].clone())
                .collect();
            for (ri, &ready_at) in self.ready_times.iter().enumerate() {
                if !keep_going() {
                    return Err(sent);
                }
                let query = RouteQuery {
                    origins: origin.clone(),
                    ready_at,
                    ..self.template.clone()
                };
                let answers = planner.find_routes_to_many(network, &query, &targets);
                let element = |d: usize| proto::RouteMatrixElement {
                    origin_index: oi as i32,
                    destination_index: d as i32,
                    ready_time_index: ri as i32,
                    ready_time: Some(convert::timestamp(ready_at)),
                    ..Default::default()
                };
                for &d in &same {
                    let e = proto::RouteMatrixElement {
                        status: Some(status(
                            tonic::Code::InvalidArgument,
                            "origin and destination are the same place",
                        )),
                        ..element(d)
                    };
                    if !emit(e) {
                        return Err(sent);
                    }
                    sent += 1;
                }
                for (&d, routes) in other.iter().zip(&answers) {
                    let e = match routes.first() {
                        None => proto::RouteMatrixElement {
                            status: Some(status(tonic::Code::NotFound, "no route")),
                            ..element(d)
                        },
                        Some(best) => proto::RouteMatrixElement {
                            status: Some(status(tonic::Code::Ok, "")),
                            route: Some(convert::route_summary(network, best)),
                            pareto_set: if self.pareto {
                                routes
                                    .iter()
                                    .map(|r| convert::route_summary(network, r))
                                    .collect()
                            } else {
                                Vec::new()
                            },
                            ..element(d)
                        },
                    };
                    if !emit(e) {
                        return Err(sent);
                    }
                    sent += 1;
                }
            }
        }
        Ok(())
    }
}

fn status(code: tonic::Code, message: &str) -> proto::ElementStatus {
    proto::ElementStatus {
        code: code as i32,
        message: message.to_string(),
    }
}

/// Answers a reachability request: validation, one search with no goal, translation.
pub(super) fn reachable(
    catalog: &Catalog,
    req: proto::FindReachableRequest,
) -> Result<proto::FindReachableResponse, ApiError> {
    let state = network_of(catalog, "scenario_id", &req.scenario_id)?;
    let network = &state.network;
    let origins = resolve(network, "origin", &req.origin)?;
    let ready_at = match &req.ready_at {
        Some(t) => instant("ready_at", t)?,
        None => now(),
    };
    ready_window_check("ready_at", ready_at)?;
    let mut limits = constraints(network, req.constraints.clone(), &origins)?;
    if let Some(t) = req.constraints.as_ref().and_then(|c| c.deliver_by.as_ref()) {
        let deliver_by = instant("constraints.deliver_by", t)?;
        if deliver_by <= ready_at {
            return Err(ApiError::invalid(
                "constraints.deliver_by",
                format!("{deliver_by} is not after ready_at {ready_at} (Unix seconds)"),
            ));
        }
        limits.deliver_by = Some(deliver_by);
    }
    if limits.deliver_by.is_none() && limits.max_cost_usd.is_none() {
        return Err(ApiError::invalid(
            "constraints",
            "give a deadline (deliver_by) or a budget (max_cost_usd): reachable by when, or for how much?",
        ));
    }
    let query = RouteQuery {
        origins,
        destinations: Vec::new(),
        shipment: shipment(req.shipment)?,
        objective: crate::engine::Objective::Time,
        constraints: limits,
        ready_at,
        max_routes: 1,
        weights: crate::cost::GeneralizedWeights::defaults(network.params()),
        explain: false,
        co2_basis: co2_basis(req.co2_basis)?,
    };
    let reached = state.planner.reachable(network, &query);
    Ok(proto::FindReachableResponse {
        terminals: reached
            .iter()
            .map(|r| proto::ReachableTerminal {
                terminal: Some(convert::terminal(network.terminal(r.terminal))),
                earliest_arrival_time: Some(convert::timestamp(r.earliest)),
                least_door_to_door_hours: (r.earliest - ready_at) as f64 / SECONDS_PER_HOUR,
                least_cost_usd: r.least_cost_usd,
                least_co2e_kg: r.least_co2_kg,
            })
            .collect(),
    })
}
