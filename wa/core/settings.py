"""Where WA keeps the user's files."""
import os

USER_PLUGIN_SUBDIRS = ('plugins', 'workloads', 'instruments', 'result_processors')


def user_directory():
    """``$WA_USER_DIRECTORY``, or ``~/.workload_automation``."""
    return os.path.expanduser(os.environ.get('WA_USER_DIRECTORY') or '~/.workload_automation')


def user_config_file():
    return os.path.join(user_directory(), 'config.yaml')


def user_plugin_paths():
    """The user directory's plugin folders, in the order they are searched."""
    root = user_directory()
    return [os.path.join(root, sub) for sub in USER_PLUGIN_SUBDIRS]
