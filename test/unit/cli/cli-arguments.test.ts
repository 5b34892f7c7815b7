import { describe, expect, it } from 'vitest';
import { parseInvocation } from '../../../cli/cli-arguments.js';

describe('talkback CLI arguments', () => {
  it('parses every command, with --json anywhere', () => {
    expect(parseInvocation(['dlq', 'list'])).toEqual({ command: { name: 'dlq list' }, json: false });
    expect(parseInvocation(['--json', 'dlq', 'list', '--subscription', 'reply'])).toEqual({ command: { name: 'dlq list', subscription: 'reply' }, json: true });
    expect(parseInvocation(['dlq', 'show', 'm-1'])).toEqual({ command: { name: 'dlq show', messageId: 'm-1' }, json: false });
    expect(parseInvocation(['dlq', 'redrive', 'm-1', '--json']).command).toEqual({ name: 'dlq redrive', target: { messageId: 'm-1' } });
    expect(parseInvocation(['dlq', 'redrive', '--all', '--subscription', 'mail']).command).toEqual({ name: 'dlq redrive', target: { all: true, subscription: 'mail' } });
    expect(parseInvocation(['dlq', 'purge', '--all']).command).toEqual({ name: 'dlq purge', target: { all: true } });
    expect(parseInvocation(['erase', '--channel', 'msteams', '--user', 'u-1']).command).toEqual({ name: 'erase', selector: { channelId: 'msteams', customerId: 'u-1' } });
    expect(parseInvocation(['erase', '--conversation', 'c-1']).command).toEqual({ name: 'erase', selector: { conversationId: 'c-1' } });
    expect(parseInvocation(['journey', 'ev-1']).command).toEqual({ name: 'journey', eventId: 'ev-1' });
    expect(parseInvocation([]).command).toEqual({ name: 'help' });
  });

  it.each([
    [['dlq', 'redrive'], 'needs a message id or --all'],
    [['dlq', 'redrive', 'm-1', '--all'], 'needs a message id or --all'],
    [['dlq', 'purge', 'a', 'b'], 'takes one message id'],
    [['dlq', 'show'], 'exactly one message id'],
    [['dlq', 'list', '--channel', 'x'], 'option --channel does not apply'],
    [['dlq', 'frobnicate'], 'unknown dlq command'],
    [['erase', '--channel', 'msteams'], 'needs --channel and --user, or --conversation'],
    [['erase', '--channel', 'msteams', '--user', 'u', '--conversation', 'c'], 'not both'],
    [['erase', '--conversation', ' '], 'must not be empty'],
    [['journey'], 'exactly one event id'],
    [['journey', 'a', 'b'], 'exactly one event id'],
    [['deploy'], 'unknown command "deploy"'],
    [['dlq', 'list', '--colour'], "Unknown option '--colour'"],
  ])('refuses %j with a clear message and the usage', (argv, message) => {
    expect(() => parseInvocation(argv)).toThrow(expect.objectContaining({ code: 'BadRequest', message: expect.stringContaining(message) }));
    expect(() => parseInvocation(argv)).toThrow(/Usage: npm run talkback/);
  });
});
