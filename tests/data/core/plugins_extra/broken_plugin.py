"""A user plugin file with a syntax error on line 7."""
from wa import Workload


class Broken(Workload):
    name = 'broken'
    def setup(self, context)
        pass
