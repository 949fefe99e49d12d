"""Exit 0 when the PostgreSQL and Redis URLs given answer, 1 otherwise (used by scripts/test)."""

import sys
from urllib.parse import urlparse

import psycopg2
import redis


def main(pg_url: str, redis_url: str) -> int:
    parsed = urlparse(pg_url)
    try:
        psycopg2.connect(
            dbname="postgres",
            user=parsed.username or "postgres",
            password=parsed.password,
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 5432,
            connect_timeout=3,
        ).close()
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except Exception as exc:
        print(f"    not reachable: {exc.__class__.__name__}: {exc}".strip())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
