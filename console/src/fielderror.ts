/**
 * Server validation errors name the request field they are about at the start of the status
 * message: `definition.added_services[0].speed_kn: 95 kn is faster than ...`. This splits such
 * a message so the scenario form can show the reason next to the input it names, and turns a
 * Connect error code into the gRPC status name the server documents (UNAUTHENTICATED, ...).
 * Pure and unit-tested.
 */
import { Code, ConnectError } from "@connectrpc/connect";

export interface FieldError {
  /** The field path as the server wrote it, or null when the message names none. */
  field: string | null;
  reason: string;
}

const FIELD_PATH = /^([a-z_][a-z0-9_]*(?:\[\d+\])?(?:\.[a-z_][a-z0-9_]*(?:\[\d+\])?)*): ([\s\S]*)$/;

export function parseFieldError(message: string): FieldError {
  const m = FIELD_PATH.exec(message.trim());
  return m ? { field: m[1], reason: m[2] } : { field: null, reason: message.trim() };
}

/**
 * Paths to look for in a form, most specific first, without the request's top-level message
 * (`definition.`): `added_services[0].rate.as_of`, `added_services[0].rate`, `added_services[0]`,
 * `added_services`. A reason about a whole service block lands on the block.
 */
export function fieldCandidates(field: string, stripPrefix = "definition."): string[] {
  const path = field.startsWith(stripPrefix) ? field.slice(stripPrefix.length) : field;
  const out: string[] = [];
  let rest = path;
  while (rest) {
    out.push(rest);
    const cut = Math.max(rest.lastIndexOf("."), rest.lastIndexOf("["));
    if (cut <= 0) break;
    rest = rest.slice(0, cut);
  }
  return out;
}

/** `Code.PermissionDenied` -> `PERMISSION_DENIED`: the names the API documents. */
export function codeName(code: Code): string {
  const name = Code[code] ?? "UNKNOWN";
  return name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

/** An error from a call as shown on the page: the status name and the server's words. */
export interface ShownError {
  code: string;
  message: string;
}

export function describeError(err: unknown): ShownError {
  if (err instanceof ConnectError) {
    return { code: codeName(err.code), message: err.rawMessage };
  }
  if (err instanceof Error) return { code: "UNKNOWN", message: err.message };
  return { code: "UNKNOWN", message: String(err) };
}
