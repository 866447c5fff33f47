package io.github.etcdgrpclb.etcd;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a server says of itself beside its weight (zone, version, tags, any key), and where it says
 * it: a sibling key {@code <prefix>-meta/<service>/<host:port>} on the registration's lease, a JSON
 * object of strings ({@code {"tags":"canary","version":"v2","zone":"a"}}). The registration's own key
 * keeps the Go tutorial's plain integer, so its weighted client and etcd's Go naming resolver read it
 * as before; a server without metadata writes no sibling key at all. Tags are one comma-separated
 * value.
 *
 * @param values the metadata, key -> value (sorted, no blank key)
 */
public record InstanceMetadata(Map<String, String> values) {

	/** No metadata: the Go tutorial's servers, and ours until something is set. */
	public static final InstanceMetadata NONE = new InstanceMetadata(Map.of());

	/** The key of the zone a server runs in. */
	public static final String ZONE = "zone";

	/** The key of a server's tags, comma separated. */
	public static final String TAGS = "tags";

	public InstanceMetadata {
		TreeMap<String, String> sorted = new TreeMap<>();
		values.forEach((key, value) -> {
			if (key == null || key.isBlank()) {
				throw new IllegalArgumentException("Metadata keys must not be blank");
			}
			sorted.put(key.trim(), (value != null) ? value.trim() : "");
		});
		values = Collections.unmodifiableMap(sorted);
	}

	/**
	 * @param prefix the registry prefix, e.g. {@code /grpclb}
	 * @return the prefix the metadata keys of a registry live under, {@code /grpclb-meta}
	 */
	public static String metadataPrefix(String prefix) {
		return prefix + "-meta";
	}

	/** @return whether there is anything to publish */
	public boolean isEmpty() {
		return this.values.isEmpty();
	}

	/** @return the zone, or null when the server named none (it then counts as every zone's) */
	public String zone() {
		String zone = this.values.get(ZONE);
		return (zone == null || zone.isEmpty()) ? null : zone;
	}

	/**
	 * @return the tags, in the order given, without blanks; interned, as {@code GrpclbTags} interns a
	 * call's tag, so that the routing picker finds a call's tag by identity
	 */
	public Set<String> tags() {
		String tags = this.values.get(TAGS);
		Set<String> parsed = new LinkedHashSet<>();
		if (tags != null) {
			for (String tag : tags.split(",")) {
				if (!tag.isBlank()) {
					parsed.add(tag.trim().intern());
				}
			}
		}
		return parsed;
	}

	/** @return the JSON object written to etcd, keys sorted */
	public String toJson() {
		StringBuilder json = new StringBuilder("{");
		this.values.forEach((key, value) -> {
			if (json.length() > 1) {
				json.append(',');
			}
			FlatJson.quote(json, key).append(':');
			FlatJson.quote(json, value);
		});
		return json.append('}').toString();
	}

	/**
	 * Reads a metadata value: a JSON object whose members are strings, numbers, booleans or arrays
	 * of those (an array becomes one comma-separated value).
	 * @param json the value
	 * @return the metadata
	 * @throws IllegalArgumentException when it is not such an object
	 */
	public static InstanceMetadata parse(String json) {
		return new InstanceMetadata(FlatJson.read(json));
	}

}
