"""Report runs (报告生成): official-looking PDF (and Word) reports written from stored data.

    kinds/<kind>.py   selector (every query up front, frozen dataclasses) → pure builder → ReportDocument
    document.py       the format-free document: sections, paragraphs, tables, charts
    templates/reports/pdf/<kind>.html + static/css/reports-print.css   GB/T 9704 layout
    pdf.py            render_pdf(): the only WeasyPrint import, allow-list URL fetcher
    docx_writer.py    the same document as .docx (official Word styles)
    services.py       request / execute (idempotent) / retry / finalise / batch / sweep
    tasks.py          thin Celery tasks; the sweeper runs from CELERY_BEAT_SCHEDULE
    checks.py, worker.py, system_requirements.py   CJK fonts and HarfBuzz subsetting at start-up

Running it: without CELERY_BROKER_URL generation runs in-process. With a broker, run a worker
(`make worker`) and beat (`celery -A lawgov beat`) for the stuck-run sweeper. Benchmarks:
bench/pdf_bench.py.
"""
