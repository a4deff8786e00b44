import { type CloudEvent, createEvent, EVENT_TYPES } from '@dentalos/events';

/** CloudEvents `source` of everything this service emits. */
export const EVENT_SOURCE = '/dentalos/user';

/** A link token sealed for the notification service (`sealSecret` with EVENT_SEALING_KEY). */
export interface SealedLink {
  sealedToken: string;
  expiresAt: string;
}

export interface UserCreatedData {
  userId: string;
  email: string;
  displayName?: string;
  locale: string;
  timezone: string;
  verification: SealedLink;
}

export interface PasswordResetRequestedData extends SealedLink {
  userId: string;
  email: string;
  locale: string;
}

const event = <T>(type: string, userId: string, data: T): CloudEvent<T> => createEvent({ source: EVENT_SOURCE, type, subject: userId, data });

export const userEvents = {
  created: (data: UserCreatedData) => event(EVENT_TYPES.userCreated, data.userId, data),
  verified: (userId: string, email: string) => event(EVENT_TYPES.userVerified, userId, { userId, email }),
  passwordResetRequested: (data: PasswordResetRequestedData) => event(EVENT_TYPES.passwordResetRequested, data.userId, data),
  passwordChanged: (userId: string, email: string, locale: string, reason: 'password-reset') =>
    event(EVENT_TYPES.passwordChanged, userId, { userId, email, locale, reason }),
  refreshTokenReused: (userId: string, sessionId: string) => event(EVENT_TYPES.refreshTokenReused, userId, { userId, sessionId }),
  deleted: (userId: string) => event(EVENT_TYPES.userDeleted, userId, { userId }),
};
