// Run the fake cluster by hand: `npx tsx test/fakes/kube-apiserver/main.ts [pause-image]`.
// Prints the kubeconfig path; Ctrl-C removes every container and cgroup it made.
import { startFakeCluster } from './index';

const image = process.argv[2] ?? process.env.OOMLAB_PAUSE_IMAGE;
if (!image) {
  console.error('usage: main.ts <image with sleep, e.g. an oomlab/stress:<tag> built by the docker target>');
  process.exit(2);
}
const c = await startFakeCluster({ pauseImage: image });
console.log(`fake API server at ${c.url}\nexport KUBECONFIG=${c.kubeconfig}\nrequest log: ${c.logFile}`);
const stop = () => {
  c.close().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
