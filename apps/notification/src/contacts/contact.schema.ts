import { Schema } from 'mongoose';

export const CONTACT_MODEL = 'Contact';

/**
 * A small local projection of who can be reached where. Email, locale and timezone come from the
 * user service's events; phone and push tokens from the user; the organization from enterprise
 * events. Lets enterprise events (which carry only a user id) reach their recipient.
 */
export interface ContactDocument {
  _id: string;
  email?: string;
  name?: string;
  phone?: string;
  pushTokens?: string[];
  locale?: string;
  timezone?: string;
  organizationId?: string;
  emailVerified?: boolean;
  deleted?: boolean;
  updatedAt?: Date;
}

export const ContactSchema = new Schema<ContactDocument>(
  {
    _id: String,
    email: String,
    name: String,
    phone: String,
    pushTokens: { type: [String], default: undefined },
    locale: String,
    timezone: String,
    organizationId: String,
    emailVerified: Boolean,
    deleted: Boolean,
  },
  { collection: 'contacts', timestamps: { createdAt: false, updatedAt: true }, versionKey: false },
);
