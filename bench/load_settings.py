"""Production settings (DEBUG off) for the load test on plain HTTP at 127.0.0.1 (bench/load.py only).

Everything is outreach.settings as deployed, except what needs TLS: the cookies may travel over
http://127.0.0.1 and nothing redirects to https. Never used by a real deployment.
"""

from outreach.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
