"""status: a short text summary of how each job ended."""
import os
import time

from wa import ResultProcessor, event_lines, format_table, status, write_text


class StatusProcessor(ResultProcessor):
    name = 'status'
    records_run_status = True
    description = """Writes status.txt: the run's status and one line per job.

    Each line shows the job id, label, iteration, status of its latest attempt and, unless it
    is OK, the first line of its first event (why it did not succeed). Then, under
    "Events:", every event of the run and of each job attempt (warnings, failure reasons),
    one line each.
    """

    def export_run_result(self, result, context):
        finals = result.final_attempts()
        done = sum(1 for job in finals if job.status in status.SUCCESSFUL)
        rows = [(job.id, job.label, str(job.iteration), job.status,
                 job.events[0].message.splitlines()[0] if job.events and
                 job.status != status.OK else '') for job in finals]
        lines = ['Run name: {}'.format(result.metadata.get('run_name', '')),
                 'Run status: {}'.format(result.status),
                 'Date: {}'.format(time.strftime('%a %b %d %H:%M:%S %Y')),
                 '{}/{} iterations completed without error'.format(done, len(finals)), '']
        lines.extend(format_table(rows, '<<>><'))
        events = event_lines(result)
        if events:
            lines.extend(['', 'Events:'] + ['- {}: {}'.format(w, m) for w, m in events])
        path = os.path.join(context.run_output_directory, 'status.txt')
        write_text(path, '\n'.join(lines) + '\n')
        if not any(a.name == 'run_status_summary' for a in result.artifacts):
            result.add_artifact('run_status_summary', path, 'export', 'status of each job')
