import type { AdminUserDto } from './dto/admin-user.dto.js';
import type { UserProfileDto } from './dto/user-profile.dto.js';
import type { UserDocument } from './user.schema.js';

export function toProfile(user: UserDocument): UserProfileDto {
  return {
    id: user._id,
    email: user.email ?? '',
    displayName: user.displayName,
    locale: user.locale,
    timezone: user.timezone,
    emailVerified: Boolean(user.emailVerifiedAt),
    roles: user.roles ?? [],
    createdAt: user.createdAt.toISOString(),
  };
}

export function toAdminView(user: UserDocument, now: Date): AdminUserDto {
  const lockedUntil = user.lockout?.lockedUntil && user.lockout.lockedUntil > now ? user.lockout.lockedUntil.toISOString() : null;
  return {
    ...toProfile(user),
    status: user.status,
    lockedUntil,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    audit: (user.audit ?? []).map((entry) => ({ ...entry, at: entry.at.toISOString() })),
  };
}
