-- Claim: AlterField.decimalPrecision
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alterfield_decimalprecision. Roles: table = alterfield_decimalprecision_order, referenced = alterfield_decimalprecision_customer, referencing = alterfield_decimalprecision_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alterfield_decimalprecision_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alterfield_decimalprecision_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alterfield_decimalprecision_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alterfield_decimalprecision_order" ADD CONSTRAINT "alterfield_decimalpr_customer_id_c1362094_fk_alterfiel" FOREIGN KEY ("customer_id") REFERENCES "alterfield_decimalprecision_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_decimalprecision_order_customer_id_c1362094" ON "alterfield_decimalprecision_order" ("customer_id");
ALTER TABLE "alterfield_decimalprecision_line" ADD CONSTRAINT "alterfield_decimalpr_order_id_31b0bc7f_fk_alterfiel" FOREIGN KEY ("order_id") REFERENCES "alterfield_decimalprecision_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_decimalprecision_line_order_id_31b0bc7f" ON "alterfield_decimalprecision_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Alter field total on order
--
ALTER TABLE "alterfield_decimalprecision_order" ALTER COLUMN "total" TYPE numeric(12, 2);
COMMIT;
