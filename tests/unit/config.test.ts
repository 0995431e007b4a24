import { describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config.js';
import { trustedProxies } from '../../server/http/clientAddress.js';

describe('TRUST_PROXY', () => {
  it('takes addresses, subnets and the named ranges, comma-separated', () => {
    const trusted = trustedProxies('loopback, 10.0.0.0/8,192.168.1.5');
    expect(['127.0.0.1', '::1', '10.2.3.4', '192.168.1.5'].map((a) => trusted(a, 0))).toEqual([true, true, true, true]);
    expect(['192.168.1.6', '203.0.113.7'].map((a) => trusted(a, 0))).toEqual([false, false]);
    expect(readConfig({ TRUST_PROXY: 'uniquelocal' }).TRUST_PROXY).toBe('uniquelocal');
  });

  it('refuses a value that is not a list of addresses, saying what to write', () => {
    expect(() => readConfig({ TRUST_PROXY: 'true' })).toThrow(/reverse proxies' addresses or subnets/);
    expect(() => readConfig({ TRUST_PROXY: '10.0.0.0/99' })).toThrow(/TRUST_PROXY/);
    expect(() => readConfig({ TRUST_PROXY: '10.0.0.2, 0.0.0.0/0' })).toThrow(/trusts every address/);
    expect(() => readConfig({ TRUST_PROXY: '::/0' })).toThrow(/trusts every address/);
    // The same, written otherwise: a netmask, or two halves.
    expect(() => readConfig({ TRUST_PROXY: '0.0.0.0/128.0.0.0, 128.0.0.0/128.0.0.0' })).toThrow(/trusts every address/);
    expect(() => readConfig({ TRUST_PROXY: '0.0.0.0/1, 128.0.0.0/1' })).toThrow(/trusts every address/);
    expect(() => readConfig({ TRUST_PROXY: '::/1, 8000::/1' })).toThrow(/trusts every address/);
  });

  it('is off by default: a venue laptop has no proxy in front of it', () => {
    expect(readConfig({}).TRUST_PROXY).toBeUndefined();
  });
});

describe('an environment file', () => {
  it('leaves a setting unset when it is empty (CREATE_KEY=), and still refuses a bad value', () => {
    const config = readConfig({ CREATE_KEY: '', METRICS_TOKEN: '', PUBLIC_URL: '', PORT: '' });
    expect(config.CREATE_KEY).toBeUndefined();
    expect(config.METRICS_TOKEN).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(() => readConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(readConfig({ METRICS_TOKEN: 'a-metrics-token-of-24-chars' }).METRICS_TOKEN).toBe('a-metrics-token-of-24-chars');
  });
});
