"""WA3's ``wa.framework`` module paths, for plugins written for WA3.

Each module here gives WA3's names for this project's classes and functions (and the few WA3
behaviours that differ, such as ``OutputProcessor``); the native API is in ``wa`` itself.
"""
