"""Buildings point at a room_access door zone, bookings at their payments order and access grant
(the text placeholders go). Existing codes are mapped by the zone's name (or its controller zone
id), existing references by number or by `booking:<uuid>`; what does not match stays empty."""

import django.db.models.deletion
from django.db import migrations, models


def link_existing(apps, schema_editor):
    Building = apps.get_model("reservations", "Building")
    Booking = apps.get_model("reservations", "Booking")
    DoorZone = apps.get_model("room_access", "DoorZone")
    Order = apps.get_model("payments", "Order")
    AccessGrant = apps.get_model("room_access", "AccessGrant")
    for building in Building.objects.exclude(door_zone_code=""):
        code = building.door_zone_code.strip()
        zone = (
            DoorZone.objects.filter(name__iexact=code).first()
            or DoorZone.objects.filter(zone_id__iexact=code).first()
        )
        if zone is not None:
            building.door_zone = zone
            building.save(update_fields=["door_zone"])
    for booking in Booking.objects.exclude(order_reference="", grant_reference=""):
        reference = f"booking:{booking.uuid}"
        booking.order = (
            Order.objects.filter(number=booking.order_reference).first() if booking.order_reference else None
        ) or Order.objects.filter(reference=reference).order_by("-id").first()
        booking.grant = (
            AccessGrant.objects.filter(reference=reference).order_by("-id").first()
            if booking.grant_reference
            else None
        )
        booking.save(update_fields=["order", "grant"])


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0002_fee_catalogue"),
        ("reservations", "0001_initial"),
        ("room_access", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="grant",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="room_access.accessgrant",
                verbose_name="toegangsrecht",
            ),
        ),
        migrations.AddField(
            model_name="booking",
            name="order",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="payments.order",
                verbose_name="bestelling",
            ),
        ),
        migrations.AddField(
            model_name="building",
            name="door_zone",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="buildings",
                to="room_access.doorzone",
                verbose_name="deurzone",
            ),
        ),
        migrations.RunPython(link_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="booking", name="grant_reference"),
        migrations.RemoveField(model_name="booking", name="order_reference"),
        migrations.RemoveField(model_name="building", name="door_zone_code"),
    ]
