package io.github.etcdgrpclb.discovery;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import io.github.etcdgrpclb.etcd.InstanceMetadata;

/**
 * A fixed subset a channel selects in its target, {@code etcd:///orders?version=v2&zone=a}: only the
 * instances whose metadata holds every pair reach the channel (a {@code tags} pair is met when the
 * instance carries that tag). Without a query every instance does.
 *
 * @param required metadata key -> value the instances must have
 */
record InstanceSelector(Map<String, String> required) {

	static final InstanceSelector ALL = new InstanceSelector(Map.of());

	/**
	 * @param query a target's raw query, or null
	 * @return the selector it describes
	 * @throws IllegalArgumentException when a part is not {@code key=value}
	 */
	static InstanceSelector parse(String query) {
		if (query == null || query.isEmpty()) {
			return ALL;
		}
		Map<String, String> required = new TreeMap<>();
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			if (equals <= 0 || equals == pair.length() - 1) {
				throw new IllegalArgumentException("A target's query selects instances by metadata, "
						+ "etcd:///<service>?<key>=<value>[&...], e.g. ?version=v2; '" + pair + "' is not key=value");
			}
			required.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
		}
		return new InstanceSelector(Map.copyOf(required));
	}

	boolean selectsAll() {
		return this.required.isEmpty();
	}

	boolean matches(InstanceMetadata metadata) {
		for (Map.Entry<String, String> pair : this.required.entrySet()) {
			boolean met = InstanceMetadata.TAGS.equals(pair.getKey()) ? metadata.tags().contains(pair.getValue())
					: pair.getValue().equals(metadata.values().get(pair.getKey()));
			if (!met) {
				return false;
			}
		}
		return true;
	}

	private static String decode(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}

}
