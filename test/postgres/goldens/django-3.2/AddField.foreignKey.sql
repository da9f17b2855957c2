-- Claim: AddField.foreignKey
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: addfield_foreignkey. Roles: table = addfield_foreignkey_order, referenced = addfield_foreignkey_customer, referencing = addfield_foreignkey_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "addfield_foreignkey_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "addfield_foreignkey_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "addfield_foreignkey_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "addfield_foreignkey_order" ADD CONSTRAINT "addfield_foreignkey__customer_id_dbd3e545_fk_addfield_" FOREIGN KEY ("customer_id") REFERENCES "addfield_foreignkey_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_foreignkey_order_customer_id_dbd3e545" ON "addfield_foreignkey_order" ("customer_id");
ALTER TABLE "addfield_foreignkey_line" ADD CONSTRAINT "addfield_foreignkey__order_id_0e173c5f_fk_addfield_" FOREIGN KEY ("order_id") REFERENCES "addfield_foreignkey_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_foreignkey_line_order_id_0e173c5f" ON "addfield_foreignkey_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Add field referrer to order
--
ALTER TABLE "addfield_foreignkey_order" ADD COLUMN "referrer_id" bigint NULL CONSTRAINT "addfield_foreignkey__referrer_id_42eb292f_fk_addfield_" REFERENCES "addfield_foreignkey_customer"("id") DEFERRABLE INITIALLY DEFERRED; SET CONSTRAINTS "addfield_foreignkey__referrer_id_42eb292f_fk_addfield_" IMMEDIATE;
CREATE INDEX "addfield_foreignkey_order_referrer_id_42eb292f" ON "addfield_foreignkey_order" ("referrer_id");
COMMIT;
