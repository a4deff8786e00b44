import { OUTBOX_SCHEMA_FIELDS, type OutboxFields } from '@dentalos/events';
import { Schema } from 'mongoose';
import type { Effect } from './policy.js';

export const ROLE_BINDING_MODEL = 'RoleBinding';

export interface RoleBindingDocument extends OutboxFields {
  _id: string;
  orgId: string;
  userId: string;
  role: string;
  /** null = the whole organization. */
  clinicId: string | null;
  effect: Effect;
  status: 'active' | 'revoked';
  /** `<orgId>|<userId>|<role>|<clinicId>|<effect>` while active, removed on revoke. */
  activeKey?: string;
  createdBy: string;
  revokedAt?: Date;
  revokedBy?: string;
  createdAt: Date;
  updatedAt: Date;
}

export const RoleBindingSchema = new Schema<RoleBindingDocument>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    userId: { type: String, required: true },
    role: { type: String, required: true },
    clinicId: { type: String, default: null },
    effect: { type: String, required: true },
    status: { type: String, required: true },
    activeKey: { type: String },
    createdBy: { type: String, required: true },
    revokedAt: { type: Date },
    revokedBy: { type: String },
    ...OUTBOX_SCHEMA_FIELDS,
  },
  { collection: 'role_bindings', versionKey: false, timestamps: true },
);

// Serves policy compilation: the active bindings of one user in one organization.
RoleBindingSchema.index({ orgId: 1, userId: 1, status: 1 });
// Serves "organizations I belong to" (the organization list).
RoleBindingSchema.index({ userId: 1, status: 1 });
// Serves the binding list of an organization in creation order.
RoleBindingSchema.index({ orgId: 1, createdAt: 1, _id: 1 });
// Serves "is this custom role still bound?" before a role is deleted.
RoleBindingSchema.index({ orgId: 1, role: 1, status: 1 });
// The same grant cannot be active twice, even under concurrent requests; sparse so revoked ones don't count.
RoleBindingSchema.index({ activeKey: 1 }, { unique: true, sparse: true });
