//! `passages.csv`: the area of every named sea passage, as boxes that tag the lane segments
//! crossing them: chokepoints the sea-lane file does not name (Korea Strait, Tsugaru, La
//! Pérouse), and the whole strait or canal approach of those it names on a few segments only.
//! A passage may take several rows (one box each side of the antimeridian, say).

use std::path::Path;

use serde::Deserialize;

use super::DataError;
use crate::geo::{BoundingBox, LaneNetwork};
use crate::model::LatLon;

#[derive(Deserialize)]
struct Row {
    name: String,
    min_lat: f64,
    min_lon: f64,
    max_lat: f64,
    max_lon: f64,
    source: String,
}

fn check(row: &Row) -> Result<BoundingBox, String> {
    if row.name.is_empty() || !row.name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return Err(format!(
            "name '{}' must be lower-case letters and _",
            row.name
        ));
    }
    if row.source.trim().is_empty() {
        return Err("source is empty".to_string());
    }
    let lat_ok = |v: f64| v.is_finite() && (-90.0..=90.0).contains(&v);
    let lon_ok = |v: f64| v.is_finite() && (-180.0..=180.0).contains(&v);
    if !(lat_ok(row.min_lat) && lat_ok(row.max_lat) && row.min_lat < row.max_lat) {
        return Err(format!(
            "min_lat {} / max_lat {} must be within -90..90 with min < max",
            row.min_lat, row.max_lat
        ));
    }
    if !(lon_ok(row.min_lon) && lon_ok(row.max_lon) && row.min_lon < row.max_lon) {
        return Err(format!(
            "min_lon {} / max_lon {} must be within -180..180 with min < max",
            row.min_lon, row.max_lon
        ));
    }
    Ok(BoundingBox {
        min: LatLon::new(row.min_lat, row.min_lon),
        max: LatLon::new(row.max_lat, row.max_lon),
    })
}

/// Tags the sea lanes with the passages of the file; a box that tags no lane is an error (a
/// typo in its coordinates would otherwise make the passage impossible to avoid, silently).
pub fn apply(path: &Path, lanes: &mut LaneNetwork) -> Result<(), DataError> {
    let mut reader = csv::Reader::from_path(path)
        .map_err(|e| DataError::new(path, "file", format!("cannot read: {e}")))?;
    for (i, row) in reader.deserialize::<Row>().enumerate() {
        let record = format!("line {}", i + 2);
        let row = row.map_err(|e| DataError::new(path, &record, e.to_string()))?;
        let area = check(&row).map_err(|reason| DataError::new(path, &record, reason))?;
        // A passage the lane file (or an earlier row) already names is widened to the whole
        // area: its approaches are tagged too, so avoiding it cannot slip through a parallel
        // channel. A new name must tag something, or a typo would make it impossible to avoid.
        let known = lanes.passage_names().contains(&row.name);
        if lanes.tag_passage(&row.name, &area) == 0 && !known {
            return Err(DataError::new(
                path,
                &record,
                format!("the box of '{}' crosses no sea lane", row.name),
            ));
        }
    }
    Ok(())
}
