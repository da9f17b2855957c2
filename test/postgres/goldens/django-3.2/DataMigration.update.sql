-- Claim: DataMigration.update
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: datamigration_update. Roles: table = datamigration_update_order, referenced = datamigration_update_customer, referencing = datamigration_update_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "datamigration_update_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "datamigration_update_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "datamigration_update_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "datamigration_update_order" ADD CONSTRAINT "datamigration_update_customer_id_23e7f447_fk_datamigra" FOREIGN KEY ("customer_id") REFERENCES "datamigration_update_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "datamigration_update_order_customer_id_23e7f447" ON "datamigration_update_order" ("customer_id");
ALTER TABLE "datamigration_update_line" ADD CONSTRAINT "datamigration_update_order_id_ce35446e_fk_datamigra" FOREIGN KEY ("order_id") REFERENCES "datamigration_update_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "datamigration_update_line_order_id_ce35446e" ON "datamigration_update_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Raw SQL operation
--
UPDATE datamigration_update_order SET number = number + 1;
COMMIT;
