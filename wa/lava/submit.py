"""Turning an agenda into LAVA jobs, one per device, and submitting them."""
import logging
import uuid

from wa.core.exceptions import ConfigError
from wa.lava.jobdef import job_definition, job_metadata, test_steps

logger = logging.getLogger('lava')


class Selection:
    """Which devices run the agenda: one job per named device (each pinned by the tag that
    carries its name), or ``count`` jobs on any device of ``device_type``; ``tags`` are
    required of every device."""

    def __init__(self, devices=(), device_type=None, count=1, tags=()):
        if bool(devices) == bool(device_type):
            raise ConfigError('Give either --devices or --device-type')
        if count < 1:
            raise ConfigError('--count must be at least 1')
        self.devices, self.device_type = list(devices), device_type
        self.count, self.tags = count, list(tags)

    def jobs(self, server):
        """[(device type, tags)] of each job; asks the server about named devices."""
        if self.device_type:
            return [(self.device_type, self.tags)] * self.count
        jobs = []
        for name in self.devices:
            device = server.device(name)
            if name not in (device.get('tags') or []):
                raise ConfigError('LAVA device "{}" has no tag "{}": LAVA pins a job to a '
                                  'device only by its tags; tag each device with its name, or '
                                  'use --device-type (and --tags)'.format(name, name))
            jobs.append((device['device_type'], [name] + self.tags))
        return jobs


def definitions(selection, server, agenda_text, config_texts, jobs, options):
    """The YAML job definitions, one per device of ``selection``. ``options``: run_name,
    wa_command, return_dir, upload, prompts, minutes."""
    run_id = uuid.uuid4().hex[:12]
    texts = []
    for index, (device_type, tags) in enumerate(selection.jobs(server), 1):
        tarball = 'wa-{}-{}.tar.gz'.format(run_id, index)
        steps = test_steps(agenda_text, config_texts, options['wa_command'], tarball,
                           options.get('return_dir'), options.get('upload'))
        texts.append(job_definition('wa-{}-{}'.format(options['run_name'], index), steps,
                                    device_type, tags, options['prompts'],
                                    job_metadata(tarball, jobs), options['minutes']))
    return texts


def submit_all(server, texts):
    """Submits every definition; returns the job ids in order."""
    ids = []
    for text in texts:
        ids.extend(server.submit(text))
    logger.info('Submitted LAVA job%s %s to %s', 's' if len(ids) > 1 else '',
                ' '.join(str(i) for i in ids), server.url)
    return ids
