"""gunicorn reads this file when started from the project's folder (`gunicorn outreach.wsgi`).

The worker timeout matches the longest request (a 50,000-row import, under a minute; the workbook check's
own budget is IMPORT_CHECK_SECONDS) and the reverse proxy's read timeout (README: `proxy_read_timeout 120s`),
so neither kills a request the other still waits for. Command-line flags override these.
"""

timeout = 120
graceful_timeout = 30
