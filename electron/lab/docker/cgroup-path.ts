// Where a container's memory cgroup is. The lab reads it from
// /proc/<init pid>/cgroup on the host (the host's cgroup namespace, so the path
// is the host's even when the container has a private cgroupns) and checks it
// against what the daemon's driver would make:
//   cgroupfs, v1 or v2:  <CgroupParent or /docker>/<id>          (/docker/<id>)
//   systemd,  v1 or v2:  <slice path>/docker-<id>.scope           (/system.slice/docker-<id>.scope)
// Pure.

export type CgroupFlavour = 'cgroup-v1' | 'cgroup-v2';

/**
 * The memory cgroup path in a /proc/PID/cgroup text: the v1 line whose
 * controllers include memory, else the v2 "0::" line. null when neither is there.
 */
export function memoryCgroupOf(procCgroup: string, flavour: CgroupFlavour): string | null {
  let unified: string | null = null;
  for (const line of procCgroup.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, hid, controllers, path] = m;
    if (flavour === 'cgroup-v1' && controllers!.split(',').includes('memory')) return path!;
    if (hid === '0' && controllers === '') unified = path!;
  }
  return flavour === 'cgroup-v2' ? unified : null;
}

/** "a-b-c.slice" -> "/a.slice/a-b.slice/a-b-c.slice", as systemd nests slices; "-.slice" is the root. */
export function sliceToPath(slice: string): string {
  if (slice === '-.slice' || slice === '') return '';
  if (!slice.endsWith('.slice')) return slice.startsWith('/') ? slice.replace(/\/+$/, '') : `/${slice}`;
  const parts = slice.slice(0, -'.slice'.length).split('-');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) out.push(`${parts.slice(0, i + 1).join('-')}.slice`);
  return `/${out.join('/')}`;
}

/** What the daemon's cgroup driver makes for a container id (HostConfig.CgroupParent "" = the default). */
export function expectedContainerCgroup(id: string, driver: string, cgroupParent: string): string {
  if (driver === 'systemd') {
    // With systemd, CgroupParent is a slice name ("" = system.slice).
    return `${sliceToPath(cgroupParent || 'system.slice')}/docker-${id}.scope`;
  }
  const parent = (cgroupParent || '/docker').replace(/\/+$/, '');
  return `${parent.startsWith('/') ? '' : '/'}${parent}/${id}`;
}

/** The path's last segment names this container (<id> or docker-<id>.scope). */
export function namesContainer(path: string, id: string): boolean {
  const last = path.split('/').filter(Boolean).pop() ?? '';
  return last === id || last === `docker-${id}.scope`;
}

/** Absolute cgroupfs directory for a hierarchy path under the memory mount. */
export function cgroupDir(mount: string, hierarchyPath: string): string {
  if (!hierarchyPath.startsWith('/') || hierarchyPath.includes('/../') || hierarchyPath.endsWith('/..')) throw new Error(`odd cgroup path ${JSON.stringify(hierarchyPath)}`);
  return `${mount.replace(/\/+$/, '')}${hierarchyPath === '/' ? '' : hierarchyPath}`;
}
