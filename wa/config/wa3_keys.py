"""WA3 configuration keys that this project accepts without acting on them.

A WA3 user's ``config.yaml`` and agendas must work unchanged, so every key of WA3 3.3.1's
configuration (meta and run configuration, its plugins' global aliases and config blocks) is
valid here. Keys this project implements act; the ones below are accepted and named in one
warning per run, with the reason they are ignored.
"""
import logging

logger = logging.getLogger('config')

# WA3 setting -> why it is ignored here
IGNORED_SETTINGS = {
    'assets_repository': 'this project fetches no assets from a filer; put the files a plugin '
                         'needs in the dependencies directory of the user directory',
}

# WA3 global alias declared by a WA3 plugin that has no equivalent here -> that plugin
WA3_ONLY_ALIASES = {
    'perf_type': 'perf (simpleperf)',
    'sqlite_overwrite': 'sqlite (overwrite: runs here are replaced by wa process, never '
                        'the whole file)',
}

# WA3 3.3.1's plugins, for config blocks naming one this project does not have
WA3_PLUGINS = set('''
adobereader aitutu androbench angrybirds_rio antutu apache applaunch benchmarkpi chrome deepbench
dhrystone exoplayer geekbench geekbench-corporate gfxbench gfxbench-corporate glbenchmark gmail
googlemaps googlephotos googleplaybooks googleslides hackbench homescreen hwuitest idle jankbench
lmbench manual meabo memcpy mongoperf motionmark openssl pcmark recentfling rt-app schbench
shellscript speedometer stress-ng sysbench templerun2 thechase uibench uibenchjanktests vellamo
youtube youtube_playback apk_version cpufreq delay dmesg energy_measurement execution_time
file_poller fps hwmon interrupts perf proc_stat screen_capture serialmon sysfs_extractor trace-cmd
cpustates csv postgres sqlite status targz uxperf'''.split())


def accepted_keys(known):
    """Every WA3 key a config source may hold beyond ``known`` (this project's own keys)."""
    known = {_id(k) for k in known}
    every = list(IGNORED_SETTINGS) + list(WA3_ONLY_ALIASES) + sorted(WA3_PLUGINS)
    return [key for key in every if _id(key) not in known]


def ignored_reason(key):
    """Why ``key`` (accepted only because WA3 has it) is ignored, or None if it is not one."""
    key_id = _id(key)
    for name, reason in IGNORED_SETTINGS.items():
        if _id(name) == key_id:
            return reason
    for name, plugin in WA3_ONLY_ALIASES.items():
        if _id(name) == key_id:
            return 'a global alias of WA3\'s {} plugin, which this project does not ' \
                   'have'.format(plugin)
    if key_id in {_id(n) for n in WA3_PLUGINS}:
        return "the config of WA3's {} plugin, which this project does not have".format(key)
    return None


def warn_ignored(sources, known):
    """One warning naming every WA3-only key set in ``sources`` (config Sources) and why it is
    ignored; keys in ``known`` (plugins and settings of this project) are never named."""
    known = {_id(k) for k in known}
    ignored = {}
    for source in sources:
        for key in source.values:
            reason = None if _id(key) in known else ignored_reason(key)
            if reason and key not in ignored:
                ignored[key] = '"{}" at {} ({})'.format(key, source.where(key), reason)
    if ignored:
        logger.warning('WA3 settings accepted and ignored: %s', '; '.join(ignored.values()))
    return list(ignored)


def _id(name):
    return str(name).replace('-', '_').lower()
