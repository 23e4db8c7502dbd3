"""Keeping secrets (passwords, tokens, passphrases) out of the files a run writes.

A setting is secret when its Parameter says so (``secret=True``) or when its name says so
(``password``, ``token``, ``passphrase``, ...): a user's plugin that forgot the flag is still
covered. Secret values are replaced by MASK in ``__meta/config.json``, ``__meta/jobs.json`` and
in messages; the copies of the files as given (``__meta/raw_config``) are readable by their
owner only.
"""
import logging

from wa.core.naming import identifier

MASK = '***'
SECRET_WORDS = ('password', 'passwd', 'passphrase', 'token', 'secret', 'api_key', 'apikey',
                'credential', 'private_key')


def is_secret_name(name):
    """True for setting names that hold secrets by convention (``password``, ``auth_token``)."""
    key = identifier(name)
    return any(word in key for word in SECRET_WORDS)


def is_secret(name, parameters=()):
    """True if the setting ``name`` of a plugin with ``parameters`` is secret."""
    for param in parameters:
        if identifier(name) in (identifier(n) for n in param.names()):
            return bool(getattr(param, 'secret', False)) or is_secret_name(param.name)
    return is_secret_name(name)


def _hidden(key, value, parameters):
    """True if ``value`` of setting ``key`` is a secret to hide (flags and unset values
    are not)."""
    return isinstance(key, str) and is_secret(key, parameters) and \
        value is not None and not isinstance(value, bool)


def masked(config, parameters=()):
    """A copy of the mapping ``config`` with every secret value replaced by MASK; nested
    mappings are masked by name. Flags (``keep_password: true``) and unset values stay."""
    if not isinstance(config, dict):
        return config
    return {key: masked(value) if isinstance(value, dict) else
            MASK if _hidden(key, value, parameters) else value
            for key, value in config.items()}


def secret_values(config, parameters=()):
    """The secret values in the mapping ``config`` (as text), for ``hide_in_logs``."""
    if not isinstance(config, dict):
        return []
    values = []
    for key, value in config.items():
        if isinstance(value, dict):
            values.extend(secret_values(value))
        elif _hidden(key, value, parameters):
            values.append(str(value))
    return values


_HIDDEN = []  # the run's secret values, longest first: what ``mask`` replaces


def hide_in_logs(values):
    """From now on, in this process, any log text holding one of ``values`` (the secrets of
    the run) has it replaced by MASK: the message, the traceback of an exception logged with
    it (``exc_info``, shown with ``--debug`` and in run.log) and its stack, whichever logger and
    handler (console, run.log, a plugin's own) it goes to. Values shorter than 4 characters are
    too common in messages to be replaced."""
    fresh = {v for v in values if len(v) >= 4} - set(_HIDDEN)
    if not fresh:
        return
    if not _HIDDEN:
        logging.setLogRecordFactory(_masking_factory(logging.getLogRecordFactory()))
    _HIDDEN[:] = sorted(set(_HIDDEN) | fresh, key=len, reverse=True)


def mask(text):
    """``text`` with every secret of the run replaced by MASK (formatters call it on the
    finished line, so records created before the secrets were known are masked too)."""
    if _HIDDEN and isinstance(text, str) and any(value in text for value in _HIDDEN):
        for value in _HIDDEN:
            text = text.replace(value, MASK)
    return text


class MaskingFormatter(logging.Formatter):
    """A Formatter whose every line, traceback included, goes through ``mask``."""

    def format(self, record):
        return mask(super().format(record))


def _masking_factory(previous):
    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # pylint: disable=broad-except
            return record   # a bad format: logging itself reports it
        shown = mask(message)
        if shown != message:
            record.msg, record.args = shown, ()
        if record.exc_info and record.exc_info[0] is not None:
            # Formatters reuse exc_text once set: the traceback is masked for all of them.
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        record.stack_info = mask(record.stack_info)
        return record
    return factory
