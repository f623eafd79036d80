"""Login through the identity provider of a municipality or of VNG (OpenID Connect), configured from the
environment (.env.example). Read by the settings: nothing here may import Django models."""

from typing import Any

from samenorg.env import ConfigurationError, env_str


def openid_connect_providers(
    *, server_url: str, client_id: str, secret: str, name: str, provider_id: str = "oidc"
) -> dict[str, Any]:
    """``SOCIALACCOUNT_PROVIDERS`` for one provider, whose app lives in the settings (no SocialApp row).
    ``server_url`` is the issuer: its ``/.well-known/openid-configuration`` names the other endpoints."""
    return {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": provider_id,
                    "name": name,
                    "client_id": client_id,
                    "secret": secret,
                    "settings": {"server_url": server_url},
                }
            ],
        }
    }


def openid_connect_providers_from_environment() -> dict[str, Any]:
    """The provider ``SAMENORG_OIDC_*`` describe; none without ``SAMENORG_OIDC_SERVER_URL``."""
    server_url = env_str("SAMENORG_OIDC_SERVER_URL")
    if not server_url:
        return {}
    client_id = env_str("SAMENORG_OIDC_CLIENT_ID")
    name = env_str("SAMENORG_OIDC_NAME")
    if not client_id or not name:
        raise ConfigurationError(
            "SAMENORG_OIDC_SERVER_URL is set: set SAMENORG_OIDC_CLIENT_ID (the platform's client at the "
            "identity provider) and SAMENORG_OIDC_NAME (the provider's name on the login button) too."
        )
    return openid_connect_providers(
        server_url=server_url,
        client_id=client_id,
        secret=env_str("SAMENORG_OIDC_CLIENT_SECRET"),
        name=name,
        provider_id=env_str("SAMENORG_OIDC_PROVIDER_ID", "oidc") or "oidc",
    )
