/**
 * A location picker: a text box that suggests locations as one types their name, UN/LOCODE,
 * IATA code or terminal id (search.ts does the matching). The value sent to the server is the
 * chosen location's LOCODE; a code typed in full works without picking.
 */
import { h } from "./dom.js";
import { resolveExact, searchLocations, type LocationEntry } from "./search.js";

export interface Picker {
  element: HTMLElement;
  input: HTMLInputElement;
  /** The LOCODE to send: the picked entry's, an exact code or name typed, or the raw text. */
  value(): string;
  set(entry: LocationEntry): void;
  selected(): LocationEntry | undefined;
  onChange(f: () => void): void;
}

let counter = 0;

export function createPicker(label: string, name: string, index: () => LocationEntry[]): Picker {
  const id = `picker-${++counter}`;
  const input = h("input", {
    id,
    name,
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "city, UN/LOCODE or IATA",
    role: "combobox",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": `${id}-list`,
  });
  const list = h("ul", { id: `${id}-list`, class: "picker-list", role: "listbox", hidden: true });
  const chosen = h("span", { class: "picker-chosen muted" });
  let current: LocationEntry | undefined;
  let active = -1;
  let hits: ReturnType<typeof searchLocations> = [];
  const listeners: (() => void)[] = [];

  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    active = -1;
  };
  const choose = (e: LocationEntry) => {
    current = e;
    input.value = `${e.name} (${e.code})`;
    chosen.textContent = `${e.country} · ${e.codes.filter((c) => c !== e.code && c.length <= 5).join(" ")}`;
    close();
    listeners.forEach((f) => f());
  };
  const render = () => {
    list.replaceChildren(
      ...hits.map((hit, i) =>
        h(
          "li",
          {
            role: "option",
            class: i === active ? "active" : "",
            "aria-selected": i === active ? "true" : "false",
            "data-code": hit.entry.code,
            onmousedown: (ev: MouseEvent) => {
              ev.preventDefault(); // keep focus; blur would close the list first
              choose(hit.entry);
            },
          },
          h("b", null, hit.entry.name),
          ` ${hit.entry.code} · ${hit.entry.country}`,
          hit.why ? h("span", { class: "muted" }, ` · ${hit.why}`) : null,
        ),
      ),
    );
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
  };
  input.addEventListener("input", () => {
    current = undefined;
    chosen.textContent = "";
    hits = searchLocations(index(), input.value);
    active = hits.length ? 0 : -1;
    render();
  });
  input.addEventListener("keydown", (ev) => {
    if (list.hidden) return;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      active = (active + (ev.key === "ArrowDown" ? 1 : hits.length - 1)) % hits.length;
      render();
    } else if (ev.key === "Enter" && active >= 0) {
      ev.preventDefault();
      choose(hits[active].entry);
    } else if (ev.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => {
    close();
    if (!current && input.value.trim()) {
      const exact = resolveExact(index(), input.value);
      if (exact) choose(exact);
    }
  });

  const element = h("div", { class: "field picker" }, h("label", { for: id }, label), input, list, chosen);
  return {
    element,
    input,
    value: () => current?.code ?? resolveExact(index(), input.value)?.code ?? input.value.trim().toUpperCase(),
    set: choose,
    selected: () => current ?? resolveExact(index(), input.value),
    onChange: (f) => listeners.push(f),
  };
}
