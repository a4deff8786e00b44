export { type CloudEvent, EVENT_TYPES, type NewEvent, STREAMS, createEvent } from './cloud-event.js';
export { EventPublisher, STREAM_MAX_LENGTH } from './event-publisher.js';
export { EventsModule, OutboxRelayService, type ProducerOptions } from './events.module.js';
export { OUTBOX_SCHEMA_FIELDS, type OutboxFields, outboxOnInsert, outboxOnUpdate } from './outbox.js';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
export { openSecret, sealSecret } from './sealed-secret.js';
export { PoisonMessageError, StreamConsumer, type StreamConsumerOptions, type StreamMessage } from './consumer/stream-consumer.js';
export { registerConsumerMetrics } from './consumer/consumer-metrics.js';
