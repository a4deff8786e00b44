import { Injectable } from '@nestjs/common';
import { type CloudEvent, EVENT_TYPES, openSecret, PoisonMessageError } from '@dentalos/events';
import { NotificationEnv } from '../config/notification.env.js';
import type { ContactDocument } from '../contacts/contact.schema.js';
import { ContactsService } from '../contacts/contacts.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { SYSTEM_TEMPLATE_KEYS as T } from '../templates/system-templates.js';

type Data = Record<string, unknown>;

/** Missing recipient data for an enterprise event: retried (the user event may still be on its way), then dead-lettered. */
export class RecipientNotKnownYetError extends Error {}

const text = (data: Data, field: string): string | undefined => (typeof data[field] === 'string' && data[field] ? (data[field] as string) : undefined);

function required(event: CloudEvent, data: Data, field: string): string {
  const value = text(data, field);
  // A malformed event will not get better by retrying: straight to dead letters.
  if (!value) throw new PoisonMessageError(`${event.type} ${event.id} has no data.${field}`);
  return value;
}

interface SendOptions {
  /** The data holds an opened link token. */
  sensitive?: boolean;
}

const CARRIES_SECRET: SendOptions = { sensitive: true };

const displayName = (contact: Pick<ContactDocument, 'name' | 'email'> | null): string => contact?.name ?? contact?.email?.split('@')[0] ?? 'there';

/**
 * What each domain event means for recipients. Every handler is idempotent: the contact upsert
 * writes the same values again and sends are de-duplicated by (event id, template, recipient).
 */
@Injectable()
export class EventHandlers {
  constructor(
    private readonly env: NotificationEnv,
    private readonly contacts: ContactsService,
    private readonly notifications: NotificationsService,
  ) {}

  async handle(event: CloudEvent): Promise<void> {
    const data = (event.data && typeof event.data === 'object' ? event.data : {}) as Data;
    switch (event.type) {
      case EVENT_TYPES.userCreated:
        return this.userCreated(event, data);
      case EVENT_TYPES.userVerified: {
        const userId = required(event, data, 'userId');
        const contact = await this.contacts.merge(userId, { email: text(data, 'email'), emailVerified: true });
        return this.send(event, contact, T.emailVerified, { name: displayName(contact) });
      }
      case EVENT_TYPES.passwordResetRequested: {
        const userId = required(event, data, 'userId');
        const contact = await this.contacts.merge(userId, { email: text(data, 'email'), locale: text(data, 'locale') });
        const link = this.link('/reset-password', event, required(event, data, 'sealedToken'));
        return this.send(event, contact, T.passwordReset, { link, expiresAt: text(data, 'expiresAt') ?? 'soon' }, CARRIES_SECRET);
      }
      case EVENT_TYPES.passwordChanged: {
        const userId = required(event, data, 'userId');
        const contact = await this.contacts.merge(userId, { email: text(data, 'email'), locale: text(data, 'locale') });
        return this.send(event, contact, T.passwordChanged, { name: displayName(contact) });
      }
      case EVENT_TYPES.refreshTokenReused: {
        const userId = required(event, data, 'userId');
        const contact = await this.contacts.find(userId);
        return this.send(event, contact ?? userId, T.refreshTokenReused, { name: displayName(contact) });
      }
      case EVENT_TYPES.userDeleted:
        await this.contacts.update(required(event, data, 'userId'), { deleted: true });
        return;
      case EVENT_TYPES.assignmentCreated:
        return this.assignmentCreated(event, data);
      default:
        return; // Not ours to act on.
    }
  }

  private async userCreated(event: CloudEvent, data: Data): Promise<void> {
    const userId = required(event, data, 'userId');
    const email = required(event, data, 'email');
    const contact = await this.contacts.created(userId, { email, name: text(data, 'displayName'), locale: text(data, 'locale'), timezone: text(data, 'timezone') });
    const name = text(data, 'displayName') ?? email.split('@')[0]!;
    await this.send(event, contact, T.welcome, { name });
    const verification = data.verification as Data | undefined;
    const sealed = verification && text(verification, 'sealedToken');
    if (sealed) {
      const link = this.link('/verify-email', event, sealed);
      await this.send(event, contact, T.emailVerification, { name, link }, CARRIES_SECRET);
    }
  }

  private async assignmentCreated(event: CloudEvent, data: Data): Promise<void> {
    const userId = required(event, data, 'providerUserId');
    const contact = await this.contacts.find(userId);
    if (!contact) throw new RecipientNotKnownYetError(`no contact data for provider ${userId} yet`);
    const organizationId = text(data, 'organizationId');
    const current = organizationId && contact.organizationId !== organizationId ? await this.contacts.merge(userId, { organizationId }) : contact;
    const clinic = text(data, 'clinicName') ?? required(event, data, 'clinicId');
    await this.send(event, current, T.assignmentCreated, { name: displayName(contact), clinic });
  }

  /** `recipient` is the contact as just read or written (no second read), or the bare user id of an unknown one. */
  private async send(event: CloudEvent, recipient: ContactDocument | string, templateKey: string, data: Data, options: SendOptions = {}): Promise<void> {
    const contact = typeof recipient === 'string' ? undefined : recipient;
    const userId = typeof recipient === 'string' ? recipient : recipient._id;
    await this.notifications.sendForEvent(event.id, { userId, templateKey, data, contact, sensitive: options.sensitive });
  }

  /**
   * Opens the sealed token only here, at the last moment; it lives on in the rendered email alone
   * (sent as sensitive, its content is dropped from the database once delivered).
   */
  private link(path: string, event: CloudEvent, sealed: string): string {
    let token: string;
    try {
      token = openSecret(sealed, this.env.EVENT_SEALING_KEY);
    } catch {
      throw new PoisonMessageError(`${event.type} ${event.id} carries a token that does not open with EVENT_SEALING_KEY`);
    }
    return `${this.env.APP_BASE_URL.replace(/\/$/, '')}${path}?token=${encodeURIComponent(token)}`;
  }
}
