-- Claim: AlterField.unique
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alterfield_unique. Roles: table = alterfield_unique_order, referenced = alterfield_unique_customer, referencing = alterfield_unique_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alterfield_unique_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alterfield_unique_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alterfield_unique_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alterfield_unique_order" ADD CONSTRAINT "alterfield_unique_or_customer_id_fc26899d_fk_alterfiel" FOREIGN KEY ("customer_id") REFERENCES "alterfield_unique_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_unique_order_customer_id_fc26899d" ON "alterfield_unique_order" ("customer_id");
ALTER TABLE "alterfield_unique_line" ADD CONSTRAINT "alterfield_unique_li_order_id_4e533269_fk_alterfiel" FOREIGN KEY ("order_id") REFERENCES "alterfield_unique_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_unique_line_order_id_4e533269" ON "alterfield_unique_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Alter field number on order
--
ALTER TABLE "alterfield_unique_order" ADD CONSTRAINT "alterfield_unique_order_number_1e055c37_uniq" UNIQUE ("number");
COMMIT;
