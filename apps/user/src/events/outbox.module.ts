import { Global, Module } from '@nestjs/common';
import { EventsModule, STREAMS } from '@dentalos/events';
import { SESSION_MODEL } from '../sessions/session.schema.js';
import { USER_MODEL } from '../users/user.schema.js';

/** One outbox relay for the whole service, shared by every feature that writes events. */
@Global()
@Module({
  imports: [EventsModule.forProducer({ stream: STREAMS.user, models: [USER_MODEL, SESSION_MODEL] })],
  exports: [EventsModule],
})
export class OutboxModule {}
