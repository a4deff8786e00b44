import { ORG_ONLY_PERMISSIONS, type Permission } from './permissions.js';

export type Effect = 'allow' | 'deny';

/** One active binding of the caller, with its role already resolved to permissions. */
export interface Grant {
  bindingId: string;
  role: string;
  /** null = the whole organization. */
  clinicId: string | null;
  effect: Effect;
  permissions: Permission[];
}

export interface Decision {
  allowed: boolean;
  /** The bindings that decided: the denies when denied by one, else the allows. */
  decidedBy: Grant[];
  reason: 'explicit-deny' | 'granted' | 'no-grant';
}

/** Which clinics a list may show for a permission. */
export interface Visibility {
  /** Every clinic except `except` (an org-wide allow). */
  all: boolean;
  except: Set<string>;
  /** Clinics allowed one by one when there is no org-wide allow. */
  only: Set<string>;
}

/** Whether a visibility shows something of this clinic (null: of the organization as a whole). */
export function shows(visibility: Visibility, clinicId: string | null): boolean {
  if (clinicId === null) return visibility.all;
  return visibility.all ? !visibility.except.has(clinicId) : visibility.only.has(clinicId);
}

/** Everything of the organization: what an org-wide allow without clinic denies shows. */
export const EVERYTHING: Visibility = Object.freeze({ all: true, except: new Set<string>(), only: new Set<string>() });

const MAX_DECISIONS = 1_000;

/**
 * A caller's compiled grants in one organization at one policy version. Pure and in-memory:
 * this is what the caches hold, so a warm check costs a few set look-ups.
 */
export class CompiledPolicy {
  private readonly index = new Map<string, Grant[]>();
  /** Decisions already taken: the policy never changes, and the same checks repeat on every request. */
  private readonly decisions = new Map<string, Decision>();

  constructor(readonly grants: Grant[]) {
    for (const grant of grants) {
      for (const permission of grant.permissions) {
        if (grant.clinicId !== null && ORG_ONLY_PERMISSIONS.has(permission)) continue;
        const key = `${permission}|${grant.clinicId ?? ''}`;
        this.index.set(key, [...(this.index.get(key) ?? []), grant]);
      }
    }
  }

  /** True when the caller holds any binding in the organization at all (else the org is "not found"). */
  get isMember(): boolean {
    return this.grants.length > 0;
  }

  /**
   * Org-scoped grants apply to every clinic; an explicit deny at the org or at the clinic wins
   * over any allow. Without a clinic only org-scoped grants count.
   */
  check(permission: Permission, clinicId?: string | null): Decision {
    const key = clinicId ? `${permission}|${clinicId}` : permission;
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = this.decide(permission, clinicId);
      // Clinic ids come from requests: bounded, so arbitrary ids cannot grow a cached policy.
      if (this.decisions.size >= MAX_DECISIONS) this.decisions.clear();
      this.decisions.set(key, decision);
    }
    return decision;
  }

  private decide(permission: Permission, clinicId?: string | null): Decision {
    const scoped = clinicId ? [...this.matching(permission, null), ...this.matching(permission, clinicId)] : this.matching(permission, null);
    const denies = scoped.filter((grant) => grant.effect === 'deny');
    if (denies.length > 0) return { allowed: false, decidedBy: denies, reason: 'explicit-deny' };
    const allows = scoped.filter((grant) => grant.effect === 'allow');
    if (allows.length > 0) return { allowed: true, decidedBy: allows, reason: 'granted' };
    return { allowed: false, decidedBy: [], reason: 'no-grant' };
  }

  /** Allowed at the org or at least at one clinic: enough to reach a list that is then filtered. */
  allowsAnywhere(permission: Permission): boolean {
    const visibility = this.visibility(permission);
    return visibility.all || visibility.only.size > 0;
  }

  visibility(permission: Permission): Visibility {
    const orgGrants = this.matching(permission, null);
    const orgDenied = orgGrants.some((grant) => grant.effect === 'deny');
    const result: Visibility = { all: !orgDenied && orgGrants.some((grant) => grant.effect === 'allow'), except: new Set(), only: new Set() };
    if (orgDenied) return result;
    for (const grant of this.grants) {
      if (grant.clinicId === null || !grant.permissions.includes(permission)) continue;
      if (grant.effect === 'deny') result.except.add(grant.clinicId);
    }
    for (const grant of this.grants) {
      if (grant.clinicId === null || grant.effect !== 'allow' || !grant.permissions.includes(permission)) continue;
      if (!result.except.has(grant.clinicId)) result.only.add(grant.clinicId);
    }
    return result;
  }

  /**
   * Effective permissions as far as `seen` shows them: at the org level only when it shows the
   * organization, and per clinic that has clinic-scoped bindings, plus, for a viewer limited to some
   * clinics, each of those where org-wide grants give something.
   */
  effective(allPermissions: readonly Permission[], seen: Visibility = EVERYTHING): { organization: Permission[]; clinics: Record<string, Permission[]> } {
    const bound = new Set(this.grants.flatMap((grant) => (grant.clinicId ? [grant.clinicId] : [])));
    const clinicIds = seen.all ? [...bound].filter((clinicId) => shows(seen, clinicId)) : [...seen.only];
    const clinics: Record<string, Permission[]> = {};
    for (const clinicId of clinicIds) {
      const permissions = allPermissions.filter((permission) => this.check(permission, clinicId).allowed);
      if (permissions.length > 0 || bound.has(clinicId)) clinics[clinicId] = permissions;
    }
    return { organization: seen.all ? allPermissions.filter((permission) => this.check(permission).allowed) : [], clinics };
  }

  private matching(permission: Permission, clinicId: string | null): Grant[] {
    return this.index.get(`${permission}|${clinicId ?? ''}`) ?? [];
  }
}
