"""Spinewise: may this spine be massaged now, with which massage, and how?"""

__version__ = "0.1.0"
