import type { ErrorCode } from '../errors.js';

/**
 * What each stable error code means to a client and what to do about it: the text of the page
 * its problem `type` URI points to (GET /problems/{type}). Typed by ErrorCode, so a new code does
 * not compile until it is explained here.
 */
export const PROBLEM_DOCS: Record<ErrorCode, string> = {
  BAD_REQUEST:
    'The request could not be read: malformed JSON or URL, a parameter given twice, or a value the API cannot store or compare. Fix the request; sending it unchanged fails the same way.',
  VALIDATION_FAILED:
    'Parameters or body fields are invalid or unknown. The errors list names each one by its path (limit, body.questions.0.prompt) with what is wrong. Tracking parameters (utm_*, fbclid, gclid, _) are ignored, never refused.',
  UNAUTHENTICATED:
    'The operation needs an API key, or the key sent is unknown, revoked or expired. Send it as Authorization: Bearer <key>. A bad key is refused even on public endpoints, so a misconfigured client notices.',
  FORBIDDEN:
    'The key lacks a scope the operation needs, is used from a browser origin it does not list, or asks for drafts (preview) without content:preview.',
  NOT_FOUND:
    'Nothing has that slug or id, or there is no such route. Content the caller may not see (drafts, categories outside a partner key) answers the same way.',
  METHOD_NOT_ALLOWED: 'The path exists, but not with this method. The Allow header lists the methods it takes.',
  REQUEST_TIMEOUT: 'The request took too long to arrive. Send it again over a faster connection.',
  CONFLICT:
    'The change conflicts with existing content: a slug already taken, an item other content still refers to (add cascade=true if you mean to delete those too), or a write that collided with another. Reload and try again.',
  GONE: 'What the request points to is no longer kept, such as a sync cursor older than the retained change history. Start over as the detail says: for /v1/sync, without a cursor.',
  PRECONDITION_FAILED:
    'If-Match (or version) names a version that is no longer current: someone changed the item since you read it. Nothing was written. Read it again, reapply your change and send the new ETag.',
  PAYLOAD_TOO_LARGE:
    'The body is larger than this route reads. Each route reads only as much as its largest valid request needs; the README lists the limits.',
  UNSUPPORTED_MEDIA_TYPE:
    'The body is not in a media type the route reads. Send JSON with Content-Type: application/json.',
  RATE_LIMITED:
    'Over the requests per minute for your key or address. Wait the seconds Retry-After says; the RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset headers show the budget on every response.',
  REQUEST_HEADERS_TOO_LARGE: 'The request line and headers are too long. Shorten the URL or the headers.',
  INTERNAL:
    'Something failed on our side; no details leave the server. The requestId in the body identifies the failure in our logs. Retrying may work.',
  NOT_IMPLEMENTED: 'The server does not offer what was asked, such as oEmbed in XML. Ask for a format it offers.',
  UNAVAILABLE:
    'The service cannot answer right now: the database does not respond, the server is overloaded, or it is stopping (an import in progress is rolled back whole). Retry after the seconds Retry-After says, on another instance if there is one.',
};
