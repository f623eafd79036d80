"""Uploads kept in an S3-compatible bucket when SAMENORG_MEDIA_S3_BUCKET is set: configured from the
environment, written privately under the prefix, and read back by the attachment view that applies
visibility. The bucket is moto's S3 server on a free loopback port, spoken to over HTTP by boto3."""

from collections.abc import Iterator

import boto3
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer

from initiatives.models import InitiativeAttachment
from samenorg.core.media_storage import FILE_SYSTEM, media_storage_from_environment
from samenorg.env import ConfigurationError
from tests.factories import InitiativeFactory, MembershipFactory
from tests.integration.support import free_port

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
S3_VARIABLES = ("BUCKET", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "ENDPOINT_URL", "REGION", "PREFIX")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in S3_VARIABLES:
        monkeypatch.delenv(f"SAMENORG_MEDIA_S3_{name}", raising=False)


def test_without_a_bucket_uploads_go_to_the_media_folder():
    assert media_storage_from_environment() == FILE_SYSTEM


def test_a_bucket_gives_private_s3_storage_that_never_overwrites(monkeypatch):
    monkeypatch.setenv("SAMENORG_MEDIA_S3_BUCKET", "samenorg-media")
    monkeypatch.setenv("SAMENORG_MEDIA_S3_PREFIX", "/attachments/")

    storage = media_storage_from_environment()

    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["location"]) == ("samenorg-media", "attachments")
    assert options["default_acl"] is None
    assert options["querystring_auth"] is False
    assert options["file_overwrite"] is False
    assert "access_key" not in options  # the machine's own credentials


def test_half_a_key_pair_is_refused_with_a_message_naming_both(monkeypatch):
    monkeypatch.setenv("SAMENORG_MEDIA_S3_BUCKET", "samenorg-media")
    monkeypatch.setenv("SAMENORG_MEDIA_S3_ACCESS_KEY_ID", "AKIA")

    with pytest.raises(ConfigurationError, match="SAMENORG_MEDIA_S3_SECRET_ACCESS_KEY go together"):
        media_storage_from_environment()


@pytest.fixture
def bucket(monkeypatch) -> Iterator[boto3.resource]:
    """A real S3 endpoint over HTTP on loopback, with an empty bucket, and the environment naming it."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{server._port}"
    credentials = {"aws_access_key_id": "samenorg", "aws_secret_access_key": "secret", "region_name": "eu-west-1"}
    s3 = boto3.resource("s3", endpoint_url=endpoint, **credentials)
    s3.create_bucket(Bucket="samenorg-media", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    for name, value in {
        "BUCKET": "samenorg-media",
        "ENDPOINT_URL": endpoint,
        "REGION": "eu-west-1",
        "PREFIX": "attachments",
        "ACCESS_KEY_ID": "samenorg",
        "SECRET_ACCESS_KEY": "secret",
    }.items():
        monkeypatch.setenv(f"SAMENORG_MEDIA_S3_{name}", value)
    try:
        yield s3.Bucket("samenorg-media")
    finally:
        server.stop()


@pytest.mark.django_db
def test_an_attachment_is_stored_privately_in_the_bucket_and_downloaded_through_the_view(client, bucket):
    membership = MembershipFactory()
    initiative = InitiativeFactory(owner=membership.organisation, published=True)
    client.force_login(membership.user)
    storages = {**settings.STORAGES, "default": media_storage_from_environment()}

    with override_settings(STORAGES=storages):
        client.post(
            reverse("initiatives:attachment-add", kwargs={"slug": initiative.slug}),
            {"file": SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"), "title": "Plan"},
        )
        attachment = InitiativeAttachment.objects.get(initiative=initiative)
        stored = bucket.Object(f"attachments/{attachment.file.name}")
        client.logout()
        download = client.get(
            reverse("initiatives:attachment", kwargs={"slug": initiative.slug, "uuid": attachment.uuid})
        )

    assert stored.get()["Body"].read() == PDF
    grants = stored.Acl().grants
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only: nothing public
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"] == 'attachment; filename="plan.pdf"'
