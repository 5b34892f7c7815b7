/** An inbound Bot Framework request, as plain values any HTTP host can give. */
export interface BotHttpRequest {
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface BotHttpResponse {
  status: number;
  body?: string;
  /** e.g. Retry-After on a 429 from the flood guard. */
  headers?: Record<string, string>;
}

/**
 * The inbound turn: authenticates an activity, runs the bot on it and answers the channel. One
 * implementation per bot SDK (bot/chat-endpoints.ts lists them); the outbound proactive send is the
 * ChatChannel port (adapters/chat/).
 */
export interface ChatEndpoint {
  process(request: BotHttpRequest): Promise<BotHttpResponse>;
  close(): Promise<void>;
}
