import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@dentalos/core';
import { ContactRepository, type ContactFields } from './contact.repository.js';
import type { ContactDocument } from './contact.schema.js';
import type { ContactResponseDto } from './dto/contact.dto.js';

export function toContactResponse(contact: ContactDocument): ContactResponseDto {
  const { _id, email, name, phone, pushTokens, locale, timezone, organizationId } = contact;
  return { userId: _id, email, name, phone, pushTokens, locale, timezone, organizationId };
}

@Injectable()
export class ContactsService {
  constructor(private readonly repository: ContactRepository) {}

  async get(userId: string): Promise<ContactResponseDto> {
    const contact = await this.repository.get(userId);
    if (!contact) throw new NotFoundError('Contact', userId);
    return toContactResponse(contact);
  }

  find(userId: string): Promise<ContactDocument | null> {
    return this.repository.get(userId);
  }

  async update(userId: string, fields: Partial<ContactFields>): Promise<ContactResponseDto> {
    return toContactResponse(await this.repository.merge(userId, fields));
  }

  /** Merges what an event says about a contact; returns the contact as stored. */
  merge(userId: string, fields: Partial<ContactFields>): Promise<ContactDocument> {
    return this.repository.merge(userId, fields);
  }

  /** A contact announced by `user.created`: new in all but a redelivery. */
  created(userId: string, fields: Partial<ContactFields>): Promise<ContactDocument> {
    return this.repository.insertOrMerge(userId, fields);
  }
}
