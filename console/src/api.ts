/**
 * The console's only way to the server: the freight.v1 services over gRPC-Web on the page's
 * own origin (the server serves this page and the API on one address, so no CORS and no
 * second API). Clients are generated from ../proto (src/gen, protobuf-es + Connect).
 *
 * Also here: the list calls read every page (the lists are paged at 500 at most), and the
 * planner token for scenario writes, sent as `authorization: Bearer` on writes only.
 */
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { NetworkService, type Location, type Service, TransportMode } from "./gen/freight/v1/network_pb.js";
import { RoutingService } from "./gen/freight/v1/routing_pb.js";
import { ScenarioService, type Scenario } from "./gen/freight/v1/scenario_pb.js";
import { token } from "./token.js";

const transport = createGrpcWebTransport({
  baseUrl: window.location.origin,
  // Binary protobuf: smaller than JSON, and what tonic-web speaks natively.
  useBinaryFormat: true,
});

export const routing: Client<typeof RoutingService> = createClient(RoutingService, transport);
export const network: Client<typeof NetworkService> = createClient(NetworkService, transport);
export const scenarios: Client<typeof ScenarioService> = createClient(ScenarioService, transport);

/** The largest page the list calls allow. */
const PAGE = 500;

/** Reads every page of a paged list call. */
async function allPages<T>(fetchPage: (pageToken: string) => Promise<{ items: T[]; next: string }>): Promise<T[]> {
  const out: T[] = [];
  let pageToken = "";
  // A guard against a server that keeps returning the same token.
  for (let i = 0; i < 1000; i++) {
    const { items, next } = await fetchPage(pageToken);
    out.push(...items);
    if (!next || next === pageToken) break;
    pageToken = next;
  }
  return out;
}

let locationsOnce: Promise<Location[]> | undefined;

/** Every location of the network, loaded once per page view (they change with a new server). */
export function loadLocations(): Promise<Location[]> {
  locationsOnce ??= allPages(async (pageToken) => {
    const r = await network.listLocations({ pageSize: PAGE, pageToken });
    return { items: r.locations, next: r.nextPageToken };
  }).catch((e) => {
    locationsOnce = undefined; // let a later view try again
    throw e;
  });
  return locationsOnce;
}

/** Every service (with its path for the map when asked), of one mode or all. */
export function loadServices(includePath: boolean, mode: TransportMode = TransportMode.UNSPECIFIED): Promise<Service[]> {
  return allPages(async (pageToken) => {
    const r = await network.listServices({ pageSize: PAGE, pageToken, includePath, mode });
    return { items: r.services, next: r.nextPageToken };
  });
}

export function loadScenarios(): Promise<Scenario[]> {
  return allPages(async (pageToken) => {
    const r = await scenarios.listScenarios({ pageSize: PAGE, pageToken });
    return { items: r.scenarios, next: r.nextPageToken };
  });
}

/**
 * Call options of a write: the planner token as bearer metadata. Without a token the call is
 * still made, so the page shows the server's own refusal (UNAUTHENTICATED) rather than
 * guessing at it.
 */
export function writeOptions(): { headers: Record<string, string> } {
  const t = token.get();
  return { headers: t ? { authorization: `Bearer ${t}` } : {} };
}
