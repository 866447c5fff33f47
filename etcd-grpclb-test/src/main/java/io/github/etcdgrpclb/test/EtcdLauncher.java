package io.github.etcdgrpclb.test;

import java.util.concurrent.CountDownLatch;

/**
 * Starts a real etcd from the command line and keeps it running until the process is stopped;
 * prints {@code ETCD_ENDPOINTS=<urls>} once it serves. Used by the demo.
 *
 * <pre>java -cp ... io.github.etcdgrpclb.test.EtcdLauncher [members]</pre>
 */
public final class EtcdLauncher {

	private EtcdLauncher() {
	}

	public static void main(String[] args) throws InterruptedException {
		int members = (args.length > 0) ? Integer.parseInt(args[0]) : 1;
		EtcdCluster etcd = EtcdCluster.builder().members(members).start();
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			etcd.close();
			stopped.countDown();
		}, "etcd-launcher-shutdown"));
		System.out.println("ETCD_ENDPOINTS=" + etcd.endpoints());
		System.out.flush();
		stopped.await();
	}

}
