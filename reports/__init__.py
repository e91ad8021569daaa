"""Report runs (报告生成): official-looking PDF (and Word) reports written from stored data.

    kinds/<kind>.py   selector (every query up front, frozen dataclasses) → pure builder → ReportDocument
    document.py       the format-free document: sections, paragraphs, tables, charts
    templates/reports/pdf/<kind>.html + static/css/reports-print.css   GB/T 9704 layout
    pdf/              render_pdf(): the only WeasyPrint import, allow-list URL fetcher, WeasyPrint changes
    docx_writer.py    the same document as .docx (official Word styles)
    services.py       request / execute (idempotent) / retry / finalise / batch
    dispatch.py, background.py   one execution path: the Celery task, on a worker or (no broker)
                      eagerly in a thread of the web process
    liveness.py, recovery.py     heartbeat of a rendering run; the sweeper that re-queues stopped
                      runs and re-sends lost messages (run by every worker and web process)
    tasks.py          thin Celery tasks
    checks.py, worker.py, system_requirements.py   CJK fonts and HarfBuzz subsetting at start-up

Running it: without CELERY_BROKER_URL generation runs in a thread of the web process. With a
broker, run a worker (`make worker`); recovery needs nothing else. Benchmarks: bench/pdf_bench.py.
"""
