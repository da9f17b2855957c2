-- Claim: AlterField.defaultOnly
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alterfield_defaultonly. Roles: table = alterfield_defaultonly_order, referenced = alterfield_defaultonly_customer, referencing = alterfield_defaultonly_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alterfield_defaultonly_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alterfield_defaultonly_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alterfield_defaultonly_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alterfield_defaultonly_order" ADD CONSTRAINT "alterfield_defaulton_customer_id_8dac954b_fk_alterfiel" FOREIGN KEY ("customer_id") REFERENCES "alterfield_defaultonly_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_defaultonly_order_customer_id_8dac954b" ON "alterfield_defaultonly_order" ("customer_id");
ALTER TABLE "alterfield_defaultonly_line" ADD CONSTRAINT "alterfield_defaulton_order_id_7790d5c1_fk_alterfiel" FOREIGN KEY ("order_id") REFERENCES "alterfield_defaultonly_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_defaultonly_line_order_id_7790d5c1" ON "alterfield_defaultonly_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Alter field number on order
--
COMMIT;
