import { Schema } from 'mongoose';

export const AUDIT_ENTRY_MODEL = 'AuditEntry';

export interface AuditEntryDocument {
  _id: string;
  orgId: string;
  at: Date;
  actorId: string;
  /** e.g. `clinic.update`, `binding.revoke`. */
  action: string;
  resourceType: string;
  resourceId: string;
  /** The clinic the change concerns; null for organization-level changes (and entries written before clinics were recorded). */
  clinicId?: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string;
}

export const AuditEntrySchema = new Schema<AuditEntryDocument>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    at: { type: Date, required: true },
    actorId: { type: String, required: true },
    action: { type: String, required: true },
    resourceType: { type: String, required: true },
    resourceId: { type: String, required: true },
    clinicId: { type: String, default: null },
    before: { type: Object, default: null },
    after: { type: Object, default: null },
    requestId: { type: String, required: true },
  },
  { collection: 'audit_entries', versionKey: false, minimize: false },
);

// Serves the audit trail of an organization, newest first (keyset on at, _id).
AuditEntrySchema.index({ orgId: 1, at: -1, _id: -1 });
// Serves the trail of the clinics a clinic-scoped reader may see.
AuditEntrySchema.index({ orgId: 1, clinicId: 1, at: -1, _id: -1 });
// Serves "history of one resource" filters.
AuditEntrySchema.index({ orgId: 1, resourceId: 1, at: -1 });
