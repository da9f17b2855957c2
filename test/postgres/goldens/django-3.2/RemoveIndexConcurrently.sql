-- Claim: RemoveIndexConcurrently
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: removeindexconcurrently. Roles: table = removeindexconcurrently_order, referenced = removeindexconcurrently_customer, referencing = removeindexconcurrently_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "removeindexconcurrently_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "removeindexconcurrently_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "removeindexconcurrently_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "removeindexconcurrently_order" ADD CONSTRAINT "removeindexconcurren_customer_id_0b82c639_fk_removeind" FOREIGN KEY ("customer_id") REFERENCES "removeindexconcurrently_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "removeindexconcurrently_order_customer_id_0b82c639" ON "removeindexconcurrently_order" ("customer_id");
ALTER TABLE "removeindexconcurrently_line" ADD CONSTRAINT "removeindexconcurren_order_id_936a0b0e_fk_removeind" FOREIGN KEY ("order_id") REFERENCES "removeindexconcurrently_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "removeindexconcurrently_line_order_id_936a0b0e" ON "removeindexconcurrently_line" ("order_id");
COMMIT;

-- Migration 0002_step (setup)
BEGIN;
--
-- Create index removeindexconcurrently_idx on field(s) number of model order
--
CREATE INDEX "removeindexconcurrently_idx" ON "removeindexconcurrently_order" ("number");
COMMIT;

-- Migration 0003_observed (observed)
--
-- Concurrently remove index removeindexconcurrently_idx from order
--
DROP INDEX CONCURRENTLY IF EXISTS "removeindexconcurrently_idx";
