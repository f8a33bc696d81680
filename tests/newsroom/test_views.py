"""Site-wide pages: robots.txt, errors, health check."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import path

from newsroom.views import server_error


def test_robots_txt_keeps_crawlers_out_of_private_areas_and_names_the_sitemaps(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    for private in ("/admin/", "/preview/", "/search/"):
        assert f"Disallow: {private}" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Sitemap: http://testserver/news-sitemap.xml" in body


def test_server_error_page_renders_without_the_database():
    # No django_db mark: any query here would fail the test.
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert 'href="/"' in html
    assert "/static/css/site.css" in html


def broken_view(request):
    raise RuntimeError("the database is on fire")


urlpatterns = [path("broken/", broken_view)]


@pytest.mark.urls("tests.newsroom.test_views")
def test_an_exception_gets_the_friendly_500_page(client, settings):
    settings.ROOT_URLCONF = "tests.newsroom.test_views"
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.django_db
def test_health_check_and_favicon(client):
    assert client.get("/healthz").content == b"ok"
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
