import type { Ports } from '../adapters/index.js';
import type { Config } from '../core/config.js';
import type { IntakeLimit } from '../core/intake-limit.js';
import type { Logger } from '../core/logger.js';
import type { RefusalLog } from '../core/refusals.js';

/** The bus delivery a subscriber is running on. */
export interface Delivery {
  messageId: string;
  /** 1 on the first delivery. */
  deliveryCount: number;
  invocationId: string;
  /** When the bus enqueued this message (a redriven dead letter: when it was redriven). */
  enqueuedAt?: Date;
}

/**
 * How the host settles a subscriber's bus message (GET /api/health says which):
 * - 'pump': the local host's pumps (embedded bus or Service Bus): complete, dead-letter at once with
 *   the code as reason, abandon after the retry delay;
 * - 'sdk-binding': the Functions app with SERVICEBUS_SDK_BINDING=true: the same, through the Service
 *   Bus trigger's SDK-type binding;
 * - 'throw': the Functions app without it: a failure throws after its delay and Service Bus redelivers
 *   until the max delivery count (MaxDeliveryCountExceeded), permanent failures included.
 */
export type SettlementMode = 'pump' | 'sdk-binding' | 'throw';

/**
 * What a handler gets from its host, whichever host it is: plain values, never a host's own types.
 * Every side effect goes through `ports`.
 */
export interface FunctionContext {
  ports: Ports;
  config: Config;
  logger: Logger;
  now: () => Date;
  /** Name of this worker, the owner of the claims it takes. */
  workerId: string;
  /** True when a claim's owner is known to be dead (the local host sees its process is gone). */
  claimOwnerGone?: (owner: string) => boolean;
  /** Requests refused at the edge: counted, the latest kept (the staff console reads it). */
  refusals?: RefusalLog;
  /** The host's intake limit (INTAKE_MAX_IN_FLIGHT); absent: the host limits intake itself. */
  intake?: IntakeLimit;
  delivery?: Delivery;
  /** How this host settles bus messages (undefined: not said). */
  settlement?: SettlementMode;
  /**
   * Set when the audio store and the speech engine live in the local host's pipeline worker (a thread
   * with its own ports): this event loop must not open them, and health reports the worker instead.
   */
  pipelineWorker?: { running(): boolean; describe(): string };
}

/**
 * The context of one invocation: the host's context with a logger naming the function and invocation,
 * made when first used (a pino child costs more than the chat endpoint's whole answer to most
 * messages, which log nothing).
 */
export function invocationContext(app: FunctionContext, name: string, invocationId: string, delivery?: Delivery): FunctionContext {
  let logger: Logger | undefined;
  return {
    ...app,
    get logger() {
      return (logger ??= app.logger.child({ function: name, invocationId }));
    },
    ...(delivery ? { delivery } : {}),
  };
}
