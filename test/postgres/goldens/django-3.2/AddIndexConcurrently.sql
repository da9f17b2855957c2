-- Claim: AddIndexConcurrently
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: addindexconcurrently. Roles: table = addindexconcurrently_order, referenced = addindexconcurrently_customer, referencing = addindexconcurrently_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "addindexconcurrently_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "addindexconcurrently_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "addindexconcurrently_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "addindexconcurrently_order" ADD CONSTRAINT "addindexconcurrently_customer_id_e5183807_fk_addindexc" FOREIGN KEY ("customer_id") REFERENCES "addindexconcurrently_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addindexconcurrently_order_customer_id_e5183807" ON "addindexconcurrently_order" ("customer_id");
ALTER TABLE "addindexconcurrently_line" ADD CONSTRAINT "addindexconcurrently_order_id_97826861_fk_addindexc" FOREIGN KEY ("order_id") REFERENCES "addindexconcurrently_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addindexconcurrently_line_order_id_97826861" ON "addindexconcurrently_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
--
-- Concurrently create index addindexconcurrently_idx on field(s) number of model order
--
CREATE INDEX CONCURRENTLY "addindexconcurrently_idx" ON "addindexconcurrently_order" ("number");
