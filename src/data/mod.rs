//! Loading `network-data/` into a validated [`Network`].
//!
//! This is the only layer that reads files. It parses the human-edited CSV, TOML and GeoJSON,
//! checks every record (a broken file fails here, naming the file, the record and the reason,
//! never later and never with a panic), derives each service's geometry and distance from the
//! infrastructure layers, and generates the drayage transfers between the terminals of a city.

mod calendars;
mod dcsa;
mod demand;
mod emissions;
mod error;
mod geojson;
mod model_params;
mod passages;
mod services;
mod terminals;

use std::path::Path;

pub use dcsa::{import_point_to_point, to_toml as services_toml, ScheduleImport};
pub use error::DataError;
pub use geojson::{load_lane_network, load_sea_areas};

pub(crate) use calendars::apply as apply_calendars;
pub(crate) use services::{check_speed, drayage, parse_service, parse_weekly, reversed};
pub use services::{BorderRecord, RateRecord, ServiceRecord};
pub(crate) use terminals::parse_terminal;
pub use terminals::TerminalRecord;

use crate::geo::Infrastructure;
use crate::model::Network;

/// File names inside the data directory.
pub const TERMINALS_FILE: &str = "terminals.csv";
pub const SERVICES_FILE: &str = "services.toml";
pub const MODEL_FILE: &str = "model.toml";
pub const TARIFFS_FILE: &str = "tariffs.toml";
pub const CALENDARS_FILE: &str = "calendars.toml";
pub const SEA_LAYER_FILES: [&str; 2] = ["sea_lanes.geojson", "sea_approaches.geojson"];
pub const RAIL_LAYER_FILES: [&str; 1] = ["rail_corridors.geojson"];
pub const PASSAGES_FILE: &str = "passages.csv";
pub const EMISSIONS_FILE: &str = "emissions.toml";
pub const EMISSION_CONTROL_AREAS_FILE: &str = "emission_control_areas.geojson";
/// The illustrative demand matrix scenario comparisons are weighted by.
pub const DEMAND_FILE: &str = "demand.csv";

/// Reads and parses a TOML data file; a syntax or shape error names the line it is on.
fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, DataError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| DataError::new(path, "file", format!("cannot read: {e}")))?;
    toml::from_str(&text).map_err(|e| {
        let record = e
            .span()
            .map(|span| format!("line {}", text[..span.start].lines().count().max(1)))
            .unwrap_or_else(|| "toml".to_string());
        DataError::new(path, record, e.message().to_string())
    })
}

/// Loads the demand matrix of a data directory, checked against its network.
pub fn load_demand(
    dir: &Path,
    network: &Network,
) -> Result<Vec<crate::model::OdDemand>, DataError> {
    demand::load(&dir.join(DEMAND_FILE), network)
}

/// Loads the infrastructure layers of a data directory.
pub fn load_infrastructure(dir: &Path) -> Result<Infrastructure, DataError> {
    let paths = |files: &[&str]| files.iter().map(|f| dir.join(f)).collect::<Vec<_>>();
    let mut sea = load_lane_network(&paths(&SEA_LAYER_FILES))?;
    passages::apply(&dir.join(PASSAGES_FILE), &mut sea)?;
    let rail = load_lane_network(&paths(&RAIL_LAYER_FILES))?;
    // The contraction hierarchies, once the edges are final: start-up pays for them, not the
    // first request.
    sea.prepare();
    rail.prepare();
    let emission_control_areas = load_sea_areas(&dir.join(EMISSION_CONTROL_AREAS_FILE))?;
    Ok(Infrastructure {
        sea,
        rail,
        emission_control_areas,
    })
}

/// Loads, validates and indexes a whole data directory.
pub fn load_network(dir: &Path) -> Result<Network, DataError> {
    let infrastructure = std::sync::Arc::new(load_infrastructure(dir)?);
    load_network_on(dir, infrastructure)
}

/// Loads the terminals, services and parameters of a data directory onto infrastructure
/// already loaded (the layers are the slow part: a caller loading many variants of the
/// small files, such as the loader's fuzz target, loads them once).
pub fn load_network_on(
    dir: &Path,
    infrastructure: std::sync::Arc<Infrastructure>,
) -> Result<Network, DataError> {
    let mut params = model_params::load(&dir.join(MODEL_FILE))?;
    let calendars_path = dir.join(CALENDARS_FILE);
    params.calendars = calendars::load(&calendars_path)?;
    params.emissions = emissions::load(&dir.join(EMISSIONS_FILE))?;
    let terminals = terminals::load(&dir.join(TERMINALS_FILE), &params)?;
    let tariffs = services::load_tariffs(&dir.join(TARIFFS_FILE), &params)?;
    let services_path = dir.join(SERVICES_FILE);
    let mut services = services::load(
        &services_path,
        &terminals,
        &infrastructure,
        &params,
        &tariffs,
    )?;
    calendars::check_named_services(&calendars_path, &params.calendars, &services)?;
    services.extend(services::drayage(&terminals, &params));
    Network::new(terminals, services, params)
        .map(|n| {
            n.with_infrastructure(infrastructure)
                .with_tariffs(std::sync::Arc::new(tariffs))
        })
        .map_err(|e| DataError::new(&services_path, "network", e.to_string()))
}
