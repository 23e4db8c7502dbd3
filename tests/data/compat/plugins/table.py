"""The "table" output processor of WA3's developer guide (Adding an Output Processor), written
as a user would: a column-aligned text table of every job's metrics."""
from wa import OutputProcessor, Parameter
from wa.utils.misc import write_table


class Table(OutputProcessor):

    name = 'table'
    description = 'Generates a text file containing a column-aligned table of run results.'

    parameters = [
        Parameter('align', kind=str, default='<<>>',
                  description='Alignment of the columns (<, > or ^ for each).'),
    ]

    def process_run_output(self, output, target_info):
        rows = []
        for job in output.jobs:
            for metric in job.metrics:
                rows.append([job.id, metric.name, str(metric.value), metric.units or ''])
        outfile = output.get_path('table.txt')
        with open(outfile, 'w') as wfh:
            write_table(rows, wfh, align=self.align, headers=['id', 'metric', 'value', 'units'])
        output.add_artifact('results_table', 'table.txt', 'export')
