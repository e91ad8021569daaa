"""Make, revoke and list API tokens from the command line (the admin does the same):

manage.py api_token create --name 省法治政府建设数据平台 --scope YZ000
manage.py api_token revoke 3 --reason 对方系统停用
manage.py api_token list
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Department

from ...models import ApiToken
from ...services import ApiTokenError, api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "创建、吊销或列出数据接口令牌"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="创建令牌（令牌只显示这一次）")
        create.add_argument("--name", required=True, help="使用令牌的系统名称")
        create.add_argument("--scope", required=True, help="单位范围：单位编码（含其全部下级单位）")
        revoke = actions.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("token_id", type=int)
        revoke.add_argument("--reason", required=True, help="吊销理由")
        actions.add_parser("list", help="列出令牌")

    def handle(self, *args: object, **options: object) -> None:
        try:
            if options["action"] == "create":
                self._create(str(options["name"]), str(options["scope"]))
            elif options["action"] == "revoke":
                self._revoke(int(str(options["token_id"])), str(options["reason"]))
            else:
                self._list()
        except ApiTokenError as error:
            raise CommandError(str(error)) from error

    def _create(self, name: str, scope_code: str) -> None:
        scope = Department.objects.filter(code=scope_code).first()
        if scope is None:
            raise CommandError(f"没有编码为 {scope_code} 的单位。")
        issued = api_token_create(name=name, scope=scope, user=None)
        self.stdout.write(f"令牌 {issued.token.pk}：{issued.token.name}，范围 {scope.name}（{scope.code}）及其下级单位")
        self.stdout.write("令牌只显示这一次，请立即交给对方系统：")
        self.stdout.write(issued.key)

    def _revoke(self, token_id: int, reason: str) -> None:
        token = ApiToken.objects.filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"没有编号为 {token_id} 的令牌。")
        api_token_revoke(token=token, reason=reason, user=None)
        self.stdout.write(f"令牌 {token_id}（{token.name}）已吊销。")

    def _list(self) -> None:
        for token in ApiToken.objects.select_related("scope").order_by("pk"):
            state = "已吊销" if token.is_revoked else "有效"
            self.stdout.write(f"{token.pk}\t{token.key_prefix}…\t{token.name}\t{token.scope.code}\t{state}")
