/*
 * Parameters that embeds, analytics and CDNs add to URLs they pass on: campaign tags, click ids
 * and jQuery's `_` cache-buster. They say nothing to this API, and refusing them would break a
 * partner's page whenever a marketing tool tags its links, so they are dropped before routing:
 * no route sees them, they never split the response cache, and every route added later gets the
 * same treatment. Any other unknown parameter is still refused with a 400 that names it.
 */

const EXACT = new Set([
  '_',
  'fbclid',
  'gclid',
  'gbraid',
  'wbraid',
  'dclid',
  'msclkid',
  'mc_cid',
  'mc_eid',
  'igshid',
  'yclid',
  'twclid',
  'ttclid',
]);

function isTrackingParameter(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('utm_') || EXACT.has(lower);
}

function nameOf(pair: string): string {
  const raw = pair.split('=', 1)[0]!;
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return raw;
  }
}

// Cheap test first: most requests carry none of these and keep their URL untouched.
const MAYBE = /[?&](?:utm_|utm%5f|_(?:[=&]|$)|[a-z]*clid|[gw]braid|mc_[ce]id|igshid)/i;

/** The URL without tracking parameters; the others keep their order and their encoding. */
export function withoutTrackingParameters(url: string): string {
  const mark = url.indexOf('?');
  if (mark === -1 || !MAYBE.test(url)) return url;
  const kept = url
    .slice(mark + 1)
    .split('&')
    .filter((pair) => pair !== '' && !isTrackingParameter(nameOf(pair)));
  return kept.length ? `${url.slice(0, mark)}?${kept.join('&')}` : url.slice(0, mark);
}
