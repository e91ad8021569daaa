"""gunicorn's settings for lawgov, as production runs it and as the load bench measures it:

    gunicorn -c lawgov/gunicorn_config.py lawgov.wsgi            # behind nginx, on 127.0.0.1:8000

Command-line options override these (`-b 0.0.0.0:8000`, `-w 3`); WEB_CONCURRENCY sets the number of
workers, GUNICORN_BIND the address.

- Workers: sync workers, 2 × cores + 1: a page waits on PostgreSQL for part of its time, and the
  extra worker keeps the cores busy meanwhile.
- Recycling: each worker is replaced after about a thousand requests. Python keeps a worker's memory
  peak (a large upload or export leaves a worker at 180–480 MB), so recycling hands it back; the
  jitter (each worker draws 0–100 more) keeps the workers from restarting all at once. A worker
  finishes its current request before it is replaced.
- Garbage collection: a request leaves a few hundred objects in reference cycles (templates, query
  sets), which only the cyclic collector frees. With Python's default thresholds (700, 10, 10) a
  worker of the load mix ran a young collection about every third request and a full one every ~90
  requests, each full one walking the whole application (~230,000 objects, ~90 ms, inside a request):
  2.0 ms of collector per request (gc.callbacks, 2 workers × ~550 requests of the bench's mix). A
  young generation of 7,000 objects frees the same garbage in a fourteenth as many passes: 1.0 ms
  per request. Freezing what a worker holds once it has served its first requests (Django, the
  compiled templates, the framework trees: objects that live as long as the worker) takes those out
  of every later full collection, so the ~130 ms full passes a worker still ran every ~500 requests
  become one pass after its 20th request, when it has answered. Frozen objects are never freed; what
  a worker holds then it keeps for its life anyway, and the worker is recycled after its thousand
  requests.

Not used: preload_app. It would load the application once in the master, but each worker needs its
own database connections and, without a broker, its own report supervisor thread
(reports/background.py) started by lawgov/wsgi.py; loading per worker keeps both simple. The CPU
per request does not depend on it.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * len(os.sched_getaffinity(0)) + 1))
worker_class = "sync"
timeout = 60
max_requests = 1000
max_requests_jitter = 100

# The young generation's size, and after how many requests a worker freezes what it holds.
GC_THRESHOLD = (7000, 10, 10)
GC_FREEZE_AFTER_REQUESTS = 20


def post_fork(server, worker):
    gc.set_threshold(*GC_THRESHOLD)
    worker.lawgov_requests = 0


def post_request(worker, req, environ, resp):
    worker.lawgov_requests += 1
    if worker.lawgov_requests == GC_FREEZE_AFTER_REQUESTS:
        gc.collect()
        gc.freeze()
