-- Claim: AlterField.varcharToText
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alterfield_varchartotext. Roles: table = alterfield_varchartotext_order, referenced = alterfield_varchartotext_customer, referencing = alterfield_varchartotext_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alterfield_varchartotext_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alterfield_varchartotext_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alterfield_varchartotext_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alterfield_varchartotext_order" ADD CONSTRAINT "alterfield_varcharto_customer_id_045dfdad_fk_alterfiel" FOREIGN KEY ("customer_id") REFERENCES "alterfield_varchartotext_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_varchartotext_order_customer_id_045dfdad" ON "alterfield_varchartotext_order" ("customer_id");
ALTER TABLE "alterfield_varchartotext_line" ADD CONSTRAINT "alterfield_varcharto_order_id_eee73cd6_fk_alterfiel" FOREIGN KEY ("order_id") REFERENCES "alterfield_varchartotext_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_varchartotext_line_order_id_eee73cd6" ON "alterfield_varchartotext_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Alter field code on order
--
ALTER TABLE "alterfield_varchartotext_order" ALTER COLUMN "code" TYPE text USING "code"::text;
COMMIT;
