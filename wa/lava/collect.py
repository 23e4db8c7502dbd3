"""Waiting for LAVA jobs and merging what they bring back into one run output directory.

Each finished job becomes ``OUT/<device>/``: the job's own WA output directory when its tarball
came back (read from a return directory, or fetched from a URL), else a run output rebuilt
from the job's LAVA test cases (``results.get_testjob_results_yaml``; suite ``0_wa``). A job
that did not complete (a dead board, an InfrastructureError) is reported with LAVA's reason
and its WA jobs are SKIPPED; the other devices' results are merged all the same
(wa.fleet.merge).
"""
import json
import logging
import os
import shutil
import tarfile
import tempfile
import time
import urllib.request

from wa.core import status as st
from wa.core.exceptions import ConfigError
from wa.output.directory import META_DIR, RESULT_FILE, write_json
from wa.core.results import JobResult, Metric, RunResult, utc_now
from wa.fleet.merge import merge_runs, read_target_run
from wa.fleet.targets import check_name
from wa.lava.jobdef import SUITE

logger = logging.getLogger('lava')
_STATUS = {'pass': st.OK, 'fail': st.FAILED, 'skip': st.SKIPPED}


def wait(server, job_ids, interval=1.0):
    """Polls until every job is Finished, logging each change of state; returns
    {job id: scheduler.jobs.show details}."""
    seen, finished = {}, {}
    while len(finished) < len(job_ids):
        for job_id in job_ids:
            if job_id in finished:
                continue
            info = server.show(job_id)
            now = (info.get('state'), info.get('device'), info.get('health'))
            if seen.get(job_id) != now:
                seen[job_id] = now
                logger.info('LAVA job %s%s: %s%s', job_id,
                            ' on {}'.format(now[1]) if now[1] else '', now[0],
                            ' ({})'.format(now[2]) if now[0] == 'Finished' else '')
            if info.get('state') == 'Finished':
                finished[job_id] = info
        if len(finished) < len(job_ids):
            time.sleep(interval)
    return finished


def measurement(text):
    """A LAVA measurement (a Decimal string with float noise, e.g.
    ``0.0536000000000000018096635301390``) as an int or float of 15 significant digits (what the device sent)."""
    value = float('{:.15g}'.format(float(text)))
    return int(value) if value.is_integer() else value


def rebuild(cases, jobs, root):
    """A RunResult for directory ``root`` from the job's test cases (see wa.lava.report) and
    its WA jobs (dicts); None when the cases hold no trace of the WA run."""
    ours = [c for c in cases if c.get('suite') == SUITE]
    if not any(c.get('name') == 'wa-run' for c in ours):
        return None
    by_name = {c['name']: c for c in ours}
    result = RunResult(root)
    result.start_time = result.end_time = utc_now()
    result.status = st.OK
    for job in jobs:
        attempt = JobResult(job['id'], None, job['iteration'], output_root=root)
        attempt.label, attempt.workload = job.get('label'), job.get('workload')
        prefix = '{}.{}'.format(job['id'], job['iteration'])
        case = by_name.get(prefix)
        attempt.status = _STATUS.get(case['result'], st.FAILED) if case else st.NOT_STARTED
        for name, metric_case in by_name.items():
            if name.startswith(prefix + '.') and metric_case.get('measurement') not in (None, 'None'):
                attempt.metrics.append(Metric(name[len(prefix) + 1:],
                                              measurement(metric_case['measurement']),
                                              metric_case.get('unit') or None))
        result.iteration_results.append(attempt)
        result.set_status(attempt.status)
    return result


def failure_reason(info, cases):
    """Why a job did not complete, as LAVA says: e.g. ``LAVA job 6 Incomplete:
    InfrastructureError in login-ssh: Connection closed``; else its failure comment."""
    lava = [c for c in cases if c.get('suite') == 'lava']
    head = 'LAVA job {} {}'.format(info.get('id'), info.get('health'))
    for case in lava:
        meta = case.get('metadata') or {}
        if case.get('name') == 'job' and meta.get('error_msg'):
            kind = meta.get('error_type') or 'Unknown'
            kind += '' if kind.endswith('Error') else 'Error'
            failed = sorted((c for c in lava if c.get('result') == 'fail' and
                             c.get('name') != 'job'),
                            key=lambda c: len(str((c.get('metadata') or {}).get('level', ''))))
            where = ' in {}'.format(failed[0]['name']) if failed else ''
            return '{}: {}{}: {}'.format(head, kind, where, meta['error_msg'])
    comment = info.get('failure_comment')
    return head + (': ' + comment if comment else '')


