import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ContactsModule } from '../contacts/contacts.module.js';
import { DeadLetterRepository } from '../dead-letters/dead-letter.repository.js';
import { DEAD_LETTER_MODEL, DeadLetterSchema } from '../dead-letters/dead-letter.schema.js';
import { DeadLettersController } from '../dead-letters/dead-letters.controller.js';
import { DeadLettersService } from '../dead-letters/dead-letters.service.js';
import { Senders } from '../delivery/channels/senders.js';
import { DeliveryMetrics } from '../delivery/delivery-metrics.js';
import { DeliveryProcessor } from '../delivery/delivery.processor.js';
import { DeliveryQueues } from '../delivery/delivery.queues.js';
import { DeliveryRepository } from '../delivery/delivery.repository.js';
import { DELIVERY_MODEL, DeliverySchema } from '../delivery/delivery.schema.js';
import { ProviderCalls } from '../delivery/provider-calls.js';
import { SendLedger } from '../delivery/send-ledger.js';
import { EventConsumerService } from '../events/event-consumer.service.js';
import { EventHandlers } from '../events/event-handlers.js';
import { PreferencesModule } from '../preferences/preferences.module.js';
import { TemplatesModule } from '../templates/templates.module.js';
import { NotificationFactory } from './notification-factory.js';
import { NotificationSweeper } from './notification-sweeper.js';
import { NotificationRepository } from './notification.repository.js';
import { NOTIFICATION_MODEL, NotificationSchema } from './notification.schema.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';
import { PendingDispatchRepository } from './pending-dispatch.repository.js';
import { PENDING_DISPATCH_MODEL, PendingDispatchSchema } from './pending-dispatch.schema.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** Acceptance, delivery, dead letters and event consumption: one lifecycle, one module. */
@Module({
  imports: [
    TemplatesModule,
    ContactsModule,
    PreferencesModule,
    MongooseModule.forFeature([
      { name: NOTIFICATION_MODEL, schema: NotificationSchema },
      { name: PENDING_DISPATCH_MODEL, schema: PendingDispatchSchema },
      { name: DELIVERY_MODEL, schema: DeliverySchema },
      { name: DEAD_LETTER_MODEL, schema: DeadLetterSchema },
    ]),
  ],
  // Static routes (dead-letters, webhooks) are declared before `notifications/:id`.
  controllers: [DeadLettersController, WebhooksController, NotificationsController],
  providers: [
    NotificationRepository,
    PendingDispatchRepository,
    NotificationFactory,
    NotificationsService,
    NotificationSweeper,
    WebhooksService,
    DeadLetterRepository,
    DeadLettersService,
    DeliveryQueues,
    DeliveryRepository,
    DeliveryProcessor,
    DeliveryMetrics,
    Senders,
    ProviderCalls,
    SendLedger,
    EventHandlers,
    EventConsumerService,
  ],
})
export class NotificationsModule {}
