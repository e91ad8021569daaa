from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import Department


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。请注意密码区分大小写。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autofocus": True})


class DepartmentFilterForm(forms.Form):
    q = forms.CharField(label="名称或编码", required=False, max_length=100)
    kind = forms.ChoiceField(label="单位类型", required=False, choices=[("", "全部类型"), *Department.Kind.choices])
    level = forms.ChoiceField(label="行政层级", required=False, choices=[("", "全部层级"), *Department.Level.choices])
    include_inactive = forms.BooleanField(label="含停用单位", required=False)
