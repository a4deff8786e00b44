import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@dentalos/core';
import { DeliveryQueues } from '../delivery/delivery.queues.js';
import { EventHandlers } from '../events/event-handlers.js';
import { DeliveryRepository } from '../delivery/delivery.repository.js';
import { DeadLetterNotReplayableError, EventReplayFailedError } from '../notifications/notifications.errors.js';
import { DeadLetterRepository } from './dead-letter.repository.js';
import type { DeadLetterDocument } from './dead-letter.schema.js';
import type { DeadLetterDto, ListDeadLettersQuery, ReplayAllResultDto, ReplayResultDto } from './dto/dead-letter.dto.js';

const REPLAY_ALL_LIMIT = 1_000;

function toDto(entry: DeadLetterDocument): DeadLetterDto {
  return {
    id: entry._id,
    kind: entry.kind,
    state: entry.state,
    reason: entry.reason,
    error: entry.error,
    notificationId: entry.notificationId,
    channel: entry.channel,
    attempts: entry.attempts,
    stream: entry.stream,
    eventType: entry.eventType,
    eventId: entry.event?.id,
    replays: entry.replays ?? 0,
    createdAt: new Date(entry.createdAt).toISOString(),
  };
}

@Injectable()
export class DeadLettersService {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly queues: DeliveryQueues,
    private readonly handlers: EventHandlers,
  ) {}

  async list(query: ListDeadLettersQuery): Promise<DeadLetterDto[]> {
    return (await this.deadLetters.list({ state: query.state, kind: query.kind }, query.limit, query.offset)).map(toDto);
  }

  /**
   * A delivery goes back to `queued` with a fresh retry budget; an event is handled again (its
   * handler is idempotent). The entry is claimed first (open → replayed) so two operators
   * replaying at once replay it once; a replay that fails re-opens it.
   */
  async replay(id: string): Promise<ReplayResultDto> {
    const entry = await this.deadLetters.byId(id);
    if (!entry) throw new NotFoundError('Dead letter', id);
    if (entry.state !== 'open' || !(await this.deadLetters.markReplayed(id))) throw new DeadLetterNotReplayableError(id, 'it was already replayed');
    try {
      if (entry.kind === 'delivery') await this.replayDelivery(entry);
      else await this.replayEvent(entry);
    } catch (error) {
      await this.deadLetters.reopen(id, (error as Error).message);
      throw error;
    }
    return { id, state: 'replayed' };
  }

  async replayAll(): Promise<ReplayAllResultDto> {
    const failedIds: string[] = [];
    let replayed = 0;
    for (const id of await this.deadLetters.openIds(REPLAY_ALL_LIMIT)) {
      try {
        await this.replay(id);
        replayed += 1;
      } catch {
        failedIds.push(id);
      }
    }
    return { replayed, failed: failedIds.length, failedIds };
  }

  private async replayDelivery(entry: DeadLetterDocument): Promise<void> {
    const { notificationId, channel } = entry;
    if (!notificationId || !channel) throw new DeadLetterNotReplayableError(entry._id, 'it names no delivery');
    const id = `${notificationId}:${channel}`;
    const replay = await this.deliveries.markReplayed(id, new Date());
    if (replay === null) throw new DeadLetterNotReplayableError(entry._id, await this.whyNotReplayable(id));
    await this.queues.enqueue([{ notificationId, channel, replay }]);
  }

  private async whyNotReplayable(deliveryId: string): Promise<string> {
    const [delivery] = await this.deliveries.byIds([deliveryId]);
    if (delivery?.sensitive && (delivery.status === 'failed' || delivery.status === 'dead_lettered')) {
      return 'its content held a one-time link and was discarded; the user has to request a new one';
    }
    return 'the delivery is no longer failed';
  }

  private async replayEvent(entry: DeadLetterDocument): Promise<void> {
    if (!entry.event) throw new DeadLetterNotReplayableError(entry._id, 'the entry was not a readable event');
    try {
      await this.handlers.handle(entry.event);
    } catch (error) {
      throw new EventReplayFailedError(entry._id, (error as Error).message);
    }
  }
}
