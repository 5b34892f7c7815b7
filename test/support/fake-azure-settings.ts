/**
 * Settings that select every Azure adapter, as in a deployed Functions app. Nothing here is a real
 * account or key: they are only ever used to construct clients, never to reach a service.
 */
export const FAKE_AZURE_SETTINGS: Readonly<Record<string, string>> = {
  MicrosoftAppId: '00000000-0000-4000-8000-000000000001',
  MicrosoftAppPassword: 'not-a-password',
  AZURE_STORAGE_CONNECTION_STRING:
    'DefaultEndpointsProtocol=https;AccountName=talkbacktest;AccountKey=bm90LWEta2V5;EndpointSuffix=core.windows.net',
  SERVICEBUS_CONNECTION_STRING:
    'Endpoint=sb://talkback-test.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=bm90LWEta2V5',
  COSMOS_ENDPOINT: 'https://talkback-test.documents.azure.com:443/',
  COSMOS_KEY: 'bm90LWEta2V5',
  SPEECH_KEY: 'not-a-key',
  SPEECH_REGION: 'westeurope',
  SENDGRID_API_KEY: 'SG.not-a-key',
  MAIL_FROM: 'talkback@example.com',
  STAFF_EMAILS: 'support@example.com',
  LOG_LEVEL: 'silent',
};
