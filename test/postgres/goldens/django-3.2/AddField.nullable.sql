-- Claim: AddField.nullable
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: addfield_nullable. Roles: table = addfield_nullable_order, referenced = addfield_nullable_customer, referencing = addfield_nullable_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "addfield_nullable_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "addfield_nullable_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "addfield_nullable_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "addfield_nullable_order" ADD CONSTRAINT "addfield_nullable_or_customer_id_7edf8aa8_fk_addfield_" FOREIGN KEY ("customer_id") REFERENCES "addfield_nullable_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_nullable_order_customer_id_7edf8aa8" ON "addfield_nullable_order" ("customer_id");
ALTER TABLE "addfield_nullable_line" ADD CONSTRAINT "addfield_nullable_li_order_id_50f6e05a_fk_addfield_" FOREIGN KEY ("order_id") REFERENCES "addfield_nullable_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_nullable_line_order_id_50f6e05a" ON "addfield_nullable_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Add field comment to order
--
ALTER TABLE "addfield_nullable_order" ADD COLUMN "comment" text NULL;
COMMIT;
