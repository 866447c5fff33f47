package io.github.etcdgrpclb.support.nemesis;

import static io.github.etcdgrpclb.support.nemesis.ActorClients.record;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.lock.EtcdLockTemplate;
import io.github.etcdgrpclb.lock.LockLease;
import io.github.etcdgrpclb.lock.LockNotAcquiredException;
import io.github.etcdgrpclb.support.FencedStore;

/**
 * A lock contender for the nemesis, in its own JVM: takes the lock again and again, and in each
 * critical section writes three times to a {@link FencedStore} with the lock's token, checking
 * {@code isValid()} before each write. Args: endpoints, lock name, lease TTL seconds, store name,
 * contender name. History lines (wall millis): "ACQUIRED <token> <t>", "WRITE <token> <accepted>
 * <begun t>", "LOST <token> <t>", "RELEASED <token> <t>", "ERROR <t> <what>".
 */
public final class LockContenderMain {

	private LockContenderMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		Client client = ActorClients.client(args[0]);
		EtcdLockTemplate locks = new EtcdLockTemplate(client, "/locks", Duration.ofSeconds(Long.parseLong(args[2])));
		FencedStore store = new FencedStore(client, args[3]);
		while (true) {
			try (LockLease lock = locks.tryLock(args[1], Duration.ofSeconds(10))) {
				record("ACQUIRED " + lock.token() + " " + System.currentTimeMillis());
				boolean lost = false;
				for (int write = 0; write < 3 && !lost; write++) {
					if (!lock.isValid()) {
						lost = true;
						record("LOST " + lock.token() + " " + System.currentTimeMillis());
						break;
					}
					long begun = System.currentTimeMillis();
					record("WRITE " + lock.token() + " " + store.write(lock.token(), args[4], lock.ownership()) + " " + begun);
					Thread.sleep(30);
				}
				if (!lost) {
					record("RELEASED " + lock.token() + " " + System.currentTimeMillis());
				}
			}
			catch (LockNotAcquiredException ex) {
				record("ERROR " + System.currentTimeMillis() + " not acquired");
			}
			catch (RuntimeException ex) {
				record("ERROR " + System.currentTimeMillis() + " " + ex);
				Thread.sleep(200);
			}
			Thread.sleep(ThreadLocalRandom.current().nextInt(50));
		}
	}

}
