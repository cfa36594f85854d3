/**
 * The scenario form: a ScenarioDefinition as inputs (name, description, added services with
 * their rates, suspensions, service changes). Every input carries `data-field` set to its
 * path in the definition, in the proto's field names (`added_services[0].rate.as_of`), which
 * are the names the server's validation messages use: so an INVALID_ARGUMENT about
 * `definition.added_services[0].speed_kn` is shown under that very input (showFieldError).
 *
 * Why no TOML upload: CreateScenarioRequest takes a structured ScenarioDefinition and there is
 * no TOML field to send a file in (only Scenario.definition_toml on the way out, which the list
 * shows and downloads). Parsing TOML in the page would duplicate the server's scenario-file
 * reader, so the form is the way in.
 *
 * Editing keeps what the form does not show (added terminals, terminal changes, a service's
 * border, closed dates, rail_via, ...): each block starts from the stored message and the form
 * writes its fields over it.
 */
import { clone, create } from "@bufbuild/protobuf";
import { fill, h } from "./dom.js";
import { fieldCandidates, parseFieldError } from "./fielderror.js";
import { TransportMode } from "./gen/freight/v1/network_pb.js";
import {
  ScenarioDefinitionSchema,
  ServiceChangeSchema,
  ServiceDefinitionSchema,
  ServiceRateDefinitionSchema,
  SuspensionSchema,
  type ScenarioDefinition,
  type ServiceChange,
  type ServiceDefinition,
  type Suspension,
} from "./gen/freight/v1/scenario_pb.js";

type Kind = "text" | "number" | "optnumber" | "bool" | "date" | "time" | "mode" | "days" | "textarea";

interface Spec {
  /** The field's proto name, relative to its block; `rate.` names the service's rate table. */
  key: string;
  label: string;
  kind: Kind;
  placeholder?: string;
}

const SERVICE_FIELDS: Spec[] = [
  { key: "id", label: "Service id", kind: "text", placeholder: "SEA-DLC-KIJ-RORO" },
  { key: "name", label: "Name", kind: "text" },
  { key: "mode", label: "Mode", kind: "mode" },
  { key: "from", label: "From terminal", kind: "text", placeholder: "CNDLC-PORT" },
  { key: "to", label: "To terminal", kind: "text", placeholder: "JPKIJ-PORT" },
  { key: "both_directions", label: "both directions (adds <id>-R)", kind: "bool" },
  { key: "operator", label: "Operator", kind: "text" },
  { key: "days", label: "Departure days", kind: "days" },
  { key: "departure_time", label: "Departs (local HH:MM)", kind: "time" },
  { key: "cutoff_hours", label: "Cut-off (h)", kind: "number" },
  { key: "speed_kn", label: "Speed (kn, sea)", kind: "optnumber" },
  { key: "speed_kmh", label: "Speed (km/h, land, air)", kind: "optnumber" },
  { key: "transit_hours", label: "Published transit (h)", kind: "optnumber" },
  { key: "capacity_teu", label: "Capacity (TEU/departure)", kind: "optnumber" },
  { key: "capacity_kg", label: "Capacity (kg, air)", kind: "optnumber" },
  { key: "reefer", label: "reefer plugs", kind: "bool" },
  { key: "dangerous_goods", label: "dangerous goods", kind: "bool" },
  { key: "on_demand", label: "on demand (road)", kind: "bool" },
  { key: "season", label: "Season (MM-DD..MM-DD)", kind: "text", placeholder: "year-round" },
  { key: "first_date", label: "First date", kind: "date" },
  { key: "last_date", label: "Last date", kind: "date" },
  { key: "exploratory_reason", label: "Exploratory reason (makes it exploratory)", kind: "text" },
  { key: "source", label: "Source", kind: "text", placeholder: "estimate" },
  { key: "tariff", label: "Tariff id (instead of own rates)", kind: "text" },
];

