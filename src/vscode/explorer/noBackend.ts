/** The sentence for an action that needs a backend when none is active. */
export function noBackendMessage(action: string): string {
  return `No trace backend is selected — select one (or start the local receiver) to ${action}.`;
}
