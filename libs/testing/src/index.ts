export { REPO_ROOT, TEST_MONGODB_URL, TEST_REDIS_URL, testDatabaseUri, testKeyPrefix, uniqueName } from './infra.js';
export { freePort, isListening } from './ports.js';
export { type ManagedProcess, spawnManaged } from './process.js';
export { type PrivateServer, privateFerretDb, privateRedis } from './servers.js';
export { spawnTsProcess } from './service-process.js';
export { QUIET_ENV, type TestApp, startTestApp } from './test-app.js';
export { type WaitOptions, sleep, waitFor } from './wait.js';
export { describeServiceContract } from './service-skeleton.js';
export { type SignOptions, type TestTokenClaims, type TestTokenIssuer, startTestTokenIssuer } from './token-issuer.js';
