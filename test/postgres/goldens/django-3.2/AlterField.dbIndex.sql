-- Claim: AlterField.dbIndex
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alterfield_dbindex. Roles: table = alterfield_dbindex_order, referenced = alterfield_dbindex_customer, referencing = alterfield_dbindex_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alterfield_dbindex_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alterfield_dbindex_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alterfield_dbindex_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alterfield_dbindex_order" ADD CONSTRAINT "alterfield_dbindex_o_customer_id_07b44a79_fk_alterfiel" FOREIGN KEY ("customer_id") REFERENCES "alterfield_dbindex_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_dbindex_order_customer_id_07b44a79" ON "alterfield_dbindex_order" ("customer_id");
ALTER TABLE "alterfield_dbindex_line" ADD CONSTRAINT "alterfield_dbindex_l_order_id_abd1c3c9_fk_alterfiel" FOREIGN KEY ("order_id") REFERENCES "alterfield_dbindex_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_dbindex_line_order_id_abd1c3c9" ON "alterfield_dbindex_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Alter field number on order
--
CREATE INDEX "alterfield_dbindex_order_number_ea044ac0" ON "alterfield_dbindex_order" ("number");
COMMIT;
