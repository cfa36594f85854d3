//! `freight.v1.RoutingService`: request validation, query building, answer translation.

use std::sync::Arc;

use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};

use super::{convert, ApiError, NetworkState};
use crate::cost::GeneralizedWeights;
use crate::engine::{Constraints, Objective, RouteQuery};
use crate::model::{
    CargoSpec, ContainerCounts, ContainerType, DangerousGoods, Instant, Network, Shipment,
    TerminalId,
};
use crate::proto::{self, routing_service_server::RoutingService};
use crate::scenario::{Catalog, LiveScenario};

/// Largest shipment accepted, in TEU: more than the largest ships carry is a typo.
const MAX_TEU: f64 = 25_000.0;
const MAX_LOOSE_KG: f64 = 1_000_000.0;
const MAX_LOOSE_M3: f64 = 10_000.0;
/// Loose cargo lighter than this per cubic metre is a typo (packed foam is ~15 kg/m3) ...
const MIN_DENSITY_KG_PER_M3: f64 = 1.0;
/// ... and denser than this too (gold is ~19,300 kg/m3).
const MAX_DENSITY_KG_PER_M3: f64 = 20_000.0;
const DEFAULT_MAX_ROUTES: i32 = 5;
/// `ready_at` may lie this far in the past (a late booking) ...
const MAX_READY_PAST_DAYS: i64 = 7;
/// ... and this far ahead: the bundled timetables are not a forecast beyond a year.
const MAX_READY_AHEAD_DAYS: i64 = 366;
const SECONDS_PER_DAY: i64 = 86_400;
const MAX_ROUTES: i32 = 20;
const MAX_TRANSFERS: i32 = 10;

/// The routing service over the base network and the live scenarios.
#[derive(Debug, Clone)]
pub struct RoutingApi {
    catalog: Arc<Catalog>,
    /// Matrix calls run on their own low-priority threads, a few at a time.
    matrices: super::background::Places,
    /// Reachability searches run on the blocking pool, a few at a time.
    reachability: super::background::Places,
}

impl RoutingApi {
    pub fn new(catalog: Arc<Catalog>) -> Self {
        RoutingApi {
            catalog,
            matrices: super::background::Places::new(
                super::matrix::MAX_CONCURRENT_MATRICES,
                "matrix calls",
            ),
            reachability: super::background::Places::new(
                super::matrix::MAX_CONCURRENT_REACHABILITY,
                "reachability searches",
            ),
        }
    }
}

/// The current version of the scenario a request names in `field`, which must apply to the
/// base network. Callers take everything they need from this one version.
pub fn ready_scenario(
    catalog: &Catalog,
    field: &str,
    scenario_id: &str,
) -> Result<(Arc<LiveScenario>, Arc<NetworkState>), ApiError> {
    let scenario = catalog
        .get(scenario_id)
        .ok_or_else(|| ApiError::UnknownScenario {
            field: field.to_string(),
            id: scenario_id.to_string(),
        })?;
    let network = scenario.network.clone().map_err(|problem| {
        ApiError::FailedPrecondition(format!(
            "{field}: scenario '{scenario_id}' is broken: {problem}"
        ))
    })?;
    Ok((scenario, network))
}

/// The network a request names in `field`: the base when `scenario_id` is empty, else the
/// current version of that scenario (the query keeps that version however it changes).
pub fn network_of(
    catalog: &Catalog,
    field: &str,
    scenario_id: &str,
) -> Result<Arc<NetworkState>, ApiError> {
    if scenario_id.is_empty() {
        return Ok(Arc::clone(catalog.base()));
    }
    ready_scenario(catalog, field, scenario_id).map(|(_, network)| network)
}

pub(super) fn resolve(
    network: &Network,
    field: &str,
    code: &str,
) -> Result<Vec<TerminalId>, ApiError> {
    if code.trim().is_empty() {
        return Err(ApiError::invalid(
            field,
            "is empty; give a UN/LOCODE, IATA code or terminal id",
        ));
    }
    network
        .resolve(code)
        .ok_or_else(|| ApiError::not_found(field, code))
}

