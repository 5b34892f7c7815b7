import path from 'node:path';
import { azurePorts } from '../../core/config.js';
import { TOPIC } from '../../core/events.js';
import type { EventBus } from '../ports.js';
import { dataDirOf, type Implementation } from '../registry.js';

/** The EventBus implementations: Service Bus when SERVICEBUS_CONNECTION_STRING is set, else SQLite. */
export const eventBuses: readonly Implementation<EventBus>[] = [
  {
    id: 'azure-service-bus',
    selectedBy: (config) => azurePorts(config).bus,
    describe: () => `Azure Service Bus (topic ${TOPIC})`,
    async build(config) {
      const { AzureServiceBusEventBus } = await import('./azure-service-bus-event-bus.js');
      return new AzureServiceBusEventBus({
        connectionString: config.SERVICEBUS_CONNECTION_STRING ?? '',
        topicName: TOPIC,
        duplicateDetectionWindowMs: config.DUPLICATE_DETECTION_WINDOW_MS,
      });
    },
  },
  {
    id: 'sqlite',
    selectedBy: (config) => !azurePorts(config).bus,
    describe: (config) => `SQLite (${path.join(dataDirOf(config), 'bus.sqlite')})`,
    async build(config, deps) {
      const { SqliteEventBus } = await import('./sqlite-event-bus.js');
      return new SqliteEventBus({
        path: deps.inDataDir('bus.sqlite'),
        subscriptions: deps.subscriptions,
        lockDurationMs: config.LOCK_DURATION_MS,
        maxDeliveryCount: config.MAX_DELIVERY_COUNT,
        duplicateDetectionWindowMs: config.DUPLICATE_DETECTION_WINDOW_MS,
        inboxPath: deps.inDataDir('inbox.sqlite'),
        publishTo: deps.publishVia ?? 'bus',
      });
    },
  },
];
