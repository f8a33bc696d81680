from django.conf import settings


def site(request):
    """Site identity for every template. Nothing per reader: pages stay cacheable."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": settings.NEWSROOM_SITE_URL,
        "site_description": settings.NEWSROOM_SITE_DESCRIPTION,
    }
