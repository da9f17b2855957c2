-- Claim: AlterField.type
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alterfield_type. Roles: table = alterfield_type_order, referenced = alterfield_type_customer, referencing = alterfield_type_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alterfield_type_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alterfield_type_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alterfield_type_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alterfield_type_order" ADD CONSTRAINT "alterfield_type_orde_customer_id_81cf1bff_fk_alterfiel" FOREIGN KEY ("customer_id") REFERENCES "alterfield_type_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_type_order_customer_id_81cf1bff" ON "alterfield_type_order" ("customer_id");
ALTER TABLE "alterfield_type_line" ADD CONSTRAINT "alterfield_type_line_order_id_47941642_fk_alterfiel" FOREIGN KEY ("order_id") REFERENCES "alterfield_type_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_type_line_order_id_47941642" ON "alterfield_type_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Alter field number on order
--
ALTER TABLE "alterfield_type_order" ALTER COLUMN "number" TYPE bigint USING "number"::bigint;
COMMIT;
