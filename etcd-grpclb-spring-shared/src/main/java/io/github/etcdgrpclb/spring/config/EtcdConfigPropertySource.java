package io.github.etcdgrpclb.spring.config;

import io.github.etcdgrpclb.config.ConfigFolderSnapshot;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;


import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * The properties of one etcd configuration folder, named {@code etcd:<folder>} in the Environment
 * (and in {@code /actuator/env}, where each property's origin names its etcd key). Live: a change
 * replaces the properties at once (readers see the old set or the new one, never a mix), in place,
 * so the Environment needs no new source.
 */
public final class EtcdConfigPropertySource extends EnumerablePropertySource<String> implements OriginLookup<String> {

	private final AtomicLong malformedKeys = new AtomicLong();

	private final ConfigFolderParser parser;

	private volatile State state;

	EtcdConfigPropertySource(ConfigFolderSnapshot snapshot) {
		super("etcd:" + snapshot.folder(), snapshot.folder());
		this.parser = new ConfigFolderParser(snapshot.folder(), this.malformedKeys);
		apply(snapshot);
	}

	/** @return the folder's key prefix */
	public String folder() {
		return getSource();
	}

	/** @return the keys and revision the properties come from */
	public ConfigFolderSnapshot snapshot() {
		return this.state.snapshot();
	}

	/** @return how many times a document key of the folder could not be parsed */
	public long malformedKeys() {
		return this.malformedKeys.get();
	}

	@Override
	public Object getProperty(String name) {
		ConfigFolderParser.Property property = this.state.properties().get(name);
		return (property != null) ? property.value() : null;
	}

	@Override
	public boolean containsProperty(String name) {
		return this.state.properties().containsKey(name);
	}

	@Override
	public String[] getPropertyNames() {
		return this.state.names().clone();
	}

	@Override
	public Origin getOrigin(String name) {
		ConfigFolderParser.Property property = this.state.properties().get(name);
		return (property != null) ? new EtcdKeyOrigin(property.key()) : null;
	}

	/**
	 * Replaces the properties with those of a newer snapshot of the folder.
	 * @return the names of the properties added, removed or given another value
	 */
	synchronized Set<String> update(ConfigFolderSnapshot latest) {
		Map<String, ConfigFolderParser.Property> before = this.state.properties();
		apply(latest);
		Map<String, ConfigFolderParser.Property> after = this.state.properties();
		Set<String> changed = new HashSet<>();
		after.forEach((name, property) -> {
			ConfigFolderParser.Property old = before.get(name);
			if (old == null || !Objects.equals(old.value(), property.value())) {
				changed.add(name);
			}
		});
		before.keySet().stream().filter((name) -> !after.containsKey(name)).forEach(changed::add);
		return changed;
	}

	private void apply(ConfigFolderSnapshot latest) {
		Map<String, ConfigFolderParser.Property> parsed = Map.copyOf(this.parser.parse(latest));
		this.state = new State(latest, parsed, parsed.keySet().toArray(String[]::new));
	}

	/** What readers see, replaced as one. */
	private record State(ConfigFolderSnapshot snapshot, Map<String, ConfigFolderParser.Property> properties,
			String[] names) {
	}

	/** Where a property came from: its etcd key. */
	record EtcdKeyOrigin(String key) implements Origin {

		@Override
		public String toString() {
			return "etcd key " + this.key;
		}

	}

}
