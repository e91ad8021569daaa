"""The anchor every page is compared with in the same run (issue 19 §1): a bare Django page with a
100-field form — 100 optional DecimalFields with a Chinese label and help text, rendered label +
widget + help + errors in a loop by a template compiled once, CSRF middleware only, no database —
timed through RequestFactory as the median of 200 calls after 20 warm-ups. GET renders the empty
form; POST validates 100 submitted figures (a few of them wrong) and renders the form again.

A page's time divided by the anchor's says how far it is from what Django itself costs on this
machine at this moment, which a number in milliseconds on a shared machine does not.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .common import Timing, time_calls

FIELDS = 100
RUNS, WARMUP = 200, 20
TEMPLATE = """<!doctype html><html lang="zh-CN"><body><form method="post">{% csrf_token %}
{% for field in form %}<div class="field">{{ field.label_tag }}{{ field }}
<small>{{ field.help_text }}</small>{{ field.errors }}</div>{% endfor %}
<button type="submit">保存</button></form></body></html>"""


@dataclass(frozen=True)
class Anchor:
    get: Timing
    post: Timing

    def ratio_get(self, wall_ms: float, cpu_ms: float | None = None) -> str:
        return _ratio("GET", self.get, wall_ms, cpu_ms)

    def ratio_post(self, wall_ms: float, cpu_ms: float | None = None) -> str:
        return _ratio("POST", self.post, wall_ms, cpu_ms)


def _ratio(method: str, anchor: Timing, wall_ms: float, cpu_ms: float | None) -> str:
    """ "3.6× the bare form's GET (20.6 ms), CPU 3.4×": wall p50 over wall p50, CPU over CPU."""
    text = f"{wall_ms / anchor.p50_ms:.1f}× the bare form's {method} ({anchor.p50_ms} ms)"
    if cpu_ms is not None and anchor.cpu_p50_ms:
        text += f", CPU {cpu_ms / anchor.cpu_p50_ms:.1f}×"
    return text


def _form_class():
    from django import forms

    fields = {
        f"figure_{number}": forms.DecimalField(
            required=False,
            label=f"第{number}项指标数值",
            help_text="请填写本年度的统计数值，没有发生的填0，不适用的请在说明中写明原因。",
            max_digits=18,
            decimal_places=4,
        )
        for number in range(1, FIELDS + 1)
    }
    return type("BareForm", (forms.Form,), fields)


def measure_anchor(*, runs: int = RUNS, warmup: int = WARMUP) -> Anchor:
    get, post = anchor_calls()
    return Anchor(get=time_calls(get, runs=runs, warmup=warmup), post=time_calls(post, runs=runs, warmup=warmup))


def anchor_calls() -> tuple[Callable[[int], None], Callable[[int], None]]:
    """The anchor's GET and POST as calls, for a page measurement to interleave with its own: on a
    shared machine the load changes from one second to the next, and a page and the anchor timed
    turn about see the same load."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.middleware.csrf import CsrfViewMiddleware
    from django.template import engines
    from django.test import RequestFactory

    form_class = _form_class()
    template = engines["django"].from_string(TEMPLATE)  # compiled once, as the cached loader keeps it

    def view(request):
        form = form_class(request.POST) if request.method == "POST" else form_class()
        if request.method == "POST":
            form.is_valid()
        return HttpResponse(template.render({"form": form}, request))

    handler = CsrfViewMiddleware(view)

    def process(request):
        # What the handler does with this one middleware around the view.
        handler.process_request(request)
        refused = handler.process_view(request, view, (), {})
        return refused or handler.process_response(request, view(request))

    factory = RequestFactory()
    first = process(factory.get("/bare/"))
    cookie = settings.CSRF_COOKIE_NAME
    token = first.cookies[cookie].value
    data = {f"figure_{number}": str(number * 3) if number % 10 else "不是数字" for number in range(1, FIELDS + 1)}
    data["csrfmiddlewaretoken"] = token

    def get(_):
        response = process(factory.get("/bare/"))
        assert response.status_code == 200

    def post(_):
        request = factory.post("/bare/", data)
        request.COOKIES[cookie] = token
        response = process(request)
        assert response.status_code == 200, response.status_code  # 403 would mean CSRF refused it
        assert response.content.count("输入一个数字".encode()) == FIELDS // 10  # validated: the wrong ones say so

    return get, post
