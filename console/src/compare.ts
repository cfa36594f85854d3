/**
 * Reading a scenario comparison (CompareScenario) for the page: which new lines a pair's
 * scenario route uses, and the geometry of a line's weekly load bar. Pure, unit-tested.
 */
import type { LineLoad, PairComparison } from "./gen/freight/v1/scenario_pb.js";
import { linearScale } from "./scale.js";

/** The scenario's added services a pair's best scenario route uses (the "new line" it takes). */
export function switchedTo(pair: PairComparison, added: readonly string[]): string[] {
  const set = new Set(added);
  return (pair.scenario?.serviceIds ?? []).filter((id) => set.has(id));
}

/**
 * A line's weekly load as a bar `width` wide: the load and the capacity mark on one scale
 * that fits both, so an overloaded line shows its bar past the mark. A line that takes no
 * containers (capacity 0) has its mark at the end.
 */
export function loadBar(load: Pick<LineLoad, "weeklyTeu" | "weeklyCapacityTeu">, width: number): { used: number; capacity: number; over: boolean } {
  const cap = load.weeklyCapacityTeu;
  const top = Math.max(cap, load.weeklyTeu, 1e-9);
  const x = linearScale([0, top], [0, width]);
  return { used: x(load.weeklyTeu), capacity: cap > 0 ? x(cap) : width, over: cap > 0 && load.weeklyTeu > cap };
}
