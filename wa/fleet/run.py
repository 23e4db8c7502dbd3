"""``wa run`` of a fleet: the agenda runs on every target at once, each in a worker process
(a single-target ``wa run --target NAME``) writing ``OUT/<name>/``; the workers' runs are then
merged into ``OUT/`` (see wa.fleet.merge). ``wa run --resume OUT`` resumes each target's run
and merges again."""
import copy
import logging
import os
import signal

from wa.core import status as st
from wa.core.exceptions import ConfigError
from wa.output.directory import META_DIR, RESULT_FILE, RunOutput, read_json, write_json
from wa.fleet.merge import job_dicts, merge_runs, read_target_run
from wa.fleet.targets import fleet_targets, pin_target
from wa.fleet.workers import run_workers, wa_command

logger = logging.getLogger('fleet')
FLEET_FILE = 'fleet.json'
JOB_LINE = '{:<16} {:<20} iteration {}'


def _target_jobs(loader, run_config, target):
    """The jobs (dicts) of ``run_config`` on ``target``; builds that target's Executor, so
    that a bad ``device_config`` is reported (ConfigError) before anything starts."""
    from wa.core.executor import Executor  # noqa
    pinned = copy.copy(run_config)
    pinned.settings = dict(run_config.settings)
    pin_target(pinned, target.name)
    try:
        executor = Executor(loader, pinned)
    except ConfigError as error:
        raise ConfigError('{}: target {}: {}'.format(run_config.where('targets'), target.name,
                                                     error))
    return job_dicts(executor.job_list())


def run_fleet(args, loader, run_config, config_paths, agenda_arg):
    """Runs the fleet of ``run_config``; returns the exit status (0 when every job of every
    target succeeded). ``config_paths`` are the ``-c``/``--targets`` files, ``agenda_arg``
    the AGENDA argument as given."""
    targets = fleet_targets(run_config)
    jobs = {t.name: _target_jobs(loader, run_config, t) for t in targets}
    if args.dry_run:
        for target in targets:
            print('{} ({}):'.format(target.name, target.device))
            for job in jobs[target.name]:
                print('  ' + JOB_LINE.format(job['id'], job['label'], job['iteration']))
        return 0
    out_dir = args.output_directory or run_config.settings['default_output_directory']
    keep = config_paths + [p for p in [agenda_arg] if os.path.isfile(p)]
    output = RunOutput.create(out_dir, force=args.force, keep=keep + [
        run_config.settings['user_directory']])
    args.logging.to_file(output.log_file)
    copies = output.copy_raw_config(keep)
    plan = {'targets': [dict(t.describe(), jobs=jobs[t.name]) for t in targets],
            'agenda': copies[-1] if os.path.isfile(agenda_arg) else agenda_arg,
            'config': copies[:len(config_paths)], 'disable': args.disable,
            'only_ids': args.only_ids, 'seed': getattr(args, 'seed', None),
            'run_name': run_config.settings['run_name']}
    write_json(os.path.join(output.meta, FLEET_FILE), plan)
    commands = {t.name: _worker_command(output, plan, t.name, args) for t in targets}
    return _run_and_merge(output, plan, commands)


def _raw(output, name):
    return os.path.join(output.meta, 'raw_config', name)


def _worker_command(output, plan, name, args, fresh=False):
    """``wa run`` of target ``name`` alone, into ``OUT/<name>``."""
    agenda = plan['agenda']
    if os.path.isfile(_raw(output, agenda)):
        agenda = _raw(output, agenda)
    argv = ['run', agenda, '--target', name, '-d', output.path(name)]
    for path in plan['config']:
        argv += ['-c', _raw(output, path)]
    for item in plan['disable']:
        argv += ['--disable', item]
    for item in plan['only_ids']:
        argv += ['-i', item]
    if plan.get('seed') is not None:
        argv += ['--seed', plan['seed']]
    argv += ['-v'] * min(args.verbose, 2) + (['--debug'] if args.debug else [])
    return wa_command(*(argv + (['-f'] if fresh else [])))


def _run_and_merge(output, plan, commands):
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        statuses = run_workers(commands)
    except KeyboardInterrupt:
        _merge(output, plan, {})
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
    merged = _merge(output, plan, statuses)
    ok = all(job.status in st.SUCCESSFUL for job in merged.final_attempts())
    logger.info('Fleet run status: %s; results of every target in %s', merged.status,
                output.root)
    return 0 if ok else 1


def _merge(output, plan, statuses):
    runs = []
    for target in plan['targets']:
        name = target['name']
        run = read_target_run(output.root, name, target['jobs'],
                              info={'device': target['device'], 'output': name})
        if run.result is None:
            code = statuses.get(name)
            run.reason = 'wrote no results (its worker {})'.format(
                'was interrupted' if code is None else 'exited with status {}'.format(code))
        runs.append(run)
        logger.info('Target %s: %s', name, run.result.status if run.result else run.reason)
    metadata = {'run_name': plan.get('run_name') or os.path.basename(output.root),
                'fleet': True}
    return merge_runs(output.root, runs, metadata)


def is_fleet_output(path):
    """True when ``path`` is the output directory of a fleet run."""
    return os.path.isfile(os.path.join(path, META_DIR, FLEET_FILE))


def resume_fleet(args):
    """``wa run --resume OUT`` of a fleet: each target's run is resumed, then the merge is
    redone. Jobs a target never started (SKIPPED when it could not be reached or was lost)
    run this time; a target that wrote no results runs from the start."""
    output = RunOutput(args.resume)
    plan = read_json(os.path.join(output.meta, FLEET_FILE))
    args.logging.to_file(output.log_file)
    commands = {}
    for target in plan['targets']:
        name = target['name']
        run = read_target_run(output.root, name)
        if run.result is None:
            commands[name] = _worker_command(output, plan, name, args, fresh=True)
        elif _forget_unstarted(output.path(name), run.result):
            commands[name] = wa_command('run', '--resume', output.path(name))
    logger.info('Resuming %s: %d of %d targets to run', output.root, len(commands),
                len(plan['targets']))
    return _run_and_merge(output, plan, commands)


def _forget_unstarted(directory, result):
    """Drops from a target's result.json the SKIPPED attempts that never started, so that
    its ``wa run --resume`` runs them; True when that resume has anything to do."""
    kept = [job for job in result.iteration_results
            if job.status != st.SKIPPED or job.start_time]
    dropped = len(kept) < len(result.iteration_results)
    if dropped:
        result.iteration_results = kept
        write_json(os.path.join(directory, RESULT_FILE), result.to_dict())
    return dropped or any(job.status in (st.NOT_STARTED, st.RUNNING, st.ABORTED)
                          for job in result.final_attempts())


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt()
