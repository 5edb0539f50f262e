-- Custom SQL migration file, put your code below! --
-- Concurrent creates could give two questions of a role the same position, and deletes left gaps.
-- Number each role's questions 1..n in their current order, so the unique index that follows can be built.
UPDATE "questions" AS q
SET "position" = r.rn
FROM (
  SELECT "id", row_number() OVER (PARTITION BY "role_id" ORDER BY "position", "created_at", "id") AS rn
  FROM "questions"
) AS r
WHERE q."id" = r."id" AND q."position" <> r.rn;
