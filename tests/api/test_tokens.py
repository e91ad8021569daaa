"""Tokens: the key is shown once and only its digest is kept; revoking needs a reason and is final;
both are audited; the admin and the command make and revoke them through the same services."""

import hashlib
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from api.models import ApiToken
from api.services import ApiTokenError, api_token_create, api_token_revoke
from audit.models import AuditEvent

from .factories import token_for


def test_only_the_keys_digest_is_stored(cast):
    issued = token_for(cast.county)
    row = ApiToken.objects.filter(pk=issued.token.pk).values().get()
    assert issued.key not in {str(value) for value in row.values()}
    assert row["key_digest"] == hashlib.sha256(issued.key.encode()).hexdigest()
    assert issued.key.startswith(row["key_prefix"])


def test_two_tokens_never_share_a_key(cast):
    assert token_for(cast.city).key != token_for(cast.city).key


def test_making_a_token_is_audited_without_its_digest(cast):
    issued = api_token_create(name="省平台", scope=cast.county, user=cast.admin)
    event = AuditEvent.objects.get(object_type="api.ApiToken", object_id=str(issued.token.pk))
    assert (event.actor_id, event.department_id, event.after["name"]) == (cast.admin.pk, cast.county.pk, "省平台")
    assert issued.token.key_digest not in str(event.after)


def test_revoking_needs_a_reason_and_is_audited(cast):
    issued = token_for(cast.county)
    with pytest.raises(ApiTokenError, match="吊销理由"):
        api_token_revoke(token=issued.token, reason=" ", user=cast.admin)
    api_token_revoke(token=issued.token, reason="对方系统停用", user=cast.admin)
    issued.token.refresh_from_db()
    assert issued.token.is_revoked and issued.token.revoked_by == cast.admin
    event = AuditEvent.objects.filter(object_type="api.ApiToken").latest("id")
    assert (event.before["revoked_at"], event.after["revocation_reason"]) == (None, "对方系统停用")


def test_a_revoked_token_cannot_be_revoked_again(cast):
    issued = token_for(cast.county, revoked=True)
    with pytest.raises(ApiTokenError, match="已吊销"):
        api_token_revoke(token=issued.token, reason="再次", user=None)


def test_a_token_needs_a_system_name(cast):
    with pytest.raises(ApiTokenError, match="系统名称"):
        api_token_create(name="  ", scope=cast.city, user=None)


def test_the_command_makes_lists_and_revokes_a_token(cast, capsys):
    call_command("api_token", "create", "--name", "省平台", "--scope", cast.county.code)
    key = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert token.key_digest == hashlib.sha256(key.encode()).hexdigest() and token.scope == cast.county
    call_command("api_token", "revoke", str(token.pk), "--reason", "停用")
    call_command("api_token", "list")
    assert "已吊销" in capsys.readouterr().out


def test_the_command_refuses_an_unknown_unit_in_chinese(cast):
    with pytest.raises(CommandError, match="没有编码为 NOPE 的单位"):
        call_command("api_token", "create", "--name", "省平台", "--scope", "NOPE")


def test_the_admin_makes_a_token_and_shows_its_key_once(cast, client):
    client.force_login(cast.admin)
    response = client.post(reverse("admin:api_apitoken_add"), {"name": "省平台", "scope": cast.county.pk}, follow=True)
    token = ApiToken.objects.get()
    (key,) = re.findall(r"lgv_[A-Za-z0-9_-]{43}", response.content.decode())
    assert hashlib.sha256(key.encode()).hexdigest() == token.key_digest
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert key not in page and token.key_prefix in page


def test_the_admin_revokes_a_token_with_a_reason_and_never_deletes_one(cast, client):
    issued = token_for(cast.county)
    client.force_login(cast.admin)
    url = reverse("admin:api_apitoken_change", args=[issued.token.pk])
    client.post(url, {"revocation_reason": "合同到期"})
    issued.token.refresh_from_db()
    assert issued.token.is_revoked and issued.token.revocation_reason == "合同到期"
    assert client.get(reverse("admin:api_apitoken_delete", args=[issued.token.pk])).status_code == 403
