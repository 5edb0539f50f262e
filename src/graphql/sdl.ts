/**
 * The GraphQL schema. Field names match the REST contract (shared/DESIGN.md); schema.graphql at the
 * repository root is generated from this (`npm run graphql:schema`) and a test fails when it drifts.
 */
export const typeDefs = /* GraphQL */ `
  "Interview-preparation content: the same published content as the REST API under /v1."
  type Query {
    "Every category in display order."
    categories: [Category!]!
    "Published roles, sorted by title, or by relevance with q."
    roles(
      first: Int = 20
      after: String
      "A category slug, as REST's category=."
      category: String
      seniority: Seniority
      track: Track
      q: String
    ): RoleConnection!
    "One role by slug; null with a NOT_FOUND error when there is none."
    role(slug: String!): Role
    "The roles a job ad's title names, best first, as REST's /v1/roles/match: no candidates when none reaches the threshold."
    roleMatches(
      "A job ad's title, as the ad writes it."
      title: String!
      "Most candidates to answer, 1 to 10."
      limit: Int = 3
    ): RoleMatchResult!
    "Published questions, sorted by role then interview order, or by relevance with q."
    questions(
      first: Int = 20
      after: String
      role: String
      "A round's name, or its position together with role."
      round: String
      competency: String
      difficulty: Difficulty
      tag: String
      q: String
    ): QuestionConnection!
    "One question by id; null with a NOT_FOUND error when there is none."
    question(id: ID!): Question
    "Roles, questions and FAQs ranked together."
    search(
      q: String!
      first: Int = 20
      after: String
      "A category slug."
      category: String
      seniority: Seniority
      "A role slug."
      role: String
      "Kinds of hits, as REST's types=."
      types: [SearchHitType!]
    ): SearchHitConnection!
  }

  "A point in time, written as REST writes it: ISO 8601 in UTC with milliseconds (2026-01-31T09:30:00.000Z)."
  scalar DateTime

  enum Seniority {
    JUNIOR
    MID
    SENIOR
    STAFF
    LEAD
    MANAGER
  }
  enum Track {
    TECHNICAL
    NON_TECHNICAL
  }
  enum Difficulty {
    EASY
    MEDIUM
    HARD
  }
  enum SearchHitType {
    ROLE
    QUESTION
    FAQ
  }

  "The seniority a job title states."
  enum TitleSeniorityLevel {
    INTERN
    JUNIOR
    MID
    SENIOR
    STAFF
    PRINCIPAL
    LEAD
    HEAD
    MANAGER
  }

  type TitleSeniority {
    level: TitleSeniorityLevel!
    "The words of the title that say it, as written."
    text: String!
  }

  type RoleCandidate {
    role: Role!
    "From 0 to 1."
    confidence: Float!
    "The role's title or alternative title that matched best."
    matchedTitle: String!
    "The words of the job title that matched it, as written."
    matchedWords: [String!]!
  }

  type RoleMatchResult {
    "The job title, as sent."
    title: String!
    "The seniority the title states; null when it states none."
    seniority: TitleSeniority
    "Candidates have at least this confidence; below it the match abstains."
    threshold: Float!
    "Best first; empty when no role reaches the threshold."
    candidates: [RoleCandidate!]!
  }

  type PageInfo {
    hasNextPage: Boolean!
    "Pass as after: for the next page."
    endCursor: String
  }

  type Category {
    slug: String!
    name: String!
    position: Int!
    "Published roles in this category."
    roleCount: Int!
  }

  type FormatSegment {
    label: String!
    percent: Int!
  }

  type Role {
    slug: String!
    title: String!
    category: Category!
    seniority: Seniority!
    track: Track!
    summary: String!
    questionCount: Int!
    roundCount: Int!
    formatBreakdown: [FormatSegment!]!
    rounds: [Round!]!
    questions: [Question!]!
    tips: [Tip!]!
    faqs: [Faq!]!
    relatedRoles: [Role!]!
    publishedAt: DateTime
    updatedAt: DateTime!
  }

  type Round {
    name: String!
    "1 for the first round a candidate meets."
    position: Int!
    focus: String!
    durationMinutes: Int!
    questionCount: Int!
    questions: [Question!]!
  }

  type Question {
    id: ID!
    role: Role!
    round: Round
    position: Int!
    prompt: String!
    competency: String!
    whyAsked: String!
    howToAnswer: String!
    difficulty: Difficulty!
    tags: [String!]!
    starExamples: [StarExample!]!
    pitfalls: [Pitfall!]!
    updatedAt: DateTime!
  }

  type StarExample {
    situation: String!
    task: String!
    action: String!
    result: String!
  }

  type Pitfall {
    text: String!
  }
  type Tip {
    text: String!
  }
  type Faq {
    question: String!
    answer: String!
    position: Int!
  }

  type SearchHit {
    type: SearchHitType!
    title: String!
    "Matched words wrapped in <mark></mark>; other markup is escaped."
    snippet: String!
    "REST path of the hit."
    link: String!
    score: Float!
    role: Role!
    "The question, for question hits."
    question: Question
  }

  type RoleEdge {
    node: Role!
    cursor: String!
  }
  type RoleConnection {
    edges: [RoleEdge!]!
    nodes: [Role!]!
    pageInfo: PageInfo!
  }
  type QuestionEdge {
    node: Question!
    cursor: String!
  }
  type QuestionConnection {
    edges: [QuestionEdge!]!
    nodes: [Question!]!
    pageInfo: PageInfo!
  }
  type SearchHitEdge {
    node: SearchHit!
    cursor: String!
  }
  type SearchHitConnection {
    edges: [SearchHitEdge!]!
    nodes: [SearchHit!]!
    pageInfo: PageInfo!
  }
`;
