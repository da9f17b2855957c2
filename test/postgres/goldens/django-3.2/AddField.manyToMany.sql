-- Claim: AddField.manyToMany
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: addfield_manytomany. Roles: table = addfield_manytomany_order, referenced = addfield_manytomany_customer, referencing = addfield_manytomany_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "addfield_manytomany_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "addfield_manytomany_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "addfield_manytomany_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "addfield_manytomany_order" ADD CONSTRAINT "addfield_manytomany__customer_id_1b1a6151_fk_addfield_" FOREIGN KEY ("customer_id") REFERENCES "addfield_manytomany_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_manytomany_order_customer_id_1b1a6151" ON "addfield_manytomany_order" ("customer_id");
ALTER TABLE "addfield_manytomany_line" ADD CONSTRAINT "addfield_manytomany__order_id_1a3f40e4_fk_addfield_" FOREIGN KEY ("order_id") REFERENCES "addfield_manytomany_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_manytomany_line_order_id_1a3f40e4" ON "addfield_manytomany_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Add field watchers to order
--
CREATE TABLE "addfield_manytomany_order_watchers" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "customer_id" bigint NOT NULL);
ALTER TABLE "addfield_manytomany_order_watchers" ADD CONSTRAINT "addfield_manytomany_orde_order_id_customer_id_b9e4cbb8_uniq" UNIQUE ("order_id", "customer_id");
ALTER TABLE "addfield_manytomany_order_watchers" ADD CONSTRAINT "addfield_manytomany__order_id_7dabb773_fk_addfield_" FOREIGN KEY ("order_id") REFERENCES "addfield_manytomany_order" ("id") DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "addfield_manytomany_order_watchers" ADD CONSTRAINT "addfield_manytomany__customer_id_46a60dc7_fk_addfield_" FOREIGN KEY ("customer_id") REFERENCES "addfield_manytomany_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "addfield_manytomany_order_watchers_order_id_7dabb773" ON "addfield_manytomany_order_watchers" ("order_id");
CREATE INDEX "addfield_manytomany_order_watchers_customer_id_46a60dc7" ON "addfield_manytomany_order_watchers" ("customer_id");
COMMIT;
