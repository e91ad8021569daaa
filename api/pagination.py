"""Pages of at most 500 rows. Lists (units, indicators, reports) are numbered pages with a count;
figures, which run to hundreds of thousands at province scale, use a cursor (no COUNT, no OFFSET:
every page costs the same, and rows added meanwhile are neither skipped nor repeated)."""

from rest_framework.pagination import CursorPagination, PageNumberPagination

MAX_PAGE_SIZE = 500


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    invalid_page_message = "页码无效。"


class FigureCursorPagination(CursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "id"
    invalid_cursor_message = "翻页标记无效。"
