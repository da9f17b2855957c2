-- Claim: AlterField.dropNotNull
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alterfield_dropnotnull. Roles: table = alterfield_dropnotnull_order, referenced = alterfield_dropnotnull_customer, referencing = alterfield_dropnotnull_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alterfield_dropnotnull_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alterfield_dropnotnull_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alterfield_dropnotnull_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alterfield_dropnotnull_order" ADD CONSTRAINT "alterfield_dropnotnu_customer_id_8336ce21_fk_alterfiel" FOREIGN KEY ("customer_id") REFERENCES "alterfield_dropnotnull_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_dropnotnull_order_customer_id_8336ce21" ON "alterfield_dropnotnull_order" ("customer_id");
ALTER TABLE "alterfield_dropnotnull_line" ADD CONSTRAINT "alterfield_dropnotnu_order_id_01199c81_fk_alterfiel" FOREIGN KEY ("order_id") REFERENCES "alterfield_dropnotnull_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_dropnotnull_line_order_id_01199c81" ON "alterfield_dropnotnull_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Alter field code on order
--
ALTER TABLE "alterfield_dropnotnull_order" ALTER COLUMN "code" DROP NOT NULL;
COMMIT;
