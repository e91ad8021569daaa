from django.urls import URLPattern, URLResolver, get_resolver


def _patterns(resolver=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern


def test_no_view_is_exempt_from_csrf_protection():
    exempt = [str(p.pattern) for p in _patterns() if getattr(p.callback, "csrf_exempt", False)]
    assert exempt == []


def test_csrf_middleware_is_installed(settings):
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
