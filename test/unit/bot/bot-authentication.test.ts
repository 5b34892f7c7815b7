import { describe, expect, it } from 'vitest';
import { ReusedClientsAuthentication } from '../../../adapters/chat/reused-clients-authentication.js';
import { BotAuthentication } from '../../../bot/bot-authentication.js';

describe('BotAuthentication', () => {
  it('keeps its connector and user-token clients for every turn (test/unit/adapters/chat/reused-clients-authentication.test.ts)', () => {
    const auth = new BotAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' }, undefined);
    expect(auth).toBeInstanceOf(ReusedClientsAuthentication);
  });
});
