#!/usr/bin/env bash
# The Docker daemon the docker integration tests (test/integration/docker/)
# need on a fresh CI machine. Nothing can be pulled there, so it runs without
# a bridge or iptables rules; the tests build their image from the host.
#
#   .ci/dockerd.sh start   install docker.io if dockerd is missing, start it in
#                          the background, wait until `docker info` answers
#   .ci/dockerd.sh stop    remove oomlab containers, stop the dockerd we started
#
# A daemon that already answers is used as it is and never stopped by us.
set -euo pipefail
PIDFILE=/run/oomlab-ci-dockerd.pid
LOG=${OOMLAB_DOCKERD_LOG:-/tmp/oomlab-ci-dockerd.log}
# Extra dockerd flags (e.g. a separate --data-root/-H to try this script beside a running daemon).
EXTRA=${OOMLAB_DOCKERD_EXTRA:-}

say() { printf 'dockerd.sh: %s\n' "$*"; }

start() {
  if docker info >/dev/null 2>&1; then
    say "a Docker daemon already answers; using it"
    return 0
  fi
  if ! command -v dockerd >/dev/null 2>&1; then
    say "installing docker.io"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
  fi
  # shellcheck disable=SC2086
  dockerd --iptables=false --bridge=none $EXTRA >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  local pid i
  pid=$(cat "$PIDFILE")
  for i in $(seq 1 240); do
    if docker info >/dev/null 2>&1; then
      say "up: $(docker info --format 'server {{.ServerVersion}}, cgroup driver {{.CgroupDriver}}, cgroup v{{.CgroupVersion}}')"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      say "dockerd exited; its log:"
      tail -n 30 "$LOG" >&2
      rm -f "$PIDFILE"
      return 1
    fi
    sleep 0.5
  done
  say "dockerd did not answer within 120 s; its log:"
  tail -n 30 "$LOG" >&2
  return 1
}

stop() {
  if [ ! -f "$PIDFILE" ]; then
    say "no dockerd of ours to stop"
    return 0
  fi
  local pid ids i
  pid=$(cat "$PIDFILE")
  ids=$(docker ps --all --quiet --filter label=oomlab 2>/dev/null || true)
  if [ -n "$ids" ]; then
    say "removing leftover oomlab containers: $(echo $ids)"
    # shellcheck disable=SC2086
    docker rm --force --volumes $ids >/dev/null || true
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "dockerd $pid did not stop within 30 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  say "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
