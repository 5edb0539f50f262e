import type { FastifyReply, FastifyRequest } from 'fastify';
import { listBody, singleBody, type JsonDocument, type JsonList } from '../content/read-model.js';
import { linkNext } from './read-context.js';
import { tagResponse } from './surrogate.js';

/*
 * Public reads arrive from src/content as JSON text PostgreSQL wrote in the contract's shape; they
 * are sent as they are (the route schemas still document them, and the OpenAPI test checks live
 * answers against those), named by their surrogate keys.
 */

const JSON_TYPE = 'application/json; charset=utf-8';

export function sendDocument(reply: FastifyReply, doc: JsonDocument) {
  tagResponse(reply, doc.keys);
  return reply.type(JSON_TYPE).send(singleBody(doc));
}

/** A document that is already a whole response body (a complete list of rounds, tips, FAQs). */
export function sendBody(reply: FastifyReply, doc: JsonDocument) {
  tagResponse(reply, doc.keys);
  return reply.type(JSON_TYPE).send(doc.json);
}

export function sendList(request: FastifyRequest, reply: FastifyReply, list: JsonList) {
  linkNext(request, reply, list.page);
  tagResponse(reply, list.keys);
  return reply.type(JSON_TYPE).send(listBody(list));
}
