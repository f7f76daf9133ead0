import { US_STATES } from '../us-states.js';

/** US state and territory names, for `{state}` when a pack's state table does not list the state. */
export { US_STATES };

/** "New York (NY)"; the code alone when the name is unknown. */
export function stateLabel(code: string | null, name?: string): string {
  if (!code) return 'none';
  const n = name ?? US_STATES[code];
  return n ? `${n} (${code})` : code;
}
