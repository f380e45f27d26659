import { describe, expect, it } from 'vitest';
import { addressProblem, checkWebhookUrl, classifyAddress } from './url-policy.js';

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['172.15.255.255', 'public'],
    ['172.32.0.0', 'public'],
    ['100.63.255.255', 'public'],
    ['223.255.255.255', 'public'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
  ])('IPv4 %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it.each([
    ['2606:4700:4700::1111', 'public'],
    ['2a00:1450:4001:82a::200e', 'public'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['100::1', 'reserved'],
    // IPv4 inside IPv6 reaches the IPv4 address: classified as it.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::8.8.8.8', 'public'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:808:808::1', 'public'],
  ])('IPv6 %s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('calls anything that is not an IP address reserved', () => {
    expect(classifyAddress('example.com')).toBe('reserved');
    expect(classifyAddress('')).toBe('reserved');
  });
});

describe('addressProblem', () => {
  it('refuses non-public addresses unless private targets are allowed', () => {
    expect(addressProblem('127.0.0.1', { allowPrivate: false })).toMatch(/127\.0\.0\.1 is a loopback address/);
    expect(addressProblem('127.0.0.1', { allowPrivate: true })).toBeUndefined();
    expect(addressProblem('8.8.8.8', { allowPrivate: false })).toBeUndefined();
  });
});

describe('checkWebhookUrl', () => {
  const strict = { allowPrivate: false };
  const relaxed = { allowPrivate: true };

  it('accepts public https URLs', () => {
    expect(checkWebhookUrl('https://example.com/webhook', strict)).toBeUndefined();
    expect(checkWebhookUrl('https://93.184.216.34:8443/hook?x=1', strict)).toBeUndefined();
    expect(checkWebhookUrl('https://[2606:4700:4700::1111]/hook', strict)).toBeUndefined();
  });

  it.each([
    [undefined, /required/],
    ['', /required/],
    [42, /required/],
    ['not a url', /not a valid URL/],
    ['example.com/hook', /not a valid URL/],
    ['ftp://example.com/hook', /https/],
    ['http://example.com/hook', /https/],
    ['https://user:pass@example.com/hook', /credentials/],
    ['https://token@example.com/hook', /credentials/],
    ['https://localhost/hook', /localhost/],
    ['https://localhost./hook', /localhost/],
    ['https://api.localhost/hook', /localhost/],
    ['https://127.0.0.1/hook', /loopback/],
    ['https://2130706433/hook', /loopback/],
    ['https://0x7f.1/hook', /loopback/],
    ['https://10.0.0.5/hook', /private/],
    ['https://169.254.169.254/latest/meta-data', /link-local/],
    ['https://0.0.0.0/', /unspecified/],
    ['https://[::1]/hook', /loopback/],
    ['https://[::ffff:127.0.0.1]/hook', /loopback/],
    ['https://[fe80::1]/hook', /link-local/],
    [`https://example.com/${'a'.repeat(2100)}`, /at most 2048/],
  ])('refuses %s', (url, message) => {
    expect(checkWebhookUrl(url, strict)).toMatch(message);
  });

  it('allows http and private targets when the operator does, never credentials', () => {
    expect(checkWebhookUrl('http://127.0.0.1:3000/hook', relaxed)).toBeUndefined();
    expect(checkWebhookUrl('http://localhost:3000/hook', relaxed)).toBeUndefined();
    expect(checkWebhookUrl('https://10.0.0.5/hook', relaxed)).toBeUndefined();
    expect(checkWebhookUrl('http://user:pw@127.0.0.1/hook', relaxed)).toMatch(/credentials/);
    expect(checkWebhookUrl('ftp://127.0.0.1/hook', relaxed)).toMatch(/https/);
  });
});
