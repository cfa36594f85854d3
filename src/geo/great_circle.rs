//! Great-circle distance and paths on the WGS84 mean sphere.

use geo::{Distance, Haversine, InterpolatePoint, Point};

use crate::model::LatLon;

fn point(p: LatLon) -> Point<f64> {
    Point::new(p.lon, p.lat)
}

/// Great-circle distance in km on the mean Earth sphere (R = 6371.0088 km).
pub fn haversine_km(a: LatLon, b: LatLon) -> f64 {
    Haversine.distance(point(a), point(b)) / 1000.0
}

/// The great circle from `a` to `b` as a polyline with a vertex at least every
/// `max_segment_km`, so that long flights draw as curves on a map.
pub fn great_circle_path(a: LatLon, b: LatLon, max_segment_km: f64) -> Vec<LatLon> {
    let length = haversine_km(a, b);
    let segments = (length / max_segment_km).ceil().max(1.0) as usize;
    let (pa, pb) = (point(a), point(b));
    (0..=segments)
        .map(|i| {
            if i == 0 {
                return a;
            }
            if i == segments {
                return b;
            }
            let p = Haversine.point_at_ratio_between(pa, pb, i as f64 / segments as f64);
            LatLon::new(p.y(), p.x())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dalian_to_incheon_airport_is_about_460_km() {
        // Published in shared facts: DLC-ICN great circle 460.2 km.
        let dlc = LatLon::new(38.9657, 121.539);
        let icn = LatLon::new(37.4691, 126.451);
        assert!((haversine_km(dlc, icn) - 460.2).abs() < 1.0);
    }

    #[test]
    fn path_has_short_segments_and_exact_ends() {
        let a = LatLon::new(38.9657, 121.539);
        let b = LatLon::new(50.03, 8.57);
        let path = great_circle_path(a, b, 100.0);
        assert_eq!(path.first(), Some(&a));
        assert_eq!(path.last(), Some(&b));
        assert!(path
            .windows(2)
            .all(|w| haversine_km(w[0], w[1]) <= 100.0 + 1e-6));
    }
}
