#!/usr/bin/env bash
# A LAVA mini-farm on 127.0.0.1 for WA's LAVA tests (and for trying `wa lava` by hand):
# Debian's lava-server/lava-dispatcher (as installed by scripts/install.sh), every service
# started by hand (no systemd needed), N `ssh` devices whose "board" is a throwaway sshd on
# 127.0.0.1 (so the job's test shell runs on this machine), W lava-workers.
#
#   scripts/lava-farm.sh up [N=3] [W=2]   prints SERVER=<xml-rpc url> and TOKEN_FILE=<path>
#   scripts/lava-farm.sh down             stops everything it started (by pid file)
#
# Needs root. State and logs in $WA_LAVA_FARM (default /tmp/wa-lava-farm); device NAME's sshd
# pid is in $WA_LAVA_FARM/sshd-NAME/sshd.pid (kill it to make a dead board). Devices are
# named ssh01..ssh<N> and each is tagged with its own name, so a job can be pinned to it.
set -euo pipefail
F=${WA_LAVA_FARM:-/tmp/wa-lava-farm}
URL=http://127.0.0.1:8000
alive() { [ -s "$F/$1.pid" ] && kill -0 "$(cat "$F/$1.pid")" 2>/dev/null; }
start() {  # start NAME CMD...: CMD detached, unless NAME is running; pid in $F/NAME.pid
  local name=$1; shift
  alive "$name" && return 0
  setsid "$@" >"$F/$name.out" 2>&1 </dev/null & echo $! >"$F/$name.pid"
}
pg_version() { ls /usr/lib/postgresql | sort -n | tail -1; }

down() {
  for p in "$F"/worker-w*.pid "$F"/scheduler.pid "$F"/publisher.pid "$F"/gunicorn.pid \
           "$F"/sshd-*/sshd.pid; do
    [ -s "$p" ] && kill "$(cat "$p")" 2>/dev/null || true
    rm -f "$p"
  done
  # The ssh deploy leaves the test shell's overlay in / of the "board" (this host).
  rm -rf /lava-[0-9]* 2>/dev/null || true
}

services() {
  # postgres first: the server and the DB objects below need it.
  pg_ctlcluster "$(pg_version)" main start >/dev/null 2>&1 || true
  # Events on: the scheduler wakes up on submit instead of every 20 s; zmq on loopback only.
  printf 'EVENT_NOTIFICATION: true\nEVENT_SOCKET: "tcp://127.0.0.1:5500"\n' \
    >/etc/lava-server/settings.d/01-wa-farm.yaml
  if ! curl -sf "$URL/api/v0.2/system/version/" >/dev/null; then
    gunicorn3 lava_server.wsgi --log-file "$F/gunicorn.log" -u lavaserver -g lavaserver \
      --worker-class eventlet --workers 2 --bind 127.0.0.1:8000 --daemon --pid "$F/gunicorn.pid"
  fi
  start publisher lava-server manage lava-publisher --log-file "$F/publisher.log" \
    --host 127.0.0.1 --port 8001 -u lavaserver -g lavaserver
  start scheduler lava-server manage lava-scheduler --log-file "$F/scheduler.log" \
    --event-url tcp://127.0.0.1:5500 -u lavaserver -g lavaserver
}

board() {  # board NAME: a fresh sshd on a free port, and the device dictionary pointing at it
  local name=$1 s="$F/sshd-$1" port
  mkdir -p "$s" /run/sshd; chmod 700 "$s"
  [ -f "$s/host" ] || ssh-keygen -q -t ed25519 -N '' -f "$s/host"
  [ -f "$s/user" ] || ssh-keygen -q -t ed25519 -N '' -f "$s/user"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf '%s\n' "ListenAddress 127.0.0.1" "Port $port" "HostKey $s/host" \
    "AuthorizedKeysFile $s/user.pub" "PidFile $s/sshd.pid" "PermitRootLogin yes" \
    "PasswordAuthentication no" "StrictModes no" "UsePAM no" \
    "Subsystem sftp internal-sftp" >"$s/sshd_config"
  /usr/sbin/sshd -f "$s/sshd_config"
  printf '%s\n' "{% extends 'ssh.jinja2' %}" "{% set ssh_host = '127.0.0.1' %}" \
    "{% set ssh_port = $port %}" "{% set ssh_user = 'root' %}" \
    "{% set ssh_identity_file = '$s/user' %}" "{% block schroot %}{% endblock schroot %}" \
    >"/etc/lava-server/dispatcher-config/devices/$name.jinja2"
}

