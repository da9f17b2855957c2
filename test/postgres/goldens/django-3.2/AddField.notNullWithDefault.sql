-- Claim: AddField.notNullWithDefault
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: addfield_notnullwithdefault. Roles: table = addfield_notnullwithdefault_order, referenced = addfield_notnullwithdefault_customer, referencing = addfield_notnullwithdefault_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "addfield_notnullwithdefault_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "addfield_notnullwithdefault_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "addfield_notnullwithdefault_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "addfield_notnullwithdefault_order" ADD CONSTRAINT "addfield_notnullwith_customer_id_17249853_fk_addfield_" FOREIGN KEY ("customer_id") REFERENCES "addfield_notnullwithdefault_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_notnullwithdefault_order_customer_id_17249853" ON "addfield_notnullwithdefault_order" ("customer_id");
ALTER TABLE "addfield_notnullwithdefault_line" ADD CONSTRAINT "addfield_notnullwith_order_id_718e74e1_fk_addfield_" FOREIGN KEY ("order_id") REFERENCES "addfield_notnullwithdefault_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_notnullwithdefault_line_order_id_718e74e1" ON "addfield_notnullwithdefault_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Add field status to order
--
ALTER TABLE "addfield_notnullwithdefault_order" ADD COLUMN "status" varchar(10) DEFAULT 'new' NOT NULL;
ALTER TABLE "addfield_notnullwithdefault_order" ALTER COLUMN "status" DROP DEFAULT;
COMMIT;
