package io.github.etcdgrpclb.console;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.PutOption;
import io.github.etcdgrpclb.etcd.EtcdBytes;
import io.github.etcdgrpclb.etcd.EtcdErrors;
import io.github.etcdgrpclb.registry.OperatorOverride;
import io.github.etcdgrpclb.registry.RegistryKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an admin changes from the console, written where the instances read it: the operator's key of
 * an instance, {@code <prefix>-ops/<service>/<host:port>} ({@link OperatorOverride}), which the instance's
 * registrar watches and publishes under its own key, as a plain weight the Go tutorial's clients read
 * too. Never through an instance's HTTP port. Unpinned changes go on the instance's lease and end with
 * its registration; pinned ones have no lease and outlive restarts. Each change is logged by the
 * {@code io.github.etcdgrpclb.console.audit} logger, and the key itself says who made it and when.
 */
class OperatorActions {

	private static final Logger audit = LoggerFactory.getLogger("io.github.etcdgrpclb.console.audit");

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final KV kv;

	private final String prefix;

	private final int maxWeight;

	/**
	 * @param client the console's etcd client
	 * @param prefix the registry prefix, e.g. {@code /grpclb}
	 * @param maxWeight the largest weight an admin may set
	 */
	OperatorActions(Client client, String prefix, int maxWeight) {
		this.kv = client.getKVClient();
		this.prefix = prefix;
		this.maxWeight = maxWeight;
	}

	/** Publishes another weight for the instance (a drain stays as it is). */
	void setWeight(String user, String service, String address, int weight, boolean pinned) {
		if (weight < 1 || weight > this.maxWeight) {
			throw new IllegalArgumentException("A weight must be from 1 to " + this.maxWeight + ", was " + weight);
		}
		OperatorOverride current = current(service, address);
		write(user, service, address, new OperatorOverride(weight, current.drained(), user, now()), pinned);
	}

	/** Withdraws the instance's key: it keeps serving, clients send it no new calls. */
	void drain(String user, String service, String address, boolean pinned) {
		OperatorOverride current = current(service, address);
		write(user, service, address, new OperatorOverride(current.weight(), true, user, now()), pinned);
	}

	/** Removes the operator's change: the instance publishes its own weight again, drained or not. */
	void reset(String user, String service, String address) {
		String key = opsKey(service, address);
		await(this.kv.delete(EtcdBytes.bytes(key)));
		audit.info("{} reset {}: the instance publishes its own weight again", user, key);
	}

	private void write(String user, String service, String address, OperatorOverride change, boolean pinned) {
		String key = opsKey(service, address);
		long lease = pinned ? 0 : instanceLease(service, address);
		PutOption option = (lease != 0) ? PutOption.builder().withLeaseId(lease).build() : PutOption.DEFAULT;
		await(this.kv.put(EtcdBytes.bytes(key), EtcdBytes.bytes(change.toJson()), option));
		audit.info("{} set {} = {} ({})", user, key, change.toJson(),
				pinned ? "pinned: outlives restarts of the instance" : "until the instance's registration ends");
	}

	/** @return the lease of the instance's registration, or of its current unpinned change while drained */
	private long instanceLease(String service, String address) {
		KeyValue registered = get(this.prefix + "/" + service + "/" + address);
		if (registered != null && registered.getLease() != 0) {
			return registered.getLease();
		}
		KeyValue change = get(opsKey(service, address));
		if (change != null && change.getLease() != 0) {
			return change.getLease();
		}
		throw new IllegalArgumentException(service + " has no registered instance " + address
				+ ": a change for an instance that is not running must be pinned");
	}

	private OperatorOverride current(String service, String address) {
		KeyValue change = get(opsKey(service, address));
		if (change == null) {
			return OperatorOverride.NONE;
		}
		try {
			return OperatorOverride.parse(EtcdBytes.text(change.getValue()));
		}
		catch (IllegalArgumentException ex) {
			return OperatorOverride.NONE; // replaced by this change
		}
	}

	private KeyValue get(String key) {
		return await(this.kv.get(EtcdBytes.bytes(key))).getKvs().stream().findFirst().orElse(null);
	}

	private String opsKey(String service, String address) {
		return new RegistryKey(service, address).under(OperatorOverride.opsPrefix(this.prefix));
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.SECONDS);
	}

	private static <T> T await(java.util.concurrent.CompletableFuture<T> request) {
		try {
			return request.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("etcd refused: " + EtcdErrors.describe(ex.getCause()), ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("etcd did not answer within " + TIMEOUT.toSeconds() + " s", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while writing to etcd", ex);
		}
	}

}
