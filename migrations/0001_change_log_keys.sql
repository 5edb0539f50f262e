ALTER TABLE "change_log" ADD COLUMN "role_key" text;--> statement-breakpoint
ALTER TABLE "change_log" ADD COLUMN "previous_key" text;