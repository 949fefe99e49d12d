"""Files the portal takes and serves: inspection, names, storage streams, protected responses.

A layer below forums (forums and evidence both build on it); it knows nothing of any app."""
