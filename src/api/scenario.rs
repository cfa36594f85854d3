//! `freight.v1.ScenarioService`: scenario CRUD behind planner tokens, and the streamed
//! comparison of a scenario with the base network.

use std::collections::HashSet;
use std::sync::Arc;

use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status};

use super::auth::Tokens;
use super::routing::{instant, now, objective, ready_scenario, ready_window_check};
use super::{background, convert, definition, ApiError};
use crate::engine::Objective;
use crate::model::{Instant, OdDemand};
use crate::proto::{self, scenario_service_server::ScenarioService};
use crate::scenario::compare::{self, ComparisonSettings, PairComparison};
use crate::scenario::{Catalog, LiveScenario, ScenarioDefinition};

const SECONDS_PER_DAY: i64 = 86_400;
const DEFAULT_WINDOW_DAYS: i64 = 7;
const MAX_WINDOW_DAYS: i64 = 31;
const COMPARE_BUFFER: usize = 16;

/// The scenario service: the catalogue, who may write to it, and the bundled demand matrix.
#[derive(Debug, Clone)]
pub struct ScenarioApi {
    catalog: Arc<Catalog>,
    tokens: Arc<Tokens>,
    demand: Arc<Vec<OdDemand>>,
    /// Comparisons run on their own low-priority threads, a few at a time: each can be
    /// seconds of CPU.
    comparisons: background::Places,
}

/// Pairs × ready days one comparison may ask for (each is two searches): a port office's
/// matrix of a few hundred pairs over a week.
pub const MAX_COMPARE_PAIR_DAYS: usize = 5_000;
/// Comparisons running at once; more are refused until one ends.
pub const MAX_CONCURRENT_COMPARISONS: usize = 2;

impl ScenarioApi {
    pub fn new(catalog: Arc<Catalog>, tokens: Tokens, demand: Vec<OdDemand>) -> Self {
        ScenarioApi {
            catalog,
            tokens: Arc::new(tokens),
            demand: Arc::new(demand),
            comparisons: background::Places::new(MAX_CONCURRENT_COMPARISONS, "comparisons"),
        }
    }
}

fn scenario(live: &LiveScenario) -> proto::Scenario {
    let (state, problem) = match &live.network {
        Ok(_) => (proto::ScenarioState::Ready, String::new()),
        Err(p) => (proto::ScenarioState::Broken, p.clone()),
    };
    proto::Scenario {
        id: live.stored.id.clone(),
        definition: live.definition.as_ref().map(definition::to_proto),
        version: live.stored.version,
        create_time: Some(convert::timestamp(live.stored.created_at)),
        update_time: Some(convert::timestamp(live.stored.updated_at)),
        state: state.into(),
        problem,
        added_service_ids: live.added_service_ids(),
        definition_toml: live.stored.definition_toml.clone(),
    }
}

/// Counts a comparison in `freight_comparisons_running` while it works (so the metrics show
/// that one whose caller left or whose deadline passed has stopped).
struct RunningComparison;

impl RunningComparison {
    fn start() -> Self {
        metrics::gauge!("freight_comparisons_running").increment(1.0);
        RunningComparison
    }
}

impl Drop for RunningComparison {
    fn drop(&mut self) {
        metrics::gauge!("freight_comparisons_running").decrement(1.0);
    }
}

/// The definition of a write, given as fields or as a scenario file (exactly one).
fn definition_of(
    fields: Option<proto::ScenarioDefinition>,
    file: &str,
) -> Result<ScenarioDefinition, ApiError> {
    match (fields, file.is_empty()) {
        (Some(_), false) => Err(ApiError::invalid(
            "definition_toml",
            "give the definition as fields or as a scenario file, not both",
        )),
        (None, false) => {
            ScenarioDefinition::from_toml(file).map_err(|e| ApiError::invalid("definition_toml", e))
        }
        (fields, true) => definition::from_proto(fields, "definition"),
    }
}

