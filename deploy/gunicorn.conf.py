"""gunicorn settings of the ``web`` container (see docker-compose.yml).

gunicorn only ever talks to the TLS-terminating reverse proxy in front of it (deploy/nginx.conf.example),
which buffers slow uploads and downloads, so plain synchronous workers are enough.
Tunable through the environment: WEB_CONCURRENCY (workers), WEB_TIMEOUT (seconds), PORT.
"""

import multiprocessing
import os

bind = [f"0.0.0.0:{os.environ.get('PORT', '8000')}"]
# The usual 2 × CPU + 1, capped: each worker holds a database connection (CONN_MAX_AGE).
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 9))
# Dossier compilation and PDF rendering run in Celery, so a request that needs longer is a bug.
timeout = int(os.environ.get("WEB_TIMEOUT") or 60)
graceful_timeout = 30
# Recycle workers now and then, so a slow leak in a library never takes the portal down.
max_requests = 1000
max_requests_jitter = 100
# Heartbeat files in memory: a container's overlay filesystem can stall workers under load.
worker_tmp_dir = "/dev/shm"
# The runtime control socket would live in $HOME, which the non-root user cannot write.
control_socket_disable = True
accesslog = "-"
errorlog = "-"
# Only the proxy reaches this port (compose publishes it on 127.0.0.1 only).
forwarded_allow_ips = "*"
