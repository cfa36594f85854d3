/**
 * The form pieces the planner and the reach view share: a labelled field, a checkbox, readers
 * of a form's values, and the shipment fieldset (containers by ISO 6346 type or loose cargo,
 * dangerous goods) with the `Shipment` it describes.
 */
import { create } from "@bufbuild/protobuf";
import { fill, h } from "./dom.js";
import { ShipmentSchema, type Shipment } from "./gen/freight/v1/routing_pb.js";
import { CONTAINER_TYPES } from "./words.js";

type Root = HTMLFormElement | HTMLFieldSetElement;

function control(root: Root, name: string): HTMLInputElement | HTMLSelectElement | null {
  return root.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
}

/** A number typed in `name`, or undefined when empty or not a number. */
export function num(root: Root, name: string): number | undefined {
  const el = control(root, name);
  if (!el || el.value.trim() === "") return undefined;
  const v = Number(el.value);
  return Number.isFinite(v) ? v : undefined;
}

export function checked(root: Root, name: string): boolean {
  return (control(root, name) as HTMLInputElement | null)?.checked ?? false;
}

export function text(root: Root, name: string): string {
  return (control(root, name)?.value ?? "").trim();
}

/** The values of the ticked checkboxes called `name`. */
export function ticked(root: Root, name: string): string[] {
  return [...root.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((i) => i.value);
}

export function field(label: string, input: HTMLElement, hint?: string): HTMLElement {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hint ? h("small", { class: "muted" }, hint) : null);
}

export function check(name: string, label: string, on = false, value?: string): HTMLElement {
  return h("label", { class: "check" }, h("input", { type: "checkbox", name, checked: on, value }), ` ${label}`);
}

export interface ShipmentFields {
  element: HTMLFieldSetElement;
  /** The shipment as typed. */
  build(): Shipment;
}

/** The shipment fieldset; `prefix` keeps its input names apart from another form's. */
export function createShipmentFields(prefix = ""): ShipmentFields {
  const n = (name: string) => `${prefix}${name}`;
  const containers = h(
    "div",
    { class: "grid5", "data-role": "containers" },
    ...CONTAINER_TYPES.map(([type, code, label]) =>
      field(`${code} ${label}`, h("input", { type: "number", name: n(`box_${type}`), min: 0, max: 10000, step: 1, value: code === "22G1" ? "1" : "0", inputmode: "numeric" })),
    ),
  );
  const loose = h(
    "div",
    { class: "grid3", "data-role": "loose", hidden: true },
    field("Weight (kg)", h("input", { type: "number", name: n("weight_kg"), min: 0, step: "any", value: "500" })),
    field("Volume (m³)", h("input", { type: "number", name: n("volume_m3"), min: 0, step: "any", value: "2" })),
    h("div", { class: "field" }, check(n("temperature_controlled"), "keep cold")),
  );
  const cargoKind = (kind: string) =>
    h("label", { class: "check" }, h("input", { type: "radio", name: n("cargo"), value: kind, checked: kind === "containers" }), kind === "containers" ? " full containers" : " loose cargo (LCL / air)");
  const element = h(
    "fieldset",
    null,
    h("legend", null, "Shipment"),
    h("div", { class: "row" }, cargoKind("containers"), cargoKind("loose")),
    containers,
    loose,
    h(
      "div",
      { class: "grid3" },
      field(
        "Dangerous goods",
        h("select", { name: n("dg_class") }, h("option", { value: "" }, "none"), h("option", { value: "0" }, "yes, class not declared"), ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((c) => h("option", { value: String(c) }, `UN class ${c}`))),
      ),
      h("div", { class: "field" }, check(n("cargo_aircraft_only"), "Cargo Aircraft Only label")),
      h("div", { class: "field" }, check(n("keep_together"), "keep together (one departure)")),
    ),
  );
  const isLoose = () => element.querySelector<HTMLInputElement>(`input[name="${n("cargo")}"]:checked`)?.value === "loose";
  element.addEventListener("change", (ev) => {
    if ((ev.target as HTMLInputElement).name !== n("cargo")) return;
    containers.hidden = isLoose();
    loose.hidden = !isLoose();
  });
  function build(): Shipment {
    const dg = text(element, n("dg_class"));
    const base = {
      dangerousGoods: dg !== "",
      dangerousGoodsClass: dg === "" ? 0 : Number(dg),
      cargoAircraftOnly: checked(element, n("cargo_aircraft_only")),
      keepTogether: checked(element, n("keep_together")),
    };
    if (isLoose()) {
      return create(ShipmentSchema, {
        ...base,
        cargo: {
          case: "looseCargo",
          value: { weightKg: num(element, n("weight_kg")) ?? 0, volumeM3: num(element, n("volume_m3")) ?? 0, temperatureControlled: checked(element, n("temperature_controlled")) },
        },
      });
    }
    const boxes = CONTAINER_TYPES.map(([type]) => ({ type, count: Math.trunc(num(element, n(`box_${type}`)) ?? 0) })).filter((b) => b.count !== 0);
    return create(ShipmentSchema, { ...base, cargo: { case: "containers", value: { boxes } } });
  }
  return { element, build };
}

/** Fills a scenario choice with the ready scenarios, keeping the chosen one if it is still there. */
export function fillScenarioChoice(select: HTMLSelectElement, items: { id: string; name: string }[]): void {
  const keep = select.value;
  fill(select, h("option", { value: "" }, "base network"), ...items.map((s) => h("option", { value: s.id }, `${s.name} (${s.id})`)));
  select.value = items.some((s) => s.id === keep) ? keep : "";
}