fn pair_to_proto(d: &OdDemand) -> proto::OdPair {
    proto::OdPair {
        origin: d.origin.clone(),
        destination: d.destination.clone(),
        annual_teu: d.annual_teu,
        reefer: d.reefer,
    }
}

fn outcome(o: &compare::Outcome) -> proto::PairOutcome {
    proto::PairOutcome {
        cost_usd_per_teu: o.cost_usd_per_teu,
        door_to_door_hours: o.door_to_door_hours,
        co2_kg_per_teu: o.co2_kg_per_teu,
        service_ids: o.services.clone(),
        samples: o.samples as i32,
    }
}

fn comparison(p: &PairComparison) -> proto::PairComparison {
    let (dc, dh, dco2) = p.deltas().unwrap_or_default();
    proto::PairComparison {
        pair: Some(pair_to_proto(&p.demand)),
        base: p.base.as_ref().map(outcome),
        scenario: p.scenario.as_ref().map(outcome),
        delta_cost_usd_per_teu: dc,
        delta_door_to_door_hours: dh,
        delta_co2_kg_per_teu: dco2,
        switched_share: p.switched_share,
        attracted_teu_per_year: p.attracted_teu(),
    }
}

fn summary(s: &compare::ComparisonSummary, pairs: &[PairComparison]) -> proto::ComparisonSummary {
    proto::ComparisonSummary {
        pairs: s.pairs as i32,
        pairs_switched: s.pairs_switched as i32,
        switched_pairs: pairs
            .iter()
            .filter(|p| p.switched())
            .map(|p| pair_to_proto(&p.demand))
            .collect(),
        attracted_teu_per_year: s.attracted_teu_per_year,
        cost_saved_usd_per_year: s.cost_saved_usd_per_year,
        teu_hours_saved_per_year: s.teu_hours_saved_per_year,
        line_loads: s
            .line_loads
            .iter()
            .map(|l| proto::LineLoad {
                service_id: l.service.clone(),
                weekly_teu: l.weekly_teu,
                weekly_capacity_teu: l.weekly_capacity_teu,
                utilisation: if l.weekly_capacity_teu > 0.0 {
                    l.weekly_teu / l.weekly_capacity_teu
                } else {
                    0.0
                },
            })
            .collect(),
    }
}

/// The ready times of a comparison: every 24 h over the window.
fn ready_times(req: &proto::CompareScenarioRequest) -> Result<Vec<Instant>, ApiError> {
    let from = match &req.ready_from {
        Some(t) => instant("ready_from", t)?,
        None => now(),
    };
    ready_window_check("ready_from", from)?;
    let until = match &req.ready_until {
        Some(t) => instant("ready_until", t)?,
        None => from + DEFAULT_WINDOW_DAYS * SECONDS_PER_DAY,
    };
    if until <= from || until - from > MAX_WINDOW_DAYS * SECONDS_PER_DAY {
        return Err(ApiError::invalid(
            "ready_until",
            format!("must be after ready_from and at most {MAX_WINDOW_DAYS} days later (got {} s after)", until - from),
        ));
    }
    Ok((from..until).step_by(SECONDS_PER_DAY as usize).collect())
}

/// The pairs of a comparison, each checked to name a place of the base or the scenario.
fn pairs(
    req: &proto::CompareScenarioRequest,
    bundled: &[OdDemand],
    known: impl Fn(&str) -> bool,
) -> Result<Vec<OdDemand>, ApiError> {
    if req.od_pairs.is_empty() {
        return Ok(bundled.to_vec());
    }
    req.od_pairs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            for (name, code) in [("origin", &p.origin), ("destination", &p.destination)] {
                if !known(code) {
                    return Err(ApiError::not_found(format!("od_pairs[{i}].{name}"), code));
                }
            }
            if !(p.annual_teu.is_finite() && p.annual_teu >= 0.0) {
                return Err(ApiError::invalid(
                    format!("od_pairs[{i}].annual_teu"),
                    format!("must not be negative, got {}", p.annual_teu),
                ));
            }
            Ok(OdDemand {
                origin: p.origin.clone(),
                destination: p.destination.clone(),
                annual_teu: if p.annual_teu == 0.0 {
                    1.0
                } else {
                    p.annual_teu
                },
                reefer: p.reefer,
            })
        })
        .collect()
}

