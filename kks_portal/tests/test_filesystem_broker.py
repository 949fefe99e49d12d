"""The embedded broker writes a message whole before the worker can see it (the worker's consumer
died on an empty message file when kombu's own transport was caught half-way under load)."""

import pytest
from kombu import Connection
from kombu.transport import filesystem

from kks_portal.lib import filesystem_broker

# The embedded broker's own files in a temporary folder.
pytestmark = pytest.mark.pass_independent


def _channel(folder):
    options = {"data_folder_in": str(folder), "data_folder_out": str(folder)}
    return Connection("filesystem://", transport=filesystem_broker.Transport, transport_options=options).channel()


def test_while_a_message_is_written_the_queue_shows_no_message(tmp_path, monkeypatch):
    """Look at the folder at the moment the bytes are made, after the file is opened (kombu's own
    transport shows an empty ``….celery.msg`` there)."""
    channel = _channel(tmp_path)
    seen_while_writing = []
    real = filesystem_broker.str_to_bytes

    def watching(value):
        seen_while_writing.extend(path.name for path in tmp_path.iterdir())
        return real(value)

    monkeypatch.setattr(filesystem_broker, "str_to_bytes", watching)
    monkeypatch.setattr(filesystem, "str_to_bytes", watching)
    channel._put("celery", {"body": "tugas"})

    assert seen_while_writing
    assert not [name for name in seen_while_writing if name.endswith(".msg")]
    assert [path.name.endswith(".celery.msg") for path in tmp_path.iterdir()] == [True]


def test_the_worker_side_reads_the_message_back(tmp_path):
    channel = _channel(tmp_path)
    channel._put("celery", {"body": "tugas"})
    assert channel._get("celery") == {"body": "tugas"}
    assert list(tmp_path.iterdir()) == []
