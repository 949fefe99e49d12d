"""Does the server's memory stay flat while it receives big uploads? Peak RSS against file size.

    .venv/bin/python bench/upload.py                  # 10, 50, 100 and 200 MB
    .venv/bin/python bench/upload.py 10 200 400       # other sizes (MB; above 250 raise EVIDENCE_MAX_UPLOAD_MB)

It never touches a real database or media folder: everything goes to a temporary KKS_VAR_DIR
(embedded SQLite), migrated and given a Pokja with an activity and a secretary with an API token.
The portal runs as a real server (gunicorn from the venv, one sync worker); each file, a valid PDF
with one large incompressible image stream and a correct xref (so the inspection reads all of it),
is generated on the fly and streamed by http.client with a Content-Length to
``POST /api/activities/<id>/files/`` (multipart ``file``, ``kind``, ``title``; ``Authorization:
Token …``). While it uploads, a thread reads the worker's VmRSS from /proc every 50 ms; VmHWM (the
kernel's peak, reset before each upload where allowed) is printed too.

Verdict "flat": the growth of the worker's resident memory during the largest upload is within
30 MB of the growth during the smallest.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
MB = 1024 * 1024
CHUNK = 1 * MB
FLAT_TOLERANCE_MB = 30
BOUNDARY = "kksBench9f1c2d3e4b5a"

SETUP = textwrap.dedent(
    """
    import json

    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from accounts.models import Role, RoleAssignment
    from evidence.models import Activity
    from forums.models import Body
    from regions.tests.factories import DESA_CARENANG, region

    desa = region(DESA_CARENANG)
    body, _ = Body.objects.get_or_create(kind=Body.Kind.POKJA_DESA, region=desa)
    user = get_user_model().objects.create_user(username="dewi", password="bench-only-password")
    RoleAssignment.objects.create(user=user, role=Role.SECRETARY, region=desa)
    activity = Activity.objects.create(body=body, title="Rapat bench", date="2024-05-01")
    print(json.dumps({"activity": activity.pk, "token": Token.objects.create(user=user).key}))
    """
)


# --- A big PDF, made while it is sent -------------------------------------------------------------


def pdf_pieces(size: int):
    """``(length, pieces)``: a valid PDF of about ``size`` bytes whose object 6 is an image stream of
    random bytes; ``pieces`` yields it in 1 MB pieces without ever holding it."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>",
        b"<< /Length 44 >>\nstream\nBT /F1 18 Tf 72 720 Td (Laporan bench) Tj ET\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    head = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(head))
        head += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    stream_length = max(size - 2048, 1)
    offsets.append(len(head))
    head += (
        b"6 0 obj\n<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n" % stream_length
    )
    xref_offset = len(head) + stream_length + len(b"\nendstream\nendobj\n")
    tail = bytearray(b"\nendstream\nendobj\n")
    tail += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    for offset in offsets:
        tail += b"%010d 00000 n \n" % offset
    tail += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref_offset)

    def pieces():
        yield bytes(head)
        left = stream_length
        while left:
            piece = os.urandom(min(CHUNK, left))
            left -= len(piece)
            yield piece
        yield bytes(tail)

    return len(head) + stream_length + len(tail), pieces


def multipart(size: int, name: str):
    """``(content_length, pieces)`` of the multipart body carrying the PDF and the form fields."""
    fields = b"".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in (("kind", "laporan"), ("title", f"Laporan {name}"))
    )
    file_head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    end = f"\r\n--{BOUNDARY}--\r\n".encode()
    pdf_length, pdf = pdf_pieces(size)

    def pieces():
        yield fields + file_head
        yield from pdf()
        yield end

    return len(fields) + len(file_head) + pdf_length + len(end), pieces


