"""``wa lava``: run an agenda on a LAVA board farm and merge the results (doc/fleet.rst)."""
from wa.core.command import Command


def _server_arguments(parser):
    group = parser.add_argument_group('LAVA server')
    group.add_argument('--server', metavar='URL', required=True,
                       help='The XML-RPC URL, e.g. https://lava.example.com/RPC2.')
    group.add_argument('--username', metavar='USER', help='The LAVA user (or user@ in URL).')
    group.add_argument('--token', metavar='TOKEN',
                       help='The API token (visible in ps: prefer --token-file or $LAVA_TOKEN).')
    group.add_argument('--token-file', metavar='FILE', help='A file holding the API token.')


def _output_arguments(parser):
    parser.add_argument('-d', '--output-directory', metavar='DIR',
                        help='Where to merge the results (default: wa_output).')
    parser.add_argument('-f', '--force', action='store_true',
                        help='Overwrite the output directory if it exists.')
    parser.add_argument('--return-dir', metavar='DIR',
                        help='A directory shared by the devices and this host where each job '
                             'leaves its output tarball (submit: where the job copies it; '
                             'collect: where it is read).')
    parser.add_argument('--fetch-url', metavar='URL',
                        help='Where to download a tarball an --upload command stored; "{name}" '
                             'is replaced by its file name.')


def _submit_arguments(parser):
    parser.add_argument('agenda', metavar='AGENDA', help='The agenda file to run.')
    parser.add_argument('-c', '--config', metavar='CONFIG', action='append', default=[],
                        help='An extra config file, sent along with the agenda.')
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument('--device-type', metavar='TYPE',
                       help='Run --count jobs on any devices of this LAVA device type.')
    which.add_argument('--devices', metavar='A,B', help='Run one job on each of these devices '
                       '(each must carry a tag equal to its name).')
    parser.add_argument('--count', type=int, default=1, metavar='N',
                        help='With --device-type: how many jobs (default 1).')
    parser.add_argument('--tags', metavar='T,U', default='',
                        help='LAVA tags every chosen device must have.')
    parser.add_argument('--wa-command', metavar='CMD', default='wa',
                        help='How WA is started on the device (default "wa"), e.g. '
                             '"/opt/wa/bin/wa".')
    parser.add_argument('--upload', metavar='CMD',
                        help='A shell command the job runs to upload its tarball; "{tarball}" '
                             'and "{name}" are replaced by its path and file name.')
    parser.add_argument('--prompt', metavar='REGEX', action='append', default=[],
                        help="The device shell's prompt after the ssh login (default "
                             '"root@"); may be given more than once.')
    parser.add_argument('--timeout', metavar='MIN', type=int, default=30,
                        help="Minutes the agenda may take on a device (default 30).")
    parser.add_argument('--no-wait', action='store_true',
                        help='Submit and print the job ids; "wa lava collect" them later.')
    parser.add_argument('--dry-run', action='store_true',
                        help='Print the job definitions instead of submitting them.')


class LavaCommand(Command):
    name = 'lava'
    writes_run_log = True
    description = """Run an agenda on devices of a LAVA board farm, and merge the results.

"wa lava submit AGENDA" turns the agenda into one LAVA job per device; each runs
"wa run" on its device and reports every metric as a LAVA test case with its
measurement. The jobs are submitted through LAVA's XML-RPC API and waited for;
what they bring back is merged into one output directory, one sub-directory per
device, where every metric carries "target: <device>".
"wa lava collect JOB_ID..." waits for and merges jobs submitted earlier.
"wa lava report DIR" is what the job runs on the device to report metrics.
Jobs that do not complete are reported with LAVA's reason; the others are
merged all the same. See doc/fleet.rst."""
    usage = """wa lava submit AGENDA --server URL (--device-type T [--count N] | --devices A,B)
              [--tags T,U] [--token-file F] [-d DIR] [--return-dir DIR] ...
       wa lava collect JOB_ID... --server URL [-d DIR] [--return-dir DIR]
       wa lava report DIR"""

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest='action', metavar='ACTION')
        actions.required = True
        submit = actions.add_parser('submit', help='Submit an agenda as LAVA jobs, wait, merge.')
        _submit_arguments(submit)
        _server_arguments(submit)
        _output_arguments(submit)
        collect = actions.add_parser('collect', help='Wait for LAVA jobs and merge them.')
        collect.add_argument('job_ids', metavar='JOB_ID', nargs='+', type=int)
        _server_arguments(collect)
        _output_arguments(collect)
        report = actions.add_parser('report', help='On the device: a run as lava-test-cases.')
        report.add_argument('directory', metavar='DIR', help='A WA run output directory.')

    def execute(self, args, loader):
        if args.action == 'report':
            from wa.lava.report import report  # noqa
            report(args.directory)
            return 0
        from wa.lava.actions import collect_jobs, submit_agenda  # noqa
        if args.action == 'submit':
            return submit_agenda(args, loader)
        return collect_jobs(args)
