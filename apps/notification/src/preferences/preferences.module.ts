import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ContactsModule } from '../contacts/contacts.module.js';
import { MyPreferencesService } from './my-preferences.service.js';
import { PreferenceRepository } from './preference.repository.js';
import { ORGANIZATION_PREFERENCE_MODEL, OrganizationPreferenceSchema, USER_PREFERENCE_MODEL, UserPreferenceSchema } from './preference.schema.js';
import { PreferencesController } from './preferences.controller.js';
import { PreferencesService } from './preferences.service.js';

@Module({
  imports: [
    ContactsModule,
    MongooseModule.forFeature([
      { name: USER_PREFERENCE_MODEL, schema: UserPreferenceSchema },
      { name: ORGANIZATION_PREFERENCE_MODEL, schema: OrganizationPreferenceSchema },
    ]),
  ],
  controllers: [PreferencesController],
  providers: [PreferenceRepository, PreferencesService, MyPreferencesService],
  exports: [PreferencesService],
})
export class PreferencesModule {}