# --- The server and its memory --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def memory_kb(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0, same user); False where not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class Sampler(threading.Thread):
    """Reads the worker's VmRSS every 50 ms until stopped; keeps the highest."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.samples = pid, 0, 0
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            self.peak_kb = max(self.peak_kb, memory_kb(self.pid)["VmRSS"])
            self.samples += 1
            self.done.wait(0.05)

    def stop(self) -> int:
        self.done.set()
        self.join()
        return self.peak_kb


def upload(port: int, activity: int, token: str, size: int, name: str) -> tuple[int, dict, float]:
    length, pieces = multipart(size, name)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    started = time.perf_counter()
    connection.putrequest("POST", f"/api/activities/{activity}/files/")
    connection.putheader("Authorization", f"Token {token}")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    connection.putheader("Content-Length", str(length))
    connection.endheaders()
    for piece in pieces():
        connection.send(piece)
    response = connection.getresponse()
    body = response.read()
    seconds = time.perf_counter() - started
    connection.close()
    try:
        answer = json.loads(body)
    except ValueError:
        answer = {"raw": body[:500].decode("utf-8", "replace")}
    return response.status, answer, seconds


def run(env: dict, *args: str) -> str:
    done = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def wait_for(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited early (see the log above)")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/me/")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


def main(argv: list[str]) -> int:
    sizes = [int(value) for value in argv] or [10, 50, 100, 200]
    var_dir = Path(tempfile.mkdtemp(prefix="kks-bench-upload-"))
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL", "KKS_ENV")}
    env.update(
        KKS_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="kks_portal.settings",
        DEBUG="false",
        EVIDENCE_MAX_UPLOAD_MB=str(max(250, max(sizes) + 10)),
        LOG_LEVEL="WARNING",
    )
    for key in [key for key in env if key.startswith("S3_") or key in ("MEDIA_ROOT", "FILE_UPLOAD_TEMP_DIR")]:
        del env[key]
    server = None
    try:
        print(f"Migrating a throw-away SQLite database in {var_dir} …", flush=True)
        run(env, "migrate", "--no-input", "-v", "0")
        setup = json.loads(run(env, "shell", "-c", SETUP).strip().splitlines()[-1])
        port = free_port()
        log = open(var_dir / "gunicorn.log", "w+")  # noqa: SIM115 - lives as long as the server
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "kks_portal.wsgi:application",
                "--workers=1",
                "--worker-class=sync",
                f"--bind=127.0.0.1:{port}",
                "--timeout=900",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(port, server)
        [worker] = children_of(server.pid)
        # Warm up: the first upload loads the code paths (pypdf, Pillow, DRF) into the worker.
        status, answer, _seconds = upload(port, setup["activity"], setup["token"], 1 * MB, "pemanasan.pdf")
        if status != 201:
            raise SystemExit(f"The warm-up upload was refused ({status}): {answer}")
        print(
            f"gunicorn worker pid {worker}; after a 1 MB warm-up its RSS is {memory_kb(worker)['VmRSS'] / 1024:.1f} MB"
        )
        print()
        print(f"{'file':>8} {'wall':>8} {'MB/s':>7} {'RSS before':>11} {'peak RSS':>9} {'VmHWM':>8} {'growth':>8}")
        growth = {}
        for size_mb in sizes:
            before = memory_kb(worker)["VmRSS"]
            peak_reset = reset_peak(worker)
            sampler = Sampler(worker)
            sampler.start()
            status, answer, seconds = upload(
                port, setup["activity"], setup["token"], size_mb * MB, f"laporan-{size_mb}mb.pdf"
            )
            peak = max(sampler.stop(), memory_kb(worker)["VmRSS"])
            hwm = memory_kb(worker)["VmHWM"] if peak_reset else None
            if status != 201 or answer.get("stored") != 1:
                raise SystemExit(f"The {size_mb} MB upload was not stored ({status}): {answer}")
            growth[size_mb] = (max(peak, hwm or 0) - before) / 1024
            print(
                f"{size_mb:>5} MB {seconds:>6.2f} s {size_mb / seconds:>7.1f} {before / 1024:>8.1f} MB"
                f" {peak / 1024:>6.1f} MB {(f'{hwm / 1024:.1f} MB' if hwm else 'n/a'):>8} {growth[size_mb]:>5.1f} MB"
                f"   ({sampler.samples} samples)"
            )
        smallest, largest = min(sizes), max(sizes)
        difference = growth[largest] - growth[smallest]
        flat = difference <= FLAT_TOLERANCE_MB
        print()
        print(
            f"verdict: {'flat' if flat else 'NOT flat'}: growth at {largest} MB is {growth[largest]:.1f} MB, "
            f"at {smallest} MB {growth[smallest]:.1f} MB (difference {difference:+.1f} MB, tolerance "
            f"{FLAT_TOLERANCE_MB} MB)"
        )
        stored = sorted((var_dir / "media" / "bukti").rglob("*.pdf"))
        leftovers = list((var_dir / "upload-tmp").iterdir())
        print(
            f"stored files: {len(stored)} (largest {max(p.stat().st_size for p in stored) / MB:.1f} MB); temp files left: {len(leftovers)}"
        )
        return 0 if flat else 1
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
