import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '@dentalos/auth';
import { OutboxRelayService, sealSecret } from '@dentalos/events';
import { MetricsRegistry } from '@dentalos/metrics';
import { randomUUID } from 'node:crypto';
import type { ClientInfo } from '../common/client-info.js';
import { Clock } from '../common/clock.js';
import { randomToken, tokenDigest } from '../common/secret-token.js';
import { UserEnv } from '../config/user.env.js';
import { PasswordHasher } from '../credentials/password-hasher.service.js';
import { PasswordPolicy } from '../credentials/password-policy.service.js';
import { userEvents } from '../events/user-events.js';
import { AccessTokens } from '../keys/access-tokens.service.js';
import { InvalidGrantError } from '../sessions/sessions.errors.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { UserProfileDto } from '../users/dto/user-profile.dto.js';
import { toProfile } from '../users/user.mapper.js';
import { type LoginCandidate, UserRepository } from '../users/user.repository.js';
import { UserNotFoundError, EmailTakenError } from '../users/users.errors.js';
import { InvalidCredentialsError, InvalidLinkTokenError } from './auth.errors.js';
import type { LoginDto, RegisterDto } from './dto/auth-requests.dto.js';
import type { TokenPairDto } from './dto/auth-responses.dto.js';
import { afterFailure, isLocked, type LockoutSettings } from './lockout.policy.js';
import { USER_MODEL } from '../users/user.schema.js';

const DUPLICATE_KEY = 11000;
const LOCKOUT_WRITE_ATTEMPTS = 3;

/** Registration, email verification, login, refresh and logout. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');
  private readonly lockoutSettings: LockoutSettings;
  private readonly logins: ReturnType<MetricsRegistry['counter']>;

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly tokens: AccessTokens,
    private readonly outbox: OutboxRelayService,
    private readonly clock: Clock,
    private readonly env: UserEnv,
    metrics: MetricsRegistry,
  ) {
    this.lockoutSettings = {
      threshold: env.LOCKOUT_THRESHOLD,
      windowMs: env.LOCKOUT_WINDOW_SECONDS * 1000,
      durationMs: env.LOCKOUT_DURATION_SECONDS * 1000,
    };
    this.logins = metrics.counter('user_logins_total', 'Login attempts by outcome', ['outcome']);
  }

  async register(input: RegisterDto): Promise<UserProfileDto> {
    this.policy.assertAcceptable(input.password, input.email);
    const now = this.clock.now();
    const id = randomUUID();
    const token = randomToken();
    const expiresAt = new Date(now.getTime() + this.env.EMAIL_VERIFICATION_TTL_SECONDS * 1000);
    const profile = { email: input.email, displayName: input.displayName, locale: input.locale ?? 'en', timezone: input.timezone ?? 'UTC' };
    const event = userEvents.created({
      userId: id,
      ...profile,
      verification: { sealedToken: sealSecret(token, this.env.EVENT_SEALING_KEY), expiresAt: expiresAt.toISOString() },
    });
    const passwordHash = await this.hasher.hash(input.password);
    try {
      await this.users.create({ _id: id, ...profile, passwordHash, roles: [], verification: { tokenHash: tokenDigest(token), expiresAt } }, event);
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) throw new EmailTakenError();
      throw error;
    }
    this.outbox.kick(USER_MODEL, id);
    const created = await this.users.findById(id);
    if (!created) throw new UserNotFoundError(id);
    return toProfile(created);
  }

  async verifyEmail(token: string): Promise<void> {
    const hash = tokenDigest(token);
    const user = await this.users.findIdByVerificationToken(hash, this.clock.now());
    if (!user || !(await this.users.markVerified(user._id, hash, this.clock.now(), userEvents.verified(user._id, user.email ?? '')))) {
      throw new InvalidLinkTokenError('verification');
    }
    this.outbox.kick(USER_MODEL, user._id);
  }

  /**
   * Every failing path spends one Argon2 verification, so unknown emails, locked accounts and
   * wrong passwords take the same time and get the same answer.
   */
  async login(input: LoginDto, client: ClientInfo): Promise<TokenPairDto> {
    const user = await this.users.findForLogin(input.email);
    if (!user?.passwordHash || user.status !== 'active') {
      await this.hasher.verifyNothing(input.password);
      return this.refuse('unknown');
    }
    if (isLocked(user.lockout, this.clock.now())) {
      await this.hasher.verifyNothing(input.password);
      return this.refuse('locked');
    }
    if (!(await this.hasher.verify(user.passwordHash, input.password))) {
      await this.recordFailure(user);
      return this.refuse('wrong-password');
    }
    const rehash = this.hasher.needsRehash(user.passwordHash) ? await this.hasher.hash(input.password) : undefined;
    await this.users.recordLogin(user._id, this.clock.now(), rehash);
    const session = await this.sessions.open(user._id, client);
    this.logins.inc({ outcome: 'success' });
    return this.tokenPair(user._id, user.roles, session.sessionId, session.refreshToken);
  }

  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const rotated = await this.sessions.rotate(refreshToken);
    const user = await this.users.findById(rotated.userId);
    if (!user || user.status !== 'active') {
      await this.sessions.revoke(rotated.sessionId, 'account-inactive');
      throw new InvalidGrantError();
    }
    return this.tokenPair(user._id, user.roles, rotated.sessionId, rotated.refreshToken);
  }

  logout(caller: AuthUser): Promise<void> {
    return this.sessions.logout(caller);
  }

  private async tokenPair(userId: string, roles: string[], sessionId: string, refreshToken: string): Promise<TokenPairDto> {
    const access = await this.tokens.issue({ userId, sessionId, roles });
    return { accessToken: access.token, tokenType: 'Bearer', expiresIn: access.expiresIn, refreshToken, sessionId };
  }

  private refuse(outcome: string): never {
    this.logins.inc({ outcome });
    throw new InvalidCredentialsError();
  }

  /** Optimistic per-account counter: concurrent failures retry on the fresh document. */
  private async recordFailure(first: LoginCandidate): Promise<void> {
    let user: LoginCandidate | null = first;
    for (let attempt = 0; user && attempt < LOCKOUT_WRITE_ATTEMPTS; attempt++) {
      const now = this.clock.now();
      const { lockout, lockedForMs } = afterFailure(user.lockout, now, this.lockoutSettings);
      const audit = lockedForMs
        ? { at: now, action: 'account-locked', detail: `locked for ${lockedForMs / 1000} s after ${this.lockoutSettings.threshold} failed logins` }
        : undefined;
      if (await this.users.saveLockout(user._id, user.version, lockout, audit)) {
        if (lockedForMs) this.logger.warn({ userId: user._id, lockedUntil: lockout.lockedUntil, lockCount: lockout.lockCount }, 'account locked after failed logins');
        return;
      }
      user = await this.users.findForLogin(user.email ?? '');
    }
  }
}
