-- Claim: AlterOrderWithRespectTo
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alterorderwithrespectto. Roles: table = alterorderwithrespectto_line, referenced = alterorderwithrespectto_order.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alterorderwithrespectto_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alterorderwithrespectto_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alterorderwithrespectto_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alterorderwithrespectto_order" ADD CONSTRAINT "alterorderwithrespec_customer_id_4b0d2784_fk_alterorde" FOREIGN KEY ("customer_id") REFERENCES "alterorderwithrespectto_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterorderwithrespectto_order_customer_id_4b0d2784" ON "alterorderwithrespectto_order" ("customer_id");
ALTER TABLE "alterorderwithrespectto_line" ADD CONSTRAINT "alterorderwithrespec_order_id_0aa417f2_fk_alterorde" FOREIGN KEY ("order_id") REFERENCES "alterorderwithrespectto_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterorderwithrespectto_line_order_id_0aa417f2" ON "alterorderwithrespectto_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Set order_with_respect_to on line to order
--
ALTER TABLE "alterorderwithrespectto_line" ADD COLUMN "_order" integer DEFAULT 0 NOT NULL;
ALTER TABLE "alterorderwithrespectto_line" ALTER COLUMN "_order" DROP DEFAULT;
COMMIT;
