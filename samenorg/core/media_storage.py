"""Where uploaded files (attachments) are kept: a folder on the local disk, or an S3-compatible bucket.

The bucket is used when ``SAMENORG_MEDIA_S3_BUCKET`` is set, through django-storages. Its objects stay
private: nobody downloads them from the bucket. The attachment view reads them and applies the
initiative's visibility, as it does for files on disk. That is why no ACL and no signed URLs are asked
for and why the storage never overwrites a file under an existing name.
"""

from samenorg.env import ConfigurationError, env_str

FILE_SYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def media_storage_from_environment() -> dict:
    """The ``STORAGES["default"]`` entry the environment describes."""
    bucket = env_str("SAMENORG_MEDIA_S3_BUCKET")
    if not bucket:
        return FILE_SYSTEM
    access_key, secret_key = env_str("SAMENORG_MEDIA_S3_ACCESS_KEY_ID"), env_str("SAMENORG_MEDIA_S3_SECRET_ACCESS_KEY")
    if bool(access_key) != bool(secret_key):
        raise ConfigurationError(
            "SAMENORG_MEDIA_S3_ACCESS_KEY_ID and SAMENORG_MEDIA_S3_SECRET_ACCESS_KEY go together: set both, "
            "or neither to use the machine's own credentials (an instance role, ~/.aws)."
        )
    options = {
        "bucket_name": bucket,
        "location": env_str("SAMENORG_MEDIA_S3_PREFIX").strip("/"),
        "default_acl": None,  # the bucket's own policy: private
        "querystring_auth": False,  # no URLs are handed out; the attachment view reads the object
        "file_overwrite": False,
        "endpoint_url": env_str("SAMENORG_MEDIA_S3_ENDPOINT_URL") or None,
        "region_name": env_str("SAMENORG_MEDIA_S3_REGION") or None,
        # Path-style addressing works with every S3-compatible server (MinIO, Ceph, Scaleway, OVH, ...).
        "addressing_style": env_str("SAMENORG_MEDIA_S3_ADDRESSING_STYLE", "path"),
    }
    if access_key:
        options |= {"access_key": access_key, "secret_key": secret_key}
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
