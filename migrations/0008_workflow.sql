CREATE TABLE "release_items" (
	"release_id" uuid NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"changes" jsonb,
	"base_version" integer,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "release_items_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	CONSTRAINT "release_items_release_id_entity_type_entity_id_pk" PRIMARY KEY("release_id","entity_type","entity_id"),
	CONSTRAINT "release_items_entity_type_check" CHECK ("release_items"."entity_type" in ('role', 'question'))
);
--> statement-breakpoint
CREATE TABLE "releases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"publish_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"error" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "releases_status_check" CHECK ("releases"."status" in ('open', 'scheduled', 'published', 'cancelled', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "updated_by" text;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "publish_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "unpublish_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "scheduled_by" text;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "schedule_error" text;--> statement-breakpoint
ALTER TABLE "revisions" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "revisions" ADD COLUMN "changed_fields" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "revisions" ADD COLUMN "refs" jsonb;--> statement-breakpoint
ALTER TABLE "roles" ADD COLUMN "updated_by" text;--> statement-breakpoint
ALTER TABLE "roles" ADD COLUMN "publish_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "roles" ADD COLUMN "unpublish_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "roles" ADD COLUMN "scheduled_by" text;--> statement-breakpoint
ALTER TABLE "roles" ADD COLUMN "schedule_error" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "seq" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "webhook_deliveries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
ALTER TABLE "webhooks" ADD COLUMN "failing_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "release_items" ADD CONSTRAINT "release_items_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "release_items_entity_idx" ON "release_items" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "releases_due_idx" ON "releases" USING btree ("publish_at") WHERE status = 'scheduled';--> statement-breakpoint
CREATE INDEX "questions_publish_at_idx" ON "questions" USING btree ("publish_at") WHERE publish_at is not null;--> statement-breakpoint
CREATE INDEX "questions_unpublish_at_idx" ON "questions" USING btree ("unpublish_at") WHERE unpublish_at is not null;--> statement-breakpoint
CREATE INDEX "roles_publish_at_idx" ON "roles" USING btree ("publish_at") WHERE publish_at is not null;--> statement-breakpoint
CREATE INDEX "roles_unpublish_at_idx" ON "roles" USING btree ("unpublish_at") WHERE unpublish_at is not null;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_queue_idx" ON "webhook_deliveries" USING btree ("webhook_id","seq");