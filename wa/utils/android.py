"""WA3's ``wa.utils.android``: APK helpers; this project runs no APK workloads."""
from wa import NotSupportedError


def get_cacheable_apk_info(path):
    raise NotSupportedError('APK information ({}) is not available: this project has no APK '
                            'workloads'.format(path))
