"""Shell snippets for plugins that start a process on the target and stop it later.

A pid alone does not name a process for ever: once the process has ended, the kernel may give
its pid to another one (another run's tool, anything). A process is named by its pid and its
start time (field 22 of ``/proc/<pid>/stat``, clock ticks since boot), and is signalled only
while both still match. See proc(5).
"""
def start_time(pid):
    """Shell printing the start time of process ``pid`` (a number or a shell word such as
    ``"$pid"``), or nothing once it has ended. The command name, which may hold spaces or
    parentheses, is skipped up to the last ``) ``."""
    return "sed 's/.*) //' /proc/{}/stat 2>/dev/null | cut -d' ' -f20".format(pid)


def if_same_process(pid, started, action):
    """Shell (ending in ``;``) that runs ``action`` only if ``pid`` is still the process
    that had start time ``started`` (shell words); never when ``started`` is empty."""
    return 'if [ -n {s} ] && [ "$({now})" = {s} ]; then {action} fi;'.format(
        s=started, now=start_time(pid), action=action.rstrip().rstrip(';') + ';')

