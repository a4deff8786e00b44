import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Channel, ChannelContents } from '../common/channels.js';
import type { ContactDocument } from '../contacts/contact.schema.js';
import { ContactsService } from '../contacts/contacts.service.js';
import { PreferencesService } from '../preferences/preferences.service.js';
import { TemplateRenderer } from '../templates/template-renderer.js';
import { TemplatesService } from '../templates/templates.service.js';
import { TemplateChannelMissingError } from '../templates/templates.errors.js';
import type { ChannelPlan, NotificationDocument } from './notification.schema.js';
import { UnknownRecipientError } from './notifications.errors.js';

export interface NotificationRequest {
  userId: string;
  templateKey: string;
  data: Record<string, unknown>;
  /** Explicit channels must exist in the template; without them every channel the template has is used. */
  channels?: Channel[];
  locale?: string;
  /** The recipient's contact when the caller already holds it (an event handler that just wrote it). */
  contact?: ContactDocument;
  /** The data carries a one-time secret: the rendered content is not kept once delivered. */
  sensitive?: boolean;
}

function addressOf(contact: ContactDocument, channel: Channel): string | undefined {
  if (channel === 'email') return contact.email;
  if (channel === 'sms') return contact.phone;
  return contact.pushTokens?.[0];
}

/**
 * Turns a request into a notification document: resolves the template and recipient, applies
 * preferences (skipped channels with their reason, channels held by quiet hours with the time they
 * end) and renders the content once. Writes nothing.
 */
@Injectable()
export class NotificationFactory {
  constructor(
    private readonly templates: TemplatesService,
    private readonly renderer: TemplateRenderer,
    private readonly contacts: ContactsService,
    private readonly preferences: PreferencesService,
  ) {}

  async build(request: NotificationRequest, now = new Date()): Promise<NotificationDocument> {
    const template = await this.templates.activeDocument(request.templateKey);
    const contact = request.contact ?? (await this.contacts.find(request.userId));
    if (!contact || contact.deleted) throw new UnknownRecipientError(request.userId);
    this.renderer.checkData(template, request.data);
    const variant = this.renderer.variantFor(template, request.locale ?? contact.locale);
    const available = this.renderer.channelsOf(variant);
    const missing = request.channels?.find((channel) => !available.includes(channel));
    if (missing) throw new TemplateChannelMissingError(template.key, missing);
    const channels = request.channels ?? available;
    const check = await this.preferences.checkFor(contact);
    const plan: Partial<Record<Channel, ChannelPlan>> = {};
    const sending: Channel[] = [];
    for (const channel of channels) {
      const to = addressOf(contact, channel);
      const decision = to ? check(template.category, channel, now) : ({ send: false, reason: 'no_address' } as const);
      if (!decision.send) {
        plan[channel] = { status: 'skipped', reason: decision.reason };
      } else {
        plan[channel] = decision.notBefore ? { status: 'queued', to, reason: 'quiet_hours', deferredUntil: decision.notBefore } : { status: 'queued', to };
        sending.push(channel);
      }
    }
    let content: ChannelContents = {};
    let locale = variant.locale;
    if (sending.length > 0) ({ content, locale } = this.renderer.render(template, request.data, variant.locale, sending));
    return {
      _id: randomUUID(),
      userId: request.userId,
      templateKey: template.key,
      templateVersion: template.version,
      category: template.category,
      locale,
      content,
      ...(request.sensitive ? { sensitive: true } : {}),
      plan,
      createdAt: now,
    };
  }
}
