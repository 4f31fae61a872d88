"""Strings of third-party packages that ship no zh_Hans catalogue (django-filter ships only zh_CN,
which Django ignores for zh-hans). Listing them here puts them in our catalogue, which comes first."""

from django.utils.translation import gettext_noop

DJANGO_FILTER = [
    gettext_noop("%s (descending)"),
    gettext_noop("All"),
    gettext_noop("Multiple values may be separated by commas."),
    gettext_noop("Ordering"),
    gettext_noop("Range query expects two values."),
    gettext_noop("Select a lookup."),
    gettext_noop("Unknown"),
    gettext_noop("Today"),
    gettext_noop("Yesterday"),
    gettext_noop("Past 7 days"),
    gettext_noop("This month"),
    gettext_noop("This year"),
]

# Django admin strings whose zh_Hans wording reads badly to an administrator (e.g. "None available" as
# 无可选的 in the recent-actions box, "Delete selected %(model)s" as 取消选中): our catalogue overrides them.
DJANGO_ADMIN = [
    gettext_noop("None available"),
    gettext_noop("Recent actions"),
    gettext_noop("My actions"),
    gettext_noop("Action:"),
    gettext_noop("Run the selected action"),
    gettext_noop("No action selected."),
    gettext_noop("Items must be selected in order to perform actions on them. No items have been changed."),
    gettext_noop("Add %s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("Clear selection"),
    gettext_noop("Has date"),
    gettext_noop("No date"),
]

# Django's own form and login messages that a clerk meets, worded as the rest of the interface (请填写…,
# not 输入一个…; 用户名或密码不正确, not 请输入一个正确的…).
DJANGO_FORMS = [
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid time."),
    gettext_noop("Enter a valid date/time."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid value."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."),
]
