"""Finding, requiring and running command-line tools on the target.

``target`` is a devlib target (``self.target`` in a plugin); devlib itself is only imported
inside ``execute``, so importing this module stays cheap.
"""
import shlex

from wa import NotSupportedError, WorkloadError


def which(target, tool):
    """The path of ``tool`` on the target's PATH (devlib's executables directory included), or
    None. One ``command -v`` on the target: devlib's own ``which`` lists every PATH directory,
    a command each, which is slow over SSH."""
    try:
        output = target.execute('command -v {}'.format(shlex.quote(tool)),
                                check_exit_code=False)
    except Exception:  # pylint: disable=broad-except
        return target.which(tool)
    lines = [line.strip() for line in (output or '').splitlines() if line.strip()]
    return lines[-1] if lines and lines[-1].startswith('/') else None


def missing_tool_message(tool, package=None):
    """The one line a user sees when ``tool`` is missing on the target, naming the Debian
    ``package`` that provides it when one is given."""
    hint = '; install the Debian package "{}"'.format(package) if package else ''
    return '{} is not installed on the target{}'.format(tool, hint)


def require_tool(target, tool, package=None):
    """The path of ``tool`` on the target; NotSupportedError (``missing_tool_message``) if it
    is absent, so that the job is skipped with a line saying what to install."""
    path = which(target, tool)
    if not path:
        raise NotSupportedError(missing_tool_message(tool, package))
    return path


def taskset_prefix(target, cpus):
    """``['taskset', '-c', '0,1']`` to pin a command to the CPU numbers ``cpus``; ``[]`` when
    none are given. NotSupportedError when taskset (util-linux) is missing."""
    if not cpus:
        return []
    require_tool(target, 'taskset', 'util-linux')
    return ['taskset', '-c', ','.join(str(cpu) for cpu in cpus)]


def tail(text, lines=15):
    """The last ``lines`` non-empty lines of ``text`` (the part of a tool's output worth
    quoting in an error message)."""
    kept = [line for line in (text or '').splitlines() if line.strip()]
    return '\n'.join(kept[-lines:])


def last_words(text, chars=300):
    """The end of ``text`` (at most its last ``chars`` characters) on one line, every run of
    whitespace made one space: a tool's output quoted in a one-line error."""
    return ' '.join((text or '').split())[-chars:]


def execute(target, command, timeout=None, as_root=False, what='command'):
    """Runs ``command`` (a shell string) on the target and returns what it printed.

    A command that fails or runs longer than ``timeout`` seconds raises WorkloadError naming
    ``what``, how it ended (exit status, timeout) and the ``tail`` of its output, instead of
    devlib's multi-line error."""
    from devlib.exception import TargetStableError, TimeoutError as DevlibTimeoutError
    try:
        return target.execute(command, timeout=timeout, as_root=as_root)
    except DevlibTimeoutError:
        raise WorkloadError('{} did not finish within {} s'.format(what, timeout))
    except TargetStableError as error:
        code = getattr(error, 'returncode', None)
        if code is None:
            raise WorkloadError('{} failed: {}'.format(what, tail(str(error), 20)))
        output = '\n'.join(_text(part) for part in (getattr(error, 'output', None),
                                                    getattr(error, 'stderr', None)))
        message = '{} exited with status {}'.format(what, code)
        if output.strip():
            message += '; its output ends with:\n' + tail(output)
        raise WorkloadError(message)


def _text(value):
    if value is None:
        return ''
    if isinstance(value, bytes):
        return value.decode('utf-8', 'replace')
    return str(value)
