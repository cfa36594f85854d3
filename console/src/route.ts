/** Small readings of a Route shared by the chart, the table and the map. Pure, unit-tested. */
import { modeName } from "./format.js";
import { TransportMode } from "./gen/freight/v1/network_pb.js";
import type { Route } from "./gen/freight/v1/routing_pb.js";

/** The mode that carries a route furthest (drayage aside): its colour in the chart. */
export function mainMode(route: Pick<Route, "legs">): TransportMode {
  let best = TransportMode.UNSPECIFIED;
  let km = -1;
  for (const leg of route.legs) {
    if (!leg.drayage && leg.distanceKm > km) {
      km = leg.distanceKm;
      best = leg.mode;
    }
  }
  return best;
}

/** The main legs' modes in order: "rail → rail → sea". */
export function routeModes(route: Pick<Route, "legs">): string {
  return route.legs
    .filter((l) => !l.drayage)
    .map((l) => modeName(l.mode))
    .join(" → ");
}
