import { Injectable } from '@nestjs/common';
import { ContactsService } from '../contacts/contacts.service.js';
import type { MyPreferencesResponseDto } from './dto/preferences.dto.js';
import { PreferencesService } from './preferences.service.js';

/** The caller's view: their own settings next to the defaults of the organization they belong to. */
@Injectable()
export class MyPreferencesService {
  constructor(
    private readonly preferences: PreferencesService,
    private readonly contacts: ContactsService,
  ) {}

  async get(userId: string): Promise<MyPreferencesResponseDto> {
    const contact = await this.contacts.find(userId);
    return this.preferences.mine(userId, contact?.organizationId);
  }
}