const RATE_FIELDS: Spec[] = [
  { key: "rate.as_of", label: "Rates as of", kind: "date" },
  { key: "rate.currency", label: "Currency", kind: "text", placeholder: "USD" },
  { key: "rate.base_per_20ft", label: "Base / 20'", kind: "optnumber" },
  { key: "rate.per_20ft_km", label: "Per 20'·km", kind: "optnumber" },
  { key: "rate.base_per_40ft", label: "Base / 40'", kind: "optnumber" },
  { key: "rate.per_40ft_km", label: "Per 40'·km", kind: "optnumber" },
  { key: "rate.high_cube_per_40ft", label: "High cube / 40'", kind: "optnumber" },
  { key: "rate.reefer_per_20ft", label: "Reefer / 20'", kind: "optnumber" },
  { key: "rate.reefer_per_40ft", label: "Reefer / 40'", kind: "optnumber" },
  { key: "rate.lcl_per_revenue_tonne", label: "LCL / revenue t", kind: "optnumber" },
  { key: "rate.air_per_kg", label: "Air / kg", kind: "optnumber" },
  { key: "rate.base_per_truck", label: "Base / truck", kind: "optnumber" },
  { key: "rate.per_truck_km", label: "Per truck·km", kind: "optnumber" },
  { key: "rate.documentation", label: "Documentation", kind: "optnumber" },
];

const SUSPENSION_FIELDS: Spec[] = [
  { key: "service_id", label: "Service id", kind: "text" },
  { key: "terminal_id", label: "or terminal id", kind: "text" },
  { key: "from_date", label: "From", kind: "date" },
  { key: "until_date", label: "Until", kind: "date" },
  { key: "reason", label: "Reason", kind: "text" },
];

const CHANGE_FIELDS: Spec[] = [
  { key: "service_id", label: "Service id", kind: "text" },
  { key: "days", label: "New days", kind: "days" },
  { key: "departure_time", label: "Departs (HH:MM)", kind: "time" },
  { key: "speed_kn", label: "Speed (kn)", kind: "optnumber" },
  { key: "speed_kmh", label: "Speed (km/h)", kind: "optnumber" },
  { key: "rate_factor", label: "Rate factor", kind: "optnumber", placeholder: "1.1 = 10 % dearer" },
  { key: "capacity", label: "Capacity", kind: "optnumber" },
];

export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

const MODE_OPTIONS: [TransportMode, string][] = [
  [TransportMode.SEA, "sea"],
  [TransportMode.AIR, "air"],
  [TransportMode.RAIL, "rail"],
  [TransportMode.ROAD, "road"],
];

/** `per_20ft_km` -> `per20ftKm`: protobuf-es's property name for a proto field name. */
export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Reads a dotted proto path (`rate.as_of`) from a protobuf-es message. */
export function getPath(msg: object, path: string): unknown {
  let cur: unknown = msg;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[camel(part)];
  }
  return cur;
}

/** Writes a dotted path, creating the intermediate message with `make` when it is missing. */
export function setPath(msg: object, path: string, value: unknown, make: (key: string) => object): void {
  const parts = path.split(".");
  let cur = msg as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    const k = camel(part);
    if (cur[k] === undefined || cur[k] === null) cur[k] = make(part);
    cur = cur[k] as Record<string, unknown>;
  }
  cur[camel(parts[parts.length - 1])] = value;
}

function input(spec: Spec, path: string): HTMLElement {
  const attrs = { name: path, "data-field": path, placeholder: spec.placeholder };
  switch (spec.kind) {
    case "bool":
      return h("label", { class: "check" }, h("input", { type: "checkbox", ...attrs }), ` ${spec.label}`);
    case "mode":
      return h("select", attrs, ...MODE_OPTIONS.map(([m, n]) => h("option", { value: String(m) }, n)));
    case "days":
      return h(
        "div",
        { class: "row days", role: "group", "aria-label": spec.label, "data-field": path },
        ...DAYS.map((d) => h("label", { class: "check" }, h("input", { type: "checkbox", name: path, value: d }), ` ${d}`)),
      );
    case "number":
    case "optnumber":
      return h("input", { type: "number", step: "any", ...attrs });
    case "date":
      return h("input", { type: "text", pattern: "\\d{4}-\\d{2}-\\d{2}", ...attrs, placeholder: "YYYY-MM-DD" });
    case "time":
      return h("input", { type: "text", pattern: "\\d{2}:\\d{2}", ...attrs, placeholder: "HH:MM" });
    case "textarea":
      return h("textarea", { rows: 2, ...attrs });
    default:
      return h("input", { type: "text", ...attrs });
  }
}

