"""Target types (``device: local | linux | android``) and the connection to one for a run.

This is the only module that imports devlib, and only when a run connects, so listing and
showing plugins stays fast.
"""
import logging
import os
import time

from wa.core import types
from wa.core.exceptions import TargetError, first_line
from wa.core.parameter import Parameter
from wa.core.plugin import Plugin

logger = logging.getLogger('target')

_TRANSFER_PARAMETERS = [
    Parameter('poll_transfers', bool, True, description='Poll long file transfers for progress.'),
    Parameter('start_transfer_poll_delay', int, 30, description='Seconds before polling starts.'),
    Parameter('total_transfer_timeout', int, 3600, description='Seconds a transfer may take.'),
    Parameter('transfer_poll_period', int, 30, description='Seconds between polls.'),
]


class TargetType(Plugin):
    """A kind of target (``device``) and its ``device_config`` settings."""

    kind = 'target'
    devlib_class = None
    connection_keys = ()
    parameters = [
        Parameter('working_directory', str,
                  description='Where WA keeps its files on the target. Each run works in a '
                              'directory of its own inside it (wa-run-<pid>-<hex>), so that '
                              'runs at once on one target never share files.'),
        Parameter('executables_directory', str,
                  description="Where binaries are installed (default: bin in the run's own "
                              "directory under working_directory; on Android a directory of "
                              "the run's under /data/local/tmp/bin)."),
        Parameter('modules', types.list_of_str, [],
                  description='Extra devlib modules, loaded when connecting.'),
        Parameter('load_default_modules', bool, True,
                  description="Offer devlib's default modules (cpufreq, hotplug, ...), each "
                              "loaded when a feature first uses it."),
        Parameter('shell_prompt', str, description='Regular expression matching the shell prompt.'),
        Parameter('core_names', types.list_of_str, description='Core name of each CPU (a53, ...).'),
        Parameter('core_clusters', types.list_of_ints, description='Cluster of each CPU.'),
        Parameter('big_core', str, description='Name of the big core type.'),
        Parameter('model', str, description='Board or device model.'),
        Parameter('timeout', int, constraint=lambda v: v > 0,
                  description='Seconds a command may take by default; over SSH, also how long '
                              'connecting waits for the server (its banner, the login).'),
    ]

    # device_config names that devlib spells differently
    devlib_names = {}

    def connection_settings(self):
        return {self.devlib_names.get(key, key): getattr(self, key)
                for key in self.connection_keys if getattr(self, key) is not None}

    def create(self):
        """A devlib target object for these settings, not yet connected (see
        ``wa.target.devlib_target`` for what differs from devlib's defaults)."""
        import re  # pylint: disable=import-outside-toplevel
        from wa.target import devlib_target  # pylint: disable=import-outside-toplevel
        devlib = devlib_target.import_devlib()
        platform = devlib.Platform(core_names=self.core_names, core_clusters=self.core_clusters,
                                   big_core=self.big_core, model=self.model)
        kwargs = {}
        if self.shell_prompt:
            kwargs['shell_prompt'] = re.compile(self.shell_prompt)
        return devlib_target.create(devlib, self, platform,
                                    connection_settings=self.connection_settings(), **kwargs)

    def watchdog(self, connection):  # pylint: disable=unused-argument
        """A HangWatchdog for ``connection`` (a devlib connection), or None."""
        return None

    def connecting(self):
        """A context around ``connect`` that makes the connection honour these settings."""
        from contextlib import nullcontext  # pylint: disable=import-outside-toplevel
        return nullcontext()

    def describe_failure(self, error):
        """One line saying why connecting failed."""
        return 'Could not connect to the {} target: {}'.format(self.name, first_line(error))


class LocalTarget(TargetType):
    name = 'local'
    description = """The machine WA runs on, through devlib's LocalLinuxTarget.

    Commands run as the current user; commands that need root use sudo unless WA already runs
    as root (set ``unrooted`` to never use sudo).
    """
    aliases = ('generic_local',)
    devlib_class = 'LocalLinuxTarget'
    connection_keys = ('password', 'keep_password', 'unrooted')
    parameters = [
        Parameter('password', str, secret=True,
                  description='Password for sudo (asked for when needed).'),
        Parameter('keep_password', bool, True, description='Remember the sudo password.'),
        Parameter('unrooted', bool, False, description='Never use sudo.'),
        Parameter('working_directory', str, '/tmp/devlib-target', override=True,
                  description='Where WA keeps its files; each run in a directory of its own '
                              'inside it.'),
    ]


