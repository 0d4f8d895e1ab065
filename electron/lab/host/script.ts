// The probe's one remote script: POSIX sh, built only from literals (nothing
// user-supplied), one round trip. It prints "key<TAB>value" lines that
// host/parse.ts turns into HostFacts. Privileged checks go through `sudo -n`
// when we are not root and sudo allows it; nothing here prompts.
//
// Side effect, undone before the script ends: one empty memory cgroup
// `oomlab-probe-<pid>-<random>` is created at the root of the memory
// hierarchy and removed again, to prove we can.

/** Tools reported in HostFacts.tools (name -> false or version/true). */
export const PROBED_TOOLS = ['stress', 'stress-ng', 'perl', 'python3', 'bash', 'dmesg', 'journalctl', 'docker', 'kubectl', 'k3s', 'timeout', 'setsid', 'sudo'] as const;

export const PROBE_SCRIPT = String.raw`
kv() { printf '%s\t%s\n' "$1" "$2"; }
# Bounded waits for commands that may talk to a daemon.
if command -v timeout >/dev/null 2>&1; then T="timeout 5"; else T=""; fi
first() { head -n 1 2>/dev/null | tr -d '\r'; }

kv version 1
kv kernel "$(uname -r)"
kv arch "$(uname -m)"
if [ -r /etc/os-release ]; then kv distro "$(. /etc/os-release 2>/dev/null; echo "$PRETTY_NAME")"; fi
uid=$(id -u); kv uid "$uid"
kv user "$(id -un 2>/dev/null)"
SUDO=""
if [ "$uid" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then kv sudo 1; SUDO="sudo -n"; else kv sudo 0; fi
fi

# cgroup mounts as the kernel lists them: "dev mountpoint type options ...".
while read -r dev mnt type opts rest; do
  case "$type" in cgroup|cgroup2) kv mount "$mnt $type $opts";; esac
done < /proc/self/mounts
kv rootfs "$(stat -fc %T /sys/fs/cgroup 2>/dev/null)"
for m in $(while read -r d mnt type rest; do [ "$type" = cgroup2 ] && echo "$mnt"; done < /proc/self/mounts); do
  kv v2controllers "$m $(cat "$m/cgroup.controllers" 2>/dev/null)"
  kv v2subtree "$m $(cat "$m/cgroup.subtree_control" 2>/dev/null)"
done
kv selfcgroup "$(grep -E '^[0-9]+:(memory)?:' /proc/self/cgroup | tr '\n' ' ')"

# Where the memory controller lives: a v1 hierarchy with "memory" in its
# options, else a cgroup2 mount listing memory in cgroup.controllers.
mem=""; memkind=""
while read -r d mnt type opts rest; do
  if [ "$type" = cgroup ]; then
    case ",$opts," in *,memory,*) mem=$mnt; memkind=v1; break;; esac
  fi
done < /proc/self/mounts
if [ -z "$mem" ]; then
  for m in $(while read -r d mnt type rest; do [ "$type" = cgroup2 ] && echo "$mnt"; done < /proc/self/mounts); do
    case " $(cat "$m/cgroup.controllers" 2>/dev/null) " in *" memory "*) mem=$m; memkind=v2; break;; esac
  done
fi
kv memmount "$mem"
kv memkind "$memkind"
if [ "$memkind" = v1 ] && [ -e "$mem/memory.memsw.limit_in_bytes" ]; then kv memsw 1; else kv memsw 0; fi
if [ -n "$mem" ] && { [ "$uid" = 0 ] || [ -n "$SUDO" ]; }; then
  rnd=$(od -An -N4 -tx4 /dev/urandom 2>/dev/null | tr -d ' \n')
  cg="$mem/oomlab-probe-$$-$rnd"
  if $SUDO mkdir "$cg" 2>/dev/null; then
    if [ "$memkind" = v1 ]; then f=memory.limit_in_bytes; else f=memory.max; fi
    if [ -e "$cg/$f" ]; then kv cgcreate ok; else kv cgcreate "nofile $f"; fi
    if $SUDO rmdir "$cg" 2>/dev/null; then kv cgremove ok; else kv cgremove "failed $cg"; fi
  else
    kv cgcreate "mkdir failed"
  fi
else
  kv cgcreate "not tried"
fi

# Tools: path, then a one-line version where the tool gives one cheaply.
for t in stress stress-ng perl python3 bash dmesg journalctl docker kubectl k3s timeout setsid sudo; do
  p=$(command -v "$t" 2>/dev/null) || p=""
  [ -z "$p" ] && continue
  kv "tool.$t" "$p"
  case "$t" in
    stress|stress-ng|python3|dmesg|journalctl|setsid|timeout|bash|docker|k3s) v=$($T "$t" --version 2>&1 | first);;
    perl) v=$(perl -e 'print "perl $^V"' 2>/dev/null);;
    kubectl) v=$($T kubectl version --client 2>/dev/null | first);;
    sudo) v=$(sudo -V 2>/dev/null | first);;
  esac
  kv "version.$t" "$v"
done

# Kernel log access, as the user and (when allowed) through sudo.
kv dmesg_restrict "$(cat /proc/sys/kernel/dmesg_restrict 2>/dev/null)"
# One record, without blocking: /dev/kmsg readers start at the oldest record.
if $T $SUDO dd if=/dev/kmsg iflag=nonblock of=/dev/null bs=8192 count=1 >/dev/null 2>&1; then kv kmsg 1; else kv kmsg 0; fi
if $SUDO dmesg >/dev/null 2>&1; then kv dmesg 1; else kv dmesg 0; fi
if command -v journalctl >/dev/null 2>&1 && [ -n "$($T $SUDO journalctl -k -n 1 -q --no-pager 2>/dev/null)" ]; then kv journal 1; else kv journal 0; fi

# Containers and pods.
if command -v docker >/dev/null 2>&1; then kv dockerd "$($T $SUDO docker info --format '{{.ServerVersion}}' 2>/dev/null | first)"; fi
for k in "$KUBECONFIG" "$HOME/.kube/config" /etc/rancher/k3s/k3s.yaml; do
  if [ -n "$k" ] && $SUDO test -r "$k" 2>/dev/null; then kv kubeconfig "$k"; break; fi
done

# Memory.
while read -r k v u; do
  case "$k" in MemTotal:|MemAvailable:|SwapTotal:) kv "meminfo.$k" "$v $u";; esac
done < /proc/meminfo
kv overcommit "$(cat /proc/sys/vm/overcommit_memory 2>/dev/null)"
kv pagesize "$(getconf PAGESIZE 2>/dev/null)"
kv end 1
`;