function fieldFor(spec: Spec, path: string): HTMLElement {
  const el = input(spec, path);
  if (spec.kind === "bool") return h("div", { class: "field" }, el);
  const id = `sf-${path.replace(/[^a-z0-9]+/gi, "-")}`;
  el.id = id;
  const wide = spec.kind === "days" || spec.key === "exploratory_reason";
  return h("div", { class: wide ? "field wide" : "field" }, h("label", { for: id }, spec.label), el);
}

function readInput(block: HTMLElement, spec: Spec, path: string): unknown {
  if (spec.kind === "days") {
    return [...block.querySelectorAll<HTMLInputElement>(`input[name="${CSS.escape(path)}"]:checked`)].map((i) => i.value);
  }
  const el = block.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${CSS.escape(path)}"]`);
  if (!el) return undefined;
  if (spec.kind === "bool") return (el as HTMLInputElement).checked;
  const v = el.value.trim();
  if (spec.kind === "mode") return Number(v);
  // A number the browser cannot parse is sent as NaN, for the server to name the field.
  if (spec.kind === "number") return v === "" ? 0 : Number(v);
  if (spec.kind === "optnumber") return v === "" ? undefined : Number(v);
  return v;
}

function writeInput(block: HTMLElement, spec: Spec, path: string, value: unknown): void {
  if (spec.kind === "days") {
    const days = new Set((value as string[] | undefined) ?? []);
    block.querySelectorAll<HTMLInputElement>(`input[name="${CSS.escape(path)}"]`).forEach((i) => (i.checked = days.has(i.value)));
    return;
  }
  const el = block.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${CSS.escape(path)}"]`);
  if (!el) return;
  if (spec.kind === "bool") (el as HTMLInputElement).checked = Boolean(value);
  else if (spec.kind === "number") el.value = value ? String(value) : "";
  else el.value = value === undefined || value === null ? "" : String(value);
}

interface Block<T extends object> {
  element: HTMLElement;
  base: T;
}

export interface ScenarioForm {
  element: HTMLFormElement;
  /** Fills the form from a stored definition (edit) or empties it (new). */
  load(def: ScenarioDefinition | undefined): void;
  /** The definition the form describes, over the loaded one. */
  read(): ScenarioDefinition;
  /** Marks the field a server message names; false when no input matches. */
  showFieldError(message: string): boolean;
  clearErrors(): void;
}

