import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { SendResult } from './channels/channel-sender.js';

/** Longer than any delivery waits for its next attempt, quiet hours included. */
const TTL_SECONDS = 7 * 24 * 3600;

export interface LedgerEntry extends SendResult {
  at: string;
}

/**
 * Which provider calls succeeded, written the moment the provider's answer arrives: one Redis SET
 * (about a millisecond), where recording `sent` in the database can take far longer (updates
 * queue behind each other). A job that finds its delivery unsettled after a crash looks here
 * before calling the provider again, so only a crash between the provider's answer and this write
 * repeats a send. Keyed by delivery and replay: a replayed delivery is meant to go out again.
 */
@Injectable()
export class SendLedger {
  constructor(private readonly redis: Redis) {}

  private key(deliveryId: string, replay: number): string {
    return `sent:${deliveryId}:${replay}`;
  }

  async find(deliveryId: string, replay: number): Promise<LedgerEntry | null> {
    const raw = await this.redis.get(this.key(deliveryId, replay));
    return raw ? (JSON.parse(raw) as LedgerEntry) : null;
  }

  async record(deliveryId: string, replay: number, result: SendResult, at: Date): Promise<void> {
    const entry: LedgerEntry = { ...result, at: at.toISOString() };
    await this.redis.set(this.key(deliveryId, replay), JSON.stringify(entry), 'EX', TTL_SECONDS);
  }
}
