//! A scenario comparison split across replicas, for the command-line client: the OD pairs are
//! dealt to the servers by origin and kind of box (a server compares the pairs of one origin
//! and box with one search per network and ready day, so splitting such a group would make
//! both servers do that search), each compares its share (one `CompareScenario` call), and the
//! answers are merged as if one server had compared them all. Pair rows concatenate; the
//! summary's counts and yearly figures add up; a line's weekly load is the sum of the loads
//! each share puts on it (its capacity is the same everywhere, so the utilisation is
//! recomputed from the sums).
//!
//! Every share must use the same ready window, so the client fixes `ready_from` (now, unless
//! given) before splitting; and every server must know the scenario (replicas sharing a
//! PostgreSQL store do).

use std::collections::BTreeMap;
use std::path::Path;

use tonic::transport::Channel;

use crate::proto::{self, scenario_service_client::ScenarioServiceClient};

/// The pairs of a demand file (`network-data/demand.csv`: origin, destination, annual_teu,
/// reefer, ...), as the server reads its bundled matrix.
pub fn demand_pairs(path: &Path) -> Result<Vec<proto::OdPair>, String> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut pairs = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("{}: {e}", path.display()))?;
        let field = |n: usize| record.get(n).unwrap_or("").trim();
        let annual_teu = field(2).parse::<f64>().map_err(|e| {
            format!(
                "{}: record {}: annual_teu '{}': {e}",
                path.display(),
                i + 1,
                field(2)
            )
        })?;
        pairs.push(proto::OdPair {
            origin: field(0).to_string(),
            destination: field(1).to_string(),
            annual_teu,
            reefer: field(3) == "true",
        });
    }
    Ok(pairs)
}

/// `pairs` dealt into `shards` shares whole groups at a time (a group: the pairs of one origin
/// and kind of box), each group to the share with the fewest groups so far, so that the
/// searches, not the pairs, are balanced; no share is empty unless there are fewer groups.
pub fn deal(pairs: &[proto::OdPair], shards: usize) -> Vec<Vec<proto::OdPair>> {
    let shards = shards.max(1);
    let mut groups: Vec<((&str, bool), Vec<proto::OdPair>)> = Vec::new();
    for pair in pairs {
        let key = (pair.origin.as_str(), pair.reefer);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(pair.clone()),
            None => groups.push((key, vec![pair.clone()])),
        }
    }
    let mut shares: Vec<(usize, Vec<proto::OdPair>)> = vec![(0, Vec::new()); shards];
    for (_, members) in groups {
        let lightest = shares
            .iter_mut()
            .min_by_key(|(groups, pairs)| (*groups, pairs.len()))
            .expect("at least one share");
        lightest.0 += 1;
        lightest.1.extend(members);
    }
    shares
        .into_iter()
        .map(|(_, pairs)| pairs)
        .filter(|s| !s.is_empty())
        .collect()
}

/// One summary from the summaries of the shares.
pub fn merge(summaries: &[proto::ComparisonSummary]) -> proto::ComparisonSummary {
    let mut merged = proto::ComparisonSummary::default();
    let mut loads: BTreeMap<String, proto::LineLoad> = BTreeMap::new();
    for s in summaries {
        merged.pairs += s.pairs;
        merged.pairs_switched += s.pairs_switched;
        merged
            .switched_pairs
            .extend(s.switched_pairs.iter().cloned());
        merged.attracted_teu_per_year += s.attracted_teu_per_year;
        merged.cost_saved_usd_per_year += s.cost_saved_usd_per_year;
        merged.teu_hours_saved_per_year += s.teu_hours_saved_per_year;
        for l in &s.line_loads {
            let load = loads
                .entry(l.service_id.clone())
                .or_insert_with(|| proto::LineLoad {
                    service_id: l.service_id.clone(),
                    ..Default::default()
                });
            load.weekly_teu += l.weekly_teu;
            load.weekly_capacity_teu = load.weekly_capacity_teu.max(l.weekly_capacity_teu);
        }
    }
    merged.line_loads = loads
        .into_values()
        .map(|mut l| {
            l.utilisation = if l.weekly_capacity_teu > 0.0 {
                l.weekly_teu / l.weekly_capacity_teu
            } else {
                0.0
            };
            l
        })
        .collect();
    merged
}

