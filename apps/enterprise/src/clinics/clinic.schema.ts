import { OUTBOX_SCHEMA_FIELDS, type OutboxFields } from '@dentalos/events';
import { Schema } from 'mongoose';
import type { OrganizationSettings } from '../organizations/organization.schema.js';

export const CLINIC_MODEL = 'Clinic';

export type ClinicStatus = 'active' | 'inactive' | 'archived';

export interface OpeningHours {
  /** ISO weekday, Monday = 1. */
  day: number;
  opens: string;
  closes: string;
}

export interface Closure {
  /** First closed local date, inclusive. */
  from: string;
  /** Last closed local date, inclusive. */
  to: string;
  reason: string;
}

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  region?: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface Contact {
  phone?: string;
  email?: string;
}

export interface ClinicDocument extends OutboxFields {
  _id: string;
  orgId: string;
  name: string;
  code: string;
  status: ClinicStatus;
  timeZone: string;
  address: Address;
  contact: Contact;
  openingHours: OpeningHours[];
  closures: Closure[];
  /** Roles a provider may hold here (built-in or the org's custom role keys). */
  providerRoles: string[];
  /** Overrides of the organization's settings; absent keys inherit. */
  settings: Partial<OrganizationSettings>;
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export const ClinicSchema = new Schema<ClinicDocument>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    code: { type: String, required: true },
    status: { type: String, required: true },
    timeZone: { type: String, required: true },
    address: { type: Object, required: true },
    contact: { type: Object, default: {} },
    openingHours: { type: [Object], default: [] },
    closures: { type: [Object], default: [] },
    providerRoles: { type: [String], default: [] },
    settings: { type: Object, default: {} },
    version: { type: Number, default: 1 },
    createdBy: { type: String, required: true },
    ...OUTBOX_SCHEMA_FIELDS,
  },
  { collection: 'clinics', versionKey: false, timestamps: true, minimize: false },
);

// Codes are unique within an organization: concurrent creations with one code get a duplicate-key error.
ClinicSchema.index({ orgId: 1, code: 1 }, { unique: true });
// Serves the clinic list sorted by name (keyset on name, _id) within one organization.
ClinicSchema.index({ orgId: 1, name: 1, _id: 1 });
// Serves the clinic list sorted by creation time.
ClinicSchema.index({ orgId: 1, createdAt: 1, _id: 1 });
