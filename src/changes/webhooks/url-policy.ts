import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { AppError } from '../../errors.js';

/*
 * Where webhooks may point. A webhook makes this server send requests to a URL an admin chose, so
 * in production it must not reach addresses inside our own network (cloud metadata, databases,
 * admin consoles): WEBHOOK_ALLOW_PRIVATE_NETWORKS is false there. The check runs twice: on the URL
 * when it is saved (an IP literal or localhost is refused at once), and at every delivery, on an IP
 * literal (which Node connects to without a lookup) and on every address a host name resolves to,
 * so a name that later resolves inside (DNS rebinding) is refused too. IPv6 forms that carry an
 * IPv4 address count as that address. Development and tests allow private networks, where receivers run on 127.0.0.1.
 */

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  // Forms that carry an IPv4 address and reach it through a translator: NAT64 (well-known and
  // local-use prefixes), 6to4 and Teredo. Refused whole: a receiver has an address of its own.
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['2002::', 16],
  ['2001::', 32],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included), or undefined. */
function groupsOf(address: string): number[] | undefined {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail, extra] = text.split('::');
  if (extra !== undefined) return undefined;
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  const groups = tail === undefined ? front : [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/**
 * The IPv4 address an IPv6 one stands for on this host's own stack: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-translated (::ffff:0:a.b.c.d) and the deprecated IPv4-compatible form (::a.b.c.d).
 */
function carriedIpv4(groups: number[]): string | undefined {
  const zeros = (n: number) => groups.slice(0, n).every((g) => g === 0);
  const mapped = zeros(5) && groups[5] === 0xffff;
  const translated = zeros(4) && groups[4] === 0xffff && groups[5] === 0;
  const compatible = zeros(6) && (groups[6] !== 0 || groups[7]! > 1);
  if (!mapped && !translated && !compatible) return undefined;
  const [hi, lo] = [groups[6]!, groups[7]!];
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/%.*$/, ''); // a zone (fe80::1%eth0) names an interface, not an address
  const family = isIP(bare);
  if (family === 0) return true;
  if (family === 4) return PRIVATE.check(bare, 'ipv4');
  const groups = groupsOf(bare);
  if (!groups) return true;
  const ipv4 = carriedIpv4(groups);
  if (ipv4) return PRIVATE.check(ipv4, 'ipv4');
  return PRIVATE.check(bare, 'ipv6');
}

const refuse = (message: string) =>
  new AppError('VALIDATION_FAILED', `url: ${message}`, { errors: [{ path: 'url', message }] });

/** Checks a receiver URL as it is saved; returns it normalised. */
export function checkWebhookUrl(raw: string, allowPrivateNetworks: boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('must be http or https');
  if (url.username || url.password)
    throw refuse(
      'must not carry a user name or password; put credentials in the path or query if the receiver needs them',
    );
  if (url.hash) throw refuse('must not have a #fragment');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (
    !allowPrivateNetworks &&
    (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isPrivateAddress(host)))
  ) {
    throw refuse(
      'points into a private network, which this server does not send webhooks to (WEBHOOK_ALLOW_PRIVATE_NETWORKS)',
    );
  }
  return url.toString();
}

/** A DNS lookup for outgoing webhook requests that refuses private addresses when asked to. */
export function guardedLookup(allowPrivateNetworks: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const usable = allowPrivateNetworks ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
      if (usable.length === 0) {
        const refused = Object.assign(
          new Error(`${hostname} resolves only to private addresses, which webhooks may not reach`),
          { code: 'EPRIVATE' },
        );
        return callback(refused, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      return callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}
