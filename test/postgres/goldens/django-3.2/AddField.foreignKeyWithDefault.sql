-- Claim: AddField.foreignKeyWithDefault
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: addfield_foreignkeywithdefault. Roles: table = addfield_foreignkeywithdefault_order, referenced = addfield_foreignkeywithdefault_customer, referencing = addfield_foreignkeywithdefault_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "addfield_foreignkeywithdefault_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "addfield_foreignkeywithdefault_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "addfield_foreignkeywithdefault_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "addfield_foreignkeywithdefault_order" ADD CONSTRAINT "addfield_foreignkeyw_customer_id_2766487b_fk_addfield_" FOREIGN KEY ("customer_id") REFERENCES "addfield_foreignkeywithdefault_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_foreignkeywithdefault_order_customer_id_2766487b" ON "addfield_foreignkeywithdefault_order" ("customer_id");
ALTER TABLE "addfield_foreignkeywithdefault_line" ADD CONSTRAINT "addfield_foreignkeyw_order_id_359d13c0_fk_addfield_" FOREIGN KEY ("order_id") REFERENCES "addfield_foreignkeywithdefault_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_foreignkeywithdefault_line_order_id_359d13c0" ON "addfield_foreignkeywithdefault_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Add field referrer to order
--
ALTER TABLE "addfield_foreignkeywithdefault_order" ADD COLUMN "referrer_id" bigint DEFAULT 1 NOT NULL CONSTRAINT "addfield_foreignkeyw_referrer_id_e0803279_fk_addfield_" REFERENCES "addfield_foreignkeywithdefault_customer"("id") DEFERRABLE INITIALLY DEFERRED; SET CONSTRAINTS "addfield_foreignkeyw_referrer_id_e0803279_fk_addfield_" IMMEDIATE;
ALTER TABLE "addfield_foreignkeywithdefault_order" ALTER COLUMN "referrer_id" DROP DEFAULT;
COMMIT;
