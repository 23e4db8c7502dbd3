"""What ``wa lava submit`` and ``wa lava collect`` do, from their parsed arguments."""
import logging
import os

from wa.core import status as st
from wa.core.exceptions import ConfigError
from wa.output.directory import RunOutput
from wa.fleet.merge import job_dicts
from wa.lava.client import LavaServer, read_token
from wa.lava.collect import collect
from wa.lava.submit import Selection, definitions, submit_all

logger = logging.getLogger('lava')


def _server(args):
    return LavaServer(args.server, args.username, read_token(args.token, args.token_file))


def _read(path):
    try:
        with open(path) as fh:
            return fh.read()
    except OSError as error:
        raise ConfigError('Cannot read "{}": {}'.format(path, error.strerror))


def _agenda_jobs(args, loader):
    """The jobs of the agenda (checked as ``wa run`` checks it; the agenda runs with the
    device's own settings, so a "targets" list is refused)."""
    from wa.config.agenda import load_agenda  # noqa
    from wa.config.configuration import RunConfiguration, load_config_file  # noqa
    from wa.core.executor import Executor  # noqa
    if not os.path.isfile(args.agenda):
        raise ConfigError('Agenda "{}" does not exist'.format(args.agenda))
    config_files = [load_config_file(path) for path in args.config]
    run_config = RunConfiguration(loader, load_agenda(args.agenda), config_files)
    if run_config.settings.get('targets'):
        raise ConfigError('{}: "targets" is for wa run; under LAVA the devices are chosen with '
                          '--devices or --device-type'.format(run_config.where('targets')))
    return job_dicts(Executor(loader, run_config).job_list()), run_config


def _split(text):
    return [item.strip() for item in (text or '').split(',') if item.strip()]


def submit_agenda(args, loader):
    """``wa lava submit``: returns the exit status."""
    selection = Selection(_split(args.devices), args.device_type, args.count, _split(args.tags))
    server = _server(args)
    jobs, run_config = _agenda_jobs(args, loader)
    out_dir = args.output_directory or run_config.settings['default_output_directory']
    options = {'run_name': run_config.settings['run_name'] or os.path.basename(
        os.path.abspath(out_dir)), 'wa_command': args.wa_command, 'return_dir': args.return_dir,
        'upload': args.upload, 'prompts': args.prompt or ['root@'], 'minutes': args.timeout}
    texts = definitions(selection, server, _read(args.agenda),
                        [_read(path) for path in args.config], jobs, options)
    if args.dry_run:
        print('\n---\n'.join(texts), end='')
        return 0
    output = None if args.no_wait else _create(args, out_dir)
    ids = submit_all(server, texts)
    print('LAVA jobs: {}'.format(' '.join(str(i) for i in ids)), flush=True)
    if args.no_wait:
        return 0
    return _finish(args, server, ids, output, options['run_name'])


def collect_jobs(args):
    """``wa lava collect``: returns the exit status."""
    output = _create(args, args.output_directory or 'wa_output')
    return _finish(args, _server(args), args.job_ids, output, None)


def _create(args, out_dir):
    output = RunOutput.create(out_dir, force=args.force)
    args.logging.to_file(output.log_file)
    return output


def _finish(args, server, ids, output, run_name):
    try:
        merged = collect(server, ids, output.root, args.return_dir, args.fetch_url, run_name)
    except KeyboardInterrupt:
        logger.warning('Stopped waiting; later: wa lava collect %s --server %s',
                       ' '.join(str(i) for i in ids), server.url)
        raise
    logger.info('Merged %d LAVA jobs into %s (run status %s)', len(ids), output.root,
                merged.status)
    return 0 if all(j.status in st.SUCCESSFUL for j in merged.final_attempts()) else 1
