import { ServiceBusAdministrationClient } from '@azure/service-bus';
import { AzureServiceBusEventBus } from '../../../adapters/bus/azure-service-bus-event-bus.js';
import type { SubscriptionSpec } from '../../../adapters/ports.js';
import { randomId } from '../../../core/ids.js';
import { runEventBusContract } from './event-bus.contract.js';

/**
 * The EventBus contract against a real Service Bus namespace (Standard tier or above: topics).
 * The adapter does not provision anything — in production the topic and its filtered
 * subscriptions come with the infrastructure — so each test gets a fresh topic made here with the
 * administration client, shaped like production: duplicate detection on, lock 30 s, max delivery
 * count 10, one subject filter per subscription. The connection string needs the Manage claim.
 * The topic deletes itself after an hour idle, should a cleanup not run.
 */
const connectionString = process.env.SERVICEBUS_CONNECTION_STRING;

function subjectFilter(spec: SubscriptionSpec) {
  if (spec.subjects === '*') return {}; // the default rule: a TrueFilter
  const subjects = spec.subjects.map((subject) => `'${subject.replace(/'/g, "''")}'`).join(', ');
  return { defaultRuleOptions: { name: 'subjects', filter: { sqlExpression: `sys.Label IN (${subjects})` } } };
}

runEventBusContract({
  name: 'AzureServiceBusEventBus',
  skip:
    connectionString === undefined || connectionString === ''
      ? 'SERVICEBUS_CONNECTION_STRING not set: no Service Bus namespace reachable from this machine'
      : undefined,
  create: async (subscriptions) => {
    const cs = connectionString ?? '';
    const admin = new ServiceBusAdministrationClient(cs);
    const topicName = `talkback-contract-${randomId().slice(0, 8)}`;
    await admin.createTopic(topicName, {
      requiresDuplicateDetection: true,
      duplicateDetectionHistoryTimeWindow: 'PT10M',
      autoDeleteOnIdle: 'PT1H',
    });
    for (const spec of subscriptions) {
      await admin.createSubscription(topicName, spec.name, {
        lockDuration: 'PT30S',
        maxDeliveryCount: 10,
        ...subjectFilter(spec),
      });
    }
    const bus = new AzureServiceBusEventBus({ connectionString: cs, topicName });
    return {
      bus,
      cleanup: async () => {
        await bus.close();
        await admin.deleteTopic(topicName);
      },
    };
  },
});
