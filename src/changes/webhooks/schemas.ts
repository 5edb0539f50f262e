import { z } from 'zod';
import { ALL_EVENTS, EVENT_TYPES } from './events.js';

/* The admin API's webhook shapes: inputs, and what admins see (never a secret, except once). */

const named = <T extends z.ZodType>(schema: T, id: string): T => schema.meta({ id });

const eventName = z.enum([ALL_EVENTS, ...EVENT_TYPES]).describe('An event type, or * for every event');

const secret = z
  .string()
  .min(24, 'must be at least 24 characters')
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
  .describe('Your own signing secret; leave it out to have one generated');

export const webhookCreateInput = z.strictObject({
  url: z.string().min(1).max(2048).describe('http or https URL that receives a POST per event'),
  events: z
    .array(eventName)
    .min(1)
    .max(EVENT_TYPES.length + 1),
  description: z.string().trim().max(500).optional(),
  secret: secret.optional(),
});

export const webhookUpdateInput = z.strictObject({
  url: webhookCreateInput.shape.url.optional(),
  events: webhookCreateInput.shape.events.optional(),
  description: webhookCreateInput.shape.description,
  enabled: z
    .boolean()
    .optional()
    .describe('true re-enables a disabled webhook from now on (replay to catch up); false disables it'),
});

export const rotateInput = z.strictObject({
  overlapSeconds: z
    .int()
    .min(0)
    .max(30 * 86_400)
    .default(86_400)
    .describe('How long the old secret keeps signing too'),
  secret: secret.optional(),
});

export const replayInput = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).describe('Changes at or after this time'),
    to: z.iso.datetime({ offset: true }).describe('Changes before this time'),
  })
  .refine((r) => Date.parse(r.from) < Date.parse(r.to), { message: 'must be after from', path: ['to'] });

export const DELIVERY_STATUSES = ['pending', 'delivering', 'delivered', 'failed', 'cancelled'] as const;

export const Webhook = named(
  z.object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    events: z.array(eventName),
    status: z.enum(['active', 'disabled']),
    disabledReason: z
      .string()
      .nullable()
      .describe('Why it was disabled: the failures, a 410 from the receiver, or an admin'),
    disabledAt: z.string().nullable(),
    consecutiveFailures: z.int().min(0).max(2_147_483_647).describe('Failed attempts since the last success'),
    previousSecretExpiresAt: z
      .string()
      .nullable()
      .describe('Until then deliveries are signed with the previous secret too'),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
  'Webhook',
);

export const NewWebhookSecret = named(
  Webhook.extend({
    secret: z.string().describe('The signing secret. Shown in this response only; store it with your receiver.'),
  }),
  'WebhookWithSecret',
);

export const WebhookDelivery = named(
  z.object({
    id: z.uuid(),
    eventId: z
      .uuid()
      .describe('The event id receivers see (Webhook-Id and the body): the same on every retry and redelivery'),
    eventType: z.string(),
    changeSeq: z.int().min(1).describe('Position of the change in the change log'),
    trigger: z.enum(['change', 'redelivery', 'replay']),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.int().min(0).max(2_147_483_647),
    nextAttemptAt: z.string().nullable().describe('When the next try is due, while pending'),
    lastStatusCode: z.int().min(100).max(999).nullable(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
  }),
  'WebhookDelivery',
);

const WebhookAttempt = named(
  z.object({
    attempt: z.int().min(1).max(2_147_483_647),
    startedAt: z.string(),
    statusCode: z.int().min(100).max(999).nullable(),
    latencyMs: z.int().min(0).max(2_147_483_647),
    error: z.string().nullable(),
    responseExcerpt: z.string().nullable().describe("The start of the receiver's answer"),
  }),
  'WebhookAttempt',
);

export const WebhookDeliveryDetail = named(
  WebhookDelivery.extend({
    payload: z.record(z.string(), z.unknown()).describe('The body sent'),
    attemptLog: z.array(WebhookAttempt),
  }),
  'WebhookDeliveryDetail',
);

export const ReplayResult = named(
  z.object({
    queued: z.int().min(0).max(2_147_483_647).describe('Deliveries queued'),
    changes: z
      .int()
      .min(0)
      .max(2_147_483_647)
      .describe('Changes in the range, before matching the events this webhook wants'),
  }),
  'WebhookReplayResult',
);

export type WebhookOut = z.infer<typeof Webhook>;
export type WebhookDeliveryOut = z.infer<typeof WebhookDelivery>;
export type WebhookCreateInput = z.infer<typeof webhookCreateInput>;
export type WebhookUpdateInput = z.infer<typeof webhookUpdateInput>;