fn count(field: &str, value: i32) -> Result<u32, ApiError> {
    u32::try_from(value)
        .map_err(|_| ApiError::invalid(field, format!("must not be negative, got {value}")))
}

fn container_type(value: i32, field: &str) -> Result<ContainerType, ApiError> {
    match proto::ContainerType::try_from(value) {
        Ok(proto::ContainerType::Dry20) => Ok(ContainerType::Dry20),
        Ok(proto::ContainerType::Dry40) => Ok(ContainerType::Dry40),
        Ok(proto::ContainerType::HighCube40) => Ok(ContainerType::HighCube40),
        Ok(proto::ContainerType::Reefer20) => Ok(ContainerType::Reefer20),
        Ok(proto::ContainerType::Reefer40) => Ok(ContainerType::Reefer40),
        Ok(proto::ContainerType::Unspecified) | Err(_) => Err(ApiError::invalid(
            field,
            format!("{value} is not a known ContainerType (DRY_20, DRY_40, HIGH_CUBE_40, REEFER_20, REEFER_40)"),
        )),
    }
}

fn containers(c: proto::ContainerLoad) -> Result<ContainerCounts, ApiError> {
    let n20 = count("shipment.containers.count_20ft", c.count_20ft)?;
    let n40 = count("shipment.containers.count_40ft", c.count_40ft)?;
    let mut counts = match Shipment::containers(n20, n40, c.reefer).cargo {
        CargoSpec::Containers(counts) => counts,
        CargoSpec::Loose { .. } => ContainerCounts::new(),
    };
    if c.boxes.len() > ContainerType::ALL.len() * 4 {
        return Err(ApiError::invalid(
            "shipment.containers.boxes",
            format!("{} entries; give each container type once", c.boxes.len()),
        ));
    }
    for (i, b) in c.boxes.iter().enumerate() {
        let kind = container_type(b.r#type, &format!("shipment.containers.boxes[{i}].type"))?;
        let n = count(&format!("shipment.containers.boxes[{i}].count"), b.count)?;
        if n == 0 {
            return Err(ApiError::invalid(
                format!("shipment.containers.boxes[{i}].count"),
                "must be at least 1",
            ));
        }
        counts.add(kind, n);
    }
    let teu = counts.teu();
    if teu == 0.0 {
        return Err(ApiError::invalid(
            "shipment.containers",
            "needs at least one container",
        ));
    }
    if teu > MAX_TEU {
        return Err(ApiError::invalid(
            "shipment.containers",
            format!("{teu} TEU is more than any single shipment (at most {MAX_TEU})"),
        ));
    }
    Ok(counts)
}

pub(super) fn shipment(s: Option<proto::Shipment>) -> Result<Shipment, ApiError> {
    let s = s.ok_or_else(|| ApiError::invalid("shipment", "is required"))?;
    let mut shipment = match s.cargo {
        None => {
            return Err(ApiError::invalid(
                "shipment.cargo",
                "is required: give containers or loose_cargo",
            ))
        }
        Some(proto::shipment::Cargo::Containers(c)) => Shipment::boxes(containers(c)?),
        Some(proto::shipment::Cargo::LooseCargo(l)) => {
            if !(l.weight_kg.is_finite() && l.weight_kg > 0.0 && l.weight_kg <= MAX_LOOSE_KG) {
                return Err(ApiError::invalid(
                    "shipment.loose_cargo.weight_kg",
                    format!(
                        "must be above 0 and at most {MAX_LOOSE_KG}, got {}",
                        l.weight_kg
                    ),
                ));
            }
            if !(l.volume_m3.is_finite() && l.volume_m3 > 0.0 && l.volume_m3 <= MAX_LOOSE_M3) {
                return Err(ApiError::invalid(
                    "shipment.loose_cargo.volume_m3",
                    format!(
                        "must be above 0 and at most {MAX_LOOSE_M3}, got {}",
                        l.volume_m3
                    ),
                ));
            }
            let density = l.weight_kg / l.volume_m3;
            if !(MIN_DENSITY_KG_PER_M3..=MAX_DENSITY_KG_PER_M3).contains(&density) {
                return Err(ApiError::invalid(
                    "shipment.loose_cargo.volume_m3",
                    format!(
                        "{} m3 for {} kg is {density:.1} kg per m3: no cargo is that {} \
                         (expected {MIN_DENSITY_KG_PER_M3} to {MAX_DENSITY_KG_PER_M3})",
                        l.volume_m3,
                        l.weight_kg,
                        if density < MIN_DENSITY_KG_PER_M3 {
                            "light"
                        } else {
                            "dense"
                        }
                    ),
                ));
            }
            let mut loose = Shipment::loose(l.weight_kg, l.volume_m3);
            if let CargoSpec::Loose {
                temperature_controlled,
                ..
            } = &mut loose.cargo
            {
                *temperature_controlled = l.temperature_controlled;
            }
            loose
        }
    };
    let class = match s.dangerous_goods_class {
        0 => None,
        c @ 1..=9 => Some(c as u8),
        c => {
            return Err(ApiError::invalid(
                "shipment.dangerous_goods_class",
                format!("{c} is not a UN hazard class (1 to 9, or 0 for not declared)"),
            ))
        }
    };
    if s.cargo_aircraft_only && !(s.dangerous_goods || class.is_some()) {
        return Err(ApiError::invalid(
            "shipment.cargo_aircraft_only",
            "is a dangerous-goods label: set dangerous_goods or dangerous_goods_class",
        ));
    }
    shipment.dangerous_goods = (s.dangerous_goods || class.is_some()).then_some(DangerousGoods {
        class,
        cargo_aircraft_only: s.cargo_aircraft_only,
    });
    shipment.keep_together = s.keep_together;
    Ok(shipment)
}

pub(super) fn objective(value: i32) -> Result<Objective, ApiError> {
    match proto::Objective::try_from(value) {
        Ok(proto::Objective::Unspecified | proto::Objective::Cost) => Ok(Objective::Cost),
        Ok(proto::Objective::Time) => Ok(Objective::Time),
        Ok(proto::Objective::Co2) => Ok(Objective::Co2),
        Ok(proto::Objective::GeneralizedCost) => Ok(Objective::Generalized),
        Err(_) => Err(ApiError::invalid(
            "objective",
            format!("{value} is not a known Objective"),
        )),
    }
}

/// The most entries a set-like request list may hold (avoided locations, countries, passages,
/// allowed modes); duplicates are dropped before anything else looks at them.
pub const MAX_LIST_ENTRIES: usize = 10_000;

/// Drops repeated entries, keeping the first of each (and so the indexes errors name for the
/// first occurrence).
fn dedup<T: std::hash::Hash + Eq + Clone>(list: &mut Vec<T>) {
    let mut seen = std::collections::HashSet::with_capacity(list.len());
    list.retain(|x| seen.insert(x.clone()));
}

pub(super) fn constraints(
    network: &Network,
    c: Option<proto::Constraints>,
    endpoints: &[TerminalId],
) -> Result<Constraints, ApiError> {
    let mut c = c.unwrap_or_default();
    for (field, len) in [
        ("constraints.allowed_modes", c.allowed_modes.len()),
        ("constraints.avoid_locations", c.avoid_locations.len()),
        ("constraints.avoid_countries", c.avoid_countries.len()),
        ("constraints.avoid_passages", c.avoid_passages.len()),
    ] {
        if len > MAX_LIST_ENTRIES {
            return Err(ApiError::invalid(
                field,
                format!("{len} entries: at most {MAX_LIST_ENTRIES}"),
            ));
        }
    }
    // Set-like lists: a repeated entry is checked and applied once.
    dedup(&mut c.allowed_modes);
    dedup(&mut c.avoid_locations);
    dedup(&mut c.avoid_countries);
    dedup(&mut c.avoid_passages);
    let mut out = Constraints {
        include_exploratory: c.include_exploratory,
        ignore_advisories: c.ignore_passage_advisories,
        ..Constraints::default()
    };
    for (i, &m) in c.allowed_modes.iter().enumerate() {
        let field = format!("constraints.allowed_modes[{i}]");
        let mode = proto::TransportMode::try_from(m)
            .ok()
            .and_then(convert::mode_from_proto)
            .ok_or_else(|| ApiError::invalid(&field, format!("{m} is not a transport mode")))?;
        out.allowed_modes.push(mode);
    }
    for (i, code) in c.avoid_locations.iter().enumerate() {
        let field = format!("constraints.avoid_locations[{i}]");
        let ids = resolve(network, &field, code)?;
        if ids.iter().any(|t| endpoints.contains(t)) {
            return Err(ApiError::invalid(
                field,
                format!("'{code}' is the origin or destination"),
            ));
        }
        out.avoid_terminals.extend(ids);
    }
    for (i, country) in c.avoid_countries.iter().enumerate() {
        let upper = country.trim().to_ascii_uppercase();
        if upper.len() != 2 || !upper.chars().all(|ch| ch.is_ascii_uppercase()) {
            return Err(ApiError::invalid(
                format!("constraints.avoid_countries[{i}]"),
                format!("'{country}' is not an ISO 3166-1 alpha-2 code"),
            ));
        }
        out.avoid_countries.insert(upper);
    }
    let known: &[String] = network.sea_lanes().map_or(&[], |l| l.passage_names());
    for (i, passage) in c.avoid_passages.iter().enumerate() {
        let name = passage.trim().to_ascii_lowercase();
        if !known.contains(&name) {
            return Err(ApiError::invalid(
                format!("constraints.avoid_passages[{i}]"),
                format!(
                    "'{passage}' is not a passage of the sea-lane layer (known: {})",
                    known.join(", ")
                ),
            ));
        }
        if !out.avoid_passages.contains(&name) {
            out.avoid_passages.push(name);
        }
    }

    if let Some(m) = c.max_cost_usd {
        if !(m.is_finite() && m > 0.0) {
            return Err(ApiError::invalid(
                "constraints.max_cost_usd",
                format!("must be above 0, got {m}"),
            ));
        }
        out.max_cost_usd = Some(m);
    }
    if let Some(t) = c.max_transfers {
        if !(0..=MAX_TRANSFERS).contains(&t) {
            return Err(ApiError::invalid(
                "constraints.max_transfers",
                format!("must be between 0 and {MAX_TRANSFERS}, got {t}"),
            ));
        }
        out.max_transfers = Some(t as u32);
    }
    Ok(out)
}

pub(super) fn weights(
    network: &Network,
    w: Option<proto::GeneralizedCostWeights>,
) -> Result<GeneralizedWeights, ApiError> {
    let mut out = GeneralizedWeights::defaults(network.params());
    let w = w.unwrap_or_default();
    for (field, given, slot) in [
        (
            "weights.value_of_time_usd_per_teu_hour",
            w.value_of_time_usd_per_teu_hour,
            &mut out.value_of_time_usd_per_teu_hour,
        ),
        (
            "weights.carbon_price_usd_per_tonne",
            w.carbon_price_usd_per_tonne,
            &mut out.carbon_price_usd_per_tonne,
        ),
    ] {
        if let Some(v) = given {
            if !(v.is_finite() && (0.0..=1e6).contains(&v)) {
                return Err(ApiError::invalid(
                    field,
                    format!("must be between 0 and 1e6, got {v}"),
                ));
            }
            *slot = v;
        }
    }
    Ok(out)
}

pub(super) fn instant(field: &str, t: &prost_types::Timestamp) -> Result<Instant, ApiError> {
    if !(0..1_000_000_000).contains(&t.nanos) {
        return Err(ApiError::invalid(
            field,
            format!("nanos {} is outside 0..1e9", t.nanos),
        ));
    }
    Ok(t.seconds)
}

pub(super) fn now() -> Instant {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as Instant)
}

