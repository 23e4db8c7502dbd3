"""Where WA keeps the user's files."""
import os

USER_PLUGIN_SUBDIRS = ('plugins', 'workloads', 'instruments', 'result_processors')


def user_directory():
    """``$WA_USER_DIRECTORY``, or ``~/.workload_automation``."""
    return os.path.expanduser(os.environ.get('WA_USER_DIRECTORY') or '~/.workload_automation')


def user_config_file():
    return os.path.join(user_directory(), 'config.yaml')


def configured_plugin_paths(config_data=None):
    """``extra_plugin_paths`` from the user's config.yaml (or from already-read config blocks),
    needed before any plugin is loaded. A value that is not a path or a list of paths adds
    nothing here: the run configuration reports it with its file and line. A config.yaml that
    cannot be read is a ConfigError naming its file and line."""
    if config_data is None:
        if not os.path.isfile(user_config_file()):
            return []
        from wa.config import yamlfile  # pylint: disable=import-outside-toplevel
        config_data = [yamlfile.load(user_config_file())[0]]
    paths = []
    for data in config_data:
        value = data.get('extra_plugin_paths') if isinstance(data, dict) else None
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list) and all(isinstance(p, str) for p in value):
            paths.extend(os.path.expanduser(p) for p in value)
    return paths


def user_plugin_paths():
    """The user directory's plugin folders, in the order they are searched."""
    root = user_directory()
    return [os.path.join(root, sub) for sub in USER_PLUGIN_SUBDIRS]
