import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { SystemTemplates } from './system-templates.js';
import { TemplateRenderer } from './template-renderer.js';
import { TemplateRepository } from './template.repository.js';
import { TEMPLATE_MODEL, TEMPLATE_VERSION_MODEL, TemplateSchema, TemplateVersionSchema } from './template.schema.js';
import { TemplatesController } from './templates.controller.js';
import { TemplatesService } from './templates.service.js';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: TEMPLATE_MODEL, schema: TemplateSchema },
      { name: TEMPLATE_VERSION_MODEL, schema: TemplateVersionSchema },
    ]),
  ],
  controllers: [TemplatesController],
  providers: [TemplateRepository, TemplateRenderer, TemplatesService, SystemTemplates],
  exports: [TemplatesService, TemplateRenderer, SystemTemplates],
})
export class TemplatesModule {}
