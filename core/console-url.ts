/** The page of one interaction (id = its message.received event id) in the staff console under CONSOLE_BASE_URL. */
export function interactionUrl(consoleBaseUrl: string, eventId: string): string {
  return `${consoleBaseUrl}/interactions/${encodeURIComponent(eventId)}`;
}
