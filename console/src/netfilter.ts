/**
 * The network view's filters as a pure predicate (unit-tested), so the count the page shows
 * is the count it draws.
 */
import type { Service } from "./gen/freight/v1/network_pb.js";

/** Services without an operator in the data are grouped under this name. */
export const UNKNOWN_OPERATOR = "(unknown)";

export interface NetworkFilter {
  modes: Set<number>;
  /** An operator's name, or "" for all. */
  operator: string;
  exploratory: "all" | "hide" | "only";
}

export function passes(s: Pick<Service, "mode" | "operator" | "exploratory">, f: NetworkFilter): boolean {
  if (!f.modes.has(s.mode)) return false;
  if (f.operator && (s.operator || UNKNOWN_OPERATOR) !== f.operator) return false;
  if (f.exploratory === "hide" && s.exploratory) return false;
  if (f.exploratory === "only" && !s.exploratory) return false;
  return true;
}

/** The operators to offer: named ones alphabetically, then the unknown group. */
export function operatorChoices(services: readonly Pick<Service, "operator">[]): string[] {
  const names = [...new Set(services.map((s) => s.operator || UNKNOWN_OPERATOR))];
  return names.sort((a, b) => Number(a === UNKNOWN_OPERATOR) - Number(b === UNKNOWN_OPERATOR) || a.localeCompare(b));
}
