import { Module } from '@nestjs/common';
import { AccessController } from './access.controller.js';
import { BindingsController } from './bindings.controller.js';
import { BindingsService } from './bindings.service.js';
import { CatalogueController } from './catalogue.controller.js';
import { RolesController } from './roles.controller.js';
import { RolesService } from './roles.service.js';

@Module({ controllers: [RolesController, BindingsController, AccessController, CatalogueController], providers: [RolesService, BindingsService] })
export class RbacModule {}
