-- Claim: AlterField.setNotNull
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alterfield_setnotnull. Roles: table = alterfield_setnotnull_order, referenced = alterfield_setnotnull_customer, referencing = alterfield_setnotnull_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alterfield_setnotnull_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alterfield_setnotnull_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alterfield_setnotnull_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alterfield_setnotnull_order" ADD CONSTRAINT "alterfield_setnotnul_customer_id_0c461cd9_fk_alterfiel" FOREIGN KEY ("customer_id") REFERENCES "alterfield_setnotnull_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_setnotnull_order_customer_id_0c461cd9" ON "alterfield_setnotnull_order" ("customer_id");
ALTER TABLE "alterfield_setnotnull_line" ADD CONSTRAINT "alterfield_setnotnul_order_id_3fd9da2f_fk_alterfiel" FOREIGN KEY ("order_id") REFERENCES "alterfield_setnotnull_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_setnotnull_line_order_id_3fd9da2f" ON "alterfield_setnotnull_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Alter field note on order
--
ALTER TABLE "alterfield_setnotnull_order" ALTER COLUMN "note" SET NOT NULL;
COMMIT;
