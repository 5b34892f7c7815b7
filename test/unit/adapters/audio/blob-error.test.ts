import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { toBlobStorageError } from '../../../../adapters/audio/blob-error.js';
import { TalkbackError } from '../../../../core/errors.js';

const request = createPipelineRequest({ url: 'http://127.0.0.1:1/devstoreaccount1/audio/audio%2Fx.mp3' });

function restError(statusCode: number | undefined, code?: string, headers: Record<string, string> = {}): RestError {
  const response =
    statusCode === undefined ? undefined : { status: statusCode, headers: createHttpHeaders(headers), request };
  return new RestError(`status ${statusCode}`, { statusCode, code, request, response });
}

describe('toBlobStorageError', () => {
  it.each([
    [400, 'InvalidHeaderValue', 'BadRequest', false],
    [403, 'AuthenticationFailed', 'Unauthorized', false],
    [404, 'BlobNotFound', 'NotFound', false],
    [409, 'ContainerBeingDeleted', 'Conflict', false],
    [412, 'ConditionNotMet', 'PreconditionFailed', false],
    [408, 'OperationTimedOut', 'Timeout', true],
    [429, 'ServerBusy', 'Throttled', true],
    [500, 'InternalError', 'ServiceUnavailable', true],
    [503, 'ServerBusy', 'ServiceUnavailable', true],
    [416, 'InvalidRange', 'StorageRejected', false],
  ] as const)('maps HTTP %i (%s) to %s, retryable %s', (status, storageCode, code, retryable) => {
    const error = toBlobStorageError(restError(status, storageCode), 'upload audio/x.mp3');
    expect(error).toBeInstanceOf(TalkbackError);
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code, retryable });
    expect(error.details).toEqual({ statusCode: status, storageCode });
    expect(error.message).toContain('upload audio/x.mp3');
    expect(error.message).toContain(storageCode);
  });

  it('treats a failure without a status (network) as retryable', () => {
    const error = toBlobStorageError(restError(undefined, 'ECONNREFUSED'), 'download audio/x.mp3');
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code: 'StorageFailed', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('passes Retry-After on as retryAfterMs', () => {
    expect(toBlobStorageError(restError(503, 'ServerBusy', { 'retry-after': '7' }), 'upload').retryAfterMs).toBe(7_000);
    expect(toBlobStorageError(restError(503, 'ServerBusy'), 'upload').retryAfterMs).toBeUndefined();
  });

  it.each([
    ['AbortError', AbortSignal.abort().reason],
    ['TimeoutError', new DOMException('The operation timed out.', 'TimeoutError')],
  ])('turns an aborted operation (%s) into a retryable Timeout', (_name, reason) => {
    const error = toBlobStorageError(reason, 'upload audio/x.mp3');
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code: 'Timeout', retryable: true });
  });

  it('returns a TalkbackError unchanged', () => {
    const original = new TalkbackError('ConfigInvalid', 'bad');
    expect(toBlobStorageError(original, 'upload')).toBe(original);
  });
});
