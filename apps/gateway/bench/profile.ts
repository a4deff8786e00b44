/**
 * Where the gateway's CPU goes per request: runs the gateway (the benchmark's configuration) under
 * `node --cpu-prof`, loads it with wrk (-c50) and prints, per request, the time of each owner (the
 * nearest package or workspace folder on the stack, Node internals and native code counted for
 * their caller), of each package and of the hottest functions. Run from the repository root:
 *   SWC_NODE_PROJECT=tsconfig.base.json node --conditions=@dentalos/source --import @swc-node/register/esm-register apps/gateway/bench/profile.ts
 * PROFILE_ROUTE=down profiles the 503 answers of an open breaker instead of proxying;
 * PROFILE_OWNER=<owner> lists that owner's leaf functions; PROFILE_TOP, BENCH_SECONDS.
 * V8 samples wall time on the main thread: on a busy machine, time spent descheduled inside a
 * syscall (socket writes) is counted too, so CPU from /proc is printed beside the sampled total.
 */
import 'reflect-metadata';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, freePort, isListening, spawnManaged, spawnTsProcess, startTestTokenIssuer, testKeyPrefix, waitFor } from '@dentalos/testing';
import { cpuSeconds } from './cpu.js';
import { wrk } from './load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TOP = Number(process.env.PROFILE_TOP ?? 40);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  if (url === '') return '(native/vm)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url.split('/')[0]!.replace(/^node:internal.*/, 'node:internal');
  const repo = url.indexOf(REPO_ROOT);
  return repo !== -1 ? url.slice(repo + REPO_ROOT.length + 1).split('/').slice(0, 2).join('/') : url;
}

/** Monotonic microseconds: the clock V8 stamps profile samples with, shared by every process. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

/** Self time per profile node, counting only samples taken between `fromUs` and `toUs`. */
function selfTimes(profile: Profile, fromUs: number, toUs: number): Map<number, number> {
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (at >= fromUs && at <= toUs) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  return selfUs;
}

/**
 * What a sample is spent for: the nearest frame (leaf upwards) that belongs to a package or a
 * workspace folder, looking through Node's own modules and native code (a socket write issued by
 * undici counts for undici). Async hooks (AsyncLocalStorage) and GC are reported on their own.
 */
function featureOf(stack: ProfileNode[]): string {
  for (const node of stack) {
    const { functionName, url } = node.callFrame;
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (url.includes('async_hooks')) return 'async_hooks';
    if (url === '' || url.startsWith('node:')) continue;
    return packageOf(url);
  }
  return stack[0] ? packageOf(stack[0].callFrame.url) : '?';
}

function summarise(profile: Profile, requests: number, fromUs: number, toUs: number): void {
  const selfUs = selfTimes(profile, fromUs, toUs);
  const parent = new Map<number, ProfileNode>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const byFeature = new Map<string, number>();
  const ownerDetail = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(`file://${REPO_ROOT}/`, '')}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    if (us === 0) continue;
    const stack: ProfileNode[] = [];
    for (let at: ProfileNode | undefined = byId.get(node.id); at; at = parent.get(at.id)) stack.push(at);
    const feature = featureOf(stack);
    byFeature.set(feature, (byFeature.get(feature) ?? 0) + us);
    if (feature === process.env.PROFILE_OWNER) {
      const owner = stack.find((frame) => packageOf(frame.callFrame.url) === feature)!;
      const detail = `${key}  <-  ${owner.callFrame.functionName} ${owner.callFrame.url.replace(/^.*node_modules\//, '')}:${owner.callFrame.lineNumber + 1}`;
      ownerDetail.set(detail, (ownerDetail.get(detail) ?? 0) + us);
    }
  }
  const perRequest = (us: number) => (us / requests).toFixed(2).padStart(7);
  console.log(`\nSampled JS+native CPU (idle and (program) excluded): ${(total / requests).toFixed(1)} us/request`);
  console.log('\nBy owner, Node internals and native code counted for their caller (us/request):');
  for (const [feature, us] of [...byFeature].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${perRequest(us)}  ${feature}`);
  if (ownerDetail.size > 0) {
    console.log(`\n${process.env.PROFILE_OWNER}: leaf function <- nearest frame of its own (us/request):`);
    for (const [detail, us] of [...ownerDetail].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`  ${perRequest(us)}  ${detail}`);
  }
  console.log('\nBy package, self time (us/request):');
  for (const [pkg, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${perRequest(us)}  ${pkg}`);
  console.log(`\nTop ${TOP} functions by self time (us/request):`);
  for (const [fn, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`  ${perRequest(us)}  ${fn}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-profile-'));
  const [upstreamPort, gatewayPort, downPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const issuer = await startTestTokenIssuer();
  const upstream = spawnTsProcess(join(REPO_ROOT, 'apps/gateway/bench/upstream-server.ts'), { PORT: String(upstreamPort) });
  // spawnTsProcess's command line plus --cpu-prof (which NODE_OPTIONS does not accept).
  const gateway = spawnManaged(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--conditions=@dentalos/source', '--import', '@swc-node/register/esm-register', join(REPO_ROOT, 'apps/gateway/src/main.ts')],
    {
      ...process.env,
      SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.base.json'),
      ...issuer.env,
      PORT: String(gatewayPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_GATEWAY_LOG_LEVEL ?? 'warn',
      REDIS_KEY_PREFIX: testKeyPrefix('gateway-profile'),
      // `down` has nothing listening: its breaker opens after a few refused connections.
      GATEWAY_UPSTREAMS: `bench=http://127.0.0.1:${upstreamPort},down=http://127.0.0.1:${downPort}`,
      GATEWAY_ROUTES: 'bench=bench,down=down',
      GATEWAY_EXACT_ROUTES: '/.well-known/jwks.json=bench',
      RATE_LIMIT_PER_USER: '1000000000',
      RATE_LIMIT_PER_IP: '1000000000',
    },
    REPO_ROOT,
  );
  try {
    await waitFor(() => isListening(upstreamPort), { what: 'upstream', timeoutMs: 60_000 });
    await waitFor(() => isListening(gatewayPort), { what: 'gateway', timeoutMs: 60_000 });
    const token = await issuer.sign({ sub: 'bench-user' }, { expiresIn: '10m' });
    const auth = { authorization: `Bearer ${token}` };
    // PROFILE_ROUTE=down profiles the answers of an open breaker (503) instead of proxying.
    const route = process.env.PROFILE_ROUTE ?? 'bench';
    const url = `http://127.0.0.1:${gatewayPort}/api/v1/${route}/clinics`;
    if (route === 'down') {
      await waitFor(async () => (await fetch(url, { headers: auth })).status === 503, { what: 'the breaker of `down` to open', intervalMs: 10 });
    }
    await wrk(url, auth, 3);
    const before = cpuSeconds(gateway.child.pid!);
    const fromUs = monotonicUs();
    const result = await wrk(url, auth, SECONDS);
    const toUs = monotonicUs();
    const used = cpuSeconds(gateway.child.pid!) - before;
    const requests = result.requests;
    console.log(`gateway: ${result.rps.toFixed(0)} req/s, non-2xx ${result.non2xx}, CPU ${((used * 1e6) / requests).toFixed(0)} us/request (/proc)`);
    await gateway.stop();
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no profile written\n${gateway.output()}`);
    summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile, requests, fromUs, toUs);
  } finally {
    await Promise.all([gateway.stop(), upstream.stop()]);
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
