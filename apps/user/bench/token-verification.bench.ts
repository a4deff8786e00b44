/**
 * Token verification through libs/auth's TokenVerifier with a warm key set, on one core.
 * Run from the repository root:
 *   SWC_NODE_PROJECT=tsconfig.base.json node --conditions=@dentalos/source --import @swc-node/register/esm-register apps/user/bench/token-verification.bench.ts
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, SignJWT } from 'jose';
import { TokenVerifier } from '@dentalos/auth';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const DISTINCT_TOKENS = Number(process.env.BENCH_TOKENS ?? 1500);

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' }] });
const options = { issuer: 'dentalos-user', audience: 'dentalos-api' };

function sign(): Promise<string> {
  return new SignJWT({ sid: randomUUID(), roles: ['staff'] })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench', typ: 'JWT' })
    .setSubject(randomUUID())
    .setJti(randomUUID())
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(privateKey);
}

async function rate(label: string, verify: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 200; i++) await verify(i); // warm-up (JIT, key import)
  let count = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(SECONDS * 1e9);
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < 100; i++) await verify(count++);
  }
  const perSecond = count / (Number(process.hrtime.bigint() - started) / 1e9);
  console.log(`${label.padEnd(44)} ${Math.round(perSecond).toLocaleString('en-US').padStart(10)} verifications/s`);
  return perSecond;
}

const tokens = await Promise.all(Array.from({ length: DISTINCT_TOKENS }, sign));
console.log(`node ${process.version}, one thread, RS256 2048-bit, ${SECONDS}s per case (shared machine: compare ratios)`);
const cachedVerifier = new TokenVerifier(jwks, options);
const cached = await rate('TokenVerifier, cached (same token)', () => cachedVerifier.verify(tokens[0]!));
// A cache of one entry with a new token every call: every verification checks the RSA signature.
const uncachedVerifier = new TokenVerifier(jwks, { ...options, cacheSize: 1 });
const uncached = await rate('TokenVerifier, uncached (signature every call)', (i) => uncachedVerifier.verify(tokens[i % tokens.length]!));
console.log(`cached/uncached ratio: ${(cached / uncached).toFixed(1)}x; target ≥ 20,000/s ${uncached >= 20_000 ? 'met even uncached' : cached >= 20_000 ? 'met with the cache' : 'NOT met'}`);
