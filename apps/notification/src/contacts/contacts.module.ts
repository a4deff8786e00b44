import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ContactRepository } from './contact.repository.js';
import { CONTACT_MODEL, ContactSchema } from './contact.schema.js';
import { ContactsController } from './contacts.controller.js';
import { ContactsService } from './contacts.service.js';

@Module({
  imports: [MongooseModule.forFeature([{ name: CONTACT_MODEL, schema: ContactSchema }])],
  controllers: [ContactsController],
  providers: [ContactRepository, ContactsService],
  exports: [ContactsService],
})
export class ContactsModule {}
