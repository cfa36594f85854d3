//! Named sea areas as polygons (emission control areas), and how much of a path lies in them.

use super::haversine_km;
use crate::model::LatLon;

/// An area bounded by one or more rings of (lat, lon) vertices; a point is inside if any ring
/// contains it. Rings are drawn in longitude/latitude (paths cross no antimeridian here).
#[derive(Debug, Clone, PartialEq)]
pub struct SeaArea {
    pub name: String,
    pub rings: Vec<Vec<LatLon>>,
    /// Ships must burn 0.1 % sulphur fuel there (MARPOL Annex VI ECAs); China's coastal
    /// control area asks for 0.5 %, which the global cap already does.
    pub low_sulphur: bool,
}

/// Paths are measured in steps of at most this length: a lane segment may be hundreds of km
/// long and cross an area's border anywhere along it.
const STEP_KM: f64 = 5.0;

impl SeaArea {
    pub fn contains(&self, p: LatLon) -> bool {
        self.rings.iter().any(|ring| ring_contains(ring, p))
    }

    /// Kilometres of `path` inside the area (each step counted by its midpoint).
    pub fn length_inside(&self, path: &[LatLon]) -> f64 {
        path.windows(2)
            .map(|w| {
                let km = haversine_km(w[0], w[1]);
                let steps = (km / STEP_KM).ceil().max(1.0) as usize;
                (0..steps)
                    .filter(|i| {
                        let t = (*i as f64 + 0.5) / steps as f64;
                        self.contains(LatLon::new(
                            w[0].lat + (w[1].lat - w[0].lat) * t,
                            w[0].lon + (w[1].lon - w[0].lon) * t,
                        ))
                    })
                    .count() as f64
                    * km
                    / steps as f64
            })
            .sum()
    }
}

/// Ray casting in the lon/lat plane.
fn ring_contains(ring: &[LatLon], p: LatLon) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        if (a.lat > p.lat) != (b.lat > p.lat) {
            let lon_at = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
            if p.lon < lon_at {
                inside = !inside;
            }
        }
    }
    inside
}

/// Kilometres of `path` inside any of `areas` (areas do not overlap), and the part of them in
/// areas that require 0.1 % sulphur fuel.
pub fn length_inside_any(areas: &[SeaArea], path: &[LatLon]) -> (f64, f64) {
    areas.iter().fold((0.0, 0.0), |(all, low), a| {
        let km = a.length_inside(path);
        (all + km, if a.low_sulphur { low + km } else { low })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_half_inside_a_square_counts_half_its_length() {
        let square = SeaArea {
            name: "box".into(),
            low_sulphur: true,
            rings: vec![vec![
                LatLon::new(0.0, 0.0),
                LatLon::new(0.0, 1.0),
                LatLon::new(1.0, 1.0),
                LatLon::new(1.0, 0.0),
            ]],
        };
        let path = [LatLon::new(0.5, -1.0), LatLon::new(0.5, 1.0)];
        let total = haversine_km(path[0], path[1]);
        let inside = square.length_inside(&path);
        // Counted in steps of at most STEP_KM: within one step of the exact half.
        assert!(
            (inside - total / 2.0).abs() <= STEP_KM,
            "{inside} of {total}"
        );
        assert_eq!(
            square.length_inside(&[LatLon::new(2.0, 0.0), LatLon::new(2.0, 1.0)]),
            0.0
        );
    }
}
