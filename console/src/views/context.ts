/** What the views share: the network's locations (loaded once) and the tab contract. */
import type { Location } from "../gen/freight/v1/network_pb.js";
import type { LocationEntry } from "../search.js";

export interface AppContext {
  /** The search index of every location (empty until ListLocations has answered). */
  index(): LocationEntry[];
  locations(): Location[];
  /** A location by LOCODE, alias, IATA code or terminal id. */
  locationByCode(code: string): Location | undefined;
  /** The clock a location's times are read at: its terminals' IANA zone, UTC when unknown. */
  zoneOf(code: string | undefined): string;
  /** Tells the other views that the scenario list changed (the planner offers them). */
  scenariosChanged(items: { id: string; name: string }[]): void;
}

export interface View {
  id: string;
  title: string;
  element: HTMLElement;
  /** Called each time the tab is shown (the first time builds the map). */
  show(): void;
  setScenarios?(items: { id: string; name: string }[]): void;
}
