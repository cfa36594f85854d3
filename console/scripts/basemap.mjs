// Derives the console's offline base map, src/assets/land.json, from Natural Earth's 1:50m
// land polygons (public domain) as packaged in the `world-atlas` npm package (TopoJSON, ISC).
//
// Why a derived file: the page may not load map tiles from the internet (its content-security
// policy allows only its own origin), so the land is bundled. The whole world at 1:50m is
// ~1.5 MB of GeoJSON; the console only needs Europe to the Pacific, so the polygons are clipped
// to lon -25..180, lat -10..82, plus the strip east of the antimeridian (Chukotka, Alaska's
// west) shifted by +360 degrees so that routes through the Bering Strait, whose paths the
// console "unwraps" past 180, sit over land drawn on the same side. Rings are then simplified
// (Douglas-Peucker) and rounded to 0.01 degree, which keeps the file well under 400 KB.
//
// Run with `npm run basemap`; the output is committed, so builds need neither package.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { feature } from "topojson-client";

const require = createRequire(import.meta.url);
const topology = JSON.parse(readFileSync(require.resolve("world-atlas/land-50m.json"), "utf8"));
const land = feature(topology, topology.objects.land);

/**
 * The window kept, [west, south, east, north]. Longitudes run past 180 here: every ring is first
 * made continuous (world-atlas keeps rings that cross the antimeridian, such as Eurasia's, in
 * -180..180 with a jump) and moved by whole turns so that it starts east of -30, which puts
 * Chukotka and western Alaska at 180..200, where the console draws the Bering Strait.
 */
const WINDOW = [-25, -10, 200, 82];
const WEST_EDGE = -30;
const TOLERANCE = 0.02; // degrees, Douglas-Peucker
const DECIMALS = 2;

/** Sutherland-Hodgman: clips a closed ring against one half-plane. */
function clipEdge(ring, inside, intersect) {
  const out = [];
  for (let i = 0; i < ring.length; i++) {
    const cur = ring[i];
    const prev = ring[(i + ring.length - 1) % ring.length];
    const curIn = inside(cur);
    const prevIn = inside(prev);
    if (curIn) {
      if (!prevIn) out.push(intersect(prev, cur));
      out.push(cur);
    } else if (prevIn) {
      out.push(intersect(prev, cur));
    }
  }
  return out;
}

function atX(x) {
  return (a, b) => [x, a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0])];
}
function atY(y) {
  return (a, b) => [a[0] + ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]), y];
}

function clipRing(ring, [w, s, e, n]) {
  let r = ring.slice(0, -1); // open the ring
  r = clipEdge(r, (p) => p[0] >= w, atX(w));
  r = clipEdge(r, (p) => p[0] <= e, atX(e));
  r = clipEdge(r, (p) => p[1] >= s, atY(s));
  r = clipEdge(r, (p) => p[1] <= n, atY(n));
  return r;
}

function perpendicular(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

function simplify(points, tolerance) {
  if (points.length < 3) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    let max = 0;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const d = perpendicular(points[i], points[first], points[last]);
      if (d > max) {
        max = d;
        index = i;
      }
    }
    if (max > tolerance && index > 0) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

const round = (v) => Number(v.toFixed(DECIMALS));

function area(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return a / 2;
}

const polygons = [];
/** The ring with each longitude within 180 degrees of the one before. */
function unwrap(ring) {
  const out = [];
  let prev;
  for (const [x, y] of ring) {
    let lon = x;
    if (prev !== undefined) {
      while (lon - prev > 180) lon -= 360;
      while (lon - prev < -180) lon += 360;
    }
    out.push([lon, y]);
    prev = lon;
  }
  return out;
}

/** Moves a ring by whole turns so that its first point is near `anchor` (or east of -30). */
function place(ring, anchor) {
  let shift = 0;
  const first = ring[0][0];
  if (anchor === undefined) {
    while (first + shift < WEST_EDGE) shift += 360;
    while (first + shift >= WEST_EDGE + 360) shift -= 360;
  } else {
    while (first + shift - anchor > 180) shift -= 360;
    while (first + shift - anchor < -180) shift += 360;
  }
  return ring.map(([x, y]) => [x + shift, y]);
}

for (const geometry of land.features.map((f) => f.geometry)) {
  const source = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of source) {
    const outer = place(unwrap(polygon[0]));
    const placed = [outer, ...polygon.slice(1).map((hole) => place(unwrap(hole), outer[0][0]))];
    const rings = [];
    for (const [i, ring] of placed.entries()) {
      const clipped = clipRing(ring, WINDOW);
      if (clipped.length < 3) {
        if (i === 0) break; // the outer ring is gone: so is the polygon
        continue;
      }
      clipped.push(clipped[0]);
      let simple = simplify(clipped, TOLERANCE).map(([x, y]) => [round(x), round(y)]);
      simple = simple.filter((p, k) => k === 0 || p[0] !== simple[k - 1][0] || p[1] !== simple[k - 1][1]);
      if (simple.length < 4 || Math.abs(area(simple)) < 0.005) {
        if (i === 0) break;
        continue;
      }
      rings.push(simple);
    }
    if (rings.length) polygons.push(rings);
  }
}

const out = {
  type: "FeatureCollection",
  features: [
    {
      type: "Feature",
      properties: {
        source: "Natural Earth 1:50m land (public domain), via world-atlas (ISC); clipped and simplified by scripts/basemap.mjs",
      },
      geometry: { type: "MultiPolygon", coordinates: polygons },
    },
  ],
};
const text = JSON.stringify(out);
writeFileSync(new URL("../src/assets/land.json", import.meta.url), text + "\n");
console.log(`src/assets/land.json: ${polygons.length} polygons, ${(text.length / 1024).toFixed(0)} KB`);
