/** What every activity must carry for the bot to answer it (and for its event to be valid). */
export function missingActivityFields(body: Record<string, unknown>): string[] {
  const text = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  const conversation = body['conversation'] as { id?: unknown } | undefined;
  const from = body['from'] as { id?: unknown } | undefined;
  return [
    ...(text(body['type']) ? [] : ['type']),
    ...(text(body['channelId']) ? [] : ['channelId']),
    ...(text(body['serviceUrl']) ? [] : ['serviceUrl']),
    ...(typeof conversation === 'object' && conversation !== null && text(conversation.id) ? [] : ['conversation.id']),
    ...(body['type'] !== 'message' || (typeof from === 'object' && from !== null && text(from.id)) ? [] : ['from.id']),
  ];
}