export function createScenarioForm(terminalIds: () => string[], onSubmit: () => void, submitLabel: HTMLElement): ScenarioForm {
  const services: Block<ServiceDefinition>[] = [];
  const suspensions: Block<Suspension>[] = [];
  const changes: Block<ServiceChange>[] = [];
  let loaded: ScenarioDefinition = create(ScenarioDefinitionSchema);

  const datalist = h("datalist", { id: "terminal-ids" });
  const servicesBox = h("div", { class: "blocks", "data-role": "services" });
  const suspensionsBox = h("div", { class: "blocks", "data-role": "suspensions" });
  const changesBox = h("div", { class: "blocks", "data-role": "changes" });
  const kept = h("p", { class: "muted", "data-role": "kept" });

  const form = h(
    "form",
    { class: "scenario-form", novalidate: true, "aria-label": "Scenario definition" },
    datalist,
    h(
      "div",
      { class: "grid2" },
      fieldFor({ key: "name", label: "Name", kind: "text" }, "name"),
      fieldFor({ key: "description", label: "Description", kind: "text" }, "description"),
    ),
    h("h3", null, "Added services"),
    servicesBox,
    h("button", { type: "button", class: "small", "data-role": "add-service", onclick: () => addService() }, "+ service"),
    h("h3", null, "Suspensions"),
    suspensionsBox,
    h("button", { type: "button", class: "small", "data-role": "add-suspension", onclick: () => addSuspension() }, "+ suspension"),
    h("h3", null, "Changes to existing services"),
    changesBox,
    h("button", { type: "button", class: "small", "data-role": "add-change", onclick: () => addChange() }, "+ change"),
    kept,
    h("div", { class: "actions" }, submitLabel),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    onSubmit();
  });

  function renumber<T extends object>(blocks: Block<T>[], prefix: string, specs: Spec[]) {
    // Paths carry the index: after a removal, rename the inputs to their new index.
    blocks.forEach((b, i) => {
      const old = b.element.dataset.field!;
      const now = `${prefix}[${i}]`;
      if (old === now) return;
      b.element.dataset.field = now;
      b.element.querySelector("legend")!.firstChild!.textContent = `${prefix.replace(/_/g, " ").replace(/s$/, "")} ${i + 1} `;
      for (const spec of specs) {
        b.element.querySelectorAll(`[name="${CSS.escape(`${old}.${spec.key}`)}"]`).forEach((el) => el.setAttribute("name", `${now}.${spec.key}`));
        b.element.querySelectorAll(`[data-field="${CSS.escape(`${old}.${spec.key}`)}"]`).forEach((el) => el.setAttribute("data-field", `${now}.${spec.key}`));
      }
    });
  }

  function makeBlock<T extends object>(blocks: Block<T>[], box: HTMLElement, prefix: string, specs: Spec[][], base: T, titles: string[]): Block<T> {
    const i = blocks.length;
    const path = `${prefix}[${i}]`;
    const remove = h("button", { type: "button", class: "small link", "aria-label": "remove" }, "remove");
    const groups = specs.map((group, g) =>
      h("div", { class: g === 0 ? "grid4" : "grid4 rate" }, titles[g] ? h("h4", null, titles[g]) : null, ...group.map((spec) => fieldFor(spec, `${path}.${spec.key}`))),
    );
    const element = h("fieldset", { class: "block", "data-field": path }, h("legend", null, `${prefix.replace(/_/g, " ").replace(/s$/, "")} ${i + 1} `, remove), ...groups);
    for (const el of element.querySelectorAll<HTMLInputElement>('[name$=".from"], [name$=".to"], [name$="terminal_id"]')) el.setAttribute("list", "terminal-ids");
    const block = { element, base };
    remove.addEventListener("click", () => {
      blocks.splice(blocks.indexOf(block), 1);
      element.remove();
      renumber(blocks, prefix, specs.flat());
    });
    blocks.push(block);
    box.append(element);
    for (const spec of specs.flat()) writeInput(element, spec, `${path}.${spec.key}`, valueOf(base, spec));
    return block;
  }

  function valueOf(msg: object, spec: Spec): unknown {
    return getPath(msg, spec.key);
  }

  function addService(base = create(ServiceDefinitionSchema, { mode: TransportMode.SEA })) {
    return makeBlock(services, servicesBox, "added_services", [SERVICE_FIELDS, RATE_FIELDS], base, ["", "Own rates ([service.rate]; amounts in the currency)"]);
  }
  function addSuspension(base = create(SuspensionSchema)) {
    return makeBlock(suspensions, suspensionsBox, "suspensions", [SUSPENSION_FIELDS], base, [""]);
  }
  function addChange(base = create(ServiceChangeSchema)) {
    return makeBlock(changes, changesBox, "service_changes", [CHANGE_FIELDS], base, [""]);
  }

  function readBlocks<T extends object>(blocks: Block<T>[], specs: Spec[], prefix: string): T[] {
    return blocks.map((b, i) => {
      const out = copyMessage(b.base);
      for (const spec of specs) {
        const v = readInput(b.element, spec, `${prefix}[${i}].${spec.key}`);
        setPath(out, spec.key, v, () => create(ServiceRateDefinitionSchema));
      }
      // A rate table the form created and nobody filled in is no rate table (the service
      // may name a tariff instead).
      const hadRate = (b.base as { rate?: object }).rate !== undefined;
      const blank = RATE_FIELDS.every((s) => {
        const v = getPath(out, s.key);
        return v === undefined || v === "";
      });
      if (!hadRate && blank && "rate" in out) (out as { rate?: object }).rate = undefined;
      return out;
    });
  }

  function copyMessage<T extends object>(m: T): T {
    // protobuf-es messages are plain objects (with $typeName); a shallow copy, with a copy of
    // the rate table, is enough for the fields the form writes.
    const copy = { ...m } as Record<string, unknown>;
    if (copy.rate && typeof copy.rate === "object") copy.rate = { ...(copy.rate as object) };
    return copy as T;
  }

  function load(def: ScenarioDefinition | undefined) {
    loaded = def ? clone(ScenarioDefinitionSchema, def) : create(ScenarioDefinitionSchema);
    services.length = 0;
    suspensions.length = 0;
    changes.length = 0;
    fill(servicesBox);
    fill(suspensionsBox);
    fill(changesBox);
    (form.elements.namedItem("name") as HTMLInputElement).value = loaded.name;
    (form.elements.namedItem("description") as HTMLInputElement).value = loaded.description;
    for (const s of loaded.addedServices) addService(s);
    for (const s of loaded.suspensions) addSuspension(s);
    for (const c of loaded.serviceChanges) addChange(c);
    if (!def) addService();
    const extra: string[] = [];
    if (loaded.addedTerminals.length) extra.push(`${loaded.addedTerminals.length} added terminal(s)`);
    if (loaded.terminalChanges.length) extra.push(`${loaded.terminalChanges.length} terminal change(s)`);
    kept.textContent = extra.length ? `Kept as stored (not editable here): ${extra.join(", ")}.` : "";
    fill(datalist, ...terminalIds().map((id) => h("option", { value: id })));
    clearErrors();
  }

  function read(): ScenarioDefinition {
    return create(ScenarioDefinitionSchema, {
      name: (form.elements.namedItem("name") as HTMLInputElement).value.trim(),
      description: (form.elements.namedItem("description") as HTMLInputElement).value.trim(),
      addedTerminals: loaded.addedTerminals,
      terminalChanges: loaded.terminalChanges,
      addedServices: readBlocks(services, [...SERVICE_FIELDS, ...RATE_FIELDS], "added_services"),
      suspensions: readBlocks(suspensions, SUSPENSION_FIELDS, "suspensions"),
      serviceChanges: readBlocks(changes, CHANGE_FIELDS, "service_changes"),
    });
  }

  function clearErrors() {
    form.querySelectorAll(".field-error").forEach((e) => e.remove());
    form.querySelectorAll(".invalid").forEach((e) => e.classList.remove("invalid"));
  }

  function showFieldError(message: string): boolean {
    const { field, reason } = parseFieldError(message);
    if (!field) return false;
    for (const candidate of fieldCandidates(field)) {
      const target = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(candidate)}"]`);
      if (!target) continue;
      const holder = target.closest(".field") ?? target;
      holder.classList.add("invalid");
      const note = h("div", { class: "field-error", role: "alert", "data-error-for": field }, candidate === field.replace(/^definition\./, "") ? reason : `${field}: ${reason}`);
      if (holder.tagName === "FIELDSET") holder.insertBefore(note, holder.children[1] ?? null);
      else holder.append(note);
      holder.scrollIntoView({ block: "center" });
      (target.matches("input, select, textarea") ? target : target.querySelector<HTMLElement>("input, select, textarea"))?.focus();
      return true;
    }
    return false;
  }

  return { element: form, load, read, showFieldError, clearErrors };
}
