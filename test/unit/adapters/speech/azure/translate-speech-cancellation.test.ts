import { CancellationErrorCode, CancellationReason } from 'microsoft-cognitiveservices-speech-sdk';
import { describe, expect, it } from 'vitest';
import { translateSpeechCancellation } from '../../../../../adapters/speech/azure/translate-speech-cancellation.js';
import { TalkbackError } from '../../../../../core/errors.js';

const KEY = '0123456789abcdef0123456789abcdef';

describe('translateSpeechCancellation', () => {
  it.each([
    [CancellationErrorCode.TooManyRequests, 'Throttled', true],
    [CancellationErrorCode.ServiceTimeout, 'Timeout', true],
    [CancellationErrorCode.ServiceError, 'SpeechFailed', true],
    [CancellationErrorCode.ConnectionFailure, 'ServiceUnavailable', true],
    [CancellationErrorCode.RuntimeError, 'SpeechFailed', true],
    [CancellationErrorCode.AuthenticationFailure, 'Unauthorized', false],
    [CancellationErrorCode.Forbidden, 'Unauthorized', false],
    [CancellationErrorCode.BadRequestParameters, 'BadRequest', false],
    [CancellationErrorCode.NoError, 'SpeechFailed', true],
  ] as const)('maps CancellationErrorCode %s to %s, retryable %s', (errorCode, code, retryable) => {
    const error = translateSpeechCancellation(CancellationReason.Error, errorCode, 'the service said no');
    expect(error).toBeInstanceOf(TalkbackError);
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code, retryable });
    expect(error.details).toMatchObject({ cancellationErrorCode: CancellationErrorCode[errorCode] });
    expect(error.message).toContain(CancellationErrorCode[errorCode]);
    expect(error.message).toContain('the service said no');
  });

  it.each([
    [401, 'Unauthorized', false],
    [403, 'Unauthorized', false],
    [429, 'Throttled', true],
    [500, 'ServiceUnavailable', true],
    [503, 'ServiceUnavailable', true],
  ] as const)('reads HTTP %i from a refused WebSocket upgrade as %s, retryable %s', (status, code, retryable) => {
    // The text the SDK produces when the upgrade is refused (measured against a local server).
    const details = `Unable to contact server. StatusCode: 1006,\n      wss://koreacentral.tts.speech.microsoft.com/cognitiveservices/websocket/v1 Reason:  Unexpected server response: ${status}`;
    const error = translateSpeechCancellation(CancellationReason.Error, CancellationErrorCode.ConnectionFailure, details);
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code, retryable });
    expect(error.details).toEqual({ cancellationErrorCode: 'ConnectionFailure', status });
    expect(error.message).not.toContain('\n');
  });

  it('keeps a plain connection failure (no HTTP status, e.g. a WebSocket close 1011) retryable', () => {
    const error = translateSpeechCancellation(
      CancellationReason.Error,
      CancellationErrorCode.ConnectionFailure,
      'internal error websocket error code: 1011',
    );
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code: 'ServiceUnavailable', retryable: true });
  });

  it('names a reason other than Error in the message', () => {
    const error = translateSpeechCancellation(CancellationReason.EndOfStream, CancellationErrorCode.NoError, '');
    expect(error.message).toContain('EndOfStream/NoError');
    expect(error.message).toContain('no details');
  });

  it('never puts the key in the message', () => {
    const error = translateSpeechCancellation(
      CancellationReason.Error,
      CancellationErrorCode.AuthenticationFailure,
      `Invalid subscription key ${KEY} for region koreacentral`,
      [KEY],
    );
    expect(error.message).not.toContain(KEY);
    expect(error.message).toContain('[redacted]');
  });
});
