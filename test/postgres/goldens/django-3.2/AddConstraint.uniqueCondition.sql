-- Claim: AddConstraint.uniqueCondition
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: addconstraint_uniquecondition. Roles: table = addconstraint_uniquecondition_order, referenced = addconstraint_uniquecondition_customer, referencing = addconstraint_uniquecondition_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "addconstraint_uniquecondition_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "addconstraint_uniquecondition_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "addconstraint_uniquecondition_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "addconstraint_uniquecondition_order" ADD CONSTRAINT "addconstraint_unique_customer_id_0881811c_fk_addconstr" FOREIGN KEY ("customer_id") REFERENCES "addconstraint_uniquecondition_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addconstraint_uniquecondition_order_customer_id_0881811c" ON "addconstraint_uniquecondition_order" ("customer_id");
ALTER TABLE "addconstraint_uniquecondition_line" ADD CONSTRAINT "addconstraint_unique_order_id_8a4f3061_fk_addconstr" FOREIGN KEY ("order_id") REFERENCES "addconstraint_uniquecondition_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addconstraint_uniquecondition_line_order_id_8a4f3061" ON "addconstraint_uniquecondition_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Create constraint addconstraint_uniquecondition_uniq on model order
--
CREATE UNIQUE INDEX "addconstraint_uniquecondition_uniq" ON "addconstraint_uniquecondition_order" ("number") WHERE "note" IS NOT NULL;
COMMIT;
