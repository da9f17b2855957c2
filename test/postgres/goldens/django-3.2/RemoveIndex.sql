-- Claim: RemoveIndex
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: removeindex. Roles: table = removeindex_order, referenced = removeindex_customer, referencing = removeindex_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "removeindex_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "removeindex_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "removeindex_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "removeindex_order" ADD CONSTRAINT "removeindex_order_customer_id_d2b1a029_fk_removeind" FOREIGN KEY ("customer_id") REFERENCES "removeindex_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "removeindex_order_customer_id_d2b1a029" ON "removeindex_order" ("customer_id");
ALTER TABLE "removeindex_line" ADD CONSTRAINT "removeindex_line_order_id_8fde81ca_fk_removeindex_order_id" FOREIGN KEY ("order_id") REFERENCES "removeindex_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "removeindex_line_order_id_8fde81ca" ON "removeindex_line" ("order_id");
COMMIT;

-- Migration 0002_step (setup)
BEGIN;
--
-- Create index removeindex_idx on field(s) number of model order
--
CREATE INDEX "removeindex_idx" ON "removeindex_order" ("number");
COMMIT;

-- Migration 0003_observed (observed)
BEGIN;
--
-- Remove index removeindex_idx from order
--
DROP INDEX IF EXISTS "removeindex_idx";
COMMIT;
