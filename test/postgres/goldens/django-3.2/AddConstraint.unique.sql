-- Claim: AddConstraint.unique
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: addconstraint_unique. Roles: table = addconstraint_unique_order, referenced = addconstraint_unique_customer, referencing = addconstraint_unique_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "addconstraint_unique_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "addconstraint_unique_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "addconstraint_unique_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "addconstraint_unique_order" ADD CONSTRAINT "addconstraint_unique_customer_id_6121a211_fk_addconstr" FOREIGN KEY ("customer_id") REFERENCES "addconstraint_unique_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addconstraint_unique_order_customer_id_6121a211" ON "addconstraint_unique_order" ("customer_id");
ALTER TABLE "addconstraint_unique_line" ADD CONSTRAINT "addconstraint_unique_order_id_22fee784_fk_addconstr" FOREIGN KEY ("order_id") REFERENCES "addconstraint_unique_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addconstraint_unique_line_order_id_22fee784" ON "addconstraint_unique_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Create constraint addconstraint_unique_uniq on model order
--
ALTER TABLE "addconstraint_unique_order" ADD CONSTRAINT "addconstraint_unique_uniq" UNIQUE ("number");
COMMIT;
