"""Statistical disclosure control of frequency tables: suppression checked by attack.

Plain Python (numpy, scipy), no Django: ``protect`` in ``polku.statistics.disclosure.protect``
suppresses small cells and enough others, ``attack`` in ``polku.statistics.disclosure.attack``
computes what an attacker can still learn about each suppressed cell, and
``polku.statistics.disclosure.cli`` is the ``polku stats`` command line.
"""
