import { describe, expect, it } from 'vitest';
import { DataEnv } from './base.env.js';
import { ConfigError, loadConfig } from './config.loader.js';

class SampleEnv extends DataEnv {
  override PORT = 3999;
  override MONGODB_URI = 'mongodb://127.0.0.1:27017/sample';
}

class RequiredEnv extends DataEnv {}

describe('loadConfig', () => {
  it('applies defaults and converts types', () => {
    const env = loadConfig(SampleEnv, { PORT: '4000', TRUSTED_PROXIES: 'loopback, 10.0.0.0/8, fd00::/8', CORS_ORIGINS: 'https://a.test, https://b.test' });
    expect(env.PORT).toBe(4000);
    expect(env.TRUSTED_PROXIES).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
    expect(env.CORS_ORIGINS).toEqual(['https://a.test', 'https://b.test']);
    expect(env.LOG_LEVEL).toBe('info');
    expect(Object.isFrozen(env)).toBe(true);
  });

  it('names every bad variable in one error', () => {
    const attempt = () => loadConfig(SampleEnv, { PORT: 'eighty', LOG_LEVEL: 'loud', MONGODB_SYNC_INDEXES: 'maybe' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PORT: .*\n.*LOG_LEVEL: .*\n.*MONGODB_SYNC_INDEXES/s);
  });

  it('refuses a trusted proxy that is not an address, a range or a known name', () => {
    expect(() => loadConfig(SampleEnv, { TRUSTED_PROXIES: '10.0.0.1, everyone' })).toThrow(/TRUSTED_PROXIES: each entry must be/);
    expect(() => loadConfig(SampleEnv, { TRUSTED_PROXIES: '300.1.1.1' })).toThrow(/TRUSTED_PROXIES/);
  });

  it('names a missing required variable', () => {
    expect(() => loadConfig(RequiredEnv, {})).toThrow(/PORT[\s\S]*MONGODB_URI/);
  });

  it('ignores variables the class does not declare', () => {
    const env = loadConfig(SampleEnv, { UNRELATED: 'x' }) as unknown as Record<string, unknown>;
    expect(env.UNRELATED).toBeUndefined();
  });
});
