"""Keeping secrets (passwords, tokens, passphrases) out of the files a run writes.

A setting is secret when its Parameter says so (``secret=True``) or when its name says so
(``password``, ``token``, ``passphrase``, ...): a user's plugin that forgot the flag is still
covered. Secret values are replaced by MASK in ``__meta/config.json``, ``__meta/jobs.json`` and
in messages; the copies of the files as given (``__meta/raw_config``) are readable by their
owner only.
"""
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


def masked(config, parameters=()):
    """A copy of the mapping ``config`` with every secret value replaced by MASK; nested
    mappings are masked by name. Flags (``keep_password: true``) and unset values stay."""
    if not isinstance(config, dict):
        return config
    copy = {}
    for key, value in config.items():
        if isinstance(value, dict):
            copy[key] = masked(value)
        elif isinstance(key, str) and is_secret(key, parameters) and \
                value is not None and not isinstance(value, bool):
            copy[key] = MASK
        else:
            copy[key] = value
    return copy