/// Validates a request and builds the engine's query; the current time is the default
/// `ready_at` and anchors the window it must lie in.
pub fn route_query(
    network: &Network,
    req: proto::FindRoutesRequest,
) -> Result<RouteQuery, ApiError> {
    let now = now();
    let origins = resolve(network, "origin", &req.origin)?;
    let destinations = resolve(network, "destination", &req.destination)?;
    if origins.iter().any(|o| destinations.contains(o)) {
        return Err(ApiError::invalid(
            "destination",
            format!(
                "'{}' is the same place as origin '{}'",
                req.destination, req.origin
            ),
        ));
    }
    let max_routes = req.max_routes.unwrap_or(DEFAULT_MAX_ROUTES);
    if !(1..=MAX_ROUTES).contains(&max_routes) {
        return Err(ApiError::invalid(
            "max_routes",
            format!("must be between 1 and {MAX_ROUTES}, got {max_routes}"),
        ));
    }
    let ready_at = match &req.ready_at {
        Some(t) => instant("ready_at", t)?,
        None => now,
    };
    ready_window_check("ready_at", ready_at)?;
    let endpoints: Vec<TerminalId> = origins.iter().chain(&destinations).copied().collect();
    let mut constraints = constraints(network, req.constraints.clone(), &endpoints)?;
    if let Some(t) = req.constraints.as_ref().and_then(|c| c.deliver_by.as_ref()) {
        let deliver_by = instant("constraints.deliver_by", t)?;
        if deliver_by <= ready_at {
            return Err(ApiError::invalid(
                "constraints.deliver_by",
                format!(
                    "{} is not after ready_at {}",
                    format_timestamp(deliver_by),
                    format_timestamp(ready_at)
                ),
            ));
        }
        constraints.deliver_by = Some(deliver_by);
    }
    Ok(RouteQuery {
        constraints,
        ready_at,
        explain: req.explain,
        co2_basis: co2_basis(req.co2_basis)?,
        shipment: shipment(req.shipment)?,
        objective: objective(req.objective)?,
        weights: weights(network, req.weights)?,
        max_routes: max_routes as usize,
        origins,
        destinations,
    })
}

