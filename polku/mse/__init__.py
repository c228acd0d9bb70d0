"""Multiple Systems Estimation: the hidden number of victims from overlapping lists.

Plain Python (numpy, scipy), no Django: ``estimate_population`` and ``check_terms`` in
``polku.mse.estimate`` are the entry points, ``polku.mse.cli`` the command line.
"""
