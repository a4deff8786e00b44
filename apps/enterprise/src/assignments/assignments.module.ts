import { Module } from '@nestjs/common';
import { AssignmentsController } from './assignments.controller.js';
import { AssignmentsService } from './assignments.service.js';
import { ScheduleBook } from './schedule/schedule-book.service.js';

@Module({ controllers: [AssignmentsController], providers: [AssignmentsService, ScheduleBook] })
export class AssignmentsModule {}
