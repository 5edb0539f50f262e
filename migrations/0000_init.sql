CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"previous_secret_hash" text,
	"previous_secret_expires_at" timestamp with time zone,
	"scopes" text[] DEFAULT '{}'::text[] NOT NULL,
	"rate_limit_per_minute" integer,
	"allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_rate_limit_check" CHECK ("api_keys"."rate_limit_per_minute" is null or "api_keys"."rate_limit_per_minute" > 0)
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "categories_position_check" CHECK ("categories"."position" >= 0)
);
--> statement-breakpoint
CREATE TABLE "change_log" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "change_log_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"entity_key" text NOT NULL,
	"action" text NOT NULL,
	"version" integer,
	"actor" text NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "question_pitfalls" (
	"question_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	CONSTRAINT "question_pitfalls_question_id_position_pk" PRIMARY KEY("question_id","position"),
	CONSTRAINT "question_pitfalls_position_check" CHECK ("question_pitfalls"."position" >= 0)
);
--> statement-breakpoint
CREATE TABLE "question_star_examples" (
	"question_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"situation" text NOT NULL,
	"task" text NOT NULL,
	"action" text NOT NULL,
	"result" text NOT NULL,
	CONSTRAINT "question_star_examples_question_id_position_pk" PRIMARY KEY("question_id","position"),
	CONSTRAINT "question_star_examples_position_check" CHECK ("question_star_examples"."position" >= 0)
);
--> statement-breakpoint
CREATE TABLE "questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"role_id" uuid NOT NULL,
	"round_id" uuid,
	"position" integer NOT NULL,
	"prompt" text NOT NULL,
	"competency" text NOT NULL,
	"why_asked" text NOT NULL,
	"how_to_answer" text NOT NULL,
	"difficulty" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, coalesce(prompt, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(competency, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(why_asked, '') || ' ' || coalesce(how_to_answer, '')), 'D')) STORED,
	CONSTRAINT "questions_status_check" CHECK ("questions"."status" in ('draft', 'published', 'archived')),
	CONSTRAINT "questions_difficulty_check" CHECK ("questions"."difficulty" in ('easy', 'medium', 'hard')),
	CONSTRAINT "questions_position_check" CHECK ("questions"."position" >= 0),
	CONSTRAINT "questions_version_check" CHECK ("questions"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "revisions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "revisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"snapshot" jsonb NOT NULL,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "revisions_entity_type_check" CHECK ("revisions"."entity_type" in ('role', 'question'))
);
--> statement-breakpoint
CREATE TABLE "role_faqs" (
	"role_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"question" text NOT NULL,
	"answer" text NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, coalesce(question, '')), 'B') || setweight(to_tsvector('english'::regconfig, coalesce(answer, '')), 'D')) STORED,
	CONSTRAINT "role_faqs_role_id_position_pk" PRIMARY KEY("role_id","position"),
	CONSTRAINT "role_faqs_position_check" CHECK ("role_faqs"."position" >= 0)
);
--> statement-breakpoint
CREATE TABLE "role_format_segments" (
	"role_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"label" text NOT NULL,
	"percent" integer NOT NULL,
	CONSTRAINT "role_format_segments_role_id_position_pk" PRIMARY KEY("role_id","position"),
	CONSTRAINT "role_format_segments_percent_check" CHECK ("role_format_segments"."percent" between 0 and 100),
	CONSTRAINT "role_format_segments_position_check" CHECK ("role_format_segments"."position" >= 0)
);
--> statement-breakpoint
CREATE TABLE "role_related_roles" (
	"role_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"related_role_id" uuid NOT NULL,
	CONSTRAINT "role_related_roles_role_id_position_pk" PRIMARY KEY("role_id","position"),
	CONSTRAINT "role_related_roles_position_check" CHECK ("role_related_roles"."position" >= 0),
	CONSTRAINT "role_related_roles_not_self_check" CHECK ("role_related_roles"."role_id" <> "role_related_roles"."related_role_id")
);
--> statement-breakpoint
CREATE TABLE "role_tips" (
	"role_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"text" text NOT NULL,
	CONSTRAINT "role_tips_role_id_position_pk" PRIMARY KEY("role_id","position"),
	CONSTRAINT "role_tips_position_check" CHECK ("role_tips"."position" >= 0)
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"category_id" uuid NOT NULL,
	"seniority" text NOT NULL,
	"track" text NOT NULL,
	"summary" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"search" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'C')) STORED,
	CONSTRAINT "roles_status_check" CHECK ("roles"."status" in ('draft', 'published', 'archived')),
	CONSTRAINT "roles_seniority_check" CHECK ("roles"."seniority" in ('junior', 'mid', 'senior', 'staff', 'lead', 'manager')),
	CONSTRAINT "roles_track_check" CHECK ("roles"."track" in ('technical', 'non-technical')),
	CONSTRAINT "roles_slug_check" CHECK ("roles"."slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
	CONSTRAINT "roles_version_check" CHECK ("roles"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"role_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"focus" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rounds_position_check" CHECK ("rounds"."position" >= 0),
	CONSTRAINT "rounds_duration_check" CHECK ("rounds"."duration_minutes" > 0)
);
--> statement-breakpoint
ALTER TABLE "question_pitfalls" ADD CONSTRAINT "question_pitfalls_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_star_examples" ADD CONSTRAINT "question_star_examples_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questions" ADD CONSTRAINT "questions_round_id_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."rounds"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_faqs" ADD CONSTRAINT "role_faqs_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_format_segments" ADD CONSTRAINT "role_format_segments_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_related_roles" ADD CONSTRAINT "role_related_roles_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_related_roles" ADD CONSTRAINT "role_related_roles_related_role_id_roles_id_fk" FOREIGN KEY ("related_role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_tips" ADD CONSTRAINT "role_tips_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roles" ADD CONSTRAINT "roles_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rounds" ADD CONSTRAINT "rounds_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys" USING btree ("prefix");--> statement-breakpoint
CREATE UNIQUE INDEX "categories_slug_key" ON "categories" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "change_log_entity_idx" ON "change_log" USING btree ("entity_type","entity_id","seq");--> statement-breakpoint
CREATE INDEX "questions_role_position_idx" ON "questions" USING btree ("role_id","position");--> statement-breakpoint
CREATE INDEX "questions_round_idx" ON "questions" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "questions_competency_idx" ON "questions" USING btree ("competency");--> statement-breakpoint
CREATE INDEX "questions_tags_idx" ON "questions" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "questions_search_idx" ON "questions" USING gin ("search");--> statement-breakpoint
CREATE UNIQUE INDEX "revisions_entity_version_key" ON "revisions" USING btree ("entity_type","entity_id","version");--> statement-breakpoint
CREATE INDEX "role_faqs_search_idx" ON "role_faqs" USING gin ("search");--> statement-breakpoint
CREATE UNIQUE INDEX "role_related_roles_pair_key" ON "role_related_roles" USING btree ("role_id","related_role_id");--> statement-breakpoint
CREATE INDEX "role_related_roles_related_idx" ON "role_related_roles" USING btree ("related_role_id");--> statement-breakpoint
CREATE UNIQUE INDEX "roles_slug_key" ON "roles" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "roles_category_status_idx" ON "roles" USING btree ("category_id","status");--> statement-breakpoint
CREATE INDEX "roles_search_idx" ON "roles" USING gin ("search");--> statement-breakpoint
CREATE INDEX "rounds_role_position_idx" ON "rounds" USING btree ("role_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "rounds_role_name_key" ON "rounds" USING btree ("role_id","name");