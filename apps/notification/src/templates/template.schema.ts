import { Schema } from 'mongoose';
import type { ChannelContents } from '../common/channels.js';

export const TEMPLATE_MODEL = 'Template';
export const TEMPLATE_VERSION_MODEL = 'TemplateVersion';

export interface TemplateVariant extends ChannelContents {
  locale: string;
}

export interface TemplateContent {
  name: string;
  category: string;
  description?: string;
  /** Every variable a render must receive: no more, no fewer. */
  variables: string[];
  defaultLocale: string;
  variants: TemplateVariant[];
}

export interface TemplateDocument extends TemplateContent {
  _id: string;
  key: string;
  active: boolean;
  /** Bumped by every change; updates carry the version they read (optimistic concurrency). */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One immutable snapshot per version, so a notification can always show what it was rendered from. */
export interface TemplateVersionDocument extends TemplateContent {
  _id: string;
  templateId: string;
  key: string;
  version: number;
  createdAt: Date;
}

const content = {
  name: { type: String, required: true },
  category: { type: String, required: true },
  description: String,
  variables: { type: [String], default: [] },
  defaultLocale: { type: String, required: true },
  variants: { type: [Object], default: [] },
};

export const TemplateSchema = new Schema<TemplateDocument>(
  {
    _id: String,
    // Serves the lookup by key on every send and refuses a second template with the same key.
    key: { type: String, required: true, unique: true },
    active: { type: Boolean, default: true },
    version: { type: Number, required: true },
    ...content,
  },
  { collection: 'templates', timestamps: true, versionKey: false },
);

export const TemplateVersionSchema = new Schema<TemplateVersionDocument>(
  {
    _id: String,
    templateId: { type: String, required: true },
    key: String,
    version: Number,
    ...content,
  },
  { collection: 'template_versions', timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
// Serves GET /templates/{key}/versions (newest first) and keeps one snapshot per version.
TemplateVersionSchema.index({ templateId: 1, version: -1 }, { unique: true });
