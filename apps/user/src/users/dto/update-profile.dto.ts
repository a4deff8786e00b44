import { DisplayNameField, LocaleField, TimezoneField } from './profile-fields.js';

export class UpdateProfileDto {
  @DisplayNameField()
  displayName?: string;

  @LocaleField()
  locale?: string;

  @TimezoneField()
  timezone?: string;
}
