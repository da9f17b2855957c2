-- Claim: RenameModel.pinnedTableWithIncomingForeignKey
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: renamemodel_pinnedtablewithincomingforeignkey. Roles: table = renamemodel_pinnedtablewithincomingforeignkey_order, referencing = renamemodel_pinnedtablewithincomingforeignkey_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "renamemodel_pinnedtablewithincomingforeignkey_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "renamemodel_pinnedtablewithincomingforeignkey_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "renamemodel_pinnedtablewithincomingforeignkey_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "renamemodel_pinnedtablewithincomingforeignkey_order" ADD CONSTRAINT "renamemodel_pinnedta_customer_id_117752ea_fk_renamemod" FOREIGN KEY ("customer_id") REFERENCES "renamemodel_pinnedtablewithincomingforeignkey_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "renamemodel_pinnedtablewit_customer_id_117752ea" ON "renamemodel_pinnedtablewithincomingforeignkey_order" ("customer_id");
ALTER TABLE "renamemodel_pinnedtablewithincomingforeignkey_line" ADD CONSTRAINT "renamemodel_pinnedta_order_id_0bc14a9a_fk_renamemod" FOREIGN KEY ("order_id") REFERENCES "renamemodel_pinnedtablewithincomingforeignkey_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "renamemodel_pinnedtablewit_order_id_0bc14a9a" ON "renamemodel_pinnedtablewithincomingforeignkey_line" ("order_id");
COMMIT;

-- Migration 0002_step (setup)
BEGIN;
--
-- Rename table for order to renamemodel_pinnedtablewithincomingforeignkey_order
--
COMMIT;

-- Migration 0003_observed (observed)
BEGIN;
--
-- Rename model Order to Purchase
--
SET CONSTRAINTS "renamemodel_pinnedta_order_id_0bc14a9a_fk_renamemod" IMMEDIATE; ALTER TABLE "renamemodel_pinnedtablewithincomingforeignkey_line" DROP CONSTRAINT "renamemodel_pinnedta_order_id_0bc14a9a_fk_renamemod";
ALTER TABLE "renamemodel_pinnedtablewithincomingforeignkey_line" ADD CONSTRAINT "renamemodel_pinnedta_order_id_0bc14a9a_fk_renamemod" FOREIGN KEY ("order_id") REFERENCES "renamemodel_pinnedtablewithincomingforeignkey_order" ("id") DEFERRABLE INITIALLY DEFERRED;
COMMIT;
