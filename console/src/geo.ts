/**
 * Geometry helpers for drawing on the Leaflet map. Pure, unit-tested.
 *
 * Routes from Dalian reach both Europe and the Pacific, and Northern Sea Route sailings pass the
 * Bering Strait, east of the antimeridian. Drawn with raw longitudes such a path would jump
 * from +179 to -179 and streak across the whole map, so paths are "unwrapped": each longitude
 * is moved by whole turns to be within 180 degrees of the previous one (the base map carries the
 * land east of the antimeridian shifted by +360 to match).
 */

export interface LatLngLike {
  latitude: number;
  longitude: number;
}

/** West of this the map shows a place one turn east (Alaska at 210, not -150). */
const WEST_EDGE = -30;

/** A longitude moved into the map's window [-30, 330). */
export function normalizeLongitude(lon: number): number {
  let l = lon;
  while (l < WEST_EDGE) l += 360;
  while (l >= WEST_EDGE + 360) l -= 360;
  return l;
}

/** A path as Leaflet [lat, lng] pairs, continuous across the antimeridian. */
export function unwrapPath(points: readonly LatLngLike[]): [number, number][] {
  const out: [number, number][] = [];
  let prev: number | undefined;
  for (const p of points) {
    if (!Number.isFinite(p.latitude) || !Number.isFinite(p.longitude)) continue;
    let lon = prev === undefined ? normalizeLongitude(p.longitude) : p.longitude;
    if (prev !== undefined) {
      while (lon - prev > 180) lon -= 360;
      while (lon - prev < -180) lon += 360;
    }
    out.push([p.latitude, lon]);
    prev = lon;
  }
  return out;
}

/** The [south-west, north-east] corners around the points, or undefined for none. */
export function boundsOf(paths: readonly (readonly [number, number])[][]): [[number, number], [number, number]] | undefined {
  let s = Infinity;
  let w = Infinity;
  let n = -Infinity;
  let e = -Infinity;
  for (const path of paths) {
    for (const [lat, lon] of path) {
      s = Math.min(s, lat);
      n = Math.max(n, lat);
      w = Math.min(w, lon);
      e = Math.max(e, lon);
    }
  }
  return Number.isFinite(s) ? [[s, w], [n, e]] : undefined;
}

/**
 * A gentle arc between two points (for flows between an origin and a destination, which have
 * no path of their own): a quadratic curve bowed to the left of travel, so A->B and B->A are
 * told apart.
 */
export function arc(from: [number, number], to: [number, number], segments = 24, bow = 0.18): [number, number][] {
  const [lat0, lon0] = from;
  let [lat1, lon1] = to;
  while (lon1 - lon0 > 180) lon1 -= 360;
  while (lon1 - lon0 < -180) lon1 += 360;
  const midLat = (lat0 + lat1) / 2;
  const midLon = (lon0 + lon1) / 2;
  // The control point sits off the midpoint, perpendicular to the chord.
  const cLat = midLat + (lon1 - lon0) * bow;
  const cLon = midLon - (lat1 - lat0) * bow;
  const out: [number, number][] = [];
  for (let i = 0; i <= segments; i++) {
    const t = i / segments;
    const u = 1 - t;
    out.push([u * u * lat0 + 2 * u * t * cLat + t * t * lat1, u * u * lon0 + 2 * u * t * cLon + t * t * lon1]);
  }
  return out;
}