/// Runs `request` split over `channels` (its `od_pairs` must be given), calling `on_pair` for
/// each pair row as it arrives from any server; returns the merged summary.
pub async fn compare(
    channels: Vec<Channel>,
    request: proto::CompareScenarioRequest,
    mut on_pair: impl FnMut(proto::PairComparison),
) -> Result<proto::ComparisonSummary, tonic::Status> {
    let shares = deal(&request.od_pairs, channels.len());
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    for (channel, pairs) in channels.into_iter().zip(shares) {
        let (tx, request) = (
            tx.clone(),
            proto::CompareScenarioRequest {
                od_pairs: pairs,
                ..request.clone()
            },
        );
        tokio::spawn(async move {
            let answer = ScenarioServiceClient::new(channel)
                .compare_scenario(request)
                .await;
            let mut stream = match answer {
                Ok(s) => s.into_inner(),
                Err(e) => {
                    let _ = tx.send(Err(e)).await;
                    return;
                }
            };
            loop {
                match stream.message().await {
                    Ok(Some(m)) => {
                        if tx.send(Ok(m)).await.is_err() {
                            return;
                        }
                    }
                    Ok(None) => return,
                    Err(e) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                }
            }
        });
    }
    drop(tx);
    let mut summaries = Vec::new();
    while let Some(message) = rx.recv().await {
        match message?.result {
            Some(proto::compare_scenario_response::Result::Pair(p)) => on_pair(p),
            Some(proto::compare_scenario_response::Result::Summary(s)) => summaries.push(s),
            None => {}
        }
    }
    Ok(merge(&summaries))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(o: &str) -> proto::OdPair {
        proto::OdPair {
            origin: o.into(),
            destination: "KRPUS".into(),
            annual_teu: 1.0,
            reefer: false,
        }
    }

    #[test]
    fn pairs_are_dealt_by_origin_and_none_is_lost() {
        let pairs: Vec<_> = ["A", "B", "A", "C", "A", "D", "E"].map(pair).into();
        let shares = deal(&pairs, 2);
        let origins =
            |s: &Vec<proto::OdPair>| s.iter().map(|p| p.origin.clone()).collect::<Vec<_>>();
        // Groups A (3 pairs), B, C, D, E, whole, each to the share with fewer groups (then
        // fewer pairs).
        assert_eq!(origins(&shares[0]), ["A", "A", "A", "D"]);
        assert_eq!(origins(&shares[1]), ["B", "C", "E"]);
        let mut reefer = pair("A");
        reefer.reefer = true;
        assert_eq!(
            deal(&[pair("A"), reefer], 2).len(),
            2,
            "a reefer group is a group"
        );
        assert_eq!(deal(&pairs[..1], 3).len(), 1, "no empty share is sent");
    }

    #[test]
    fn line_loads_add_up_and_utilisation_is_recomputed() {
        let share = |teu: f64, switched: i32| proto::ComparisonSummary {
            pairs: 3,
            pairs_switched: switched,
            switched_pairs: vec![pair("A"); switched as usize],
            attracted_teu_per_year: teu * 52.0,
            cost_saved_usd_per_year: 100.0,
            teu_hours_saved_per_year: 10.0,
            line_loads: vec![proto::LineLoad {
                service_id: "NEW".into(),
                weekly_teu: teu,
                weekly_capacity_teu: 200.0,
                utilisation: teu / 200.0,
            }],
        };
        let merged = merge(&[share(30.0, 1), share(50.0, 2)]);
        assert_eq!((merged.pairs, merged.pairs_switched), (6, 3));
        assert_eq!(merged.switched_pairs.len(), 3);
        assert_eq!(merged.cost_saved_usd_per_year, 200.0);
        assert_eq!(merged.line_loads.len(), 1);
        assert_eq!(merged.line_loads[0].weekly_teu, 80.0);
        assert_eq!(merged.line_loads[0].weekly_capacity_teu, 200.0);
        assert!((merged.line_loads[0].utilisation - 0.4).abs() < 1e-12);
    }
}
