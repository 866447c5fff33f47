package io.github.etcdgrpclb.config;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.etcd.jetcd.Client;
import io.grpc.SynchronizationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches configuration folders in etcd and tells a listener about each change, one change at a
 * time, on one daemon thread of its own (never on jetcd's threads, so a slow listener delays no
 * etcd traffic). Usable without Spring: read the folders with {@link ConfigFolderReader}, then
 * {@link #start} this watcher with what was read.
 */
public final class EtcdConfigWatcher implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(EtcdConfigWatcher.class);

	private final Client client;

	private final ConfigWatchSettings settings;

	private final ConfigChangeListener listener;

	private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread daemon = new Thread(task, "etcd-config-watch");
		daemon.setDaemon(true);
		return daemon;
	});

	private final SynchronizationContext syncContext = new SynchronizationContext(
			(thread, error) -> logger.error("Uncaught error while watching configuration in etcd", error));

	private final List<ConfigFolderWatch> watches = new ArrayList<>();

	private final AtomicBoolean started = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	/**
	 * @param client the etcd client (not closed by this watcher)
	 * @param settings timeouts and the resync interval
	 * @param listener told about every changed folder, on the watcher's thread
	 */
	public EtcdConfigWatcher(Client client, ConfigWatchSettings settings, ConfigChangeListener listener) {
		this.client = client;
		this.settings = settings;
		this.listener = listener;
	}

	/**
	 * Starts watching; a no-op when started already.
	 * @param folders what the application started with, one per folder ({@link ConfigFolderSnapshot#unread}
	 * for folders etcd did not answer for: they are read as soon as it does)
	 */
	public void start(List<ConfigFolderSnapshot> folders) {
		if (!this.started.compareAndSet(false, true)) {
			return;
		}
		for (ConfigFolderSnapshot folder : folders) {
			ConfigFolderWatch watch = new ConfigFolderWatch(folder.folder(), this.client, this.settings,
					this.syncContext, this.thread, (snapshot) -> this.thread.execute(() -> deliver(snapshot)));
			this.watches.add(watch);
			watch.start(folder);
		}
	}

	/** @return the state of each watched folder */
	public List<ConfigFolderStatus> folders() {
		return this.watches.stream().map(ConfigFolderWatch::status).toList();
	}

	/** Stops every watch and the watcher's thread; waits up to a second for a change being delivered. */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.watches.forEach(ConfigFolderWatch::close);
		this.thread.shutdown();
		try {
			this.thread.awaitTermination(1, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void deliver(ConfigFolderSnapshot snapshot) {
		if (this.closed.get()) {
			return;
		}
		try {
			this.listener.onChange(snapshot);
		}
		catch (RuntimeException ex) {
			logger.error("Applying the configuration change of {} at revision {} failed", snapshot.folder(),
					snapshot.revision(), ex);
		}
	}

}
