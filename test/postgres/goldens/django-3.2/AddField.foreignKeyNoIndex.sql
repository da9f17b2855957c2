-- Claim: AddField.foreignKeyNoIndex
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: addfield_foreignkeynoindex. Roles: table = addfield_foreignkeynoindex_order, referenced = addfield_foreignkeynoindex_customer, referencing = addfield_foreignkeynoindex_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "addfield_foreignkeynoindex_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "addfield_foreignkeynoindex_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "addfield_foreignkeynoindex_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "addfield_foreignkeynoindex_order" ADD CONSTRAINT "addfield_foreignkeyn_customer_id_07c5ab50_fk_addfield_" FOREIGN KEY ("customer_id") REFERENCES "addfield_foreignkeynoindex_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_foreignkeynoindex_order_customer_id_07c5ab50" ON "addfield_foreignkeynoindex_order" ("customer_id");
ALTER TABLE "addfield_foreignkeynoindex_line" ADD CONSTRAINT "addfield_foreignkeyn_order_id_cadb688e_fk_addfield_" FOREIGN KEY ("order_id") REFERENCES "addfield_foreignkeynoindex_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_foreignkeynoindex_line_order_id_cadb688e" ON "addfield_foreignkeynoindex_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Add field referrer to order
--
ALTER TABLE "addfield_foreignkeynoindex_order" ADD COLUMN "referrer_id" bigint NULL CONSTRAINT "addfield_foreignkeyn_referrer_id_8dc3e470_fk_addfield_" REFERENCES "addfield_foreignkeynoindex_customer"("id") DEFERRABLE INITIALLY DEFERRED; SET CONSTRAINTS "addfield_foreignkeyn_referrer_id_8dc3e470_fk_addfield_" IMMEDIATE;
COMMIT;
