/**
 * Finding a location as a planner types: by city name ("niigata"), UN/LOCODE ("CNDLC"), IATA
 * code ("DLC"), terminal id ("CNDLC-PORT") or terminal name ("Dayaowan"). Pure and
 * unit-tested; the picker (picker.ts) only draws what this returns.
 */
import type { Location } from "./gen/freight/v1/network_pb.js";

/** A location flattened for matching; `code` is what a request names it by (the LOCODE). */
export interface LocationEntry {
  code: string;
  name: string;
  country: string;
  /** Codes that name it exactly: LOCODE, aliases, IATA codes, terminal ids (upper case). */
  codes: string[];
  iata: string[];
  /** Folded (lower case, no accents) city and terminal names. */
  words: string;
  terminalNames: string[];
}

export interface SearchHit {
  entry: LocationEntry;
  /** Lower is better: 0 exact code, 1 code prefix, 2 name prefix, 3 word prefix, 4 anywhere. */
  score: number;
  /** What matched, shown next to the name ("IATA DLC"). */
  why: string;
}

/** Lower case without diacritics, so "dusseldorf" finds "Düsseldorf". */
export function fold(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

export function buildIndex(locations: readonly Location[]): LocationEntry[] {
  return locations.map((l) => {
    const iata = l.terminals.map((t) => t.iataCode).filter(Boolean);
    const codes = new Set<string>([l.locode.toUpperCase()]);
    for (const t of l.terminals) {
      codes.add(t.id.toUpperCase());
      if (t.iataCode) codes.add(t.iataCode.toUpperCase());
      for (const a of t.locodeAliases) codes.add(a.toUpperCase());
    }
    const terminalNames = l.terminals.map((t) => t.name);
    return {
      code: l.locode,
      name: l.name,
      country: l.countryCode,
      codes: [...codes],
      iata,
      words: fold([l.name, ...terminalNames].join(" | ")),
      terminalNames,
    };
  });
}

function score(entry: LocationEntry, q: string, upper: string): SearchHit | undefined {
  if (entry.codes.includes(upper)) {
    const why = entry.code.toUpperCase() === upper ? "UN/LOCODE" : entry.iata.map((c) => c.toUpperCase()).includes(upper) ? `IATA ${upper}` : upper;
    return { entry, score: 0, why };
  }
  const name = fold(entry.name);
  if (name === q) return { entry, score: 0, why: "" };
  const codePrefix = entry.codes.find((c) => c.startsWith(upper));
  if (codePrefix && upper.length >= 2) return { entry, score: 1, why: codePrefix };
  if (name.startsWith(q)) return { entry, score: 2, why: "" };
  const wordStart = new RegExp(`(^|[^a-z0-9])${q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
  if (wordStart.test(name)) return { entry, score: 3, why: "" };
  if (wordStart.test(entry.words)) {
    const t = entry.terminalNames.find((n) => wordStart.test(fold(n)));
    return { entry, score: 3, why: t ?? "" };
  }
  if (entry.words.includes(q)) {
    const t = entry.terminalNames.find((n) => fold(n).includes(q));
    return { entry, score: 4, why: t ?? "" };
  }
  return undefined;
}

/** The best `limit` matches of the query, best first, then by name. Empty query: none. */
export function searchLocations(index: readonly LocationEntry[], query: string, limit = 8): SearchHit[] {
  const q = fold(query.trim());
  if (!q) return [];
  const upper = query.trim().toUpperCase();
  const hits: SearchHit[] = [];
  for (const e of index) {
    const h = score(e, q, upper);
    if (h) hits.push(h);
  }
  hits.sort((a, b) => a.score - b.score || a.entry.name.localeCompare(b.entry.name) || a.entry.code.localeCompare(b.entry.code));
  return hits.slice(0, limit);
}

/** The entry a typed text names exactly (a code, or a city name), for a submit without picking. */
export function resolveExact(index: readonly LocationEntry[], text: string): LocationEntry | undefined {
  const hits = searchLocations(index, text, 2);
  return hits.length > 0 && hits[0].score === 0 ? hits[0].entry : undefined;
}