fn required_id(id: &str) -> Result<(), ApiError> {
    if id.trim().is_empty() {
        Err(ApiError::invalid("scenario_id", "is empty"))
    } else {
        Ok(())
    }
}

#[tonic::async_trait]
impl ScenarioService for ScenarioApi {
    async fn create_scenario(
        &self,
        request: Request<proto::CreateScenarioRequest>,
    ) -> Result<Response<proto::CreateScenarioResponse>, Status> {
        super::metered::observe!("CreateScenario", async move {
            self.tokens
                .require_planner(request.metadata(), "creating a scenario")?;
            let req = request.into_inner();
            let def = definition_of(req.definition, &req.definition_toml)?;
            let live = self
                .catalog
                .create(def, now())
                .await
                .map_err(|e| ApiError::from_catalog("scenario_id", e))?;
            tracing::info!(
                id = %live.stored.id,
                name = %super::status::bounded(&live.stored.name),
                "scenario created"
            );
            Ok(Response::new(proto::CreateScenarioResponse {
                scenario: Some(scenario(&live)),
            }))
        })
        .await
    }

    async fn get_scenario(
        &self,
        request: Request<proto::GetScenarioRequest>,
    ) -> Result<Response<proto::GetScenarioResponse>, Status> {
        super::metered::observe!("GetScenario", async move {
            let id = request.into_inner().scenario_id;
            required_id(&id)?;
            let live = self.catalog.get(&id).ok_or(ApiError::UnknownScenario {
                field: "scenario_id".into(),
                id,
            })?;
            Ok(Response::new(proto::GetScenarioResponse {
                scenario: Some(scenario(&live)),
            }))
        })
        .await
    }

    async fn list_scenarios(
        &self,
        request: Request<proto::ListScenariosRequest>,
    ) -> Result<Response<proto::ListScenariosResponse>, Status> {
        super::metered::observe!("ListScenarios", async move {
            let req = request.into_inner();
            let all = self.catalog.list();
            let (size, start) = super::network::page(req.page_size, &req.page_token, all.len())?;
            Ok(Response::new(proto::ListScenariosResponse {
                scenarios: all
                    .iter()
                    .skip(start)
                    .take(size)
                    .map(|s| scenario(s))
                    .collect(),
                next_page_token: super::network::next_token(start, size, all.len()),
            }))
        })
        .await
    }

    async fn update_scenario(
        &self,
        request: Request<proto::UpdateScenarioRequest>,
    ) -> Result<Response<proto::UpdateScenarioResponse>, Status> {
        super::metered::observe!("UpdateScenario", async move {
            self.tokens
                .require_planner(request.metadata(), "changing a scenario")?;
            let req = request.into_inner();
            required_id(&req.scenario_id)?;
            let def = definition_of(req.definition, &req.definition_toml)?;
            let live = self
                .catalog
                .update(&req.scenario_id, req.expected_version, def, now())
                .await
                .map_err(|e| ApiError::from_catalog("scenario_id", e))?;
            tracing::info!(id = %live.stored.id, version = live.stored.version, "scenario updated");
            Ok(Response::new(proto::UpdateScenarioResponse {
                scenario: Some(scenario(&live)),
            }))
        })
        .await
    }

    async fn delete_scenario(
        &self,
        request: Request<proto::DeleteScenarioRequest>,
    ) -> Result<Response<proto::DeleteScenarioResponse>, Status> {
        super::metered::observe!("DeleteScenario", async move {
            self.tokens
                .require_planner(request.metadata(), "deleting a scenario")?;
            let id = request.into_inner().scenario_id;
            required_id(&id)?;
            self.catalog
                .delete(&id)
                .await
                .map_err(|e| ApiError::from_catalog("scenario_id", e))?;
            tracing::info!(%id, "scenario deleted");
            Ok(Response::new(proto::DeleteScenarioResponse {}))
        })
        .await
    }

