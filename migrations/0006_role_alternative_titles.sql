CREATE TABLE "role_alternative_titles" (
	"role_id" uuid NOT NULL,
	"locale" text DEFAULT 'en' NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	CONSTRAINT "role_alternative_titles_role_id_locale_position_pk" PRIMARY KEY("role_id","locale","position"),
	CONSTRAINT "role_alternative_titles_position_check" CHECK ("role_alternative_titles"."position" >= 0)
);
--> statement-breakpoint
ALTER TABLE "role_alternative_titles" ADD CONSTRAINT "role_alternative_titles_role_id_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."roles"("id") ON DELETE cascade ON UPDATE no action;