import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { codeName, describeError, fieldCandidates, parseFieldError } from "../src/fielderror.js";

describe("field errors", () => {
  it("splits the field path from the reason", () => {
    expect(parseFieldError("definition.added_services[0].speed_kn: 95 kn is faster than a ship")).toEqual({
      field: "definition.added_services[0].speed_kn",
      reason: "95 kn is faster than a ship",
    });
    expect(parseFieldError("definition.name: scenario name 'x' is taken")).toEqual({ field: "definition.name", reason: "scenario name 'x' is taken" });
  });
  it("keeps a message that names no field whole", () => {
    expect(parseFieldError("missing planner token")).toEqual({ field: null, reason: "missing planner token" });
    expect(parseFieldError("Some text: with a colon").field).toBeNull();
  });
  it("offers the most specific form path first, without the request's top level", () => {
    expect(fieldCandidates("definition.added_services[0].rate.as_of")).toEqual([
      "added_services[0].rate.as_of",
      "added_services[0].rate",
      "added_services[0]",
      "added_services",
    ]);
    expect(fieldCandidates("definition.name")).toEqual(["name"]);
    expect(fieldCandidates("expected_version")).toEqual(["expected_version"]);
  });
  it("names codes as the API documents them", () => {
    expect(codeName(Code.Unauthenticated)).toBe("UNAUTHENTICATED");
    expect(codeName(Code.PermissionDenied)).toBe("PERMISSION_DENIED");
    expect(codeName(Code.InvalidArgument)).toBe("INVALID_ARGUMENT");
    expect(codeName(Code.ResourceExhausted)).toBe("RESOURCE_EXHAUSTED");
  });
  it("describes Connect errors with the server's own message", () => {
    expect(describeError(new ConnectError("missing or invalid planner token", Code.Unauthenticated))).toEqual({
      code: "UNAUTHENTICATED",
      message: "missing or invalid planner token",
    });
    expect(describeError(new Error("boom"))).toEqual({ code: "UNKNOWN", message: "boom" });
  });
});
