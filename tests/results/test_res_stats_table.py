"""The t quantiles of the statistics are scipy's: the table that spares a run importing scipy
holds exactly what scipy computes, and scipy answers where the table stops.

Run as a script (``PYTHONPATH=. python3 tests/results/test_res_stats_table.py``), this
regenerates ``wa/results/t_table.py`` from the installed scipy."""
import math
import os

import pytest

from wa.results import stats, t_table

TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'wa', 'results',
                     't_table.py')


def scipy_t975(dof):
    from scipy.special import stdtrit  # pylint: disable=import-outside-toplevel
    return float(stdtrit(dof, 0.975))


def test_table_holds_scipys_quantiles_up_to_max_iterations():
    assert len(t_table.T975) == stats.MAX_ITERATIONS
    for dof, value in enumerate(t_table.T975, start=1):
        assert math.isclose(value, scipy_t975(dof), rel_tol=1e-12), dof


def test_quantiles_beyond_the_table_come_from_scipy():
    assert stats.t_quantile(4) == t_table.T975[3]
    assert stats.t_quantile(5000) == pytest.approx(scipy_t975(5000), rel=1e-12)
    from scipy.special import stdtrit  # pylint: disable=import-outside-toplevel
    assert stats.t_quantile(4, 0.99) == pytest.approx(float(stdtrit(4, 0.995)), rel=1e-12)


def regenerate():
    with open(TABLE, encoding='utf-8') as fh:
        head = fh.read().split('T975 = (')[0]
    values = [repr(scipy_t975(dof)) + ',' for dof in range(1, stats.MAX_ITERATIONS + 1)]
    rows = ['    ' + ' '.join(values[i:i + 4]) for i in range(0, len(values), 4)]
    with open(TABLE, 'w', encoding='utf-8') as fh:
        fh.write(head + 'T975 = (\n' + '\n'.join(rows) + '\n)\n')


if __name__ == '__main__':
    regenerate()
