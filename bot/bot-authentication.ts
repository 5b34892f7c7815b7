import type { Activity } from 'botbuilder';
import { AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import { ReusedClientsAuthentication } from '../adapters/chat/reused-clients-authentication.js';

/** What jsonwebtoken throws for a token it refuses (a bad signature or algorithm, nbf in the future, expired). */
const REFUSED_TOKEN = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * Bot Framework authentication from settings, with its failures sorted the way a channel needs them.
 * CloudAdapter answers 401 only to an AuthenticationError and 500 to anything else, but
 * botframework-connector lets jsonwebtoken's errors through as they are: a token with a forged
 * signature would get a 500, which a channel retries. And failing to load the signing keys is an
 * AuthenticationError (a 401, never retried) although the token may be perfectly valid.
 * Its connector and user-token clients are bounded and kept (ReusedClientsAuthentication).
 */
export class BotAuthentication extends ReusedClientsAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    let result: AuthenticateRequestResult;
    try {
      result = await super.authenticateRequest(activity, authHeader);
    } catch (error) {
      throw sortAuthenticationFailure(error);
    }
    // The in-turn replies go through the factory the authentication result carries.
    if (result.connectorFactory) result.connectorFactory = this.reused(result.connectorFactory);
    return result;
  }
}

export function sortAuthenticationFailure(error: unknown): unknown {
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && REFUSED_TOKEN.has(name)) {
    return new AuthenticationError(`Unauthorized. ${(error as Error).message}`, 401);
  }
  if (AuthenticationError.isStatusCodeError(error) && Number(error.statusCode) >= 500) {
    return new Error(`could not check the token, retry: ${error.message ?? ''}`, { cause: error });
  }
  return error;
}
