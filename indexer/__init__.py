"""Turns files into Records: reading formats, detecting language, extracting entities.

Knows nothing of Whoosh or Flask.
"""