class LinuxTarget(TargetType):
    name = 'linux'
    description = """A Linux machine or board over SSH, through devlib's LinuxTarget.

    Give ``host`` and ``username``, and a ``keyfile`` or a ``password``. If the connection is
    lost during a run, the current job fails and WA reconnects (``reconnect_attempts`` times,
    ``reconnect_delay`` seconds apart) before going on.
    """
    aliases = ('generic_linux',)
    devlib_class = 'LinuxTarget'
    connection_keys = ('host', 'username', 'password', 'keyfile', 'port',
                       'strict_host_check', 'sudo_cmd', 'use_scp', 'poll_transfers',
                       'start_transfer_poll_delay', 'total_transfer_timeout',
                       'transfer_poll_period')
    parameters = [
        Parameter('host', str, mandatory=True, description='Host name or IP address.'),
        Parameter('username', str, mandatory=True, description='User to log in as.'),
        Parameter('password', str, secret=True,
                  description='Password ("" means do not try keys).'),
        Parameter('keyfile', str, description='Private key file to log in with.'),
        Parameter('port', int, 22, description='SSH port.'),
        Parameter('strict_host_check', bool, False, description="Check the host's key."),
        Parameter('sudo_cmd', str, "sudo -k -p ' ' -S -- sh -c {}",
                  description='How to run a command as root.'),
        Parameter('use_scp', bool, False, description='Transfer files with scp, not SFTP.'),
        Parameter('hang_check_interval', float, 10, constraint=lambda v: v >= 0,
                  description='While a job runs, check every this many seconds that the SSH '
                              'server still answers a new connection (0: never). A target '
                              'that stops answering (a hung board, a dropped network) fails '
                              'the job instead of blocking the run forever.'),
        Parameter('hang_timeout', float, 30, constraint=lambda v: v > 0,
                  description='Seconds without an answer after which the target counts as '
                              'hung.'),
    ] + _TRANSFER_PARAMETERS

    def connection_settings(self):
        settings = super().connection_settings()
        if settings.get('keyfile') and os.path.isfile(os.path.expanduser(settings['keyfile'])):
            from wa.target.sshkey import unique_keyfile  # pylint: disable=import-outside-toplevel
            settings['keyfile'] = unique_keyfile(settings['keyfile'])
        return settings

    def watchdog(self, connection):
        if not self.hang_check_interval:
            return None
        return HangWatchdog(self.host, self.port, self.hang_check_interval, self.hang_timeout,
                            connection)

    def connecting(self):
        from wa.target.sshconnect import connect_waits  # pylint: disable=import-outside-toplevel
        return connect_waits(self.timeout)

    def describe_failure(self, error):
        return 'Could not connect to {}@{}:{} over SSH: {}'.format(
            self.username, self.host, self.port, first_line(error))


class AndroidTarget(TargetType):
    name = 'android'
    description = """An Android device over adb, through devlib's AndroidTarget.

    ``device`` (alias ``adb_name``) is the adb serial or ``ip:port`` of the device; by default
    the only device attached. Needs adb on the host (Debian package "adb").
    """
    aliases = ('generic_android',)
    devlib_class = 'AndroidTarget'
    connection_keys = ('serial', 'adb_server', 'adb_as_root', 'connection_attempts',
                       'poll_transfers', 'start_transfer_poll_delay', 'total_transfer_timeout',
                       'transfer_poll_period')
    devlib_names = {'serial': 'device'}
    parameters = [
        Parameter('serial', str, aliases=['device', 'adb_name'],
                  description='adb serial or ip:port of the device.'),
        Parameter('adb_server', str, description='Host of the adb server.'),
        Parameter('adb_as_root', bool, False, description='Restart adbd as root.'),
        Parameter('connection_attempts', int, 5, description='Attempts to connect over adb.'),
        Parameter('package_data_directory', str, '/data/data',
                  description='Where packages keep their data.'),
    ] + _TRANSFER_PARAMETERS

    def create(self):
        import shutil  # pylint: disable=import-outside-toplevel
        if shutil.which('adb') is None:
            raise TargetError('Cannot use the android target{}: adb is not installed (install '
                              'the Debian package "adb")'.format(self._serial()))
        self._check_attached()
        target = super().create()
        target.package_data_directory = self.package_data_directory
        return target

    def _check_attached(self):
        """Fails at once, naming adb and the serial, when no such device is attached (devlib
        would retry for a minute). Network serials (ip:port) are left to ``adb connect``."""
        import subprocess  # pylint: disable=import-outside-toplevel
        if self.serial and ':' in self.serial:
            return
        command = ['adb'] + (['-H', self.adb_server] if self.adb_server else []) + ['devices']
        try:
            listing = subprocess.run(command, capture_output=True, text=True, timeout=30,
                                     check=False).stdout
        except (OSError, subprocess.TimeoutExpired) as error:
            raise TargetError('Could not run "{}": {}'.format(' '.join(command), error))
        attached = attached_devices(listing)
        if self.serial and self.serial not in attached:
            raise TargetError('Android device "{}" is not attached: "adb devices" lists {}'.format(
                self.serial, ', '.join(attached) or 'no devices'))
        if not self.serial and len(attached) != 1:
            raise TargetError('No android device serial given and "adb devices" lists {}: set '
                              'device_config: {{device: SERIAL}}'.format(
                                  ', '.join(attached) or 'no devices'))

    def _serial(self):
        return ' "{}"'.format(self.serial) if self.serial else ''

    def describe_failure(self, error):
        return 'Could not connect to the android device{} over adb: {}'.format(
            self._serial() or ' (no serial given: the only device attached)', first_line(error))


