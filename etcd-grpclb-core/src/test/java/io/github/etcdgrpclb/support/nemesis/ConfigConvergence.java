package io.github.etcdgrpclb.support.nemesis;

import static io.github.etcdgrpclb.etcd.EtcdBytes.bytes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.etcd.jetcd.Client;
import io.github.etcdgrpclb.etcd.EtcdClientDefaults;
import io.github.etcdgrpclb.config.ConfigFolderSnapshot;
import io.github.etcdgrpclb.config.ConfigWatchSettings;
import io.github.etcdgrpclb.config.EtcdConfigWatcher;

/**
 * Configuration under the nemesis: a value written to {@code /config/nemesis/value} every 500 ms and
 * two applications' watchers (each with its own client) following it. When writing stops, both must
 * converge to the last value written.
 */
public final class ConfigConvergence implements AutoCloseable {

	private static final String FOLDER = "/config/nemesis/";

	private final Client writer;

	private final List<Client> clients = new ArrayList<>();

	private final List<EtcdConfigWatcher> watchers = new ArrayList<>();

	private final List<AtomicReference<String>> seen = new ArrayList<>();

	private final AtomicLong written = new AtomicLong();

	private final ScheduledExecutorService writing = Executors.newSingleThreadScheduledExecutor();

	public ConfigConvergence(String endpoints, String user, String password, Client writer) {
		this.writer = writer;
		for (int i = 0; i < 2; i++) {
			Client client = EtcdClientDefaults.apply(Client.builder()).endpoints(endpoints.split(",")).user(bytes(user)).password(bytes(password))
				.build();
			AtomicReference<String> value = new AtomicReference<>();
			EtcdConfigWatcher watcher = new EtcdConfigWatcher(client, ConfigWatchSettings.defaults(),
					(snapshot) -> value.set(snapshot.entries().get("value")));
			watcher.start(List.of(ConfigFolderSnapshot.unread(FOLDER)));
			this.clients.add(client);
			this.watchers.add(watcher);
			this.seen.add(value);
		}
		this.writing.scheduleWithFixedDelay(this::write, 0, 500, TimeUnit.MILLISECONDS);
	}

	private void write() {
		String value = Long.toString(this.written.get() + 1);
		try {
			this.writer.getKVClient().put(bytes(FOLDER + "value"), bytes(value)).get(3, TimeUnit.SECONDS);
			this.written.incrementAndGet();
		}
		catch (Exception ex) {
			// etcd away during a fault: the next round writes again
		}
	}

	/** @return how many writes etcd confirmed */
	public long writes() {
		return this.written.get();
	}

	/** Stops writing; the watchers go on until {@link #check}. */
	@Override
	public void close() throws InterruptedException {
		this.writing.shutdown();
		this.writing.awaitTermination(10, TimeUnit.SECONDS);
	}

	/**
	 * @return a violation per watcher that did not reach the value etcd holds (the last write it
	 * accepted: a write that timed out may still have landed) within {@code timeout}
	 */
	public List<String> check(Duration timeout) throws Exception {
		String last = io.github.etcdgrpclb.etcd.EtcdBytes.text(this.writer.getKVClient()
			.get(bytes(FOLDER + "value"))
			.get(10, TimeUnit.SECONDS)
			.getKvs()
			.get(0)
			.getValue());
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline && this.seen.stream().anyMatch((value) -> !last.equals(value.get()))) {
			Thread.sleep(50);
		}
		List<String> violations = new ArrayList<>();
		for (int i = 0; i < this.seen.size(); i++) {
			if (!last.equals(this.seen.get(i).get())) {
				violations.add("watcher " + i + " stayed at " + this.seen.get(i).get() + ", etcd holds " + last);
			}
		}
		this.watchers.forEach(EtcdConfigWatcher::close);
		this.clients.forEach(Client::close);
		return violations;
	}

}
