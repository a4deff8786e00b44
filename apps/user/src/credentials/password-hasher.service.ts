import { Injectable, type OnModuleInit } from '@nestjs/common';
import argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { UserEnv } from '../config/user.env.js';

/**
 * Argon2id on the libuv threadpool (argon2's native binding), so a login burst costs CPU but
 * never blocks the event loop. Parameters come from config; stored hashes carry their own.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private readonly options: { type: typeof argon2.argon2id; memoryCost: number; timeCost: number; parallelism: number };
  private dummyHash?: string;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly concurrency: number;

  constructor(env: UserEnv) {
    this.concurrency = env.ARGON2_CONCURRENCY;
    this.options = { type: argon2.argon2id, memoryCost: env.ARGON2_MEMORY_KIB, timeCost: env.ARGON2_TIME_COST, parallelism: env.ARGON2_PARALLELISM };
  }

  async onModuleInit(): Promise<void> {
    // Unknown emails are checked against this, so they cost as much as a wrong password.
    this.dummyHash = await this.hash(randomBytes(24).toString('base64'));
  }

  hash(password: string): Promise<string> {
    return this.limited(() => argon2.hash(password, this.options));
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await this.limited(() => argon2.verify(hash, password));
    } catch {
      return false;
    }
  }

  /** Spends the same work as a real check and always fails. */
  async verifyNothing(password: string): Promise<false> {
    await this.verify(this.dummyHash!, password);
    return false;
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** True when the hash was made with other parameters than the configured ones. */
  needsRehash(hash: string): boolean {
    return argon2.needsRehash(hash, this.options);
  }
}
