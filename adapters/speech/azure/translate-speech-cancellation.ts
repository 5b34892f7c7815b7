import { CancellationErrorCode, CancellationReason } from 'microsoft-cognitiveservices-speech-sdk';
import { TalkbackError, codeForStatus, type ErrorCode } from '../../../core/errors.js';
import { redactSecrets } from '../../../core/redact.js';

/** What each error code of a canceled synthesis means for a message that asked for it (the failure policy decides the retry). */
const RULES: Readonly<Partial<Record<CancellationErrorCode, ErrorCode>>> = {
  [CancellationErrorCode.AuthenticationFailure]: 'Unauthorized',
  // Speech answers 403 when a free (F0) key has used up its quota: no retry fixes that this month.
  [CancellationErrorCode.Forbidden]: 'Unauthorized',
  // Invalid SSML, an unknown voice, a request too long: the same request fails the same way.
  [CancellationErrorCode.BadRequestParameters]: 'BadRequest',
  [CancellationErrorCode.TooManyRequests]: 'Throttled',
  [CancellationErrorCode.ServiceTimeout]: 'Timeout',
  [CancellationErrorCode.ServiceError]: 'SpeechFailed',
  [CancellationErrorCode.ConnectionFailure]: 'ServiceUnavailable',
  [CancellationErrorCode.RuntimeError]: 'SpeechFailed',
};

/**
 * The HTTP status of a refused WebSocket upgrade. The SDK reports a 401 (bad key), 403, 429 or 5xx
 * on the upgrade as ConnectionFailure with the status only in the text ("Unexpected server
 * response: 401", "StatusCode: 429"), so that text decides when it carries one.
 */
function httpStatusIn(errorDetails: string): number | undefined {
  const match = /(?:Unexpected server response:?|StatusCode:)\s*(\d{3})\b/i.exec(errorDetails);
  const status = match?.[1] === undefined ? undefined : Number(match[1]);
  return status !== undefined && status >= 400 && status < 600 ? status : undefined;
}

/**
 * A canceled Azure Speech synthesis -> TalkbackError, from the SDK's CancellationDetails
 * (reason, ErrorCode, errorDetails). Timeouts, throttling, connection and service failures are
 * retryable; authentication, quota and bad-request failures are not. `secrets` (the key) are cut
 * out of the message.
 */
export function translateSpeechCancellation(
  reason: CancellationReason,
  errorCode: CancellationErrorCode,
  errorDetails: string,
  secrets: readonly string[] = [],
): TalkbackError {
  const status = errorCode === CancellationErrorCode.ConnectionFailure ? httpStatusIn(errorDetails) : undefined;
  const code = status !== undefined ? codeForStatus(status, 'SpeechFailed', 'SpeechRejected') : (RULES[errorCode] ?? 'SpeechFailed');
  const name = CancellationErrorCode[errorCode] ?? String(errorCode);
  const why = reason === CancellationReason.Error ? name : `${CancellationReason[reason] ?? String(reason)}/${name}`;
  const text = errorDetails.replace(/\s+/g, ' ').trim() || 'no details';
  return new TalkbackError(code, redactSecrets(`Azure Speech: synthesis canceled (${why}): ${text}`, secrets), {
    details: { cancellationErrorCode: name, ...(status === undefined ? {} : { status }) },
  });
}
