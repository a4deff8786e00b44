import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MetricsRegistry } from '@dentalos/metrics';
import { AssignmentRepository } from '../assignments/assignment.repository.js';
import { ClinicRepository } from '../clinics/clinic.repository.js';
import { OrganizationRepository } from '../organizations/organization.repository.js';

type Counts = () => Promise<{ _id: string; count: number }[]>;

/** Business gauges computed from the database at scrape time, labelled by status. */
@Injectable()
export class BusinessMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly organizations: OrganizationRepository,
    private readonly clinics: ClinicRepository,
    private readonly assignments: AssignmentRepository,
  ) {}

  onModuleInit(): void {
    this.gauge('enterprise_organizations', 'Organizations by status', () => this.organizations.countByStatus());
    this.gauge('enterprise_clinics', 'Clinics by status', () => this.clinics.countByStatus());
    this.gauge('enterprise_assignments', 'Provider assignments by status', () => this.assignments.countByStatus());
  }

  private gauge(name: string, help: string, counts: Counts): void {
    this.metrics.businessGauge({
      name,
      help,
      labelNames: ['status'],
      collect: async (gauge) => {
        // A scrape while the database is away keeps the last values rather than failing /metrics.
        const rows = await counts().catch(() => undefined);
        if (!rows) return;
        gauge.reset();
        for (const row of rows) gauge.set({ status: String(row._id) }, row.count);
      },
    });
  }
}
