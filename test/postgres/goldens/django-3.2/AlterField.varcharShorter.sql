-- Claim: AlterField.varcharShorter
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alterfield_varcharshorter. Roles: table = alterfield_varcharshorter_order, referenced = alterfield_varcharshorter_customer, referencing = alterfield_varcharshorter_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alterfield_varcharshorter_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alterfield_varcharshorter_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alterfield_varcharshorter_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alterfield_varcharshorter_order" ADD CONSTRAINT "alterfield_varcharsh_customer_id_6c3e9d13_fk_alterfiel" FOREIGN KEY ("customer_id") REFERENCES "alterfield_varcharshorter_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_varcharshorter_order_customer_id_6c3e9d13" ON "alterfield_varcharshorter_order" ("customer_id");
ALTER TABLE "alterfield_varcharshorter_line" ADD CONSTRAINT "alterfield_varcharsh_order_id_9768ac65_fk_alterfiel" FOREIGN KEY ("order_id") REFERENCES "alterfield_varcharshorter_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_varcharshorter_line_order_id_9768ac65" ON "alterfield_varcharshorter_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Alter field code on order
--
ALTER TABLE "alterfield_varcharshorter_order" ALTER COLUMN "code" TYPE varchar(10);
COMMIT;
