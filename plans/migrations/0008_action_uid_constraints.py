# Apart from 0007: PostgreSQL will not alter a table with row updates pending in the same transaction.

from django.db import migrations, models

import plans.models.plan


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0007_action_uid"),
    ]

    operations = [
        migrations.AlterField(
            model_name="action",
            name="uid",
            field=models.CharField(
                default=plans.models.plan.new_action_uid, editable=False,
                help_text="Names the action in plan files and versions, unique in its plan; never changes or comes back.",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="uid",
            field=models.CharField(
                default=plans.models.plan.new_action_uid, editable=False,
                help_text="Names the action in plan files and versions, unique in its plan; never changes or comes back.",
                max_length=20,
            ),
        ),
        migrations.RemoveConstraint(
            model_name="action",
            name="unique_action_ref",
        ),
        migrations.AddConstraint(
            model_name="action",
            constraint=models.UniqueConstraint(
                condition=models.Q(models.Q(("ref", ""), _negated=True), ("withdrawn_at__isnull", True)),
                fields=("objective", "ref"),
                name="unique_action_ref",
            ),
        ),
        migrations.AddConstraint(
            model_name="action",
            constraint=models.UniqueConstraint(fields=("objective", "uid"), name="unique_action_uid"),
        ),
    ]
