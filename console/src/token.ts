/**
 * The planner token for scenario writes. It lives in memory, and in sessionStorage only when
 * the planner ticks "remember for this tab" (gone when the tab closes). It is never put in a
 * URL, never logged, and only sent as `authorization` metadata on writes (api.ts).
 */
const KEY = "freight-console.planner-token";

let current = "";
try {
  current = sessionStorage.getItem(KEY) ?? "";
} catch {
  // Storage disabled: memory only.
}

export const token = {
  get(): string {
    return current;
  },
  /** Sets the token; `remember` keeps it in sessionStorage for this tab, else clears it there. */
  set(value: string, remember: boolean): void {
    current = value.trim();
    try {
      if (remember && current) sessionStorage.setItem(KEY, current);
      else sessionStorage.removeItem(KEY);
    } catch {
      // Storage disabled: memory only.
    }
  },
  remembered(): boolean {
    try {
      return sessionStorage.getItem(KEY) !== null;
    } catch {
      return false;
    }
  },
};
