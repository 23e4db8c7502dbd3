"""Reading WA3's (3.x) output directories into the shape RunOutput is built from.

The layout, as WA 3.3.1 writes it: ``result.json`` (the run's result pod), ``.run_state.json``
(run status and each job's latest attempt: id, label, iteration, status, retries), and in
``__meta/``: ``run_info.json``, ``config.json`` (``settings`` and ``run_config``),
``jobs.json`` (``{"jobs": [spec pods]}``) and ``target_info.json``; each job's own
``<id>-<label>-<iteration>/result.json``. Pods carry ``_pod_*`` keys; statuses are written
``"OK(7)"`` and datetimes ``"DATET:<ISO-8601>"``. Artifact paths are relative to the directory
of the run or job that holds them.
"""
import json
import os

from wa.core.exceptions import NotFoundError

STATE_FILE = '.run_state.json'
META_DIR = '__meta'


def is_wa3_output(path):
    return os.path.isfile(os.path.join(path, STATE_FILE))


def _decode(value):
    """WA3's serialiser's encodings back to plain values (datetimes to ISO-8601 text)."""
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items() if not k.startswith('_pod_')}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, str) and value.startswith('DATET:'):
        return value[len('DATET:'):]
    return value


def _status(text):
    """``"OK(7)"`` -> ``"OK"``."""
    return text.split('(')[0] if isinstance(text, str) else text


def _read(path, default=None):
    try:
        with open(path) as fh:
            return _decode(json.load(fh))
    except FileNotFoundError:
        return default


def _job(basepath, state):
    name = '{}-{}-{}'.format(state['id'], state['label'], state['iteration'])
    path = os.path.join(basepath, name)
    result = _read(os.path.join(path, 'result.json'), {})
    return dict(id=state['id'], label=state['label'], iteration=state['iteration'],
                retry=state.get('retries', 0), status=_status(state.get('status')),
                classifiers=result.get('classifiers') or {},
                metrics=result.get('metrics', []), artifacts=result.get('artifacts', []),
                events=result.get('events', []), start_time=None, end_time=None,
                final=True, path=path)


def load_wa3(basepath):
    """The run in ``basepath`` in RunOutput's common shape; NotFoundError if it is not one."""
    state = _read(os.path.join(basepath, STATE_FILE))
    if state is None:
        raise NotFoundError('"{}" is not a WA3 output directory: it has no {}'.format(
            basepath, STATE_FILE))
    result = _read(os.path.join(basepath, 'result.json'), {})
    meta = os.path.join(basepath, META_DIR)
    config = _read(os.path.join(meta, 'config.json'), {})
    specs = (_read(os.path.join(meta, 'jobs.json'), {}) or {}).get('jobs', [])
    unique_specs = list({spec['id']: spec for spec in specs}.values())
    return dict(format='wa3', status=_status(result.get('status') or state.get('status')),
                metrics=result.get('metrics', []), artifacts=result.get('artifacts', []),
                events=result.get('events', []), classifiers=result.get('classifiers') or {},
                info=_read(os.path.join(meta, 'run_info.json'), {}),
                run_config=config.get('run_config') or {},
                target_info=_read(os.path.join(meta, 'target_info.json'), {}),
                job_specs=unique_specs, jobs=[_job(basepath, job) for job in state['jobs']],
                metadata=result.get('metadata') or {}, statistics=None, artifact_root='job')
