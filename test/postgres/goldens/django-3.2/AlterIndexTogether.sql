-- Claim: AlterIndexTogether
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alterindextogether. Roles: table = alterindextogether_order, referenced = alterindextogether_customer, referencing = alterindextogether_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alterindextogether_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alterindextogether_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alterindextogether_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alterindextogether_order" ADD CONSTRAINT "alterindextogether_o_customer_id_93c46824_fk_alterinde" FOREIGN KEY ("customer_id") REFERENCES "alterindextogether_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterindextogether_order_customer_id_93c46824" ON "alterindextogether_order" ("customer_id");
ALTER TABLE "alterindextogether_line" ADD CONSTRAINT "alterindextogether_l_order_id_f4ca6293_fk_alterinde" FOREIGN KEY ("order_id") REFERENCES "alterindextogether_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alterindextogether_line_order_id_f4ca6293" ON "alterindextogether_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Alter index_together for order (1 constraint(s))
--
CREATE INDEX "alterindextogether_order_customer_id_number_ba026c3b_idx" ON "alterindextogether_order" ("customer_id", "number");
COMMIT;
