"""Turning an assessment into the dossier PDF, separate from the tasks that store it.

* ``chapters``: which chapters a dossier has (``chapter_plan``) and the plain data each one is
  rendered from (``chapter_context``); the fingerprint of that data decides whether a cached
  render can be reused.
* ``html``: WeasyPrint with a URL fetcher that only reads our own static files and stored media.
* ``merge``: cover, table of contents, page numbers, bookmarks and attachments around the chapters
  (pypdf).
* ``formatting``: Indonesian dates, Rupiah, sizes (also as template filters, ``dossier_format``).
"""
