-- Claim: AlterUniqueTogether
-- Produced by test/postgres/goldens/generate.py from Django 3.2.25's sqlmigrate (PostgreSQL backend). Do not edit: run generate.sh.
-- App: alteruniquetogether. Roles: table = alteruniquetogether_order, referenced = alteruniquetogether_customer, referencing = alteruniquetogether_line.

-- Migration 0001_initial (setup)
BEGIN;
--
-- Create model Customer
--
CREATE TABLE "alteruniquetogether_customer" ("id" bigserial NOT NULL PRIMARY KEY, "name" varchar(100) NOT NULL);
--
-- Create model Order
--
CREATE TABLE "alteruniquetogether_order" ("id" bigserial NOT NULL PRIMARY KEY, "customer_id" bigint NOT NULL, "number" integer NOT NULL, "note" varchar(20) NULL, "code" varchar(20) NOT NULL, "total" numeric(10, 2) NOT NULL, "created" timestamp with time zone NOT NULL);
--
-- Create model Line
--
CREATE TABLE "alteruniquetogether_line" ("id" bigserial NOT NULL PRIMARY KEY, "order_id" bigint NOT NULL, "quantity" integer NOT NULL);
ALTER TABLE "alteruniquetogether_order" ADD CONSTRAINT "alteruniquetogether__customer_id_f57a449d_fk_alteruniq" FOREIGN KEY ("customer_id") REFERENCES "alteruniquetogether_customer" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alteruniquetogether_order_customer_id_f57a449d" ON "alteruniquetogether_order" ("customer_id");
ALTER TABLE "alteruniquetogether_line" ADD CONSTRAINT "alteruniquetogether__order_id_24af6e87_fk_alteruniq" FOREIGN KEY ("order_id") REFERENCES "alteruniquetogether_order" ("id") DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX "alteruniquetogether_line_order_id_24af6e87" ON "alteruniquetogether_line" ("order_id");
COMMIT;

-- Migration 0002_observed (observed)
BEGIN;
--
-- Alter unique_together for order (1 constraint(s))
--
ALTER TABLE "alteruniquetogether_order" ADD CONSTRAINT "alteruniquetogether_order_customer_id_number_a0013fe2_uniq" UNIQUE ("customer_id", "number");
COMMIT;
