"""Demo content: a week or three of a fictional city's newspaper.

Kestrelford, its council, its people and its companies are invented; so is
every word here. The writing is data, one module per section (``news.py``,
``politics.py``…); :mod:`.loader` stores it and :mod:`.art` draws the
pictures. Load it with ``manage.py load_demo_content`` (or ``manage.py demo``).
"""
