/*
 * A partner's client, written only against what `npm run client:generate` makes from the
 * committed contracts: TypeScript types from openapi.yaml (openapi-typescript) and typed GraphQL
 * documents from schema.graphql (GraphQL Code Generator, client preset). No hand-written types,
 * no edits to what is generated. test/examples/client.system.test.ts type-checks it under --strict and
 * runs it against a server.
 */
import type { components, paths } from './generated/openapi';
import { graphql } from './generated/gql';
import type { TypedDocumentString } from './generated/gql/graphql';

type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];
export type RolePage = Schemas['RolePage'];
type RoleInclude = NonNullable<NonNullable<paths['/v1/roles/{slug}']['get']['parameters']['query']>['include']>[number];

/** A role page with every part include= can add: the type says they are there. */
export type FullRolePage = RolePage &
  Required<Pick<RolePage, 'rounds' | 'questions' | 'tips' | 'faqs' | 'relatedRoles'>>;
const EVERY_PART: RoleInclude[] = ['rounds', 'questions', 'tips', 'faqs', 'related'];

/** Every error the API answers is problem+json; its code is one of a closed list. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.code}: ${problem.detail}`);
  }
}

async function problemOf(res: Response): Promise<never> {
  if (res.headers.get('content-type')?.startsWith('application/problem+json'))
    throw new ProblemError((await res.json()) as Problem);
  throw new Error(`${res.status} ${res.statusText}`);
}

function hasEveryPart(role: RolePage): role is FullRolePage {
  return (
    role.rounds !== undefined &&
    role.questions !== undefined &&
    role.tips !== undefined &&
    role.faqs !== undefined &&
    role.relatedRoles !== undefined
  );
}

export type Fetched<T> = { status: 200; data: T; etag: string | null } | { status: 304; etag: string };

/**
 * A whole role page over REST in one request. With the ETag of an earlier answer, the API
 * answers 304 when nothing changed, and that costs no body.
 */
export async function restRolePage(base: string, slug: string, etag?: string): Promise<Fetched<FullRolePage>> {
  const url = `${base}/v1/roles/${encodeURIComponent(slug)}?include=${EVERY_PART.join(',')}`;
  const res = await fetch(url, { headers: etag ? { 'if-none-match': etag } : {} });
  if (res.status === 304 && etag) return { status: 304, etag: res.headers.get('etag') ?? etag };
  if (res.status !== 200) return problemOf(res);
  const body = (await res.json()) as paths['/v1/roles/{slug}']['get']['responses'][200]['content']['application/json'];
  if (!hasEveryPart(body.data)) throw new Error('the API left out a part that include= asked for');
  return { status: 200, data: body.data, etag: res.headers.get('etag') };
}

/** The same page over GraphQL: the document says which fields, the generated type follows it. */
export const RolePageQuery = graphql(`
  query RolePage($slug: String!) {
    role(slug: $slug) {
      slug
      title
      category {
        slug
        name
      }
      seniority
      track
      summary
      questionCount
      roundCount
      formatBreakdown {
        label
        percent
      }
      rounds {
        name
        position
        focus
        durationMinutes
        questionCount
      }
      questions {
        id
        prompt
        competency
        whyAsked
        howToAnswer
        difficulty
        tags
        round {
          name
          position
        }
        starExamples {
          situation
          task
          action
          result
        }
        pitfalls {
          text
        }
      }
      tips {
        text
      }
      faqs {
        question
        answer
      }
      relatedRoles {
        slug
        title
      }
      publishedAt
      updatedAt
    }
  }
`);

interface GraphqlError {
  message: string;
  extensions?: { code?: string };
}

/** A GraphQL error answer, with its extensions.code (NOT_FOUND, BAD_USER_INPUT, ...). */
export class GraphqlErrors extends Error {
  constructor(readonly errors: GraphqlError[]) {
    super(errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; '));
  }
}

export async function execute<Result, Variables>(
  base: string,
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await res.json()) as { data?: Result | null; errors?: GraphqlError[] };
  if (body.errors?.length) throw new GraphqlErrors(body.errors);
  if (!body.data) throw new Error(`${res.status}: no data`);
  return body.data;
}

export async function graphqlRolePage(base: string, slug: string) {
  const { role } = await execute(base, RolePageQuery, { slug });
  if (!role) throw new Error(`no role ${slug}`);
  return role;
}
