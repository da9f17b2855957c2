-- Claim: AddField.dbIndex
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: addfield_dbindex. Roles: table = addfield_dbindex_order, referenced = addfield_dbindex_customer, referencing = addfield_dbindex_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "addfield_dbindex_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "addfield_dbindex_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "addfield_dbindex_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "addfield_dbindex_order" ADD CONSTRAINT "addfield_dbindex_ord_customer_id_2cbb8689_fk_addfield_" FOREIGN KEY ("customer_id") REFERENCES "addfield_dbindex_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_dbindex_order_customer_id_2cbb8689" ON "addfield_dbindex_order" ("customer_id");
ALTER TABLE "addfield_dbindex_line" ADD CONSTRAINT "addfield_dbindex_lin_order_id_873a916b_fk_addfield_" FOREIGN KEY ("order_id") REFERENCES "addfield_dbindex_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_dbindex_line_order_id_873a916b" ON "addfield_dbindex_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Add field reference to order
--
ALTER TABLE "addfield_dbindex_order" ADD COLUMN "reference" integer NULL;
CREATE INDEX "addfield_dbindex_order_reference_6a8f055c" ON "addfield_dbindex_order" ("reference");
COMMIT;
