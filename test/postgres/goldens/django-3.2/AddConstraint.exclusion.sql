-- Claim: AddConstraint.exclusion
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: addconstraint_exclusion. Roles: table = addconstraint_exclusion_order, referenced = addconstraint_exclusion_customer, referencing = addconstraint_exclusion_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "addconstraint_exclusion_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "addconstraint_exclusion_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "addconstraint_exclusion_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "addconstraint_exclusion_order" ADD CONSTRAINT "addconstraint_exclus_customer_id_275f6eaa_fk_addconstr" FOREIGN KEY ("customer_id") REFERENCES "addconstraint_exclusion_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addconstraint_exclusion_order_customer_id_275f6eaa" ON "addconstraint_exclusion_order" ("customer_id");
ALTER TABLE "addconstraint_exclusion_line" ADD CONSTRAINT "addconstraint_exclus_order_id_f1cfa0d9_fk_addconstr" FOREIGN KEY ("order_id") REFERENCES "addconstraint_exclusion_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addconstraint_exclusion_line_order_id_f1cfa0d9" ON "addconstraint_exclusion_line" ("order_id");
COMMIT;

-- Migration 0002_step (setup)
BEGIN;
--
-- Add field span to order
--
ALTER TABLE "addconstraint_exclusion_order" ADD COLUMN "span" tstzrange NULL;
COMMIT;

-- Migration 0003_observed (observed)
BEGIN;
--
-- Create constraint addconstraint_exclusion_excl on model order
--
ALTER TABLE "addconstraint_exclusion_order" ADD CONSTRAINT "addconstraint_exclusion_excl" EXCLUDE USING GIST ("span" WITH &&);
COMMIT;
