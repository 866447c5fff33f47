package io.github.etcdgrpclb.registry;

/**
 * One instance's place in the registry's layout: {@code <prefix>/<service>/<host:port>}, the same under
 * the sibling prefixes of its metadata ({@code <prefix>-meta}) and of operators' overrides
 * ({@code <prefix>-ops}). Built and read here only, so that a writer and a reader of any of the
 * three never disagree on where the service ends and the address begins.
 *
 * @param service the service name, without '/'
 * @param address the instance's {@code host:port}, without '/'
 */
public record RegistryKey(String service, String address) {

	/**
	 * @throws IllegalArgumentException when a name is blank or holds a '/'
	 */
	public RegistryKey {
		if (service == null || service.isBlank() || service.contains("/") || address == null || address.isBlank()
				|| address.contains("/")) {
			throw new IllegalArgumentException("Name a service and one of its instances as host:port, without '/'");
		}
	}

	/**
	 * @param prefix a registry prefix or one of its siblings, without a trailing slash, e.g. {@code /grpclb-ops}
	 * @return the key under it, e.g. {@code /grpclb-ops/orders/10.0.0.5:9000}
	 */
	public String under(String prefix) {
		return prefix + "/" + this.service + "/" + this.address;
	}

	/**
	 * @param prefix the prefix the key was read under, without a trailing slash
	 * @param key a key read under it
	 * @return the service and address the key names, or null when it is not {@code <prefix>/<service>/<address>}
	 */
	public static RegistryKey parse(String prefix, String key) {
		if (!key.startsWith(prefix) || key.length() <= prefix.length() || key.charAt(prefix.length()) != '/') {
			return null;
		}
		int slash = key.indexOf('/', prefix.length() + 1);
		if (slash < 0 || key.indexOf('/', slash + 1) >= 0) {
			return null;
		}
		String service = key.substring(prefix.length() + 1, slash);
		String address = key.substring(slash + 1);
		return (service.isBlank() || address.isBlank()) ? null : new RegistryKey(service, address);
	}

}
