from django import template

from ..audit_display import action_label, audit_changes

register = template.Library()

register.filter("audit_action", action_label)
register.filter("audit_changes", audit_changes)
