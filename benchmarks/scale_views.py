# ruff: noqa: E501 (one-line HTML)
"""The bare views of ``run_all.py``: for each page measured, the same rows read with ``.values()`` and
written out as plain HTML or JSON, no template, no cache. What a page costs beyond reading its rows is
its ratio to these."""

import api_list
import initiatives_list
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.utils.html import escape

from collaboration.models import Comment, Milestone, Participation
from initiatives.models import Initiative
from samenorg.audit.models import AuditEvent
from standards.models import Adoption, Standard

AUDIT_PAGE = 50  # the audit trail's page (AuditEventAdmin.list_per_page)


def _page(title: str, *parts: str) -> HttpResponse:
    return HttpResponse(f"<!DOCTYPE html><title>{escape(title)}</title>{''.join(parts)}")


def bare_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The initiative, its organisations taking part, milestones and comments: four ``.values()`` queries."""
    initiative = get_object_or_404(
        Initiative.objects.visible_to(request.user).values("pk", "title", "summary", "description", "phase"), slug=slug
    )
    pk = initiative["pk"]
    taking_part = Participation.objects.active().filter(initiative_id=pk).values("role", "organisation__name")
    milestones = Milestone.objects.filter(initiative_id=pk).values("title", "target_date", "achieved_on")
    comments = Comment.objects.filter(initiative_id=pk, nomination__isnull=True).values(
        "body", "created_at", "author__name", "organisation__name"
    )
    return _page(
        initiative["title"],
        f"<h1>{escape(initiative['title'])}</h1><p>{escape(initiative['summary'])}</p><div>{escape(initiative['description'])}</div>",
        "<ul>" + "".join(f"<li>{escape(p['organisation__name'])} {p['role']}</li>" for p in taking_part) + "</ul>",
        "<ol>"
        + "".join(f"<li>{escape(m['title'])} {m['target_date']} {m['achieved_on']}</li>" for m in milestones)
        + "</ol>",
        "".join(
            f"<article><b>{escape(c['author__name'] or '')}, {escape(c['organisation__name'])}</b> {c['created_at']}<p>{escape(c['body'])}</p></article>"
            for c in comments
        ),
    )


def bare_standard(request: HttpRequest, slug: str) -> HttpResponse:
    """The standard and every municipality's adoption of it: two ``.values()`` queries."""
    standard = get_object_or_404(Standard.objects.values("pk", "name", "description"), slug=slug)
    adoptions = Adoption.objects.filter(standard_id=standard["pk"]).values(
        "status", "since", "organisation__name", "organisation__municipality__code"
    )
    return _page(
        standard["name"],
        f"<h1>{escape(standard['name'])}</h1><p>{escape(standard['description'])}</p><table>",
        "".join(
            f"<tr><td>{a['organisation__municipality__code']}</td><td>{escape(a['organisation__name'])}</td><td>{a['status']}</td><td>{a['since']}</td></tr>"
            for a in adoptions
        ),
        "</table>",
    )


def bare_audit(request: HttpRequest) -> HttpResponse:
    """The audit trail's first page, newest first, from the same aggregate of the history tables."""
    rows = AuditEvent.objects.order_by("-pgh_created_at").values(
        "pgh_created_at", "pgh_label", "pgh_obj_model", "pgh_obj_id"
    )[:AUDIT_PAGE]
    return _page(
        "audit",
        "<table>",
        "".join(
            f"<tr><td>{r['pgh_created_at']}</td><td>{escape(r['pgh_obj_model'])} {escape(str(r['pgh_obj_id']))}</td><td>{escape(r['pgh_label'])}</td></tr>"
            for r in rows
        ),
        "</table>",
    )


urlpatterns = [
    path("bench/list", initiatives_list.bare_page),
    path("bench/list.json", api_list.bare_page),
    path("bench/detail/<slug:slug>", bare_detail),
    path("bench/standard/<slug:slug>", bare_standard),
    path("bench/audit", bare_audit),
    path("", include("samenorg.urls")),
]
