"""Importing a WordPress site: ``manage.py import_wordpress EXPORT.xml``.

``wxr``        streams the export file (WXR 1.0–1.2) into small records;
``content``    turns post content into editor HTML (auto-paragraphs, blocks);
``importer``   writes articles, authors, sections, tags, images and comments
               through the models' save paths and the comments service;
``models``     remembers what each WordPress post and comment became;
``redirects``  answers the old WordPress URLs with permanent redirects.
"""
