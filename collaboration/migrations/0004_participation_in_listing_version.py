"""Participations change the listing data version (initiatives migration 0004): the list filters on
"my organisation takes part", so a cached count must not outlive a join, a decision or a departure."""

from django.db import migrations

TABLE = "collaboration_participation"


class Migration(migrations.Migration):
    dependencies = [
        ("collaboration", "0003_consultation_comments_and_standard_follows"),
        ("initiatives", "0004_listing_indexes_and_version"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"""
                CREATE TRIGGER initiatives_listing_version_bump
                    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {TABLE}
                    FOR EACH STATEMENT EXECUTE FUNCTION initiatives_listing_version_bump()
            """,
            reverse_sql=f"DROP TRIGGER initiatives_listing_version_bump ON {TABLE}",
        )
    ]
