-- Claim: AlterField.varcharLonger
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alterfield_varcharlonger. Roles: table = alterfield_varcharlonger_order, referenced = alterfield_varcharlonger_customer, referencing = alterfield_varcharlonger_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alterfield_varcharlonger_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alterfield_varcharlonger_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alterfield_varcharlonger_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alterfield_varcharlonger_order" ADD CONSTRAINT "alterfield_varcharlo_customer_id_2eed1842_fk_alterfiel" FOREIGN KEY ("customer_id") REFERENCES "alterfield_varcharlonger_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_varcharlonger_order_customer_id_2eed1842" ON "alterfield_varcharlonger_order" ("customer_id");
ALTER TABLE "alterfield_varcharlonger_line" ADD CONSTRAINT "alterfield_varcharlo_order_id_805a80ef_fk_alterfiel" FOREIGN KEY ("order_id") REFERENCES "alterfield_varcharlonger_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_varcharlonger_line_order_id_805a80ef" ON "alterfield_varcharlonger_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Alter field code on order
--
ALTER TABLE "alterfield_varcharlonger_order" ALTER COLUMN "code" TYPE varchar(40);
COMMIT;
