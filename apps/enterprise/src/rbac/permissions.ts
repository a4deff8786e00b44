/**
 * The permission catalogue: `resource:action`. Every endpoint names one of these through
 * `@RequirePermission`, and roles (built-in or custom) are sets of them.
 */
export const PERMISSIONS = [
  'org:read',
  'org:update',
  'org:archive',
  'org:billing',
  'clinic:create',
  'clinic:read',
  'clinic:update',
  'clinic:archive',
  'assignment:read',
  'assignment:create',
  'assignment:update',
  'assignment:end',
  'member:read',
  'rbac:read',
  'rbac:manage',
  'audit:read',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** Permissions that only make sense for the whole organization; clinic-scoped grants ignore them. */
export const ORG_ONLY_PERMISSIONS: ReadonlySet<Permission> = new Set([
  'org:update',
  'org:archive',
  'org:billing',
  'clinic:create',
  'rbac:manage',
]);

export interface BuiltInRole {
  key: string;
  name: string;
  permissions: readonly Permission[];
}

const READ_ONLY: Permission[] = ['org:read', 'clinic:read', 'assignment:read'];

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  { key: 'org-owner', name: 'Organization owner', permissions: PERMISSIONS },
  { key: 'org-admin', name: 'Organization administrator', permissions: PERMISSIONS.filter((p) => p !== 'org:archive' && p !== 'org:billing') },
  {
    key: 'clinic-manager',
    name: 'Clinic manager',
    permissions: [...READ_ONLY, 'clinic:update', 'assignment:create', 'assignment:update', 'assignment:end', 'member:read', 'rbac:read', 'audit:read'],
  },
  { key: 'dentist', name: 'Dentist', permissions: [...READ_ONLY, 'member:read'] },
  { key: 'hygienist', name: 'Hygienist', permissions: READ_ONLY },
  { key: 'assistant', name: 'Dental assistant', permissions: READ_ONLY },
  { key: 'receptionist', name: 'Receptionist', permissions: [...READ_ONLY, 'member:read'] },
  { key: 'auditor', name: 'Auditor', permissions: [...READ_ONLY, 'member:read', 'rbac:read', 'audit:read'] },
];

export const BUILT_IN_ROLE_KEYS = new Set(BUILT_IN_ROLES.map((role) => role.key));

/** Provider roles a new clinic accepts for assignments until it sets its own catalogue. */
export const DEFAULT_PROVIDER_ROLES = ['dentist', 'hygienist', 'assistant'];

export const OWNER_ROLE = 'org-owner';
