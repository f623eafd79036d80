"""The page shell and the static pages: language, error pages, health checks, security headers."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.staticfiles import finders
from django.template.loader import get_template, render_to_string
from django.urls import reverse

from municipalities.models import Municipality, Organisation
from samenorg.celery import app as celery_app
from tests.factories import MunicipalOrganisationFactory, OrganisationFactory, UserFactory
from tests.integration.support import free_port

STATIC_PAGES = ["home", "accessibility", "privacy"]


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "the page has <html lang>"
    return match.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("name", STATIC_PAGES)
def test_static_pages_are_dutch_by_default(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert html_lang(response) == "nl"


@pytest.mark.django_db
@pytest.mark.parametrize("name", STATIC_PAGES)
def test_static_pages_are_english_with_the_language_cookie(client, name):
    client.cookies["samenorg_language"] = "en"

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert html_lang(response) == "en"


@pytest.mark.django_db
def test_language_switch_posts_to_set_language_and_returns_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("privacy")})

    assert response.status_code == 302
    assert response["Location"] == reverse("privacy")
    assert client.cookies["samenorg_language"].value == "en"
    assert html_lang(client.get(reverse("privacy"))) == "en"


@pytest.mark.django_db
def test_every_page_offers_the_language_switch_for_the_current_page(client):
    content = client.get(reverse("privacy")).content.decode()

    assert f'action="{reverse("set_language")}"' in content
    assert f'name="next" value="{reverse("privacy")}"' in content
    assert 'name="language" value="nl"' in content
    assert 'name="language" value="en"' in content


@pytest.mark.django_db
def test_home_shows_the_counts_and_links_to_the_municipalities(client):
    MunicipalOrganisationFactory.create_batch(2)
    OrganisationFactory()

    response = client.get(reverse("home"))

    assert response.context["municipality_count"] == Municipality.objects.current().count()
    assert response.context["partner_count"] == Organisation.objects.active().partners().count()
    content = response.content.decode()
    assert f'<span class="samenorg-figures__number">{response.context["municipality_count"]}</span>' in content
    assert f'href="{reverse("municipalities:list")}"' in content


@pytest.mark.django_db
def test_header_offers_login_and_signup_to_visitors(client):
    content = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("account_login")}"' in content
    assert f'href="{reverse("account_signup")}"' in content
    assert f'href="{reverse("accounts:overview")}"' not in content


@pytest.mark.django_db
def test_header_offers_overview_profile_and_logout_form_to_a_logged_in_user(client):
    client.force_login(UserFactory(), backend="django.contrib.auth.backends.ModelBackend")

    content = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("accounts:overview")}"' in content
    assert f'href="{reverse("accounts:profile")}"' in content
    assert re.search(rf'<form[^>]*method="post" action="{reverse("account_logout")}"', content)
    assert f'href="{reverse("account_login")}"' not in content


@pytest.mark.django_db
def test_footer_links_to_the_accessibility_and_privacy_statements(client):
    content = client.get(reverse("home")).content.decode()

    assert 'href="/toegankelijkheid"' in content
    assert 'href="/privacy"' in content


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accessibility", "privacy"])
def test_statements_show_the_configured_contact_address(client, settings, name):
    settings.SAMENORG_CONTACT_EMAIL = "toegankelijkheid@gemeenten.example"

    content = client.get(reverse(name)).content.decode()

    assert 'href="mailto:toegankelijkheid@gemeenten.example"' in content


@pytest.mark.django_db
def test_unknown_url_gives_the_404_page(client):
    response = client.get("/deze-pagina-bestaat-niet")

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert html_lang(response) == "nl"
    assert 'id="main"' in response.content.decode()


def test_500_page_renders_without_context_request_or_database():
    # No django_db mark: any database query here would fail the test.
    html = get_template("500.html").render({})

    assert '<html lang="nl"' in html
    assert 'href="/"' in html
    assert 'lang="en"' in html, "the English text is marked as English"
    for path in re.findall(r'href="/static/([^"]+)"', html):
        assert finders.find(path), f"500.html links /static/{path}, which does not exist"


def test_500_template_uses_no_template_tags_that_need_a_request():
    source = get_template("500.html").template.source

    assert "{% url" not in source
    assert "{% static" not in source
    assert "{{" not in source


@pytest.mark.django_db
def test_healthz_answers_json(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_the_database_ok(client):
    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_reports_a_broker_that_does_not_answer_but_stays_ready(client, monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # Celery would let it win over the setting
    monkeypatch.setattr(celery_app.conf, "broker_url", f"redis://127.0.0.1:{free_port()}/0")  # nobody listens

    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "OperationalError"}}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in filter(str.strip, header.split(";")):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/toegankelijkheid", "/privacy", "/deze-pagina-bestaat-niet", "/healthz"])
def test_responses_carry_a_content_security_policy_without_inline_scripts(client, url):
    response = client.get(url)

    assert "Content-Security-Policy" in response.headers
    directives = csp_directives(response.headers["Content-Security-Policy"])
    script_sources = directives.get("script-src", directives.get("default-src", []))
    assert script_sources, "scripts are restricted"
    assert "'unsafe-inline'" not in script_sources
    assert "'unsafe-eval'" not in script_sources
    assert "'unsafe-inline'" not in directives.get("style-src", directives.get("default-src", []))


@pytest.mark.django_db
@pytest.mark.parametrize("name", STATIC_PAGES)
def test_pages_have_no_inline_scripts_or_styles(client, name):
    content = client.get(reverse(name)).content.decode()

    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", content), "no inline <script>"
    assert " style=" not in content
    assert "<style" not in content


def test_messages_are_shown_as_alerts_in_a_status_region():
    html = render_to_string(
        "includes/messages.html", {"messages": [Message(messages.SUCCESS, "Saved"), Message(messages.ERROR, "Oops")]}
    )

    assert 'role="status"' in html
    assert 'class="utrecht-alert utrecht-alert--ok"' in html
    assert 'class="utrecht-alert utrecht-alert--error"' in html


def test_message_region_is_empty_without_messages():
    html = render_to_string("includes/messages.html", {"messages": []})

    assert '<div class="samenorg-messages" role="status"></div>' in html
