/** Subscription tiers and what each allows. Limits count *active* clinics and providers. */
export const TIERS = ['free', 'basic', 'professional', 'enterprise'] as const;
export type Tier = (typeof TIERS)[number];

export interface PlanFeatures {
  /** Organization-defined roles beyond the built-in ones. */
  customRoles: boolean;
  /** Patients may book online at the organization's clinics. */
  onlineBooking: boolean;
  /** Audit trail queries beyond the last 30 days. */
  fullAuditHistory: boolean;
}

export interface Plan {
  maxActiveClinics: number;
  maxActiveProviders: number;
  features: PlanFeatures;
}

export const PLANS: Record<Tier, Plan> = {
  free: { maxActiveClinics: 1, maxActiveProviders: 3, features: { customRoles: false, onlineBooking: false, fullAuditHistory: false } },
  basic: { maxActiveClinics: 5, maxActiveProviders: 25, features: { customRoles: false, onlineBooking: true, fullAuditHistory: false } },
  professional: { maxActiveClinics: 25, maxActiveProviders: 150, features: { customRoles: true, onlineBooking: true, fullAuditHistory: true } },
  enterprise: { maxActiveClinics: 1_000, maxActiveProviders: 10_000, features: { customRoles: true, onlineBooking: true, fullAuditHistory: true } },
};

export type LimitedResource = 'clinics' | 'providers';