database() {  # user, token, device type, workers, devices: one Django start-up (~2 s)
  FARM_DEVS="$1" FARM_W="$2" FARM_DIR="$F" lava-server manage shell -c '
import os
from django.contrib.auth.models import User
from linaro_django_xmlrpc.models import AuthToken
from lava_scheduler_app.models import Device, DeviceType, Tag, Worker
F = os.environ["FARM_DIR"]
user, _ = User.objects.get_or_create(username="wa-tests")
user.is_superuser = user.is_staff = True
user.save()
token = AuthToken.objects.filter(user=user).first() or AuthToken.objects.create(user=user)
with open(os.open(F + "/token", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as fh:
    fh.write(token.secret + "\n")
device_type, _ = DeviceType.objects.get_or_create(name="ssh")
for i in range(1, int(os.environ["FARM_W"]) + 1):
    worker, _ = Worker.objects.get_or_create(hostname="w%d" % i)
    worker.health = Worker.HEALTH_ACTIVE
    worker.save()
    with open(os.open(F + "/w%d.token" % i, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as fh:
        fh.write(worker.token + "\n")
for item in os.environ["FARM_DEVS"].split():
    name, worker = item.split(":")
    device, _ = Device.objects.get_or_create(hostname=name, defaults=dict(
        device_type=device_type, worker_host=Worker.objects.get(hostname=worker)))
    device.worker_host = Worker.objects.get(hostname=worker)
    device.health, device.state = Device.HEALTH_GOOD, Device.STATE_IDLE
    device.save()
    device.tags.add(Tag.objects.get_or_create(name=name)[0])
'
}

workers() {  # workers W: lava-workers pinging every 2 s, and wait until each has pinged
  local since
  since=$(date -u +%Y-%m-%dT%H:%M:%S)
  for w in $(seq 1 "$1"); do
    start "worker-w$w" lava-worker --url "$URL/" --name "w$w" --token-file "$F/w$w.token" \
      --ping-interval 2 --worker-dir "$F/worker-w$w" --log-file "$F/worker-w$w.log"
  done
  for _ in $(seq 120); do
    n=$(curl -s -H "Authorization: Token $(cat "$F/token")" "$URL/api/v0.2/workers/?format=json" |
        python3 -c 'import json, sys; print(sum(1 for w in json.load(sys.stdin)["results"]
          if w["hostname"].startswith("w") and (w["last_ping"] or "") >= sys.argv[1]))' "$since" \
        2>/dev/null || echo 0)
    [ "$n" -ge "$1" ] && return 0
    sleep 0.5
  done
  echo "lava-workers did not ping the server: see $F/worker-w*.log" >&2
  return 1
}

up() {
  local n=${1:-3} w=${2:-2} devs=""
  command -v lava-server >/dev/null || { echo "lava-server is not installed" >&2; exit 3; }
  mkdir -p "$F"
  services
  for d in $(seq 1 "$n"); do
    name=$(printf 'ssh%02d' "$d")
    [ -s "$F/sshd-$name/sshd.pid" ] && kill "$(cat "$F/sshd-$name/sshd.pid")" 2>/dev/null || true
    board "$name"
    devs="$devs $name:w$(( (d - 1) % w + 1 ))"
  done
  for _ in $(seq 100); do curl -sf "$URL/api/v0.2/system/version/" >/dev/null && break; sleep 0.2; done
  database "$devs" "$w"
  workers "$w"
  echo "SERVER=$URL/RPC2"
  echo "USERNAME=wa-tests"
  echo "TOKEN_FILE=$F/token"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  *) echo "usage: $0 up [N_DEVICES] [N_WORKERS] | down" >&2; exit 2 ;;
esac