pub(super) fn co2_basis(value: i32) -> Result<crate::model::Co2Basis, ApiError> {
    match proto::Co2Basis::try_from(value) {
        Ok(proto::Co2Basis::TankToWake) => Ok(crate::model::Co2Basis::TankToWake),
        Ok(_) => Ok(crate::model::Co2Basis::WellToWake),
        Err(_) => Err(ApiError::invalid(
            "co2_basis",
            format!("{value} is not a CO2e basis"),
        )),
    }
}

/// A ready time must lie within the timetables' horizon around now.
pub(super) fn ready_window_check(field: &str, ready_at: Instant) -> Result<(), ApiError> {
    let now = now();
    let (earliest, latest) = (
        now - MAX_READY_PAST_DAYS * SECONDS_PER_DAY,
        now + MAX_READY_AHEAD_DAYS * SECONDS_PER_DAY,
    );
    if (earliest..=latest).contains(&ready_at) {
        return Ok(());
    }
    Err(ApiError::invalid(
        field,
        format!(
            "{} is outside the timetables' horizon: at most {MAX_READY_PAST_DAYS} days ago and {MAX_READY_AHEAD_DAYS} days ahead",
            format_timestamp(ready_at)
        ),
    ))
}

fn format_timestamp(at: Instant) -> String {
    jiff::Timestamp::from_second(at).map_or_else(|_| at.to_string(), |t| t.to_string())
}

