import { Injectable } from '@nestjs/common';
import type { Channel } from '../common/channels.js';
import { NotificationEnv } from '../config/notification.env.js';
import type { ContactDocument } from '../contacts/contact.schema.js';
import type { MyPreferencesResponseDto, PreferencesDto } from './dto/preferences.dto.js';
import { type PreferenceFields, PreferenceRepository } from './preference.repository.js';
import type { PreferenceDocument } from './preference.schema.js';
import { quietHoursEnd } from './quiet-hours.js';

/**
 * What the preferences say about one send on one channel: go now, go when the recipient's quiet
 * hours end (`notBefore`), or not at all (recorded as `skipped` with the reason).
 */
export type PreferenceDecision = { send: true; notBefore?: Date } | { send: false; reason: 'opted_out' };

/** Decides, for one recipient, whether and when a category may go out on a channel. */
export type PreferenceCheck = (category: string, channel: Channel, now: Date) => PreferenceDecision;

const NOW: PreferenceDecision = { send: true };

function toDto(document: PreferenceDocument | null): PreferencesDto {
  if (!document) return {};
  const { channels, categories, quietHours } = document;
  return JSON.parse(JSON.stringify({ channels, categories, quietHours })) as PreferencesDto;
}

function toFields(dto: PreferencesDto): PreferenceFields {
  return JSON.parse(JSON.stringify({ channels: dto.channels, categories: dto.categories, quietHours: dto.quietHours })) as PreferenceFields;
}

function toggle(document: PreferenceDocument | null, category: string, channel: Channel): boolean | undefined {
  return document?.categories?.find((entry) => entry.category === category)?.[channel];
}

@Injectable()
export class PreferencesService {
  constructor(
    private readonly repository: PreferenceRepository,
    private readonly env: NotificationEnv,
  ) {}

  isCritical(category: string): boolean {
    return this.env.CRITICAL_CATEGORIES.includes(category);
  }

  async mine(userId: string, organizationId?: string): Promise<MyPreferencesResponseDto> {
    const [user, organization] = await Promise.all([this.repository.user(userId), organizationId ? this.repository.organization(organizationId) : null]);
    return { user: toDto(user), organization: toDto(organization), criticalCategories: this.env.CRITICAL_CATEGORIES };
  }

  async saveMine(userId: string, dto: PreferencesDto): Promise<PreferencesDto> {
    return toDto(await this.repository.saveUser(userId, toFields(dto)));
  }

  resetMine(userId: string): Promise<void> {
    return this.repository.resetUser(userId);
  }

  async organization(organizationId: string): Promise<PreferencesDto> {
    return toDto(await this.repository.organization(organizationId));
  }

  async saveOrganization(organizationId: string, dto: PreferencesDto): Promise<PreferencesDto> {
    return toDto(await this.repository.saveOrganization(organizationId, toFields(dto)));
  }

  /**
   * Loads a recipient's preferences once and returns the rule: critical categories always go at
   * once; otherwise the most specific opt-out wins (user category, organization category, user
   * channel, organization channel; default on), then quiet hours (user's window, else the
   * organization's) in the window's zone, else the contact's, else UTC: a send inside the window
   * waits until it ends.
   */
  async checkFor(contact: ContactDocument): Promise<PreferenceCheck> {
    const [user, organization] = await Promise.all([
      this.repository.user(contact._id),
      contact.organizationId ? this.repository.organization(contact.organizationId) : null,
    ]);
    const quiet = user?.quietHours ?? organization?.quietHours;
    return (category, channel, now) => {
      if (this.isCritical(category)) return NOW;
      const enabled =
        toggle(user, category, channel) ?? toggle(organization, category, channel) ?? user?.channels?.[channel] ?? organization?.channels?.[channel] ?? true;
      if (!enabled) return { send: false, reason: 'opted_out' };
      const notBefore = quiet && quietHoursEnd(quiet, now, quiet.timezone ?? contact.timezone ?? 'UTC');
      return notBefore ? { send: true, notBefore } : NOW;
    };
  }
}
