import { OUTBOX_SCHEMA_FIELDS, type OutboxFields } from '@dentalos/events';
import { Schema } from 'mongoose';
import type { Tier } from './plans.js';

export const ORGANIZATION_MODEL = 'Organization';

export type OrganizationStatus = 'active' | 'suspended' | 'archived';

/** Settings every clinic inherits unless it overrides them. */
export interface OrganizationSettings {
  locale: string;
  currency: string;
  appointmentDurationMinutes: number;
  cancellationNoticeHours: number;
  onlineBookingEnabled: boolean;
}

export const DEFAULT_SETTINGS: OrganizationSettings = {
  locale: 'en-US',
  currency: 'USD',
  appointmentDurationMinutes: 30,
  cancellationNoticeHours: 24,
  onlineBookingEnabled: false,
};

export interface OrganizationDocument extends OutboxFields {
  _id: string;
  name: string;
  slug: string;
  status: OrganizationStatus;
  tier: Tier;
  settings: Partial<OrganizationSettings>;
  /**
   * Counters that enforce plan limits: a clinic or provider slot is reserved here with one
   * conditional update (`activeClinics < limit` in the filter, `$inc` in the update) before the clinic
   * or assignment is written, and given back if that write fails.
   */
  usage: { activeClinics: number; activeProviders: number };
  /** Active assignments per provider (keyed by `providerAssignmentField`); a provider holds a slot while it has any. */
  providerAssignments: Record<string, number>;
  /**
   * Org-wide owner allows minus org-wide owner denies among active bindings: never more than the
   * real owners, and revoking or denying an owner first takes one off it conditionally (`> 1`).
   */
  ownerCount?: number;
  /** Bumped by every RBAC change; cached decisions are keyed by it. */
  policyVersion: number;
  /** Optimistic concurrency for updates (ETag). */
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  archivedAt?: Date;
}

/** Provider ids become field names; the prefix keeps names like `__proto__` or `constructor` plain data. */
export const providerAssignmentField = (providerId: string) => `p_${providerId}`;
export const providerAssignmentKey = (providerId: string) => `providerAssignments.${providerAssignmentField(providerId)}`;

export const OrganizationSchema = new Schema<OrganizationDocument>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    slug: { type: String, required: true },
    status: { type: String, required: true },
    tier: { type: String, required: true },
    settings: { type: Object, default: {} },
    usage: { activeClinics: { type: Number, default: 0 }, activeProviders: { type: Number, default: 0 } },
    providerAssignments: { type: Object, default: {} },
    ownerCount: { type: Number },
    policyVersion: { type: Number, default: 1 },
    version: { type: Number, default: 1 },
    createdBy: { type: String, required: true },
    archivedAt: { type: Date },
    ...OUTBOX_SCHEMA_FIELDS,
  },
  { collection: 'organizations', versionKey: false, timestamps: true, minimize: false },
);

// Serves slug look-ups and makes "slug already taken" a race-free duplicate-key error.
OrganizationSchema.index({ slug: 1 }, { unique: true });
// Serves the member's organization list sorted by name (keyset on name, _id).
OrganizationSchema.index({ name: 1, _id: 1 });
// Serves the same list sorted by creation time.
OrganizationSchema.index({ createdAt: 1, _id: 1 });
