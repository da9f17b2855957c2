-- Claim: CreateModel.withForeignKey
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: createmodel_withforeignkey. Roles: table = createmodel_withforeignkey_refund, referenced = createmodel_withforeignkey_order.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "createmodel_withforeignkey_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "createmodel_withforeignkey_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "createmodel_withforeignkey_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "createmodel_withforeignkey_order" ADD CONSTRAINT "createmodel_withfore_customer_id_ae48e811_fk_createmod" FOREIGN KEY ("customer_id") REFERENCES "createmodel_withforeignkey_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "createmodel_withforeignkey_order_customer_id_ae48e811" ON "createmodel_withforeignkey_order" ("customer_id");
ALTER TABLE "createmodel_withforeignkey_line" ADD CONSTRAINT "createmodel_withfore_order_id_8ac9f807_fk_createmod" FOREIGN KEY ("order_id") REFERENCES "createmodel_withforeignkey_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "createmodel_withforeignkey_line_order_id_8ac9f807" ON "createmodel_withforeignkey_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Create model Refund
--
CREATE TABLE "createmodel_withforeignkey_refund" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL);
ALTER TABLE "createmodel_withforeignkey_refund" ADD CONSTRAINT "createmodel_withfore_order_id_d008e464_fk_createmod" FOREIGN KEY ("order_id") REFERENCES "createmodel_withforeignkey_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "createmodel_withforeignkey_refund_order_id_d008e464" ON "createmodel_withforeignkey_refund" ("order_id");
COMMIT;
