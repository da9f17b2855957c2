-- Claim: RemoveField
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: removefield. Roles: table = removefield_order, referenced = removefield_customer, referencing = removefield_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "removefield_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "removefield_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "removefield_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "removefield_order" ADD CONSTRAINT "removefield_order_customer_id_fa2a0446_fk_removefie" FOREIGN KEY ("customer_id") REFERENCES "removefield_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "removefield_order_customer_id_fa2a0446" ON "removefield_order" ("customer_id");
ALTER TABLE "removefield_line" ADD CONSTRAINT "removefield_line_order_id_3779038d_fk_removefield_order_id" FOREIGN KEY ("order_id") REFERENCES "removefield_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "removefield_line_order_id_3779038d" ON "removefield_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Remove field note from order
--
ALTER TABLE "removefield_order" DROP COLUMN "note" CASCADE;
COMMIT;
