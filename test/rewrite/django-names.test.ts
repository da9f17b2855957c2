// The constraint names the rewrites give their raw SQL are Django's own: expected values printed by Django 3.2's
// schema editor (`connection.schema_editor()._create_index_name(table, columns, suffix)`, PostgreSQL backend);
// test/integration/rewrite.test.ts compares whole schemas made by Django 3.2 and 5.2 with the rewrites'.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { djangoForeignKeyName, djangoIndexName } from '../../server/src/rewrite/django-names';

test('foreign key and unique names as Django writes them, long names shortened as Django shortens them', () => {
  assert.equal(djangoForeignKeyName('shop_order', 'coupon_id', 'shop_coupon', 'id'), 'shop_order_coupon_id_b64bb177_fk_shop_coupon_id');
  assert.equal(djangoIndexName('shop_order', ['reference'], '_uniq'), 'shop_order_reference_f6fe6de7_uniq');
  assert.equal(djangoForeignKeyName('inventory_warehouse_stock_reservation_line', 'purchase_order_line_item_id', 'inventory_purchase_order_line_item', 'id'),
    'inventory_warehouse__purchase_order_line__144be267_fk_inventory');
  assert.equal(djangoIndexName('_x', ['a'], '_uniq'), '_x_a_bb471854_uniq');
  assert.equal(djangoIndexName('9abc'.repeat(20), ['b'.repeat(50)], '_uniq'), 'D9abc9abc9abc9abc9abc9abc_bbbbbbbbbbbbbbbbbbbbbbbb_1f8204e0_uni');
});