def _fetch(tarball, return_dir, fetch_url, into):
    """Copies the job's tarball to ``into``; False when it is nowhere to be found."""
    if return_dir and os.path.isfile(os.path.join(return_dir, tarball)):
        shutil.copy(os.path.join(return_dir, tarball), into)
        return True
    if fetch_url:
        try:
            with urllib.request.urlopen(fetch_url.format(name=tarball), timeout=60) as answer, \
                    open(into, 'wb') as fh:
                shutil.copyfileobj(answer, fh)
            return True
        except OSError as error:
            logger.warning('Could not fetch %s: %s', tarball, error)
    return False


def _unpack(tarball_path, directory):
    """Extracts the ``wa_output`` of a job's tarball as ``directory``; False if unusable."""
    scratch = tempfile.mkdtemp(prefix='.unpack-', dir=os.path.dirname(directory))
    try:
        with tarfile.open(tarball_path) as archive:
            archive.extractall(scratch, filter='data')
        source = os.path.join(scratch, 'wa_output')
        if not os.path.isfile(os.path.join(source, RESULT_FILE)):
            return False
        os.replace(source, directory)
        return True
    except (OSError, tarfile.TarError) as error:
        logger.warning('Unusable tarball %s: %s', tarball_path, error)
        return False
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _target_name(info, job_id, taken):
    name = info.get('device') or 'job{}'.format(job_id)
    try:
        name = check_name(name)
    except ConfigError:
        name = 'job{}'.format(job_id)
    base, count = name, 2
    while name in taken:
        name, count = '{}.{}'.format(base, count), count + 1
    taken.add(name)
    return name


def collect_job(server, job_id, info, root, fetch, taken):
    """The TargetRun of one finished LAVA job, its directory written under ``root``."""
    meta = (server.definition(job_id) or {}).get('metadata') or {}
    jobs = json.loads(meta.get('wa.jobs') or '[]')
    name = _target_name(info, job_id, taken)
    directory = os.path.join(root, name)
    details = {'lava_job': job_id, 'device': info.get('device'),
               'device_type': info.get('device_type'), 'health': info.get('health')}
    cases = server.results(job_id)
    scratch = os.path.join(root, META_DIR, '{}.tar.gz'.format(job_id))
    tarball = meta.get('wa.tarball')
    if tarball and fetch(tarball, scratch) and _unpack(scratch, directory):
        details['source'] = 'output directory'
    else:
        rebuilt = rebuild(cases, jobs, directory)
        if rebuilt is not None:
            os.makedirs(os.path.join(directory, META_DIR), exist_ok=True)
            write_json(os.path.join(directory, RESULT_FILE), rebuilt.to_dict())
            details['source'] = 'LAVA test cases'
    if os.path.exists(scratch):
        os.remove(scratch)
    reason = None if info.get('health') == 'Complete' else failure_reason(info, cases)
    run = read_target_run(root, name, jobs, reason, details)
    if reason:
        logger.warning('Device %s: %s', name, reason)
    source = details.get('source')
    logger.info('Device %s (LAVA job %s): %s', name, job_id,
                'results from its ' + source if source else 'no results came back')
    return run


def collect(server, job_ids, root, return_dir=None, fetch_url=None, run_name=None):
    """Waits for ``job_ids``, then writes the merged run into the (existing) directory
    ``root``; returns the merged RunResult."""
    finished = wait(server, job_ids)
    taken = set()

    def fetch(tarball, into):
        return _fetch(tarball, return_dir, fetch_url, into)
    runs = [collect_job(server, job_id, finished[job_id], root, fetch, taken)
            for job_id in job_ids]
    write_json(os.path.join(root, META_DIR, 'lava.json'),
               {'server': server.url, 'jobs': {str(r.info['lava_job']): r.name for r in runs}})
    return merge_runs(root, runs, {'run_name': run_name or os.path.basename(root),
                                   'lava': {'server': server.url}})

