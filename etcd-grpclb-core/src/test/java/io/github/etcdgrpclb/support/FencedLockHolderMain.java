package io.github.etcdgrpclb.support;

import java.time.Duration;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Cmp;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockLease;

/**
 * Takes a lock in its own JVM, then writes to a {@link FencedStore} with the lock's token every 50 ms
 * while {@code isValid()} says it still holds the lock, as the README tells a holder to. When it finds
 * the lock invalid it says so, tries one write anyway (what a holder past its last check would do) and
 * reports how the store answered. Args: endpoints, lock name, lease TTL seconds, store name, writer name,
 * and "guarded" to guard each write by the lock's {@code ownership()} as well as its token.
 * Prints "HELD <token>", "WROTE <accepted> <wall millis when the write began>", "INVALID <wall millis>",
 * "STALE <accepted>".
 */
public final class FencedLockHolderMain {

	private FencedLockHolderMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		Client client = Client.builder().endpoints(args[0].split(",")).build();
		EtcdLockTemplate template = new EtcdLockTemplate(client, "/locks", Duration.ofSeconds(Long.parseLong(args[2])));
		FencedStore store = new FencedStore(client, args[3]);
		LockLease lock = template.tryLock(args[1], Duration.ofSeconds(10));
		Cmp[] guards = (args.length > 5 && args[5].equals("guarded")) ? new Cmp[] { lock.ownership() } : new Cmp[0];
		print("HELD " + lock.token());
		while (lock.isValid()) {
			long started = System.currentTimeMillis();
			print("WROTE " + store.write(lock.token(), args[4], guards) + " " + started);
			Thread.sleep(50);
		}
		print("INVALID " + System.currentTimeMillis());
		print("STALE " + store.write(lock.token(), args[4] + " (stale)", guards));
		Thread.sleep(Long.MAX_VALUE);
	}

	private static void print(String line) {
		System.out.println(line);
		System.out.flush();
	}

}
