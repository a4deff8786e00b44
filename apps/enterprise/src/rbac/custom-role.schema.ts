import { Schema } from 'mongoose';
import type { Permission } from './permissions.js';

export const CUSTOM_ROLE_MODEL = 'CustomRole';

export interface CustomRoleDocument {
  _id: string;
  orgId: string;
  /** Referenced by bindings and clinic role catalogues; never reuses a built-in key. */
  key: string;
  name: string;
  description: string;
  permissions: Permission[];
  version: number;
  /** `deleting` from the moment a deletion starts: grants refuse the role from then on. Absent on roles from before deletions were marked. */
  status?: 'active' | 'deleting';
  /** Which deletion marked the role: only that one may finish or undo it. */
  deletionId?: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export const CustomRoleSchema = new Schema<CustomRoleDocument>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    key: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: '' },
    permissions: { type: [String], default: [] },
    version: { type: Number, default: 1 },
    status: { type: String, default: 'active' },
    deletionId: { type: String },
    createdBy: { type: String, required: true },
  },
  { collection: 'custom_roles', versionKey: false, timestamps: true },
);

// Keys are unique per organization and serve role look-ups during policy compilation.
CustomRoleSchema.index({ orgId: 1, key: 1 }, { unique: true });
