-- Claim: AlterField.foreignKeyConstraint
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alterfield_foreignkeyconstraint. Roles: table = alterfield_foreignkeyconstraint_order, referenced = alterfield_foreignkeyconstraint_customer, referencing = alterfield_foreignkeyconstraint_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alterfield_foreignkeyconstraint_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alterfield_foreignkeyconstraint_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alterfield_foreignkeyconstraint_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alterfield_foreignkeyconstraint_order" ADD CONSTRAINT "alterfield_foreignke_customer_id_4a961b03_fk_alterfiel" FOREIGN KEY ("customer_id") REFERENCES "alterfield_foreignkeyconstraint_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_foreignkeyconstraint_order_customer_id_4a961b03" ON "alterfield_foreignkeyconstraint_order" ("customer_id");
ALTER TABLE "alterfield_foreignkeyconstraint_line" ADD CONSTRAINT "alterfield_foreignke_order_id_ee15d77d_fk_alterfiel" FOREIGN KEY ("order_id") REFERENCES "alterfield_foreignkeyconstraint_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_foreignkeyconstraint_line_order_id_ee15d77d" ON "alterfield_foreignkeyconstraint_line" ("order_id");
COMMIT;

-- Migration 0002_step (setup)
BEGIN;
--
-- Add field referrer to order
--
ALTER TABLE "alterfield_foreignkeyconstraint_order" ADD COLUMN "referrer_id" bigint NULL;
COMMIT;

-- Migration 0003_observed (observed)
BEGIN;
--
-- Alter field referrer on order
--
ALTER TABLE "alterfield_foreignkeyconstraint_order" ADD CONSTRAINT "alterfield_foreignke_referrer_id_89d7aae8_fk_alterfiel" FOREIGN KEY ("referrer_id") REFERENCES "alterfield_foreignkeyconstraint_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
COMMIT;
