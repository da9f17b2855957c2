-- Claim: AddIndex
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: addindex. Roles: table = addindex_order, referenced = addindex_customer, referencing = addindex_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "addindex_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "addindex_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "addindex_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "addindex_order" ADD CONSTRAINT "addindex_order_customer_id_b3298c2c_fk_addindex_customer_id" FOREIGN KEY ("customer_id") REFERENCES "addindex_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addindex_order_customer_id_b3298c2c" ON "addindex_order" ("customer_id");
ALTER TABLE "addindex_line" ADD CONSTRAINT "addindex_line_order_id_adebe429_fk_addindex_order_id" FOREIGN KEY ("order_id") REFERENCES "addindex_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addindex_line_order_id_adebe429" ON "addindex_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Create index addindex_idx on field(s) number of model order
--
CREATE INDEX "addindex_idx" ON "addindex_order" ("number");
COMMIT;