def attached_devices(adb_devices_output):
    """Serials that ``adb devices`` lists as ready (state ``device``)."""
    serials = []
    for line in adb_devices_output.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1] == 'device':
            serials.append(parts[0])
    return serials


class HangWatchdog:
    """Checks, from a thread of its own, that an SSH server still answers a new connection;
    if it stays silent for ``timeout`` seconds, closes the run's connection so that the command
    blocked on it fails instead of waiting for ever."""

    def __init__(self, host, port, interval, timeout, connection):
        import threading  # pylint: disable=import-outside-toplevel
        self.address = (host, port)
        self.interval = interval
        self.timeout = timeout
        self.connection = connection
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name='wa-hang-watchdog', daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def answers(self):
        """True if the server sends its SSH banner within ``timeout`` seconds."""
        import socket  # pylint: disable=import-outside-toplevel
        deadline = time.monotonic() + self.timeout
        try:
            with socket.create_connection(self.address, timeout=self.timeout) as sock:
                sock.settimeout(max(deadline - time.monotonic(), 0.1))
                return sock.recv(4).startswith(b'SSH')
        except OSError:
            return False

    def _watch(self):
        while not self._stop.wait(self.interval):
            if self.answers() or self._stop.is_set():
                continue
            logger.error('The target has not answered for %g seconds: closing the connection',
                         self.timeout)
            try:
                self.connection.client.close()
            except Exception as error:  # pylint: disable=broad-except
                logger.debug('Closing the hung connection: %s', error)
            return


class TargetConnection:
    """The run's one target: connected once, reconnected when it stops responding."""

    def __init__(self, target_type):
        self.type = target_type
        self.target = None

    def connect(self):
        """Creates the devlib target and connects. devlib's shell helpers (shutils) are
        installed when first used, its default modules when first looked up."""
        from wa.target import devlib_target  # pylint: disable=import-outside-toplevel
        self.target = self.type.create()
        try:
            with self.type.connecting():
                self.target.connect(timeout=self.type.timeout)
            if self.type.modules:
                self.target.setup()  # modules loaded at setup need devlib's shell helpers
            devlib_target.ready(self.target)
        except Exception as error:  # pylint: disable=broad-except
            raise TargetError(self.type.describe_failure(error))
        return self.target

    def reconnect(self, attempts, delay):
        """Tries to connect again, ``attempts`` times with ``delay`` seconds between; True if
        the target answers again."""
        for attempt in range(1, attempts + 1):
            logger.info('Reconnecting to the target (attempt %d of %d)...', attempt, attempts)
            try:
                self.target.disconnect()
            except Exception:  # pylint: disable=broad-except
                pass
            try:
                with self.type.connecting():
                    self.target.connect(timeout=self.type.timeout)
                self.target.execute('true')
                logger.info('Reconnected to the target.')
                return True
            except Exception as error:  # pylint: disable=broad-except
                logger.debug('Reconnection failed: %s', first_line(error))
            if attempt < attempts:
                time.sleep(delay)
        return False

    def watch(self):
        """A context manager that guards the block against a target that hangs."""
        from contextlib import nullcontext  # pylint: disable=import-outside-toplevel
        watchdog = self.type.watchdog(self.target.conn) if self.target is not None else None
        return watchdog or nullcontext()

    def disconnect(self):
        if self.target is not None:
            try:
                self.target.disconnect()
            except Exception as error:  # pylint: disable=broad-except
                logger.debug('Error while disconnecting: %s', error)

    def info(self):
        """What devlib reports about the target, for ``__meta/target_info.json``."""
        target = self.target
        info = {'target': type(target).__name__, 'device': self.type.name}
        probes = {
            'os': lambda: target.os, 'os_version': lambda: dict(target.os_version),
            'abi': lambda: target.abi, 'cpus': lambda: target.number_of_cpus,
            'core_names': lambda: list(target.core_names),
            'hostname': lambda: target.hostname,
            'kernel_release': lambda: target.kernel_version.release,
            'kernel_version': lambda: target.kernel_version.version,
            'is_rooted': lambda: target.is_rooted,
            'page_size_kb': lambda: target.page_size_kb,
            'modules': lambda: sorted(target.loaded_modules()),
        }
        for key, probe in probes.items():
            try:
                info[key] = probe()
            except Exception as error:  # pylint: disable=broad-except
                logger.debug('Target info "%s" unavailable: %s', key, error)
                info[key] = None
        return info


def summary_line(info):
    """``linux x86_64, 2 cpus, kernel 6.1.0 on myhost (modules: hotplug, cpuidle)``."""
    return '{} {}, {} cpus, kernel {} on {} (modules: {})'.format(
        info.get('os'), info.get('abi'), info.get('cpus'), info.get('kernel_release'),
        info.get('hostname'), ', '.join(info.get('modules') or []) or 'none')
