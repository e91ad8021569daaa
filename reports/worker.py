"""Celery worker start-up: refuse to start a worker that would render broken or 4× slower PDFs."""

import logging

from celery.signals import worker_init

from .system_requirements import assert_rendering_requirements, rendering_problems

logger = logging.getLogger(__name__)


@worker_init.connect(dispatch_uid="reports.check_rendering_requirements")
def check_rendering_requirements(**kwargs) -> None:
    for problem in rendering_problems():
        if not problem.is_fatal:
            logger.warning(problem.message)
    assert_rendering_requirements()