/// Whether the requested view carries the legs' paths.
fn with_paths(view: i32) -> Result<bool, ApiError> {
    match proto::RouteView::try_from(view) {
        Ok(proto::RouteView::Basic) => Ok(false),
        Ok(proto::RouteView::Unspecified | proto::RouteView::Full) => Ok(true),
        Err(_) => Err(ApiError::invalid(
            "view",
            format!("{view} is not a route view"),
        )),
    }
}

/// Answers one request: validation, search, translation. It runs on the calling async
/// worker rather than the blocking pool: a search takes tens of microseconds on the bundled
/// network (about 3 ms on a synthetic network a hundred times its size, see
/// benches/README.md), less than the hand-over to a pool thread, whose wake-ups were about a
/// quarter of the server's CPU under load.
fn answer(
    catalog: &Catalog,
    req: proto::FindRoutesRequest,
) -> Result<proto::FindRoutesResponse, ApiError> {
    let (origin, destination) = (req.origin.clone(), req.destination.clone());
    let state = network_of(catalog, "scenario_id", &req.scenario_id)?;
    let network = &state.network;
    let with_paths = with_paths(req.view)?;
    let query = route_query(network, req).inspect_err(
        |e| tracing::info!(error = %super::status::bounded(&e.to_string()), "rejected"),
    )?;
    let teu = query.shipment.teu(network.params());
    let exclusions = |list: &[crate::engine::Exclusion]| {
        list.iter()
            .map(|e| convert::exclusion(network, e))
            .collect()
    };
    let searching = std::time::Instant::now();
    let found = state.planner.find_routes(network, &query);
    static SEARCH_DURATION: std::sync::OnceLock<metrics::Histogram> = std::sync::OnceLock::new();
    SEARCH_DURATION
        .get_or_init(|| metrics::histogram!("freight_search_duration_seconds"))
        .record(searching.elapsed().as_secs_f64());
    let response = match found {
        Ok(answer) => proto::FindRoutesResponse {
            routes: answer
                .routes
                .iter()
                .map(|r| convert::route(network, r, &query.weights, teu, with_paths))
                .collect(),
            no_route_reason: String::new(),
            exclusions: exclusions(&answer.exclusions),
            earliest_arrival: None,
        },
        Err(none) => proto::FindRoutesResponse {
            routes: Vec::new(),
            no_route_reason: super::words::no_route(
                network,
                &none,
                query.shipment.is_reefer(),
                query.shipment.dangerous_goods.is_some(),
            ),
            exclusions: exclusions(&none.exclusions),
            earliest_arrival: none.earliest_arrival().map(convert::timestamp),
        },
    };
    tracing::debug!(
        %origin,
        %destination,
        routes = response.routes.len(),
        modes = ?query.constraints.allowed_modes,
        "found routes"
    );
    Ok(response)
}

