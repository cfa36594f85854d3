//! `demand.csv`: annual container volumes between origin and destination, the weights of a
//! scenario comparison. Codes must name places of the network.

use std::path::Path;

use serde::Deserialize;

use super::DataError;
use crate::model::{Network, OdDemand};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    origin: String,
    destination: String,
    annual_teu: f64,
    reefer: bool,
    note: String,
}

/// Loads the demand matrix, checking every code against `network`.
pub fn load(path: &Path, network: &Network) -> Result<Vec<OdDemand>, DataError> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| DataError::new(path, "file", format!("cannot read: {e}")))?;
    let mut out = Vec::new();
    for (i, result) in reader.deserialize::<Row>().enumerate() {
        let record = format!("line {}", i + 2);
        let row = result.map_err(|e| DataError::new(path, &record, e.to_string()))?;
        for (field, code) in [("origin", &row.origin), ("destination", &row.destination)] {
            if network.resolve(code).is_none() {
                return Err(DataError::new(
                    path,
                    &record,
                    format!("{field} '{code}' is not a place of the network"),
                ));
            }
        }
        if !(row.annual_teu.is_finite() && row.annual_teu > 0.0) {
            return Err(DataError::new(
                path,
                &record,
                format!("annual_teu must be positive, got {}", row.annual_teu),
            ));
        }
        if row.note.trim().is_empty() {
            return Err(DataError::new(
                path,
                &record,
                "note is empty: say where the figure comes from",
            ));
        }
        out.push(OdDemand {
            origin: row.origin,
            destination: row.destination,
            annual_teu: row.annual_teu,
            reefer: row.reefer,
        });
    }
    Ok(out)
}
