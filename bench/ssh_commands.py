"""Target commands per job and per run, counted by a real sshd on 127.0.0.1.

At ``LogLevel VERBOSE`` sshd logs one ``Starting session:`` line for every command and every
SFTP transfer session a client opens; the difference between a run of SMALL and one of BIG
no-op jobs gives the commands per job, and the rest is the cost of connecting and setting up.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'tests'))

SMALL, BIG = 5, 25


def sessions(server):
    with open(server.logfile, errors='replace') as fh:
        return sum(1 for line in fh if 'Starting session:' in line)


def count(products, product, agenda_file, out, server):
    before = sessions(server)
    seconds, _, code = products.run(product, ['run', agenda_file, '-d', out, '-f'])
    if code:
        print('  {} run over SSH exited {}'.format(product, code))
    return sessions(server) - before


def bench(products, agenda, show):
    from sshd import SshServer, sshd_available  # pylint: disable=import-outside-toplevel
    if not sshd_available():
        print('commands over SSH: skipped (needs openssh-server)')
        return
    server = SshServer(os.path.join(products.tmp, 'sshd-root'))
    server.start()
    try:
        settings = server.connection_settings()
        config = ('{{host: {host}, port: {port}, username: {username}, keyfile: {keyfile}, '
                  'strict_host_check: false}}').format(**settings)
        script = os.path.join(products.tmp, 'noop.sh')
        with open(script, 'w') as fh:
            fh.write('#!/bin/sh\ntrue\n')
        figures = {}
        for product, device in (('ours', 'linux'), ('wa3', 'generic_linux')):
            counts = {}
            for jobs in (SMALL, BIG):
                path = agenda(products.tmp, 'ssh-{}-{}.yaml'.format(product, jobs), jobs,
                              script, product == 'wa3', device=(device, config))
                counts[jobs] = count(products, product, path,
                                     os.path.join(products.tmp, 'ssh-out-{}-{}'.format(
                                         product, jobs)), server)
            per_job = (counts[BIG] - counts[SMALL]) / float(BIG - SMALL)
            figures[product] = (per_job, counts[SMALL] - SMALL * per_job)
        show('target commands per job (SSH)', [figures['ours'][0]], [figures['wa3'][0]],
             unit='  ')
        show('target commands per run (SSH)', [figures['ours'][1]], [figures['wa3'][1]],
             unit='  ')
    finally:
        server.close()
