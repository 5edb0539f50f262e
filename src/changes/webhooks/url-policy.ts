import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { AppError } from '../../errors.js';

/*
 * Where webhooks may point. A webhook makes this server send requests to a URL an admin chose, so
 * in production it must not reach addresses inside our own network (cloud metadata, databases,
 * admin consoles): WEBHOOK_ALLOW_PRIVATE_NETWORKS is false there. The check runs twice: on the URL
 * when it is saved (an IP literal or localhost is refused at once), and on every address a host
 * name resolves to, at connection time, so a name that later resolves inside (DNS rebinding) is
 * refused too. Development and tests allow private networks, where receivers run on 127.0.0.1.
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
  ['64:ff9b::', 96],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
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
