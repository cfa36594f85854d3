//! Loading `network-data/` into a validated [`Network`].
//!
//! This is the only layer that reads files. It parses the human-edited CSV, TOML and GeoJSON,
//! checks every record (a broken file fails here, naming the file, the record and the reason,
//! never later and never with a panic), derives each service's geometry and distance from the
//! infrastructure layers, and generates the drayage transfers between the terminals of a city.

mod error;
mod geojson;
mod model_params;
mod passages;
mod services;
mod terminals;

use std::path::Path;

pub use error::DataError;
pub use geojson::load_lane_network;

use crate::geo::LaneNetwork;
use crate::model::Network;

/// The infrastructure layers a network's service geometry is derived from.
#[derive(Debug, Clone)]
pub struct Infrastructure {
    pub sea: LaneNetwork,
    pub rail: LaneNetwork,
}

/// File names inside the data directory.
pub const TERMINALS_FILE: &str = "terminals.csv";
pub const SERVICES_FILE: &str = "services.toml";
pub const MODEL_FILE: &str = "model.toml";
pub const SEA_LAYER_FILES: [&str; 2] = ["sea_lanes.geojson", "sea_approaches.geojson"];
pub const RAIL_LAYER_FILES: [&str; 1] = ["rail_corridors.geojson"];
pub const PASSAGES_FILE: &str = "passages.csv";

/// Loads the infrastructure layers of a data directory.
pub fn load_infrastructure(dir: &Path) -> Result<Infrastructure, DataError> {
    let paths = |files: &[&str]| files.iter().map(|f| dir.join(f)).collect::<Vec<_>>();
    let mut sea = load_lane_network(&paths(&SEA_LAYER_FILES))?;
    passages::apply(&dir.join(PASSAGES_FILE), &mut sea)?;
    Ok(Infrastructure {
        sea,
        rail: load_lane_network(&paths(&RAIL_LAYER_FILES))?,
    })
}

/// Loads, validates and indexes a whole data directory.
pub fn load_network(dir: &Path) -> Result<Network, DataError> {
    let infrastructure = load_infrastructure(dir)?;
    let params = model_params::load(&dir.join(MODEL_FILE))?;
    let terminals = terminals::load(&dir.join(TERMINALS_FILE))?;
    let services_path = dir.join(SERVICES_FILE);
    let mut services = services::load(&services_path, &terminals, &infrastructure, &params)?;
    services.extend(services::drayage(&terminals, &params));
    Network::new(terminals, services, params)
        .map(|n| n.with_sea_lanes(std::sync::Arc::new(infrastructure.sea)))
        .map_err(|e| DataError::new(&services_path, "network", e.to_string()))
}