#[tonic::async_trait]
impl RoutingService for RoutingApi {
    async fn find_routes(
        &self,
        request: Request<proto::FindRoutesRequest>,
    ) -> Result<Response<proto::FindRoutesResponse>, Status> {
        super::metered::observe!("FindRoutes", async move {
            answer(&self.catalog, request.into_inner())
                .map(Response::new)
                .map_err(Status::from)
        })
        .await
    }

    type FindRoutesBatchStream = ReceiverStream<Result<proto::FindRoutesBatchResponse, Status>>;

    async fn find_routes_batch(
        &self,
        request: Request<Streaming<proto::FindRoutesBatchRequest>>,
    ) -> Result<Response<Self::FindRoutesBatchStream>, Status> {
        super::metered::observe!("FindRoutesBatch", async move {
            let mut incoming = request.into_inner();
            let (tx, rx) = tokio::sync::mpsc::channel(BATCH_BUFFER);
            let state = self.catalog.clone();
            tokio::spawn(async move {
                let mut running = tokio::task::JoinSet::new();
                loop {
                    // At most BATCH_IN_FLIGHT answers under way: a client that stops reading
                    // stops the server reading its requests (HTTP/2 flow control does the rest)
                    // instead of piling them up in memory.
                    if running.len() >= BATCH_IN_FLIGHT {
                        running.join_next().await;
                        continue;
                    }
                    tokio::select! {
                        message = incoming.message() => match message {
                            Ok(Some(item)) => {
                                let (state, tx) = (state.clone(), tx.clone());
                                running.spawn(async move {
                                    let id = item.request_id;
                                    let result = match item.request {
                                        None => Err(Status::invalid_argument("request: is required")),
                                        Some(req) => answer(&state, req).map_err(Status::from),
                                    };
                                    let result = match result {
                                        Ok(r) => proto::find_routes_batch_response::Result::Response(r),
                                        Err(status) => proto::find_routes_batch_response::Result::Error(
                                            proto::BatchError {
                                                code: status.code() as i32,
                                                message: status.message().to_string(),
                                            },
                                        ),
                                    };
                                    // A closed channel means the client went away: nothing to do.
                                    let _ = tx
                                        .send(Ok(proto::FindRoutesBatchResponse {
                                            request_id: id,
                                            result: Some(result),
                                        }))
                                        .await;
                                });
                            }
                            Ok(None) => break,
                            Err(status) => {
                                let _ = tx.send(Err(status)).await;
                                break;
                            }
                        },
                        Some(_) = running.join_next(), if !running.is_empty() => {}
                    }
                }
                while running.join_next().await.is_some() {}
            });
            Ok(Response::new(ReceiverStream::new(rx)))
    })
        .await
    }

