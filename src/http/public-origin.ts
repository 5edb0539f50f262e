import { isIPv6 } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DNS_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`, 'i');

/** A DNS name, an IPv4 address or a bracketed IPv6 one, and an optional port: nothing that could leave a URL's authority. */
function validHost(host: string): boolean {
  const port = /:(\d{1,5})$/.exec(host);
  if (port && (Number(port[1]) < 1 || Number(port[1]) > 65535)) return false;
  const name = port ? host.slice(0, port.index) : host;
  if (name.startsWith('[') && name.endsWith(']')) return isIPv6(name.slice(1, -1));
  return name.length <= 253 && DNS_NAME.test(name);
}

const refused = (header: string, message: string) =>
  new AppError('BAD_REQUEST', `${header}: ${message}`, { errors: [{ path: header, location: 'header', message }] });

/**
 * The origin absolute links are written with (embed pages, oEmbed): PUBLIC_BASE_URL when set,
 * otherwise the scheme and host the request names (X-Forwarded-Proto and X-Forwarded-Host only
 * from a trusted proxy), once they are checked to be a scheme and a host and nothing more. A Host
 * header is the client's to choose, so a shared cache in front should be given PUBLIC_BASE_URL.
 */
export function publicOrigin(request: FastifyRequest): string {
  const configured = request.server.appConfig.publicBaseUrl;
  if (configured) return configured;
  const { protocol, host } = request;
  if (protocol !== 'http' && protocol !== 'https') throw refused('x-forwarded-proto', 'must be http or https');
  if (!validHost(host)) throw refused('host', 'must be a host name or IP address, with an optional port');
  return `${protocol}://${host}`;
}
