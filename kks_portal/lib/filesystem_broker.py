"""The embedded Celery broker: kombu's filesystem transport, with each message written atomically.

kombu creates a message's file in the queue folder and then writes into it. The worker, polling
that folder every 0.1 s, can take the file in between and read nothing: a ``JSONDecodeError``
that ends its consumer, after which no task runs until the worker is restarted (seen under load
in the test suite, where the two passes ran side by side). Here a message is written under a name
the worker does not look at (``….msg.tmp``, in the same folder so the rename stays on one
filesystem) and renamed into place, which is atomic: the worker sees a whole message or none.

Selected by ``CELERY_BROKER_TRANSPORT`` in settings for the embedded profile; Redis replaces it in
production.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put ``payload`` onto ``queue``: written in full under a temporary name, then renamed."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = f"{final}.tmp"
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
