import { Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { MaybePromise } from '../common/read-cache.js';
import { EnterpriseEnv } from '../config/enterprise.env.js';
import { CustomRoleRepository } from './custom-role.repository.js';
import { BUILT_IN_ROLES, type Permission } from './permissions.js';
import { CompiledPolicy, type Grant } from './policy.js';
import { RoleBindingRepository } from './role-binding.repository.js';

const BUILT_IN = new Map(BUILT_IN_ROLES.map((role) => [role.key, role.permissions]));

/**
 * Compiles a user's bindings in an organization into a policy and caches it in-process and in
 * Redis under `org:user:policyVersion`. Every RBAC change bumps the organization's policy version,
 * which every request reads from the database, so a revoke is seen by the very next request on
 * every replica without any invalidation message. Redis is only an accelerator: when it is down
 * policies are compiled from the database.
 */
@Injectable()
export class AuthorizationService {
  private readonly logger = new Logger(AuthorizationService.name);
  private readonly local = new Map<string, CompiledPolicy>();
  private readonly loading = new Map<string, Promise<CompiledPolicy>>();
  private redisWarned = false;

  constructor(
    private readonly bindings: RoleBindingRepository,
    private readonly roles: CustomRoleRepository,
    private readonly redis: Redis,
    private readonly env: EnterpriseEnv,
  ) {}

  /** Settles without a promise when the policy is in the in-process cache, as it is for nearly every request. */
  policyFor(orgId: string, userId: string, policyVersion: number): MaybePromise<CompiledPolicy> {
    const key = `${orgId}:${userId}:${policyVersion}`;
    return this.local.get(key) ?? this.loading.get(key) ?? this.load(orgId, userId, key);
  }

  /**
   * Concurrent misses of one key share one load: a version bump sends every in-flight request of
   * the organization here at the same moment, and each compiling on its own multiplied the reads.
   */
  private load(orgId: string, userId: string, key: string): Promise<CompiledPolicy> {
    const loading = (async () => {
      try {
        const policy = (await this.fromRedis(key)) ?? (await this.compile(orgId, userId, key));
        this.remember(key, policy);
        return policy;
      } finally {
        this.loading.delete(key);
      }
    })();
    this.loading.set(key, loading);
    return loading;
  }

  /** Drops the in-process cache (benchmarks and tests measure the Redis path with it). */
  clearLocal(): void {
    this.local.clear();
  }

  private async compile(orgId: string, userId: string, key: string): Promise<CompiledPolicy> {
    const bindings = await this.bindings.activeFor(orgId, userId);
    const customKeys = [...new Set(bindings.map((binding) => binding.role).filter((role) => !BUILT_IN.has(role)))];
    const custom = new Map((await this.roles.findByKeys(orgId, customKeys)).map((role) => [role.key, role.permissions]));
    const grants: Grant[] = bindings.map((binding) => ({
      bindingId: binding._id,
      role: binding.role,
      clinicId: binding.clinicId ?? null,
      effect: binding.effect,
      permissions: [...(BUILT_IN.get(binding.role) ?? custom.get(binding.role) ?? [])] as Permission[],
    }));
    const policy = new CompiledPolicy(grants);
    await this.redis.set(this.redisKey(key), JSON.stringify(grants), 'EX', this.env.RBAC_REDIS_TTL_SECONDS).catch((error: unknown) => this.redisDown(error));
    return policy;
  }

  private async fromRedis(key: string): Promise<CompiledPolicy | undefined> {
    try {
      const raw = await this.redis.get(this.redisKey(key));
      this.redisWarned = false;
      return raw ? new CompiledPolicy(JSON.parse(raw) as Grant[]) : undefined;
    } catch (error) {
      this.redisDown(error);
      return undefined;
    }
  }

  private remember(key: string, policy: CompiledPolicy): void {
    if (this.env.RBAC_LOCAL_CACHE_SIZE === 0) return;
    if (this.local.size >= this.env.RBAC_LOCAL_CACHE_SIZE) {
      const oldest = this.local.keys().next().value;
      if (oldest !== undefined) this.local.delete(oldest);
    }
    this.local.set(key, policy);
  }

  private redisKey(key: string): string {
    return `rbac:policy:${key}`;
  }

  private redisDown(error: unknown): void {
    if (this.redisWarned) return;
    this.redisWarned = true;
    this.logger.warn(`policy cache in Redis unavailable, compiling from the database: ${(error as Error).message}`);
  }
}
