"""The counter's fee catalogue as data: what the register sells besides orders."""

from decimal import Decimal

from django.db import migrations

FEES = [
    ("uittreksel-bevolking", "Uittreksel uit het bevolkingsregister", "5.00", "0"),
    ("rijbewijs", "Rijbewijs (bankkaartmodel)", "30.00", "0"),
    ("reispas", "Reispas (gewone procedure)", "75.00", "0"),
    ("restafvalcontainer-120", "Restafvalcontainer 120 liter", "45.00", "21"),
    ("gft-container-40", "Gft-container 40 liter", "30.00", "21"),
    ("pmd-zakken", "Rol pmd-zakken (20 stuks)", "3.00", "0"),
]


def add_fees(apps, schema_editor):
    FeeItem = apps.get_model("payments", "FeeItem")
    for code, description, amount, vat in FEES:
        FeeItem.objects.get_or_create(
            code=code, defaults={"description": description, "unit_amount": Decimal(amount), "vat_rate": Decimal(vat)}
        )


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]
    operations = [migrations.RunPython(add_fees, migrations.RunPython.noop)]
