-- Claim: DeleteModel
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: deletemodel. Roles: table = deletemodel_memo.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "deletemodel_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "deletemodel_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "deletemodel_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "deletemodel_order" ADD CONSTRAINT "deletemodel_order_customer_id_382333c5_fk_deletemod" FOREIGN KEY ("customer_id") REFERENCES "deletemodel_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "deletemodel_order_customer_id_382333c5" ON "deletemodel_order" ("customer_id");
ALTER TABLE "deletemodel_line" ADD CONSTRAINT "deletemodel_line_order_id_2c3dd42b_fk_deletemodel_order_id" FOREIGN KEY ("order_id") REFERENCES "deletemodel_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "deletemodel_line_order_id_2c3dd42b" ON "deletemodel_line" ("order_id");
COMMIT;

-- Migration 0002_step (setup)
BEGIN;
--
-- Create model Memo
--
CREATE TABLE "deletemodel_memo" ("id" bigserial NOT NULL PRIMARY KEY, "text" text NOT NULL);
COMMIT;

-- Migration 0003_observed (observed)
BEGIN;
--
-- Delete model Memo
--
DROP TABLE "deletemodel_memo" CASCADE;
COMMIT;
