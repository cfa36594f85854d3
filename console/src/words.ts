/**
 * The server's codes in words for the page: exclusion constraints (FindRoutes `explain`),
 * sea passages and container types. Kept apart from the views so the wording is one list.
 */
import { TerminalKind, TransportMode } from "./gen/freight/v1/network_pb.js";
import { ContainerType } from "./gen/freight/v1/routing_pb.js";

/**
 * Why each `Exclusion.constraint` removed a candidate, as a planner would say it; read as
 * "12 services excluded: <words>".
 */
export const EXCLUSION_WORDS: Record<string, string> = {
  season: "not running in this season",
  allowed_modes: "a mode you did not allow",
  cargo_type: "not carrying this kind of cargo",
  reefer: "no reefer or cold-chain service",
  dangerous_goods: "not accepting these dangerous goods",
  capacity: "too little capacity for the shipment",
  include_exploratory: "exploratory lines (tick “include exploratory lines” to use them)",
  avoid_locations: "passing a location you avoid",
  avoid_countries: "touching a country you avoid",
  avoid_passages: "crossing a sea passage you avoid",
  passage_advisory: "through a passage carriers are avoiding",
  max_transfers: "needing more transfers than allowed",
  deliver_by: "arriving after the deliver-by time",
  max_cost_usd: "over the budget",
};

export function exclusionWords(constraint: string): string {
  return EXCLUSION_WORDS[constraint] ?? `by ${constraint}`;
}

/** Named passages `avoid_passages` takes (routing.proto), with their names. */
export const PASSAGES: [string, string][] = [
  ["suez", "Suez Canal"],
  ["babalmandab", "Bab-el-Mandeb"],
  ["malacca", "Strait of Malacca"],
  ["gibraltar", "Strait of Gibraltar"],
  ["panama", "Panama Canal"],
  ["korea_strait", "Korea Strait"],
  ["tsugaru", "Tsugaru Strait"],
  ["la_perouse", "La Pérouse Strait"],
  ["bering", "Bering Strait (Arctic)"],
  ["northwest", "Northwest Passage"],
];

/** The ISO 6346 size-type codes of ContainerType, in the order the form lists them. */
export const CONTAINER_TYPES: [ContainerType, string, string][] = [
  [ContainerType.DRY_20, "22G1", "20' dry"],
  [ContainerType.DRY_40, "42G1", "40' dry"],
  [ContainerType.HIGH_CUBE_40, "45G1", "40' high cube"],
  [ContainerType.REEFER_20, "22R1", "20' reefer"],
  [ContainerType.REEFER_40, "45R1", "40' HC reefer"],
];

/** The modes a form offers, in the order the forms list them. */
export const MODE_CHOICES: [TransportMode, string][] = [
  [TransportMode.SEA, "sea"],
  [TransportMode.AIR, "air"],
  [TransportMode.RAIL, "rail"],
  [TransportMode.ROAD, "road"],
];

export const TERMINAL_KIND_NAMES: Record<number, string> = {
  [TerminalKind.SEAPORT]: "seaport",
  [TerminalKind.AIRPORT]: "airport",
  [TerminalKind.RAIL_TERMINAL]: "rail terminal",
  [TerminalKind.ROAD_TERMINAL]: "road terminal",
};
