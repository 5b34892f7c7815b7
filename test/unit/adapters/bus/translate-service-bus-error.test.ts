import { MessagingError, ServiceBusError } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { translateServiceBusError } from '../../../../adapters/bus/translate-service-bus-error.js';
import { TalkbackError } from '../../../../core/errors.js';

const KEY = 'c2VjcmV0LWtleS1kby1ub3QtbGVhaw==';
const CONNECTION_STRING = `Endpoint=sb://talkback.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${KEY}`;

describe('translateServiceBusError', () => {
  it.each([
    ['MessageLockLost', 'LockLost', true],
    ['SessionLockLost', 'LockLost', true],
    ['ServiceBusy', 'Throttled', true],
    ['ServiceTimeout', 'Timeout', true],
    ['ServiceCommunicationProblem', 'ServiceUnavailable', true],
    ['QuotaExceeded', 'Throttled', true],
    ['UnauthorizedAccess', 'Unauthorized', false],
    ['MessagingEntityNotFound', 'NotFound', false],
    ['MessageNotFound', 'NotFound', false],
    ['MessagingEntityDisabled', 'BusRejected', false],
    ['MessagingEntityAlreadyExists', 'Conflict', false],
    ['MessageSizeExceeded', 'PayloadTooLarge', false],
  ] as const)('maps ServiceBusError %s to %s, retryable %s', (sbCode, code, retryable) => {
    const sdkError = new ServiceBusError(`the service said ${sbCode}`, sbCode);
    const error = translateServiceBusError(sdkError, 'publish message.received e-1');
    expect(error).toBeInstanceOf(TalkbackError);
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code, retryable });
    expect(error.details).toEqual({ serviceBusCode: sbCode });
    expect(error.message).toContain('publish message.received e-1');
    expect(error.message).toContain(sbCode);
    expect(error.cause).toBe(sdkError);
  });

  it('asks for a ~10 s pause when the namespace is busy', () => {
    const error = translateServiceBusError(new ServiceBusError('busy', 'ServiceBusy'), 'publish');
    expect(error.retryAfterMs).toBe(10_000);
  });

  it('follows the SDK retryable flag for a GeneralError: BusFailed or BusRejected', () => {
    const transient = new ServiceBusError('link detached', 'GeneralError');
    expect(transient.retryable).toBe(true);
    expect(translateServiceBusError(transient, 'receive on speech')).toMatchObject({ code: 'BusFailed', retryable: true });

    const permanent = new ServiceBusError('bad filter', 'GeneralError');
    permanent.retryable = false;
    expect(translateServiceBusError(permanent, 'receive on speech')).toMatchObject({ code: 'BusRejected', retryable: false });
  });

  it('overrides the SDK retryable flag where the code says otherwise', () => {
    // Built from a message and a code, a ServiceBusError is always retryable: true.
    const sdkError = new ServiceBusError('Unauthorized access. Send claim is required', 'UnauthorizedAccess');
    expect(sdkError.retryable).toBe(true);
    expect(translateServiceBusError(sdkError, 'publish').retryable).toBe(false);
  });

  it('maps core-amqp MessagingError conditions the way the SDK does', () => {
    const lockLost = new MessagingError('lock lost');
    lockLost.code = 'MessageLockLostError';
    expect(translateServiceBusError(lockLost, 'complete on speech')).toMatchObject({ code: 'LockLost', retryable: true });

    const busy = new MessagingError('server busy');
    busy.code = 'ServerBusyError';
    expect(translateServiceBusError(busy, 'publish')).toMatchObject({ code: 'Throttled', retryable: true });
  });

  it('treats a socket failure as a retryable outage even though the SDK marks it not retryable', () => {
    // What the SDK throws when nothing listens at the namespace address (measured here).
    const refused = new ServiceBusError('GeneralError: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5671', 'GeneralError');
    Object.assign(refused, { retryable: false, syscall: 'connect', errno: -111, address: '127.0.0.1', port: 5671 });
    expect(translateServiceBusError(refused, 'receive on speech')).toMatchObject({
      code: 'ServiceUnavailable',
      retryable: true,
    });

    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND x.servicebus.windows.net'), {
      code: 'ENOTFOUND',
      syscall: 'getaddrinfo',
    });
    expect(translateServiceBusError(dns, 'publish')).toMatchObject({ code: 'ServiceUnavailable', retryable: true });
  });

  it('turns the SDK "already settled" error into LockLost', () => {
    const error = translateServiceBusError(
      new Error('The message has either been deleted or already settled'),
      'complete on speech',
    );
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code: 'LockLost', retryable: true });
  });

  it('treats anything else as a retryable BusFailed, and passes a TalkbackError through', () => {
    expect(translateServiceBusError(new Error('Failed to connect'), 'publish')).toMatchObject({
      code: 'BusFailed',
      retryable: true,
    });
    expect(translateServiceBusError('a string', 'publish')).toMatchObject({ code: 'BusFailed', retryable: true });
    const own = new TalkbackError('LockLost', 'gone');
    expect(translateServiceBusError(own, 'publish')).toBe(own);
  });

  it('never puts the connection string or its key in the message', () => {
    const leaky = new ServiceBusError(
      `Invalid connection string ${CONNECTION_STRING}; token SharedAccessSignature sr=x&sig=abcDEF123&se=1`,
      'UnauthorizedAccess',
    );
    const error = translateServiceBusError(leaky, 'publish', [CONNECTION_STRING, KEY]);
    expect(error.message).not.toContain(KEY);
    expect(error.message).not.toContain(CONNECTION_STRING);
    expect(error.message).not.toContain('abcDEF123');
    expect(error.message).toContain('[redacted]');

    // Even without being told the secrets, a SharedAccessKey=... in the text is cut out.
    const unlisted = translateServiceBusError(leaky, 'publish');
    expect(unlisted.message).not.toContain(KEY);
    expect(unlisted.message).not.toContain('abcDEF123');
  });
});
