//! The engine's typed reasons in a user's words: which request field (or data rule) stands in
//! the way, and a sentence saying how. Only this module makes those sentences.

use crate::engine::{NoRoute, NoRouteCause, Refusal, Relaxation, RepathFailure};
use crate::model::{format_local, Network, ServiceId, MAX_WAIT_DAYS};

/// The request field (or data rule) responsible for a refusal.
pub fn refusal_field(r: &Refusal) -> &'static str {
    match r {
        Refusal::Mode(_) => "allowed_modes",
        Refusal::CargoType { .. } => "cargo_type",
        Refusal::Reefer => "reefer",
        Refusal::DangerousGoods { .. } | Refusal::CargoAircraftOnly => "dangerous_goods",
        Refusal::Exploratory => "include_exploratory",
        Refusal::Location(_) => "avoid_locations",
        Refusal::TransitBan(_) => "destination",
        Refusal::Capacity { .. } => "capacity",
        Refusal::Season { .. } => "season",
        Refusal::Repathed { .. } | Refusal::Passage { .. } => "avoid_passages",
    }
}

/// A refusal in words.
pub fn refusal(network: &Network, service: Option<ServiceId>, r: &Refusal) -> String {
    match r {
        Refusal::Mode(mode) => format!("{mode} is not an allowed mode"),
        Refusal::CargoType { containers: true } => {
            "carries no full containers (full container loads never go by air)".to_string()
        }
        Refusal::CargoType { containers: false } => {
            "sells no LCL, air cargo or courier product for loose cargo".to_string()
        }
        Refusal::Reefer => "does not keep cargo cold (no reefer plugs)".to_string(),
        Refusal::DangerousGoods { class: Some(c) } => {
            format!("does not accept dangerous goods of class {c}")
        }
        Refusal::DangerousGoods { class: None } => {
            "does not accept every dangerous-goods class, and the class was not declared \
             (set dangerous_goods_class)"
                .to_string()
        }
        Refusal::CargoAircraftOnly => {
            "passenger-aircraft capacity does not take packages labelled Cargo Aircraft Only"
                .to_string()
        }
        Refusal::Exploratory => format!(
            "exploratory line: {}",
            service
                .and_then(|s| network.service(s).flags.exploratory.as_deref())
                .unwrap_or("")
        ),
        Refusal::Location(t) => {
            let t = network.terminal(*t);
            format!("calls at {} ({})", t.code, t.country)
        }
        Refusal::TransitBan(i) => {
            let ban = &network.params().transit_bans[*i];
            format!(
                "does not carry cargo bound for {} through {}: {}",
                ban.bound_for.join(", "),
                ban.through.join(", "),
                ban.reason
            )
        }
        Refusal::Capacity {
            needed,
            per_departure,
            unit,
        } => {
            let departures = (needed / per_departure).ceil();
            let max = crate::engine::MAX_DEPARTURES_PER_LEG;
            if departures > f64::from(max) {
                format!(
                    "one departure takes {per_departure:.0} {unit}: the shipment of {needed:.1} \
                     {unit} would need {departures:.0} departures (at most {max})"
                )
            } else {
                format!(
                    "one departure takes {per_departure:.0} {unit}, the shipment is {needed:.1} \
                     {unit} and must travel together (keep_together)"
                )
            }
        }
        Refusal::Season { next } => {
            let validity = service
                .map(|s| network.service(s).validity.to_string())
                .unwrap_or_default();
            let tz = service.map(|s| &network.terminal(network.service(s).from).timezone);
            let next = match (next, tz) {
                (Some(n), Some(tz)) => format!("the next is {}", format_local(*n, tz)),
                _ => "none within a year".to_string(),
            };
            format!(
                "departs only {validity}: no departure within the next {MAX_WAIT_DAYS} days of \
                 the cargo being ready; {next}"
            )
        }
        Refusal::Repathed {
            via,
            distance_km,
            usual_km,
        } => format!(
            "re-pathed via {} ({distance_km:.0} km instead of {usual_km:.0} km)",
            if via.is_empty() {
                "open water".to_string()
            } else {
                via.join(", ")
            }
        ),
        Refusal::Passage { crosses, why } => {
            let why = match why {
                RepathFailure::NoLaneLayer => "no sea-lane layer to re-path it".to_string(),
                RepathFailure::NoPathAvoiding(p) => {
                    format!("no sea path avoiding {}", p.join(", "))
                }
                RepathFailure::OnlyRunsVia(p) => format!("it only runs via {p}"),
            };
            format!("crosses {}: {why}", crosses.join(", "))
        }
    }
}

fn relaxation(r: Relaxation) -> &'static str {
    match r {
        Relaxation::IncludeExploratory => {
            "include_exploratory (only exploratory lines connect them)"
        }
        Relaxation::AllowedModes => "allowed_modes",
        Relaxation::MaxTransfers => "max_transfers",
        Relaxation::AvoidLocations => "avoid_locations / avoid_countries",
        Relaxation::AvoidPassages => "avoid_passages",
        Relaxation::MaxCost => "max_cost_usd",
        Relaxation::KeepTogether => "shipment.keep_together (no service takes it in one departure)",
        Relaxation::PassageAdvisories => {
            "ignore_passage_advisories (only a passage carriers avoid connects them)"
        }
    }
}

/// Why no route, in words a user can act on.
pub fn no_route(network: &Network, none: &NoRoute, reefer: bool, dangerous: bool) -> String {
    match &none.cause {
        NoRouteCause::DeliverBy { earliest, terminal } => format!(
            "no route delivers by deliver_by; the earliest arrival is {}",
            format_local(*earliest, &network.terminal(*terminal).timezone)
        ),
        NoRouteCause::Constraints(blocking) => format!(
            "no route satisfies the constraints; relaxing any one of these would give one: {}",
            blocking
                .iter()
                .map(|r| relaxation(*r))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        NoRouteCause::Season => "no route: the services that would connect them do not depart \
             in their season within a week of ready_at (see the season explanations)"
            .to_string(),
        NoRouteCause::NoChain => {
            let refused: Vec<&'static str> = {
                let mut v: Vec<&'static str> = none
                    .exclusions
                    .iter()
                    .map(|e| refusal_field(&e.reason))
                    .filter(|f| matches!(*f, "dangerous_goods" | "capacity" | "cargo_type"))
                    .collect();
                v.sort();
                v.dedup();
                v
            };
            let cargo = if reefer {
                "reefer "
            } else if dangerous {
                "dangerous-goods "
            } else {
                ""
            };
            if refused.is_empty() {
                format!("no {cargo}service chain connects the origin to the destination")
            } else {
                format!(
                    "no {cargo}service chain connects the origin to the destination; services \
                     refused the cargo for: {}",
                    refused.join(", ")
                )
            }
        }
    }
}
