//! GeoJSON infrastructure layers: FeatureCollections of LineStrings (or MultiLineStrings),
//! with an optional `passage` property, joined into one [`LaneNetwork`].

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::DataError;
use crate::geo::{LaneNetwork, Polyline, SeaArea};
use crate::model::LatLon;

#[derive(Deserialize)]
struct FeatureCollection {
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    #[serde(default)]
    properties: Option<serde_json::Map<String, serde_json::Value>>,
    geometry: Geometry,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum Geometry {
    LineString { coordinates: Vec<Vec<f64>> },
    MultiLineString { coordinates: Vec<Vec<Vec<f64>>> },
}

fn polylines(path: &Path) -> Result<Vec<Polyline>, DataError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| DataError::new(path, "file", format!("cannot read: {e}")))?;
    let collection: FeatureCollection = serde_json::from_str(&text).map_err(|e| {
        DataError::new(
            path,
            format!("line {}", e.line()),
            format!("not a FeatureCollection of LineStrings: {e}"),
        )
    })?;
    let mut lines = Vec::new();
    for (i, feature) in collection.features.into_iter().enumerate() {
        let record = format!("feature {i}");
        let passage = feature
            .properties
            .as_ref()
            .and_then(|p| p.get("passage"))
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let parts = match feature.geometry {
            Geometry::LineString { coordinates } => vec![coordinates],
            Geometry::MultiLineString { coordinates } => coordinates,
        };
        for part in parts {
            let mut points = Vec::with_capacity(part.len());
            for c in part {
                let [lon, lat, ..] = c[..] else {
                    return Err(DataError::new(
                        path,
                        record,
                        "a coordinate needs [lon, lat]",
                    ));
                };
                // Longitudes up to ±360 occur in lanes drawn across the antimeridian.
                if !(-90.0..=90.0).contains(&lat) || !(-360.0..=360.0).contains(&lon) {
                    return Err(DataError::new(
                        path,
                        record,
                        format!("coordinate [{lon}, {lat}] is outside the globe"),
                    ));
                }
                points.push(LatLon::new(lat, lon));
            }
            if points.len() < 2 {
                return Err(DataError::new(
                    path,
                    record,
                    "a LineString needs at least two points",
                ));
            }
            lines.push(Polyline {
                points,
                passage: passage.clone(),
            });
        }
    }
    Ok(lines)
}

/// Loads and joins the LineStrings of one or more GeoJSON files into one lane network; files
/// join where they share a coordinate (approach lanes ending on a sea-lane vertex, say).
pub fn load_lane_network(paths: &[PathBuf]) -> Result<LaneNetwork, DataError> {
    let mut lines = Vec::new();
    for path in paths {
        lines.extend(polylines(path)?);
    }
    Ok(LaneNetwork::build(&lines))
}

#[derive(Deserialize)]
struct AreaCollection {
    features: Vec<AreaFeature>,
}

#[derive(Deserialize)]
struct AreaFeature {
    properties: serde_json::Map<String, serde_json::Value>,
    geometry: AreaGeometry,
}

#[derive(Deserialize)]
#[serde(tag = "type")]
enum AreaGeometry {
    Polygon {
        coordinates: Vec<Vec<Vec<f64>>>,
    },
    MultiPolygon {
        coordinates: Vec<Vec<Vec<Vec<f64>>>>,
    },
}

/// Loads named sea areas (`emission_control_areas.geojson`): Polygons or MultiPolygons with a
/// `name` and a `source`; holes are not used. A file that is absent means no areas.
pub fn load_sea_areas(path: &Path) -> Result<Vec<SeaArea>, DataError> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| DataError::new(path, "file", format!("cannot read: {e}")))?;
    let collection: AreaCollection = serde_json::from_str(&text).map_err(|e| {
        DataError::new(
            path,
            format!("line {}", e.line()),
            format!("not a FeatureCollection of Polygons: {e}"),
        )
    })?;
    let mut areas = Vec::new();
    for (i, feature) in collection.features.into_iter().enumerate() {
        let record = format!("feature {i}");
        let text_of = |key: &str| {
            feature
                .properties
                .get(key)
                .and_then(|v| v.as_str())
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string)
                .ok_or_else(|| DataError::new(path, &record, format!("needs a '{key}'")))
        };
        let name = text_of("name")?;
        text_of("source")?;
        let low_sulphur = match feature
            .properties
            .get("sulphur_limit_pct")
            .and_then(|v| v.as_f64())
        {
            Some(limit) if limit > 0.0 && limit <= 0.1 => true,
            Some(limit) if limit > 0.1 && limit <= 3.5 => false,
            other => {
                return Err(DataError::new(
                    path,
                    &record,
                    format!("needs a sulphur_limit_pct (0.1 for MARPOL ECAs), got {other:?}"),
                ))
            }
        };
        let polygons = match feature.geometry {
            AreaGeometry::Polygon { coordinates } => vec![coordinates],
            AreaGeometry::MultiPolygon { coordinates } => coordinates,
        };
        let mut rings = Vec::new();
        for polygon in polygons {
            let outer = polygon
                .into_iter()
                .next()
                .ok_or_else(|| DataError::new(path, &record, "a polygon needs a ring"))?;
            let mut ring = Vec::with_capacity(outer.len());
            for c in outer {
                let [lon, lat, ..] = c[..] else {
                    return Err(DataError::new(
                        path,
                        &record,
                        "a coordinate needs [lon, lat]",
                    ));
                };
                if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                    return Err(DataError::new(
                        path,
                        &record,
                        format!("coordinate [{lon}, {lat}] is outside the globe"),
                    ));
                }
                ring.push(LatLon::new(lat, lon));
            }
            if ring.len() < 4 {
                return Err(DataError::new(
                    path,
                    &record,
                    "a ring needs at least four points",
                ));
            }
            rings.push(ring);
        }
        areas.push(SeaArea {
            name,
            rings,
            low_sulphur,
        });
    }
    Ok(areas)
}
