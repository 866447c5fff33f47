package io.github.etcdgrpclb.support;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockLease;

/**
 * Takes a lock in its own JVM and holds it until killed. Args: endpoints, lock key, lease TTL seconds.
 * Prints "HELD <key>" once it holds the lock.
 */
public final class LockHolderMain {

	private LockHolderMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		Client client = Client.builder().endpoints(args[0].split(",")).build();
		EtcdLockTemplate template = new EtcdLockTemplate(client, "/locks", Duration.ofSeconds(Long.parseLong(args[2])));
		LockLease lock = template.tryLock(args[1], Duration.ofSeconds(10));
		System.out.println("HELD " + lock.key());
		System.out.flush();
		new CountDownLatch(1).await();
	}

}
