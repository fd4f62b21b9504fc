"""gunicorn's settings for this project (gunicorn reads ./gunicorn.conf.py when it starts).

By default gunicorn believes X-Forwarded-Proto, X-Forwarded-Protocol and
X-Forwarded-Ssl from 127.0.0.1 and then serves the request as HTTPS, proxy or
not: any local client could pass plain HTTP off as HTTPS (no redirect, secure
cookies and HSTS sent over HTTP). Here gunicorn trusts a forwarded header only
when BEHIND_TLS_PROXY is true, the flag (read by the same rule) that makes
Django trust it, and then only X-Forwarded-Proto, the one header Django reads
too. The proxy's address is gunicorn's FORWARDED_ALLOW_IPS (default 127.0.0.1
and ::1).

Options given on the command line override these.
"""

import sys

from django.core.exceptions import ImproperlyConfigured

from kaluga_cluster.environment import env_bool

try:
    _behind_tls_proxy = env_bool("BEHIND_TLS_PROXY", default=False)
except ImproperlyConfigured as error:
    sys.exit(f"error: {error}")

if _behind_tls_proxy:
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
else:
    # No address may set the scheme (or SCRIPT_NAME / PATH_INFO, which
    # gunicorn also takes from trusted addresses).
    forwarded_allow_ips = ""
    secure_scheme_headers = {}
