package io.github.etcdgrpclb.spring.config;

import io.github.etcdgrpclb.config.ConfigFolderSnapshot;
import io.github.etcdgrpclb.config.ConfigFolderStatus;
import io.github.etcdgrpclb.config.ConfigWatchSettings;
import io.github.etcdgrpclb.config.EtcdConfigWatcher;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.etcd.jetcd.Client;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.origin.Origin;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Brings changes of the imported etcd folders into the running application: watches each folder
 * (with the application's etcd client) from the revision it was imported at, updates its property
 * source in the Environment, rebinds the {@code @ConfigurationProperties} beans the change touches,
 * logs the changed property names once at INFO (never values: they may be secrets) and publishes an
 * {@link EtcdConfigChangedEvent}. Changes are applied one at a time, in order.
 */
public class EtcdConfigRefresher implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(EtcdConfigRefresher.class);

	private final ApplicationContext context;

	private final Map<String, EtcdConfigPropertySource> sources;

	private final ConfigurationPropertiesRebinding rebinding;

	private final Client client;

	private final ConfigWatchSettings settings;

	private volatile EtcdConfigWatcher watcher;

	private final AtomicLong applied = new AtomicLong();

	private final AtomicLong rejected = new AtomicLong();

	private final RejectedConfiguration rejections = new RejectedConfiguration();

	private volatile boolean running;

	/**
	 * @param context the application, to rebind its beans and publish events
	 * @param client the application's etcd client
	 * @param settings timeouts and the resync interval
	 * @param sources the imported folders' property sources, as found in the Environment
	 */
	public EtcdConfigRefresher(ApplicationContext context, Client client, ConfigWatchSettings settings,
			List<EtcdConfigPropertySource> sources) {
		this.context = context;
		this.sources = sources.stream()
			.collect(Collectors.toMap(EtcdConfigPropertySource::folder, Function.identity(), (a, b) -> a));
		this.rebinding = new ConfigurationPropertiesRebinding(context);
		this.client = client;
		this.settings = settings;
	}

	/** Watches from what the Environment holds now: after a stop, from the revision reached before it. */
	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		EtcdConfigWatcher started = new EtcdConfigWatcher(this.client, this.settings, this::apply);
		started.start(this.sources.values().stream().map(EtcdConfigPropertySource::snapshot).toList());
		this.watcher = started;
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		if (this.watcher != null) {
			this.watcher.close();
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** @return the state of each watched folder */
	public List<ConfigFolderStatus> folders() {
		EtcdConfigWatcher current = this.watcher;
		return (current != null) ? current.folders() : List.of();
	}

	/** @return changes applied to the application since startup */
	public long appliedChanges() {
		return this.applied.get();
	}

	/** @return changes after which at least one bean kept its old values (they did not bind or validate) */
	public long rejectedChanges() {
		return this.rejected.get();
	}

	/**
	 * @return the beans that refused etcd's latest values for them and run on their old ones (an
	 * instance started now would fail to start), by folder
	 */
	public List<RejectedValues> rejectedValues() {
		return this.rejections.current();
	}

	/** @return document keys skipped because they could not be parsed */
	public long malformedKeys() {
		return this.sources.values().stream().mapToLong(EtcdConfigPropertySource::malformedKeys).sum();
	}

	/** Each property's etcd key, as /actuator/env names its origin ("" for a deleted property). */
	private static Map<String, String> origins(EtcdConfigPropertySource source, Set<String> properties) {
		Map<String, String> origins = new TreeMap<>();
		for (String property : properties) {
			Origin origin = source.getOrigin(property);
			origins.put(property, (origin instanceof EtcdConfigPropertySource.EtcdKeyOrigin key) ? key.key() : "");
		}
		return origins;
	}

	private void apply(ConfigFolderSnapshot snapshot) {
		EtcdConfigPropertySource source = this.sources.get(snapshot.folder());
		Set<String> changed = new TreeSet<>(source.update(snapshot));
		if (changed.isEmpty()) {
			return;
		}
		ConfigurationPropertiesRebinding.Outcome outcome = this.rebinding.rebind(changed);
		outcome.accepted().forEach(this.rejections::accepted);
		outcome.refused()
			.forEach((bean, refusal) -> this.rejections.rejected(new RejectedValues(snapshot.folder(), bean,
					origins(source, refusal.properties()), refusal.reason(), Instant.now())));
		Set<String> rejectedBeans = outcome.refused().keySet();
		logger.info("Configuration " + snapshot.folder() + " changed in etcd (revision " + snapshot.revision() + "): "
				+ String.join(", ", changed)
				+ (rejectedBeans.isEmpty() ? "" : "; kept the old values of " + String.join(", ", rejectedBeans)));
		(rejectedBeans.isEmpty() ? this.applied : this.rejected).incrementAndGet();
		this.context.publishEvent(
				new EtcdConfigChangedEvent(this, snapshot.folder(), snapshot.revision(), changed, rejectedBeans));
	}

}
