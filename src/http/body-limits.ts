/**
 * How much of a request body each kind of route reads before answering 413: enough for the
 * largest valid request it takes (the import format's limits set these), no more.
 */
export const BODY_LIMITS = {
  /** Keys, categories, rounds, orders, status changes: a few fields. */
  default: 64 * 1024,
  /** A role page: up to 30 tips and 30 FAQs of a few KB each, rounds, breakdown. */
  role: 256 * 1024,
  /** A question: up to 5 STAR examples of about 9 KB and 12 pitfalls. */
  question: 128 * 1024,
  /** A whole content bundle. */
  import: 20 * 1024 * 1024,
  /** A query, its variables, or an import bundle passed as text to importContent. */
  graphql: 1024 * 1024,
} as const;
