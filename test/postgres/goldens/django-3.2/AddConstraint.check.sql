-- Claim: AddConstraint.check
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: addconstraint_check. Roles: table = addconstraint_check_order, referenced = addconstraint_check_customer, referencing = addconstraint_check_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "addconstraint_check_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "addconstraint_check_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "addconstraint_check_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "addconstraint_check_order" ADD CONSTRAINT "addconstraint_check__customer_id_5aa9ace9_fk_addconstr" FOREIGN KEY ("customer_id") REFERENCES "addconstraint_check_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addconstraint_check_order_customer_id_5aa9ace9" ON "addconstraint_check_order" ("customer_id");
ALTER TABLE "addconstraint_check_line" ADD CONSTRAINT "addconstraint_check__order_id_a19645ca_fk_addconstr" FOREIGN KEY ("order_id") REFERENCES "addconstraint_check_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addconstraint_check_line_order_id_a19645ca" ON "addconstraint_check_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Create constraint addconstraint_check_check on model order
--
ALTER TABLE "addconstraint_check_order" ADD CONSTRAINT "addconstraint_check_check" CHECK ("number" >= 0);
COMMIT;
