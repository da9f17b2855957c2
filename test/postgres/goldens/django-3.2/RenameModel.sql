-- Claim: RenameModel
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: renamemodel. Roles: table = renamemodel_line, referenced = renamemodel_order.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "renamemodel_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "renamemodel_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "renamemodel_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "renamemodel_order" ADD CONSTRAINT "renamemodel_order_customer_id_019cb7ab_fk_renamemod" FOREIGN KEY ("customer_id") REFERENCES "renamemodel_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "renamemodel_order_customer_id_019cb7ab" ON "renamemodel_order" ("customer_id");
ALTER TABLE "renamemodel_line" ADD CONSTRAINT "renamemodel_line_order_id_2b09be3f_fk_renamemodel_order_id" FOREIGN KEY ("order_id") REFERENCES "renamemodel_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "renamemodel_line_order_id_2b09be3f" ON "renamemodel_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Rename model Line to Item
--
ALTER TABLE "renamemodel_line" RENAME TO "renamemodel_item";
COMMIT;
