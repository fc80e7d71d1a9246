/** Any thrown value as one line of text: an Error's message (its name when the message is empty), else String(e). */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}
