-- Claim: RemoveConstraint
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: removeconstraint. Roles: table = removeconstraint_order, referenced = removeconstraint_customer, referencing = removeconstraint_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "removeconstraint_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "removeconstraint_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "removeconstraint_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "removeconstraint_order" ADD CONSTRAINT "removeconstraint_ord_customer_id_b1c8b13f_fk_removecon" FOREIGN KEY ("customer_id") REFERENCES "removeconstraint_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "removeconstraint_order_customer_id_b1c8b13f" ON "removeconstraint_order" ("customer_id");
ALTER TABLE "removeconstraint_line" ADD CONSTRAINT "removeconstraint_lin_order_id_4ace866b_fk_removecon" FOREIGN KEY ("order_id") REFERENCES "removeconstraint_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "removeconstraint_line_order_id_4ace866b" ON "removeconstraint_line" ("order_id");
COMMIT;

-- Migration 0002_step (setup)
BEGIN;
--
-- Create constraint removeconstraint_check on model order
--
ALTER TABLE "removeconstraint_order" ADD CONSTRAINT "removeconstraint_check" CHECK ("number" >= 0);
COMMIT;

-- Migration 0003_observed (observed)
BEGIN;
--
-- Remove constraint removeconstraint_check from model order
--
ALTER TABLE "removeconstraint_order" DROP CONSTRAINT "removeconstraint_check";
COMMIT;