    type CompareScenarioStream = ReceiverStream<Result<proto::CompareScenarioResponse, Status>>;

    async fn compare_scenario(
        &self,
        request: Request<proto::CompareScenarioRequest>,
    ) -> Result<Response<Self::CompareScenarioStream>, Status> {
        super::metered::observe!("CompareScenario", async move {
            let deadline = background::deadline(request.metadata());
            let req = request.into_inner();
            required_id(&req.scenario_id)?;
            if req.od_pairs.len() > MAX_COMPARE_PAIR_DAYS {
                return Err(ApiError::ResourceExhausted(format!(
                    "od_pairs: {} pairs; at most {MAX_COMPARE_PAIR_DAYS} pairs x ready days per comparison",
                    req.od_pairs.len()
                ))
                .into());
            }
            // One version of the scenario for the whole comparison, however it changes meanwhile.
            let (live, scenario_state) =
                ready_scenario(&self.catalog, "scenario_id", &req.scenario_id)?;
            let base = Arc::clone(self.catalog.base());
            let added = live.added_service_ids();
            let settings = ComparisonSettings {
                ready_times: ready_times(&req)?,
                // A shipper's choice weighs money, time and carbon: the generalized cost.
                objective: match req.objective {
                    0 => Objective::Generalized,
                    given => objective(given)?,
                },
                include_exploratory: req.include_exploratory,
            };
            let pairs = pairs(&req, &self.demand, |code| {
                base.network.resolve(code).is_some() || scenario_state.network.resolve(code).is_some()
            })?;
            let work = pairs.len() * settings.ready_times.len();
            if work > MAX_COMPARE_PAIR_DAYS {
                return Err(ApiError::ResourceExhausted(format!(
                    "od_pairs x ready days: {} x {} = {work}; at most {MAX_COMPARE_PAIR_DAYS} per comparison",
                    pairs.len(),
                    settings.ready_times.len()
                ))
                .into());
            }
            let permit = self.comparisons.claim()?;
            let (tx, rx) = tokio::sync::mpsc::channel(COMPARE_BUFFER);
            background::spawn_low_priority("comparison", move || {
                let _permit = permit;
                let _running = RunningComparison::start();
                let added_set: HashSet<String> = added.iter().cloned().collect();
                let mut done = Vec::with_capacity(pairs.len());
                // Pairs sharing an origin and kind of box are compared together: one search
                // per network and ready time answers all of them.
                for group in compare::groups(&pairs) {
                    // The caller's deadline ends the work, not only its wait for the answer.
                    if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
                        let _ = tx.blocking_send(Err(Status::deadline_exceeded(format!(
                            "the deadline passed after {} of {} pairs",
                            done.len(),
                            pairs.len()
                        ))));
                        return;
                    }
                    let members: Vec<&OdDemand> = group.iter().map(|&i| &pairs[i]).collect();
                    let results =
                        compare::compare_group(&base, &scenario_state, &added_set, &members, &settings);
                    metrics::counter!("freight_comparison_pairs_total").increment(results.len() as u64);
                    for result in results {
                        let message = proto::CompareScenarioResponse {
                            result: Some(proto::compare_scenario_response::Result::Pair(comparison(
                                &result,
                            ))),
                        };
                        if tx.blocking_send(Ok(message)).is_err() {
                            return; // the client went away
                        }
                        done.push(result);
                    }
                }
                let totals = compare::summarize(&done, &scenario_state.network, &added);
                let _ = tx.blocking_send(Ok(proto::CompareScenarioResponse {
                    result: Some(proto::compare_scenario_response::Result::Summary(summary(
                        &totals, &done,
                    ))),
                }));
            })
            .map_err(|e| ApiError::ResourceExhausted(format!("cannot start the comparison: {e}")))?;
            Ok(Response::new(ReceiverStream::new(rx)))
    })
        .await
    }
}
