import { Schema } from 'mongoose';
import type { Channel } from '../common/channels.js';

export const USER_PREFERENCE_MODEL = 'UserPreference';
export const ORGANIZATION_PREFERENCE_MODEL = 'OrganizationPreference';

export type ChannelToggles = Partial<Record<Channel, boolean>>;

export interface CategoryPreference extends ChannelToggles {
  category: string;
}

export interface QuietHours {
  /** Local wall-clock times, HH:mm; `start` after `end` spans midnight. */
  start: string;
  end: string;
  /** IANA zone; falls back to the contact's timezone, then UTC. */
  timezone?: string;
}

/** One document per user (or organization): every change is one single-document write. */
export interface PreferenceDocument {
  _id: string;
  channels?: ChannelToggles;
  categories?: CategoryPreference[];
  quietHours?: QuietHours;
  updatedAt?: Date;
}

const fields = {
  _id: String,
  channels: { type: Object, default: undefined },
  categories: { type: [Object], default: undefined },
  quietHours: { type: Object, default: undefined },
};

export const UserPreferenceSchema = new Schema<PreferenceDocument>(fields, {
  collection: 'user_preferences',
  timestamps: { createdAt: false, updatedAt: true },
  versionKey: false,
});

export const OrganizationPreferenceSchema = new Schema<PreferenceDocument>(fields, {
  collection: 'organization_preferences',
  timestamps: { createdAt: false, updatedAt: true },
  versionKey: false,
});
