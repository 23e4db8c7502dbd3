"""openssl: ``openssl speed`` throughput of ciphers and digests, and rates of public-key ops."""
import re

from wa import ConfigError, Parameter, types
from wa.utils.numbers import to_number
from wa.utils.shell import shell_join
from wa.utils.tool_workload import cpus_parameter, Metric, ToolWorkload

# Public-key result lines of ``openssl speed -mr``:
#   +F2 rsa, +F3 dsa, +F4 ecdsa, +F6 eddsa, +F7 sm2: "<index>:<bits>[:<name>]:<sign/s>:<verify/s>"
#   +F5 ecdh, +F8 ffdh:                             "<index>:<bits>[:<name>]:<ops/s>:<s per op>"
_PUBLIC_KEY = {'F2': ('rsa', ('sign', 'verify')), 'F3': ('dsa', ('sign', 'verify')),
               'F4': ('ecdsa', ('sign', 'verify')), 'F6': ('eddsa', ('sign', 'verify')),
               'F7': ('sm2', ('sign', 'verify')), 'F5': ('ecdh', ('op',)),
               'F8': ('ffdh', ('op',))}

PUBLIC_KEY_PREFIXES = ('rsa', 'dsa', 'ecdsa', 'ecdh', 'ed25519', 'ed448', 'eddsa', 'ffdh', 'sm2')


def is_public_key_algorithm(name):
    """Whether ``openssl speed NAME`` times a public-key algorithm (rsa2048, ecdhp256, ...)."""
    return name.lower().startswith(PUBLIC_KEY_PREFIXES)


def _is_name(field):
    return not re.match(r'^[0-9.]+$', field)


def parse_openssl_speed(text):
    """Metrics from ``openssl speed -mr`` (machine-readable) output, with or without ``-multi``.

    Ciphers and digests (``+H`` block sizes, ``+F`` bytes per second): one metric per algorithm
    and block size, ``<algorithm>_<block size>`` in MB/s (10^6 bytes), classified with
    ``algorithm`` and ``block_size``. Public-key algorithms: ``<algorithm><bits>_sign`` and
    ``_verify`` (rsa, dsa, ecdsa, eddsa, sm2) or ``<algorithm><bits>_op`` (ecdh, ffdh) in ops/s,
    classified with ``algorithm``, ``key_bits`` and ``operation``. Lines relayed from ``-multi``
    children (``Got: ...``) only give the block sizes; the parent's totals are the results.
    """
    metrics = []
    block_sizes = []
    for raw_line in text.splitlines():
        line = raw_line.strip()
        header = re.match(r'^(?:Got:\s*)?\+H:([0-9:]+)', line)
        if header:
            block_sizes = [int(size) for size in header.group(1).split(':') if size]
            continue
        if not line.startswith('+F'):
            continue
        tag, _, rest = line[1:].partition(':')
        fields = rest.split(':')
        if tag == 'F':
            algorithm = fields[1].lower()
            rates = fields[2:]
            if len(rates) != len(block_sizes):
                raise ValueError('openssl speed: {} results for {} but {} block sizes'.format(
                    len(rates), algorithm, len(block_sizes)))
            for size, rate in zip(block_sizes, rates):
                metrics.append(Metric('{}_{}'.format(algorithm, size),
                                      round(to_number(rate) / 1e6, 3), 'MB/s', False,
                                      {'algorithm': algorithm, 'block_size': size}))
        elif tag in _PUBLIC_KEY:
            kind, operations = _PUBLIC_KEY[tag]
            bits = int(fields[1])
            values = fields[2:]
            if values and _is_name(values[0]):
                algorithm = values.pop(0).lower()
            else:
                algorithm = '{}{}'.format(kind, bits)
            for operation, value in zip(operations, values):
                metrics.append(Metric('{}_{}'.format(algorithm, operation), to_number(value),
                                      'ops/s', False,
                                      {'algorithm': algorithm, 'key_bits': bits,
                                       'operation': operation}))
    if not metrics:
        raise ValueError('no results (+F lines) in the openssl speed output')
    return metrics


class Openssl(ToolWorkload):

    name = 'openssl'
    description = """
    Measures cryptographic throughput with ``openssl speed``.

    Runs ``openssl speed -mr -seconds S [-bytes N] [-multi T] [-evp] ALGORITHM`` on the target
    once per algorithm (Debian package ``openssl``). Ciphers and digests are timed through the
    EVP interface (``-evp``, the accelerated code path) unless ``use_evp`` is false;
    public-key algorithms (rsa2048, ecdsap256, ecdhp256, ed25519, ffdh2048, ...) are timed
    directly.

    Metrics:

      - ciphers and digests: ``<algorithm>_<block size>`` (MB/s, 10^6 bytes
        per second), e.g. ``aes-256-cbc_16384``, classified with ``algorithm``
        and ``block_size``;
      - signatures: ``<algorithm>_sign`` and ``<algorithm>_verify`` (ops/s),
        e.g. ``rsa2048_sign``;
      - key exchange: ``<algorithm>_op`` (ops/s), e.g. ``ecdh256_op``.

    The output of every ``openssl speed`` call is saved in the job's directory.
    """

    tool = 'openssl'
    package = 'openssl'
    artifact_aliases = {'output': 'openssl-output'}  # WA3's name

    parameters = [
        Parameter('algorithms', kind=types.list_of_str, default=['aes-256-cbc'],
                  aliases=['algorithm'], constraint=lambda value: len(value) > 0,
                  description='Algorithms to time, as ``openssl speed`` names them: ciphers '
                              '(aes-256-cbc, chacha20-poly1305), digests (sha256, md5), '
                              'public key (rsa2048, ecdsap256, ecdhp256, ed25519).'),
        Parameter('seconds', kind=int, default=3, constraint=lambda value: value > 0,
                  description='How long each measurement runs (``-seconds``); a cipher is '
                              'measured once per block size.'),
        Parameter('block_size', kind=int, default=None, constraint=lambda value: value > 0,
                  description='Time ciphers and digests on this block size only (``-bytes``); '
                              'by default openssl uses 16, 64, 256, 1024, 8192 and 16384.'),
        Parameter('threads', kind=int, default=1, constraint=lambda value: value > 0,
                  description='Parallel openssl processes (``-multi``); results are their sum.'),
        Parameter('use_evp', kind=bool, default=True,
                  description='Time ciphers and digests through the EVP interface (``-evp``).'),
        cpus_parameter(),
    ]

    def validate(self):
        super().validate()
        for algorithm in self.algorithms:
            if not re.match(r'^[A-Za-z0-9][A-Za-z0-9._-]*$', algorithm):
                raise ConfigError('openssl: "{}" is not an algorithm name'.format(algorithm))

    def _speed_command(self, algorithm):
        args = [self.tool_path, 'speed', '-mr', '-seconds', self.seconds]
        if self.threads > 1:
            args += ['-multi', self.threads]
        if is_public_key_algorithm(algorithm):
            return args + [algorithm]
        if self.block_size:
            args += ['-bytes', self.block_size]
        return args + (['-evp', algorithm] if self.use_evp else [algorithm])

    def build_command(self, context):
        # One ``openssl speed`` per algorithm (``-evp`` takes a single one); joined with && in
        # a sh -c so that the output file collects them all.
        script = ' && '.join(shell_join(self.pin + self._speed_command(algorithm))
                             for algorithm in self.algorithms)
        return ['sh', '-c', script]

    def run_timeout(self):
        per_algorithm = self.seconds * (1 if self.block_size else 6) * 2 + 30
        return per_algorithm * len(self.algorithms) + 60

    def parse(self, text):
        return parse_openssl_speed(text)
