package io.github.etcdgrpclb.spring.etcd;

/**
 * Validates the key prefixes of the registry, the locks and the election (shared by their
 * auto-configurations).
 */
public final class KeyPrefixes {

	private KeyPrefixes() {
	}

	/**
	 * @return the prefix without trailing slashes
	 * @throws InvalidEtcdPropertyException when it does not start with '/' or is only slashes
	 */
	public static String normalize(String property, String prefix) {
		String trimmed = (prefix != null) ? prefix.trim() : "";
		String action = "Set " + property + " to a key prefix that starts with '/', e.g. /grpclb.";
		if (!trimmed.startsWith("/")) {
			throw new InvalidEtcdPropertyException(property, trimmed, "a key prefix must start with '/'", action);
		}
		String normalized = trimmed.replaceAll("/+$", "");
		if (normalized.isEmpty()) {
			throw new InvalidEtcdPropertyException(property, trimmed, "a key prefix needs a name after the '/'",
					action);
		}
		return normalized;
	}

}
