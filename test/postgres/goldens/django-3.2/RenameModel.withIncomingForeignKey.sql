-- Claim: RenameModel.withIncomingForeignKey
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: renamemodel_withincomingforeignkey. Roles: table = renamemodel_withincomingforeignkey_order, referencing = renamemodel_withincomingforeignkey_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "renamemodel_withincomingforeignkey_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "renamemodel_withincomingforeignkey_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "renamemodel_withincomingforeignkey_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "renamemodel_withincomingforeignkey_order" ADD CONSTRAINT "renamemodel_withinco_customer_id_ae28e1d1_fk_renamemod" FOREIGN KEY ("customer_id") REFERENCES "renamemodel_withincomingforeignkey_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "renamemodel_withincomingforeignkey_order_customer_id_ae28e1d1" ON "renamemodel_withincomingforeignkey_order" ("customer_id");
ALTER TABLE "renamemodel_withincomingforeignkey_line" ADD CONSTRAINT "renamemodel_withinco_order_id_4c73a788_fk_renamemod" FOREIGN KEY ("order_id") REFERENCES "renamemodel_withincomingforeignkey_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "renamemodel_withincomingforeignkey_line_order_id_4c73a788" ON "renamemodel_withincomingforeignkey_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Rename model Order to Purchase
--
ALTER TABLE "renamemodel_withincomingforeignkey_order" RENAME TO "renamemodel_withincomingforeignkey_purchase";
SET CONSTRAINTS "renamemodel_withinco_order_id_4c73a788_fk_renamemod" IMMEDIATE; ALTER TABLE "renamemodel_withincomingforeignkey_line" DROP CONSTRAINT "renamemodel_withinco_order_id_4c73a788_fk_renamemod";
ALTER TABLE "renamemodel_withincomingforeignkey_line" ADD CONSTRAINT "renamemodel_withinco_order_id_4c73a788_fk_renamemod" FOREIGN KEY ("order_id") REFERENCES "renamemodel_withincomingforeignkey_purchase" ("id") DEFERRABLE INITIALLY DEFERRED;
COMMIT;
