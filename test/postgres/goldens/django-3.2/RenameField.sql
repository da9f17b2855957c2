-- Claim: RenameField
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: renamefield. Roles: table = renamefield_order, referenced = renamefield_customer, referencing = renamefield_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "renamefield_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "renamefield_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "renamefield_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "renamefield_order" ADD CONSTRAINT "renamefield_order_customer_id_76ef93d4_fk_renamefie" FOREIGN KEY ("customer_id") REFERENCES "renamefield_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "renamefield_order_customer_id_76ef93d4" ON "renamefield_order" ("customer_id");
ALTER TABLE "renamefield_line" ADD CONSTRAINT "renamefield_line_order_id_4d541def_fk_renamefield_order_id" FOREIGN KEY ("order_id") REFERENCES "renamefield_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "renamefield_line_order_id_4d541def" ON "renamefield_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Rename field note on order to remark
--
ALTER TABLE "renamefield_order" RENAME COLUMN "note" TO "remark";
COMMIT;
