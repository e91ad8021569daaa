from ..document import ReportDocument
from . import BuildRequest, ReportDataMissing


def build(request: BuildRequest) -> ReportDocument:
    raise ReportDataMissing("该类报告所需的数据尚未就绪。")
