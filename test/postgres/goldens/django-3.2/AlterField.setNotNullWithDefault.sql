-- Claim: AlterField.setNotNullWithDefault
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alterfield_setnotnullwithdefault. Roles: table = alterfield_setnotnullwithdefault_order, referenced = alterfield_setnotnullwithdefault_customer, referencing = alterfield_setnotnullwithdefault_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alterfield_setnotnullwithdefault_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alterfield_setnotnullwithdefault_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alterfield_setnotnullwithdefault_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alterfield_setnotnullwithdefault_order" ADD CONSTRAINT "alterfield_setnotnul_customer_id_57b27a49_fk_alterfiel" FOREIGN KEY ("customer_id") REFERENCES "alterfield_setnotnullwithdefault_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_setnotnullwithdefault_order_customer_id_57b27a49" ON "alterfield_setnotnullwithdefault_order" ("customer_id");
ALTER TABLE "alterfield_setnotnullwithdefault_line" ADD CONSTRAINT "alterfield_setnotnul_order_id_3d58a520_fk_alterfiel" FOREIGN KEY ("order_id") REFERENCES "alterfield_setnotnullwithdefault_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterfield_setnotnullwithdefault_line_order_id_3d58a520" ON "alterfield_setnotnullwithdefault_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Alter field note on order
--
ALTER TABLE "alterfield_setnotnullwithdefault_order" ALTER COLUMN "note" SET DEFAULT '';
UPDATE "alterfield_setnotnullwithdefault_order" SET "note" = '' WHERE "note" IS NULL;
ALTER TABLE "alterfield_setnotnullwithdefault_order" ALTER COLUMN "note" SET NOT NULL;
ALTER TABLE "alterfield_setnotnullwithdefault_order" ALTER COLUMN "note" DROP DEFAULT;
COMMIT;
