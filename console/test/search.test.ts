import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { LocationSchema, TerminalKind } from "../src/gen/freight/v1/network_pb.js";
import { buildIndex, fold, resolveExact, searchLocations } from "../src/search.js";

const locations = [
  create(LocationSchema, {
    locode: "CNDLC",
    name: "Dalian",
    countryCode: "CN",
    terminals: [
      { id: "CNDLC-PORT", name: "Dalian Container Terminal (Dayaowan)", kind: TerminalKind.SEAPORT, locodeAliases: ["CNDAG", "CNDAL"] },
      { id: "CNDLC-DLC", name: "Dalian Zhoushuizi International Airport", kind: TerminalKind.AIRPORT, iataCode: "DLC" },
    ],
  }),
  create(LocationSchema, { locode: "KRPUS", name: "Busan", countryCode: "KR", terminals: [{ id: "KRPUS-PORT", name: "Busan New Port" }, { id: "KRPUS-PUS", name: "Gimhae International Airport", iataCode: "PUS" }] }),
  create(LocationSchema, { locode: "JPKIJ", name: "Niigata", countryCode: "JP", terminals: [{ id: "JPKIJ-PORT", name: "Niigata East Port" }, { id: "JPKIJ-KIJ", name: "Niigata Airport", iataCode: "KIJ" }] }),
  create(LocationSchema, { locode: "DEDUS", name: "Düsseldorf", countryCode: "DE", terminals: [{ id: "DEDUS-RAIL", name: "Düsseldorf Reisholz" }] }),
  create(LocationSchema, { locode: "RUVVO", name: "Vladivostok", countryCode: "RU", terminals: [{ id: "RUVVO-PORT", name: "Vladivostok Commercial Sea Port" }] }),
  create(LocationSchema, { locode: "RUVYP", name: "Vostochny", countryCode: "RU", terminals: [{ id: "RUVYP-PORT", name: "Vostochny Port" }] }),
];
const index = buildIndex(locations);

describe("location search", () => {
  it("finds by UN/LOCODE, in any case", () => {
    expect(searchLocations(index, "krpus")[0].entry.code).toBe("KRPUS");
    expect(searchLocations(index, "CNDLC")[0]).toMatchObject({ score: 0, why: "UN/LOCODE" });
  });
  it("finds by IATA code and says so", () => {
    const hit = searchLocations(index, "PUS")[0];
    expect(hit.entry.code).toBe("KRPUS");
    expect(hit.why).toBe("IATA PUS");
    expect(searchLocations(index, "kij")[0].entry.code).toBe("JPKIJ");
  });
  it("finds by terminal id and alias", () => {
    expect(searchLocations(index, "cndlc-port")[0].entry.code).toBe("CNDLC");
    expect(searchLocations(index, "CNDAG")[0].entry.code).toBe("CNDLC");
  });
  it("finds by city name prefix and word, ignoring accents", () => {
    expect(searchLocations(index, "niig")[0].entry.code).toBe("JPKIJ");
    expect(searchLocations(index, "dusseldorf")[0].entry.code).toBe("DEDUS");
    expect(fold("Düsseldorf")).toBe("dusseldorf");
  });
  it("finds by terminal name", () => {
    const hit = searchLocations(index, "dayaowan")[0];
    expect(hit.entry.code).toBe("CNDLC");
    expect(hit.why).toContain("Dayaowan");
  });
  it("ranks exact codes over name matches and names alphabetically", () => {
    const hits = searchLocations(index, "v");
    expect(hits.map((h) => h.entry.code)).toEqual(["RUVVO", "RUVYP"]);
    const ru = searchLocations(index, "RUV");
    expect(ru.every((h) => h.score === 1)).toBe(true);
  });
  it("returns nothing for an empty query and respects the limit", () => {
    expect(searchLocations(index, "  ")).toEqual([]);
    expect(searchLocations(index, "o", 2)).toHaveLength(2);
  });
  it("escapes regular-expression characters in the query", () => {
    expect(() => searchLocations(index, "(")).not.toThrow();
  });
  it("resolves an exactly typed code or name", () => {
    expect(resolveExact(index, "dlc")?.code).toBe("CNDLC");
    expect(resolveExact(index, "Busan")?.code).toBe("KRPUS");
    expect(resolveExact(index, "Bus")).toBeUndefined();
  });
});
