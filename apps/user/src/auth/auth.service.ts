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
import { UserRepository } from '../users/user.repository.js';
import { UserNotFoundError, EmailTakenError } from '../users/users.errors.js';
import { InvalidCredentialsError, InvalidLinkTokenError } from './auth.errors.js';
import type { LoginDto, RegisterDto } from './dto/auth-requests.dto.js';
import type { TokenPairDto } from './dto/auth-responses.dto.js';
import { failureWindow, isLocked, lockTerms, type LockoutSettings, reachesThreshold } from './lockout.policy.js';
import { acceptsSessionsOf, USER_MODEL } from '../users/user.schema.js';

const DUPLICATE_KEY = 11000;

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
      await this.recordFailure(user._id);
      return this.refuse('wrong-password');
    }
    const rehash = this.hasher.needsRehash(user.passwordHash) ? await this.hasher.hash(input.password) : undefined;
    await this.users.recordLogin(user._id, this.clock.now(), rehash);
    const session = await this.sessions.open(user._id, user.sessionEpoch ?? 0, client);
    this.logins.inc({ outcome: 'success' });
    return this.tokenPair(user._id, user.roles, session.sessionId, session.refreshToken);
  }

  /** The account is read after the rotation, so a password change or deactivation committed before it is seen. */
  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const rotated = await this.sessions.rotate(refreshToken);
    const user = await this.users.findById(rotated.userId);
    if (!user || !acceptsSessionsOf(user, rotated.userEpoch)) {
      await this.sessions.revoke(rotated.sessionId, user?.status === 'active' ? 'sessions-ended' : 'account-inactive');
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

  /** The count is one atomic increment, so concurrent failures all count and exactly one of them locks. */
  private async recordFailure(userId: string): Promise<void> {
    const now = this.clock.now();
    const counted = await this.users.countFailedLogin(userId, failureWindow(now, this.lockoutSettings));
    if (!counted?.windowStartedAt || !reachesThreshold(counted, this.lockoutSettings)) return;
    const terms = lockTerms(counted, now, this.lockoutSettings);
    const detail = `locked for ${terms.lockedForMs / 1000} s after ${this.lockoutSettings.threshold} failed logins`;
    const locked = await this.users.lock(userId, { ...terms, windowStartedAt: counted.windowStartedAt, audit: { at: now, action: 'account-locked', detail } });
    if (locked) this.logger.warn({ userId, lockedUntil: terms.lockedUntil, lockCount: (counted.lockCount ?? 0) + 1 }, 'account locked after failed logins');
  }
}
