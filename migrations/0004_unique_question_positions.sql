DROP INDEX "questions_role_position_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "questions_role_position_key" ON "questions" USING btree ("role_id","position");