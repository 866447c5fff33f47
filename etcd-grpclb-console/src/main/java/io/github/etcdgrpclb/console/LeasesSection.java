package io.github.etcdgrpclb.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.lease.LeaseTimeToLiveResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.github.etcdgrpclb.etcd.EtcdBytes;
import io.github.etcdgrpclb.etcd.EtcdErrors;
import io.github.etcdgrpclb.etcd.StateMachineThreads;
import io.github.etcdgrpclb.registry.RegistryKey;

/**
 * Each registered instance's lease: the TTL left (what a crashed server still has before its key goes)
 * against the TTL granted, and since when the console has seen the registration (etcd keeps no time: a
 * registration older than the console shows as such). etcd has no watch of TTLs: read every 2 s, a
 * section of its own so that the services' forms are never redrawn under an admin's typing.
 */
final class LeasesSection implements AutoCloseable {

	private static final long PERIOD_MILLIS = 2000;

	private final Client client;

	private final String prefix;

	private final LiveSections sections;

	private final Instant started = Instant.now();

	/** Registration (key @ create revision) -> when first seen; null: there when the console started. */
	private final Map<String, Instant> firstSeen = new HashMap<>();

	private boolean firstRead = true;

	private final ScheduledExecutorService timer = StateMachineThreads.timer("console-leases");

	/** @param prefix the registry prefix, e.g. {@code /grpclb} */
	LeasesSection(Client client, String prefix, LiveSections sections) {
		this.client = client;
		this.prefix = prefix;
		this.sections = sections;
		this.timer.scheduleWithFixedDelay(this::read, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

	private void read() {
		try {
			List<KeyValue> keys = this.client.getKVClient()
				.get(EtcdBytes.bytes(this.prefix + "/"), GetOption.builder().isPrefix(true).withKeysOnly(true).build())
				.get(2, TimeUnit.SECONDS)
				.getKvs();
			Map<Long, LeaseTimeToLiveResponse> leases = new HashMap<>();
			for (KeyValue key : keys) {
				if (key.getLease() != 0 && !leases.containsKey(key.getLease())) {
					leases.put(key.getLease(),
							this.client.getLeaseClient().timeToLive(key.getLease(), LeaseOption.DEFAULT).get(2, TimeUnit.SECONDS));
				}
			}
			List<Row> rows = rows(keys, leases);
			this.sections.update("leases", rows, html(rows, null));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			this.sections.update("leases", List.of(), html(List.of(), "etcd did not answer: " + EtcdErrors.describe(ex)));
		}
	}

	private List<Row> rows(List<KeyValue> keys, Map<Long, LeaseTimeToLiveResponse> leases) {
		Map<String, Instant> seen = new HashMap<>();
		List<Row> rows = new ArrayList<>();
		for (KeyValue key : keys) {
			String name = EtcdBytes.text(key.getKey());
			RegistryKey instance = RegistryKey.parse(this.prefix, name);
			if (instance == null) {
				continue;
			}
			String registration = name + "@" + key.getCreateRevision();
			Instant since = this.firstRead ? null : this.firstSeen.getOrDefault(registration, Instant.now());
			seen.put(registration, since);
			LeaseTimeToLiveResponse lease = leases.get(key.getLease());
			rows.add(new Row(instance.service(), instance.address(), Long.toHexString(key.getLease()),
					(lease != null) ? lease.getTTL() : -1, (lease != null) ? lease.getGrantedTTL() : -1, since));
		}
		this.firstSeen.clear();
		this.firstSeen.putAll(seen);
		this.firstRead = false;
		return rows;
	}

	private String html(List<Row> rows, String error) {
		if (error != null) {
			return Html.empty(error);
		}
		if (rows.isEmpty()) {
			return Html.empty("No instance is registered.");
		}
		String body = rows.stream()
			.map((row) -> "<tr class=\"lease\" data-address=\"" + Html.escape(row.address()) + "\">"
					+ Html.cell("service", row.service()) + Html.cell("address", row.address())
					+ Html.cell("lease", row.lease())
					+ Html.cell("ttl", (row.ttlLeft() >= 0) ? row.ttlLeft() + " s of " + row.grantedTtl() + " s" : "no lease")
					+ Html.cell("since", (row.since() != null) ? Html.time(row.since())
							: "before " + Html.time(this.started) + " (the console's start)")
					+ "</tr>")
			.collect(Collectors.joining());
		return Html.table("leases", "Registrations", List.of("service", "instance", "lease", "TTL left", "seen since"),
				body);
	}

	/**
	 * One registration's lease.
	 * @param service the service
	 * @param address {@code host:port}
	 * @param lease the lease, in hex as etcdctl shows it
	 * @param ttlLeft seconds left before the key goes unless kept alive (-1: no lease)
	 * @param grantedTtl the lease's TTL
	 * @param since when the console first saw this registration, null when it was there at the console's start
	 */
	record Row(String service, String address, String lease, long ttlLeft, long grantedTtl, Instant since) {

	}

}
