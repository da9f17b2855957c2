-- Claim: RemoveField.foreignKey
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: removefield_foreignkey. Roles: table = removefield_foreignkey_order, referenced = removefield_foreignkey_customer, referencing = removefield_foreignkey_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "removefield_foreignkey_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "removefield_foreignkey_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "removefield_foreignkey_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "removefield_foreignkey_order" ADD CONSTRAINT "removefield_foreignk_customer_id_347d863b_fk_removefie" FOREIGN KEY ("customer_id") REFERENCES "removefield_foreignkey_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "removefield_foreignkey_order_customer_id_347d863b" ON "removefield_foreignkey_order" ("customer_id");
ALTER TABLE "removefield_foreignkey_line" ADD CONSTRAINT "removefield_foreignk_order_id_1a2cabbc_fk_removefie" FOREIGN KEY ("order_id") REFERENCES "removefield_foreignkey_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "removefield_foreignkey_line_order_id_1a2cabbc" ON "removefield_foreignkey_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Remove field customer from order
--
SET CONSTRAINTS "removefield_foreignk_customer_id_347d863b_fk_removefie" IMMEDIATE; ALTER TABLE "removefield_foreignkey_order" DROP CONSTRAINT "removefield_foreignk_customer_id_347d863b_fk_removefie";
ALTER TABLE "removefield_foreignkey_order" DROP COLUMN "customer_id" CASCADE;
COMMIT;
