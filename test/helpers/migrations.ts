// Migration texts shared by the CLI and LSP tests of the workspace index: 0001 creates `shop.Order` with a
// nullable `note`; 0002 makes it NOT NULL (MG106, known only from 0001's history).
export const SHOP_0001 = [
  'from django.db import migrations, models',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    initial = True',
  '    dependencies = []',
  '',
  '    operations = [',
  '        migrations.CreateModel(',
  '            name="Order",',
  '            fields=[',
  '                ("id", models.BigAutoField(primary_key=True)),',
  '                ("note", models.CharField(max_length=100, null=True)),',
  '            ],',
  '        ),',
  '    ]',
  '',
].join('\n');

export const SHOP_0002 = [
  'from django.db import migrations, models',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    dependencies = [("shop", "0001_initial")]',
  '',
  '    operations = [',
  '        migrations.AlterField(',
  '            model_name="order",',
  '            name="note",',
  '            field=models.CharField(max_length=100, default=""),',
  '        ),',
  '    ]',
  '',
].join('\n');
