package io.github.etcdgrpclb.nemesis;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.support.nemesis.ActorProcess;
import io.github.etcdgrpclb.support.nemesis.Schedule;

/**
 * Whether every server actor is registered, as etcd says: each prints its port, its key is
 * {@code /grpclb/nemesis/127.0.0.1:<port>}. After each step of the schedule healed, every server must
 * be registered again within the allowed time; the longest wait is kept for the report.
 */
final class Registrations {

	private final Client client;

	private final List<ActorProcess> servers;

	private final List<String> keys = new ArrayList<>();

	private long worstMillis;

	Registrations(Client client, List<ActorProcess> servers) {
		this.client = client;
		this.servers = servers;
	}

	/** Waits until every server started and registered. */
	void await(Duration timeout) throws Exception {
		for (ActorProcess server : this.servers) {
			String port = server.awaitLine("PORT=", timeout).substring("PORT=".length()).trim();
			this.keys.add("/grpclb/nemesis/127.0.0.1:" + port);
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!allRegistered()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The servers did not register within " + timeout);
			}
			Thread.sleep(20);
		}
	}

	/** @return a violation when some server was not registered again within {@code allowed} */
	Optional<String> afterHeal(Schedule.Step step, Duration allowed) throws Exception {
		long healed = System.nanoTime();
		long deadline = healed + allowed.toNanos();
		while (!allRegistered()) {
			if (System.nanoTime() > deadline) {
				return Optional.of("not every server registered within " + allowed + " after " + step.faults());
			}
			Thread.sleep(20);
		}
		long waited = (System.nanoTime() - healed) / 1_000_000;
		if (waited > 1000) {
			System.out.printf("  every server registered %d ms after %s healed%n", waited, step.faults());
		}
		this.worstMillis = Math.max(this.worstMillis, waited);
		return Optional.empty();
	}

	long worstMillis() {
		return this.worstMillis;
	}

	private boolean allRegistered() throws Exception {
		for (String key : this.keys) {
			try {
				if (this.client.getKVClient().get(bytes(key)).get(2, TimeUnit.SECONDS).getKvs().isEmpty()) {
					return false;
				}
			}
			catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ex) {
				return false; // etcd still settling after the step: not known registered yet
			}
		}
		return true;
	}

}
