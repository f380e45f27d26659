import { isIP } from 'node:net';

/**
 * What an IP address is, for the webhook URL rules: only `public` addresses may be delivery
 * targets unless the operator allows private ones (RG_WEBHOOK_ALLOW_PRIVATE).
 */
export type AddressKind = 'public' | 'private' | 'loopback' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

/** IPv4 ranges that are not public unicast: [network address, prefix length, kind]. */
const IPV4_RANGES: [string, number, AddressKind][] = [
  ['0.0.0.0', 8, 'unspecified'], // "this network"; 0.0.0.0 connects to the local host on Linux
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'private'], // carrier-grade NAT
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'], // includes cloud metadata endpoints (169.254.169.254)
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'reserved'], // documentation
  ['192.88.99.0', 24, 'reserved'], // 6to4 relay anycast
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'reserved'], // documentation
  ['203.0.113.0', 24, 'reserved'], // documentation
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // future use and broadcast
];

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

const IPV4_TABLE = IPV4_RANGES.map(([base, bits, kind]) => ({
  base: ipv4ToNumber(base),
  size: 2 ** (32 - bits),
  kind,
}));

function classifyIpv4(address: string): AddressKind {
  const n = ipv4ToNumber(address);
  for (const range of IPV4_TABLE) if (n >= range.base && n < range.base + range.size) return range.kind;
  return 'public';
}

/** The 8 groups of an IPv6 address (with `::` expanded and a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase(); // a zone id (`fe80::1%eth0`) says nothing about the range
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = ipv4ToNumber(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const parse = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const first = parse(head);
  if (tail === undefined) return first;
  const last = parse(tail);
  return [...first, ...Array<number>(8 - first.length - last.length).fill(0), ...last];
}

const embeddedIpv4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

function classifyIpv6(address: string): AddressKind {
  const g = ipv6Groups(address);
  const zeroUpTo = (n: number) => g.slice(0, n).every((group) => group === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses reach the IPv4 address.
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyIpv4(embeddedIpv4(g[6]!, g[7]!));
  if (zeroUpTo(6)) return classifyIpv4(embeddedIpv4(g[6]!, g[7]!));
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they embed.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0))
    return classifyIpv4(embeddedIpv4(g[6]!, g[7]!));
  if (g[0] === 0x2002) return classifyIpv4(embeddedIpv4(g[1]!, g[2]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private'; // local-use NAT64 (64:ff9b:1::/48)
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((g[0]! & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local fec0::/10
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  if (g[0] === 0x100 && g.slice(1, 4).every((group) => group === 0)) return 'reserved'; // discard-only 100::/64
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'reserved'; // documentation 2001:db8::/32
  if (g[0] === 0x2001 && g[1]! < 0x200) return 'reserved'; // IETF protocol assignments 2001::/23 (Teredo, ORCHID, …)
  return 'public';
}

/** Classifies an IPv4 or IPv6 address; anything that is not an IP address is `reserved`. */
export function classifyAddress(address: string): AddressKind {
  const family = isIP(address.split('%')[0]!);
  if (family === 4) return classifyIpv4(address);
  if (family === 6) return classifyIpv6(address);
  return 'reserved';
}

/** Why a connection to `address` is refused, or undefined when it may go ahead. */
export function addressProblem(address: string, { allowPrivate }: { allowPrivate: boolean }): string | undefined {
  const kind = classifyAddress(address);
  if (kind === 'public' || allowPrivate) return undefined;
  return `${address} is a ${kind} address; webhooks may target public addresses only`;
}

/** URL host names that always mean this machine. */
const LOCAL_NAMES = /(^|\.)localhost\.?$/i;

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * Why a URL may not be a webhook target, or undefined when it may: syntax, https (http only when
 * private targets are allowed), no credentials, no literal non-public IP and no `localhost`.
 * Host names are checked again on the address actually connected to (see sender.ts), since a
 * name may resolve to a private address.
 */
export function checkWebhookUrl(url: unknown, { allowPrivate }: { allowPrivate: boolean }): string | undefined {
  if (typeof url !== 'string' || url.trim() === '') return 'is required: an https URL';
  if (url.length > MAX_WEBHOOK_URL_LENGTH) return `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an https URL';
  if (parsed.protocol === 'http:' && !allowPrivate) return 'must be an https URL';
  if (parsed.username || parsed.password)
    return 'must not hold credentials (user:password@); authenticate deliveries by their signature';
  if (!parsed.hostname) return 'must name a host';
  if (allowPrivate) return undefined;
  if (LOCAL_NAMES.test(parsed.hostname)) return 'must not point at localhost';
  // The URL parser normalizes every IPv4 spelling (0x7f.1, 2130706433) and brackets IPv6.
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  if (isIP(host)) {
    const problem = addressProblem(host, { allowPrivate });
    if (problem) return `must not point at a non-public address (${problem.split(';')[0]})`;
  }
  return undefined;
}
