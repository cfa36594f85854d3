//! Infrastructure geometry: the sea-lane and rail-track networks along which a service's path
//! and distance are derived, and great-circle geometry for air and road.
//!
//! Pure computation on coordinates: no file I/O (the `data` layer parses the GeoJSON) and no
//! knowledge of services or costs.

mod areas;
mod contraction;
mod great_circle;
mod landmarks;
mod lanes;
mod scratch;
mod snap_grid;

pub use areas::{length_inside_any, SeaArea};
pub use contraction::HierarchySize;
pub use great_circle::{great_circle_path, haversine_km};
pub use lanes::{BoundingBox, LaneNetwork, LanePath, Polyline, Snap};

/// The infrastructure layers service geometry is derived from. Kept with the network so that
/// sea services can be re-pathed around avoided passages and scenarios can derive the geometry
/// of the services they add.
#[derive(Debug, Clone)]
pub struct Infrastructure {
    pub sea: LaneNetwork,
    pub rail: LaneNetwork,
    /// Emission control areas: the sea kilometres inside them burn 0.1 % sulphur fuel.
    pub emission_control_areas: Vec<SeaArea>,
}
