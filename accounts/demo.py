"""Demo city 云州市: about 20 units across the three levels and one user per role."""

from django.db import transaction

from .models import Department, User

DEMO_PASSWORD = "Demo#2025"

G, D, T = Department.Kind.GOVERNMENT, Department.Kind.WORKING_DEPARTMENT, Department.Kind.TOWNSHIP
CITY, COUNTY, TOWN = Department.Level.CITY, Department.Level.COUNTY, Department.Level.TOWNSHIP

# (code, name, short name, kind, level, parent code)
DEMO_DEPARTMENTS = [
    ("YZ000", "云州市人民政府", "市政府", G, CITY, None),
    ("YZ001", "云州市司法局", "市司法局", D, CITY, "YZ000"),
    ("YZ002", "云州市公安局", "市公安局", D, CITY, "YZ000"),
    ("YZ003", "云州市市场监督管理局", "市市场监管局", D, CITY, "YZ000"),
    ("YZ004", "云州市生态环境局", "市生态环境局", D, CITY, "YZ000"),
    ("YZ005", "云州市自然资源和规划局", "市自然资源和规划局", D, CITY, "YZ000"),
    ("YZ006", "云州市住房和城乡建设局", "市住建局", D, CITY, "YZ000"),
    ("YZ007", "云州市人力资源和社会保障局", "市人社局", D, CITY, "YZ000"),
    ("YZ008", "云州市交通运输局", "市交通运输局", D, CITY, "YZ000"),
    ("YZ009", "云州市教育局", "市教育局", D, CITY, "YZ000"),
    ("YZ010", "云州市卫生健康委员会", "市卫生健康委", D, CITY, "YZ000"),
    ("YZ011", "云州市信访局", "市信访局", D, CITY, "YZ000"),
    ("YZ090", "云州市中级人民法院", "市中级人民法院", D, CITY, "YZ000"),
    ("YZ100", "云州市东城区人民政府", "东城区政府", G, COUNTY, "YZ000"),
    ("YZ101", "东城区司法局", "东城区司法局", D, COUNTY, "YZ100"),
    ("YZ102", "东城区市场监督管理局", "东城区市场监管局", D, COUNTY, "YZ100"),
    ("YZ110", "东城区城关街道办事处", "城关街道", T, TOWN, "YZ100"),
    ("YZ111", "东城区新港街道办事处", "新港街道", T, TOWN, "YZ100"),
    ("YZ200", "云州市西山县人民政府", "西山县政府", G, COUNTY, "YZ000"),
    ("YZ201", "西山县司法局", "西山县司法局", D, COUNTY, "YZ200"),
    ("YZ210", "西山县青石镇人民政府", "青石镇", T, TOWN, "YZ200"),
    ("YZ211", "西山县白水乡人民政府", "白水乡", T, TOWN, "YZ200"),
]

# 数据提供单位 that file no return of their own (issue 20): the court is not a government department.
NOT_ASSESSED = {"YZ090"}

# (username, full name, role, department code, review scope code)
DEMO_USERS = [
    ("admin", "系统管理员", User.Role.ADMIN, None, None),
    ("reviewer", "李审核（市司法局）", User.Role.REVIEWER, "YZ001", None),
    ("reviewer_dc", "王审核（东城区司法局）", User.Role.REVIEWER, "YZ101", "YZ100"),
    ("congress", "赵人大（市人大常委会法工委）", User.Role.CONGRESS, None, None),
    ("staff_police", "张填报（市公安局）", User.Role.DEPARTMENT_STAFF, "YZ002", None),
    ("staff_market", "陈填报（市市场监管局）", User.Role.DEPARTMENT_STAFF, "YZ003", None),
    ("staff_dongcheng", "刘填报（东城区政府）", User.Role.DEPARTMENT_STAFF, "YZ100", None),
    ("staff_qingshi", "周填报（青石镇）", User.Role.DEPARTMENT_STAFF, "YZ210", None),
    ("provider_court", "孙提供（市中级人民法院）", User.Role.PROVIDER, "YZ090", None),
    ("provider_xinfang", "吴提供（市信访局）", User.Role.PROVIDER, "YZ011", None),
]


@transaction.atomic
def seed(*, stdout=None) -> None:
    by_code: dict[str | None, Department] = {}
    for order, (code, name, short, kind, level, parent_code) in enumerate(DEMO_DEPARTMENTS):
        by_code[code], _ = Department.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "level": level,
                "parent": by_code[parent_code] if parent_code else None,
                "sort_order": order,
                "is_active": True,
                "is_assessed": code not in NOT_ASSESSED,
            },
        )
    for username, full_name, role, dept_code, scope_code in DEMO_USERS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "role": role,
                "department": by_code.get(dept_code),
                "review_scope": by_code.get(scope_code),
                "is_active": True,
                "is_superuser": role == User.Role.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    if stdout:
        stdout.write(f"  单位 {len(DEMO_DEPARTMENTS)} 个，演示用户 {len(DEMO_USERS)} 个（初始密码 {DEMO_PASSWORD}）")