    type ComputeRouteMatrixStream = ReceiverStream<Result<proto::RouteMatrixElement, Status>>;

    async fn compute_route_matrix(
        &self,
        request: Request<proto::ComputeRouteMatrixRequest>,
    ) -> Result<Response<Self::ComputeRouteMatrixStream>, Status> {
        super::metered::observe!("ComputeRouteMatrix", async move {
            let deadline = super::background::deadline(request.metadata());
            let matrix = super::matrix::matrix(&self.catalog, request.into_inner())?;
            let permit = self.matrices.claim()?;
            let (tx, rx) = tokio::sync::mpsc::channel(MATRIX_BUFFER);
            super::background::spawn_low_priority("matrix", move || {
                let _permit = permit;
                let total = matrix.elements();
                let passed = || deadline.is_some_and(|d| std::time::Instant::now() >= d);
                let finished = matrix.run(
                    || !passed(),
                    |element| {
                        metrics::counter!("freight_matrix_elements_total").increment(1);
                        tx.blocking_send(Ok(element)).is_ok()
                    },
                );
                if let Err(sent) = finished {
                    if passed() {
                        let _ = tx.blocking_send(Err(Status::deadline_exceeded(format!(
                            "the deadline passed after {sent} of {total} elements"
                        ))));
                    }
                }
            })
            .map_err(|e| ApiError::ResourceExhausted(format!("cannot start the matrix: {e}")))?;
            Ok(Response::new(ReceiverStream::new(rx)))
        })
        .await
    }

    async fn find_reachable(
        &self,
        request: Request<proto::FindReachableRequest>,
    ) -> Result<Response<proto::FindReachableResponse>, Status> {
        super::metered::observe!("FindReachable", async move {
            let catalog = Arc::clone(&self.catalog);
            let req = request.into_inner();
            let permit = self.reachability.claim()?;
            // A search with no goal covers the network up to the deadline: off the async
            // workers.
            tokio::task::spawn_blocking(move || {
                let _permit = permit;
                super::matrix::reachable(&catalog, req)
            })
            .await
            .map_err(|e| Status::internal(format!("reachability task failed: {e}")))?
            .map(Response::new)
            .map_err(Status::from)
        })
        .await
    }
}

/// Matrix elements a stream buffers before the search waits for the client to read.
const MATRIX_BUFFER: usize = 256;

/// Responses a batch stream buffers before the server waits for the client to read.
const BATCH_BUFFER: usize = 32;
/// Requests of one batch stream answered at once; the next is read when one is done.
const BATCH_IN_FLIGHT: usize = 64;
