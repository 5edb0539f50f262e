-- Who wrote the current version of each role and question: the actor of its latest revision.
UPDATE "roles" SET "updated_by" = (
  SELECT "actor" FROM "revisions"
  WHERE "revisions"."entity_type" = 'role' AND "revisions"."entity_id" = "roles"."id"
  ORDER BY "revisions"."version" DESC LIMIT 1
) WHERE "updated_by" IS NULL;
--> statement-breakpoint
UPDATE "questions" SET "updated_by" = (
  SELECT "actor" FROM "revisions"
  WHERE "revisions"."entity_type" = 'question' AND "revisions"."entity_id" = "questions"."id"
  ORDER BY "revisions"."version" DESC LIMIT 1
) WHERE "updated_by" IS NULL;
