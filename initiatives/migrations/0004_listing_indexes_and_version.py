"""Indexes for the faceted list, and the listing data version that invalidates cached facet counts.

``initiatives_listing_version`` holds one row. A statement-level trigger on every table the facet counts
read (initiatives, their theme links, themes, organisations, municipalities, provinces) updates it in the
writing transaction, so a reader sees the new version exactly when it sees the new rows: whatever writes
(a service, the admin, a bulk loader, raw SQL), a count cached under a version includes that version's
writes. An UPDATE, not a sequence, for that reason: ``nextval`` is visible before the commit.

Each change also draws a random ``stamp``, and the cache keys hold both: a write that rolls back
(a transaction, or a savepoint inside one) leaves the counter where it was, so the next write counts
to the same number again, but never with the same stamp; whatever was cached under the rolled-back
version is never read.
"""

from django.db import migrations, models

TABLES = [
    "initiatives_initiative",
    "initiatives_initiative_themes",
    "initiatives_theme",
    "municipalities_organisation",
    "municipalities_municipality",
    "municipalities_province",
]

CREATE = [
    """
    CREATE TABLE initiatives_listing_version (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        version bigint NOT NULL DEFAULT 0,
        stamp uuid NOT NULL DEFAULT gen_random_uuid()
    )
    """,
    "INSERT INTO initiatives_listing_version (id) VALUES (1)",
    """
    CREATE FUNCTION initiatives_listing_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE initiatives_listing_version SET version = version + 1, stamp = gen_random_uuid();
        RETURN NULL;
    END
    $$
    """,
] + [
    f"""
    CREATE TRIGGER initiatives_listing_version_bump
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION initiatives_listing_version_bump()
    """
    for table in TABLES
]

DROP = [f"DROP TRIGGER initiatives_listing_version_bump ON {table}" for table in TABLES] + [
    "DROP FUNCTION initiatives_listing_version_bump()",
    "DROP TABLE initiatives_listing_version",
]


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0003_attachments"),
        ("municipalities", "0003_membershiphistory_membershiprequesthistory_and_more"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(
                fields=["status"], include=("owner", "phase", "roles_sought", "id"), name="initiative_facets"
            ),
        ),
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(
                condition=models.Q(("status__in", ["published", "archived"])),
                fields=["-published_at", "-created_at", "-id"],
                name="initiative_public_newest",
            ),
        ),
        migrations.RunSQL(sql=CREATE, reverse_sql=DROP),
    ]
