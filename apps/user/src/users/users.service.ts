import { Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '@dentalos/auth';
import { ValidationFailedError } from '@dentalos/core';
import { OutboxRelayService } from '@dentalos/events';
import { Clock } from '../common/clock.js';
import { userEvents } from '../events/user-events.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { AdminUserDto, UserPageDto } from './dto/admin-user.dto.js';
import type { ListUsersQuery } from './dto/list-users.query.js';
import type { UpdateProfileDto } from './dto/update-profile.dto.js';
import type { UserProfileDto } from './dto/user-profile.dto.js';
import { toAdminView, toProfile } from './user.mapper.js';
import { UserRepository } from './user.repository.js';
import { USER_MODEL, type UserStatus } from './user.schema.js';
import { UserNotFoundError, UserStatusConflictError } from './users.errors.js';

interface Cursor {
  c: string;
  i: string;
}

/** Profiles (the caller's own) and platform administration of accounts. */
@Injectable()
export class UsersService {
  private readonly logger = new Logger('Users');

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    private readonly outbox: OutboxRelayService,
  ) {}

  async me(caller: AuthUser): Promise<UserProfileDto> {
    return toProfile(await this.activeUser(caller.id));
  }

  async updateMe(caller: AuthUser, changes: UpdateProfileDto): Promise<UserProfileDto> {
    const updated = await this.users.updateProfile(caller.id, changes);
    if (!updated) throw new UserNotFoundError(caller.id);
    return toProfile(updated);
  }

  /**
   * Erases personal data (a tombstone keeps only the id), ends every session, emits user.deleted.
   * The erasing write ends the sessions itself; what follows is cleanup that cannot undo the
   * deletion, so its failure is logged rather than answered (the caller's token no longer works).
   */
  async deleteMe(caller: AuthUser): Promise<void> {
    const now = this.clock.now();
    if (!(await this.users.erase(caller.id, now, userEvents.deleted(caller.id)))) throw new UserNotFoundError(caller.id);
    this.outbox.kick(USER_MODEL, caller.id);
    this.logger.log({ userId: caller.id }, 'account deleted');
    await this.sessions.revokeAllAfterEpochChange(caller.id, 'account-deleted');
    await this.eraseDeviceDetails(caller.id);
  }

  async list(query: ListUsersQuery): Promise<UserPageDto> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.users.page({ limit: query.limit + 1, after, emailPrefix: query.q, status: query.status });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    const nextCursor = rows.length > query.limit && last ? encodeCursor({ c: last.createdAt.toISOString(), i: last._id }) : null;
    const now = this.clock.now();
    return { items: items.map((user) => toAdminView(user, now)), nextCursor };
  }

  async get(id: string): Promise<AdminUserDto> {
    const user = await this.users.findById(id);
    if (!user || user.status === 'deleted') throw new UserNotFoundError(id);
    return toAdminView(user, this.clock.now());
  }

  /** Deactivation ends every session in the same write, so the account's refresh tokens stop at once. */
  async deactivate(admin: AuthUser, id: string): Promise<AdminUserDto> {
    await this.changeStatus(admin, id, 'active', 'deactivated');
    await this.sessions.revokeAllAfterEpochChange(id, 'account-deactivated');
    return this.get(id);
  }

  async reactivate(admin: AuthUser, id: string): Promise<AdminUserDto> {
    await this.changeStatus(admin, id, 'deactivated', 'active');
    return this.get(id);
  }

  async unlock(admin: AuthUser, id: string): Promise<AdminUserDto> {
    const done = await this.users.unlock(id, { at: this.clock.now(), action: 'account-unlocked', actorId: admin.id });
    if (!done) throw new UserNotFoundError(id);
    this.logger.log({ userId: id, adminId: admin.id }, 'account unlocked by admin');
    return this.get(id);
  }

  private async changeStatus(admin: AuthUser, id: string, from: UserStatus, to: UserStatus): Promise<void> {
    const action = to === 'active' ? 'reactivated' : 'deactivated';
    if (await this.users.setStatus(id, from, to, { at: this.clock.now(), action, actorId: admin.id })) {
      this.logger.log({ userId: id, adminId: admin.id }, `account ${action}`);
      return;
    }
    const current = await this.users.findById(id);
    if (!current || current.status === 'deleted') throw new UserNotFoundError(id);
    throw new UserStatusConflictError(`The account is ${current.status}; only ${from} accounts can be ${action}.`);
  }

  private async eraseDeviceDetails(userId: string): Promise<void> {
    try {
      await this.sessions.eraseDeviceDetails(userId);
    } catch (error) {
      this.logger.error({ err: error, userId }, 'erasing device details of a deleted account failed; they remain on its sessions');
    }
  }

  private async activeUser(id: string) {
    const user = await this.users.findById(id);
    if (!user || user.status !== 'active') throw new UserNotFoundError(id);
    return user;
  }
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): { createdAt: Date; id: string } {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    const createdAt = new Date(cursor.c ?? '');
    if (typeof cursor.i === 'string' && !Number.isNaN(createdAt.getTime())) return { createdAt, id: cursor.i };
  } catch {
    // fall through to the validation error
  }
  throw new ValidationFailedError([{ field: 'cursor', constraint: 'cursor', message: 'cursor must be a nextCursor value from a previous page' }]);
}
