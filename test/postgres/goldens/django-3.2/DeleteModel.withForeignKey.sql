-- Claim: DeleteModel.withForeignKey
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: deletemodel_withforeignkey. Roles: table = deletemodel_withforeignkey_line, referenced = deletemodel_withforeignkey_order.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "deletemodel_withforeignkey_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "deletemodel_withforeignkey_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "deletemodel_withforeignkey_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "deletemodel_withforeignkey_order" ADD CONSTRAINT "deletemodel_withfore_customer_id_b1e4af89_fk_deletemod" FOREIGN KEY ("customer_id") REFERENCES "deletemodel_withforeignkey_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "deletemodel_withforeignkey_order_customer_id_b1e4af89" ON "deletemodel_withforeignkey_order" ("customer_id");
ALTER TABLE "deletemodel_withforeignkey_line" ADD CONSTRAINT "deletemodel_withfore_order_id_c002252d_fk_deletemod" FOREIGN KEY ("order_id") REFERENCES "deletemodel_withforeignkey_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "deletemodel_withforeignkey_line_order_id_c002252d" ON "deletemodel_withforeignkey_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Delete model Line
--
DROP TABLE "deletemodel_withforeignkey_line" CASCADE;
COMMIT;
