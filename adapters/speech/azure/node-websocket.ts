/**
 * The Speech SDK opens its connection with the runtime's global `WebSocket` when there is one
 * (Node 22 has it) instead of its own `ws` client. The global one cannot send headers, so the
 * subscription key / authorization header never reaches the service and every synthesis fails
 * with an authentication error. Forcing the SDK's `ws` client keeps Node 20 and Node 22 alike.
 *
 * The flag lives on a class the package does not re-export; the package has no exports map, so
 * the deep import is the supported way to reach it (the same CommonJS module instance the SDK uses).
 */
import { WebsocketMessageAdapter } from 'microsoft-cognitiveservices-speech-sdk/distrib/lib/src/common.browser/Exports.js';

export function useNodeWebSocketClient(): void {
  WebsocketMessageAdapter.forceNpmWebSocket = true;
}
