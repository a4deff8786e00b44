import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '@dentalos/auth';
import { OutboxRelayService } from '@dentalos/events';
import { MetricsRegistry } from '@dentalos/metrics';
import { randomUUID } from 'node:crypto';
import type { ClientInfo } from '../common/client-info.js';
import { Clock } from '../common/clock.js';
import { randomToken, tokenDigest } from '../common/secret-token.js';
import { UserEnv } from '../config/user.env.js';
import { userEvents } from '../events/user-events.js';
import type { SessionDto } from './dto/session.dto.js';
import { SessionRepository } from './session.repository.js';
import { InvalidGrantError, SessionNotFoundError, SessionRevokedError } from './sessions.errors.js';
import { SESSION_MODEL } from './session.schema.js';

export interface OpenedSession {
  sessionId: string;
  refreshToken: string;
}

export interface RotatedSession extends OpenedSession {
  userId: string;
  /** The account's session epoch the session was opened under. */
  userEpoch: number;
}

/** Rotated-out hashes kept per session for reuse detection; older ones simply stop working. */
const USED_HASHES_KEPT = 20;
/** `lastSeenAt` is refreshed at most this often by API calls, to keep reads cheap. */
const TOUCH_INTERVAL_MS = 60_000;

/** Refresh tokens are `<sessionId>.<256 random bits>`: the prefix finds the family, the hash proves possession. */
function parseRefreshToken(token: string): string | undefined {
  const match = /^([0-9a-f-]{36})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match?.[1];
}

@Injectable()
export class SessionsService {
  private readonly logger = new Logger('Sessions');
  private readonly reuse: ReturnType<MetricsRegistry['counter']>;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly env: UserEnv,
    private readonly clock: Clock,
    private readonly outbox: OutboxRelayService,
    metrics: MetricsRegistry,
  ) {
    this.reuse = metrics.counter('user_refresh_token_reuse_total', 'Refresh tokens presented after rotation (families revoked)');
  }

  /** `userEpoch` is the account's session epoch as read when the credentials were checked. */
  async open(userId: string, userEpoch: number, client: ClientInfo): Promise<OpenedSession> {
    const now = this.clock.now();
    const sessionId = randomUUID();
    const refreshToken = `${sessionId}.${randomToken()}`;
    await this.sessions.create({
      _id: sessionId,
      userId,
      userEpoch,
      userAgent: client.userAgent,
      ip: client.ip,
      refreshHash: tokenDigest(refreshToken),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: this.expiry(now),
    });
    return { sessionId, refreshToken };
  }

  /** Rotates a refresh token; a rotated-out token revokes its whole family (the session). */
  async rotate(refreshToken: string): Promise<RotatedSession> {
    const sessionId = parseRefreshToken(refreshToken);
    if (!sessionId) throw new InvalidGrantError();
    const hash = tokenDigest(refreshToken);
    const now = this.clock.now();
    for (let attempt = 0; attempt < 3; attempt++) {
      const state = await this.sessions.findRefreshState(sessionId);
      if (!state || state.revokedAt || state.expiresAt <= now) throw new InvalidGrantError();
      if (state.refreshHash !== hash) {
        if (state.usedRefreshHashes.includes(hash)) await this.revokeForReuse(sessionId, state.userId);
        throw new InvalidGrantError();
      }
      const next = `${sessionId}.${randomToken()}`;
      const rotated = await this.sessions.rotate(sessionId, state.version, {
        fromHash: hash,
        toHash: tokenDigest(next),
        usedRefreshHashes: [...state.usedRefreshHashes, hash].slice(-USED_HASHES_KEPT),
        lastSeenAt: now,
        expiresAt: this.expiry(now),
      });
      if (rotated) return { sessionId, refreshToken: next, userId: state.userId, userEpoch: state.userEpoch ?? 0 };
    }
    throw new InvalidGrantError();
  }

  async list(caller: AuthUser): Promise<SessionDto[]> {
    const sessions = await this.sessions.listActive(caller.id, this.clock.now());
    return sessions.map((session) => ({
      id: session._id,
      userAgent: session.userAgent ?? null,
      ip: session.ip ?? null,
      createdAt: session.createdAt.toISOString(),
      lastSeenAt: session.lastSeenAt.toISOString(),
      current: session._id === caller.sessionId,
    }));
  }

  async revokeMine(caller: AuthUser, sessionId: string): Promise<void> {
    if (!(await this.sessions.revoke(sessionId, 'revoked-by-user', this.clock.now(), caller.id))) throw new SessionNotFoundError(sessionId);
  }

  async revokeOthers(caller: AuthUser): Promise<{ revoked: number }> {
    return { revoked: await this.sessions.revokeAllOf(caller.id, 'revoked-by-user', this.clock.now(), caller.sessionId) };
  }

  async logout(caller: AuthUser): Promise<void> {
    await this.sessions.revoke(caller.sessionId, 'logout', this.clock.now(), caller.id);
  }

  /**
   * Marks every session of the account revoked after a change that already raised the account's
   * session epoch: those sessions are refused either way, so a failure here is logged, not raised,
   * and the change it follows still counts as done.
   */
  async revokeAllAfterEpochChange(userId: string, reason: string): Promise<void> {
    try {
      await this.sessions.revokeAllOf(userId, reason, this.clock.now());
    } catch (error) {
      this.logger.error({ err: error, userId, reason }, 'marking sessions revoked failed; the session epoch still refuses them');
    }
  }

  async revoke(sessionId: string, reason: string): Promise<void> {
    await this.sessions.revoke(sessionId, reason, this.clock.now());
  }

  eraseDeviceDetails(userId: string): Promise<void> {
    return this.sessions.eraseDeviceDetailsOf(userId);
  }

  /**
   * Access tokens outlive nothing: a revoked or foreign session refuses them at once. Returns the
   * account's session epoch the session was opened under, for the caller to compare.
   */
  async assertActive(caller: AuthUser): Promise<number> {
    const now = this.clock.now();
    const session = await this.sessions.findView(caller.sessionId);
    if (!session || session.userId !== caller.id || session.revokedAt || session.expiresAt <= now) throw new SessionRevokedError();
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) await this.sessions.touch(session._id, now);
    return session.userEpoch ?? 0;
  }

  private async revokeForReuse(sessionId: string, userId: string): Promise<void> {
    const revoked = await this.sessions.revoke(sessionId, 'refresh-token-reused', this.clock.now(), undefined, [userEvents.refreshTokenReused(userId, sessionId)]);
    if (!revoked) return;
    this.reuse.inc();
    this.logger.warn({ userId, sessionId }, 'refresh token reused: session and token family revoked');
    this.outbox.kick(SESSION_MODEL, sessionId);
  }

  private expiry(now: Date): Date {
    return new Date(now.getTime() + this.env.REFRESH_TOKEN_TTL_SECONDS * 1000);
  }
}
