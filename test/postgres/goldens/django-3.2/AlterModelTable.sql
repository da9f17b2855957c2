-- Claim: AlterModelTable
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: altermodeltable. Roles: table = altermodeltable_line, referenced = altermodeltable_order.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "altermodeltable_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "altermodeltable_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "altermodeltable_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "altermodeltable_order" ADD CONSTRAINT "altermodeltable_orde_customer_id_cbee0e21_fk_altermode" FOREIGN KEY ("customer_id") REFERENCES "altermodeltable_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "altermodeltable_order_customer_id_cbee0e21" ON "altermodeltable_order" ("customer_id");
ALTER TABLE "altermodeltable_line" ADD CONSTRAINT "altermodeltable_line_order_id_0d0ef4a2_fk_altermode" FOREIGN KEY ("order_id") REFERENCES "altermodeltable_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "altermodeltable_line_order_id_0d0ef4a2" ON "altermodeltable_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Rename table for line to altermodeltable_item
--
ALTER TABLE "altermodeltable_line" RENAME TO "altermodeltable_item";
COMMIT;
