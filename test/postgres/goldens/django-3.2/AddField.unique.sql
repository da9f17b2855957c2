-- Claim: AddField.unique
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: addfield_unique. Roles: table = addfield_unique_order, referenced = addfield_unique_customer, referencing = addfield_unique_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "addfield_unique_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "addfield_unique_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "addfield_unique_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "addfield_unique_order" ADD CONSTRAINT "addfield_unique_orde_customer_id_45cf0f68_fk_addfield_" FOREIGN KEY ("customer_id") REFERENCES "addfield_unique_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_unique_order_customer_id_45cf0f68" ON "addfield_unique_order" ("customer_id");
ALTER TABLE "addfield_unique_line" ADD CONSTRAINT "addfield_unique_line_order_id_f0f80db0_fk_addfield_" FOREIGN KEY ("order_id") REFERENCES "addfield_unique_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_unique_line_order_id_f0f80db0" ON "addfield_unique_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Add field reference to order
--
ALTER TABLE "addfield_unique_order" ADD COLUMN "reference" integer NULL UNIQUE;
COMMIT;
