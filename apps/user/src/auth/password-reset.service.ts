import { Injectable, Logger } from '@nestjs/common';
import { OutboxRelayService, sealSecret } from '@dentalos/events';
import { Clock } from '../common/clock.js';
import { randomToken, tokenDigest } from '../common/secret-token.js';
import { UserEnv } from '../config/user.env.js';
import { PasswordHasher } from '../credentials/password-hasher.service.js';
import { PasswordPolicy } from '../credentials/password-policy.service.js';
import { userEvents } from '../events/user-events.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { UserRepository } from '../users/user.repository.js';
import { InvalidLinkTokenError } from './auth.errors.js';
import type { AcceptedDto } from './dto/auth-responses.dto.js';
import { USER_MODEL } from '../users/user.schema.js';

export const RESET_ACCEPTED: AcceptedDto = Object.freeze({
  status: 'accepted',
  detail: 'If an account exists for this email, a reset link is on its way.',
});

/** Forgot-password flow (OWASP Forgot Password cheat sheet). */
@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger('PasswordReset');

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly outbox: OutboxRelayService,
    private readonly clock: Clock,
    private readonly env: UserEnv,
  ) {}

  /**
   * Always the same 202 at once: the lookup and write happen after the answer, so neither the
   * body nor the timing tells whether the email has an account. Works for locked accounts too.
   */
  request(email: string): AcceptedDto {
    void this.issue(email).catch((error: unknown) => this.logger.error({ err: error }, 'password reset request failed'));
    return RESET_ACCEPTED;
  }

  async confirm(token: string, newPassword: string): Promise<void> {
    const hash = tokenDigest(token);
    const user = await this.users.findByResetToken(hash, this.clock.now());
    if (!user) throw new InvalidLinkTokenError('reset');
    this.policy.assertAcceptable(newPassword, user.email, 'newPassword');
    const passwordHash = await this.hasher.hash(newPassword);
    const now = this.clock.now();
    const event = userEvents.passwordChanged(user._id, user.email ?? '', user.locale, 'password-reset');
    const audit = { at: now, action: 'password-reset', detail: 'password changed through a reset link; all sessions revoked' };
    // The filter names the token again: a second use (or a newer link) finds nothing.
    if (!(await this.users.completePasswordReset(user._id, hash, passwordHash, now, audit, event))) throw new InvalidLinkTokenError('reset');
    this.outbox.kick(USER_MODEL, user._id);
    // The write above already ended every session and consumed the token: from here the reset has
    // succeeded, and an error answer would only invite a retry with a spent link.
    await this.sessions.revokeAllAfterEpochChange(user._id, 'password-reset');
  }

  /** Resolves when the request has been handled; exposed for the flow's own awaiting. */
  async issue(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.status !== 'active' || !user.email) return;
    const now = this.clock.now();
    const token = randomToken();
    const expiresAt = new Date(now.getTime() + this.env.PASSWORD_RESET_TTL_SECONDS * 1000);
    const event = userEvents.passwordResetRequested({
      userId: user._id,
      email: user.email,
      locale: user.locale,
      sealedToken: sealSecret(token, this.env.EVENT_SEALING_KEY),
      expiresAt: expiresAt.toISOString(),
    });
    if (await this.users.startPasswordReset(user._id, { tokenHash: tokenDigest(token), expiresAt }, event)) this.outbox.kick(USER_MODEL, user._id);
  }
}
