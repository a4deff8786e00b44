import { Module } from '@nestjs/common';
import { ClinicsController } from './clinics.controller.js';
import { ClinicsService } from './clinics.service.js';

@Module({ controllers: [ClinicsController], providers: [ClinicsService] })
export class ClinicsModule {}
