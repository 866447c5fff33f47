package io.github.etcdgrpclb.spring.registry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.github.etcdgrpclb.registry.HostAddressResolver;
import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.github.etcdgrpclb.registry.RegistryEntry;
import io.github.etcdgrpclb.registry.ValueFormat;
import io.github.etcdgrpclb.spring.etcd.DurationChecks;
import io.github.etcdgrpclb.spring.etcd.InvalidEtcdPropertyException;
import io.github.etcdgrpclb.spring.etcd.KeyPrefixes;

import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Validates the registration settings when the application starts (so a mistake stops it at once,
 * naming the property) and makes the {@link RegistryEntry} once the server's port is known.
 */
final class RegistryEntryFactory {

	private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

	private final String prefix;

	private final String serviceName;

	private final String host;

	private final int weight;

	private final int maxWeight;

	private final Duration ttl;

	private final Duration drainDelay;

	private final ValueFormat valueFormat;

	private final InstanceMetadata metadata;

	RegistryEntryFactory(EtcdRegistryProperties properties, GrpcWeightProperties weight, Environment environment) {
		this.prefix = KeyPrefixes.normalize("etcd.registry.prefix", properties.getPrefix());
		this.serviceName = serviceName(properties, environment);
		this.maxWeight = properties.getMaxWeight();
		this.valueFormat = (properties.getValueFormat() != null) ? properties.getValueFormat() : ValueFormat.WEIGHT;
		this.weight = weight(this.maxWeight, weight.getWeight());
		this.ttl = DurationChecks.leaseTtl("etcd.registry.ttl", properties.getTtl(),
				"Set etcd.registry.ttl to 2s or more (default 10s); etcd counts lease TTLs in whole seconds.");
		this.drainDelay = DurationChecks.notNegative("etcd.registry.drain-delay", properties.getDrainDelay(),
				"Set etcd.registry.drain-delay to 0 or more (default 1s).");
		this.host = StringUtils.hasText(properties.getAddress()) ? validAddress(properties.getAddress().trim())
				: resolver(properties).resolve();
		this.metadata = metadata(properties.getMetadata());
	}

	private static InstanceMetadata metadata(Map<String, String> values) {
		try {
			return new InstanceMetadata((values != null) ? values : Map.of());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEtcdPropertyException("etcd.registry.metadata", values, ex.getMessage(),
					"Give each entry a name, e.g. etcd.registry.metadata.zone=eu-1a.", ex);
		}
	}

	/**
	 * @throws InvalidEtcdPropertyException when there is no service name: required only now, so that a
	 * client-only application needs none
	 */
	RegistryEntry create(int port) {
		if (this.serviceName == null) {
			throw new InvalidEtcdPropertyException("etcd.registry.service-name", "",
					"the server needs a service name to register under",
					"Set etcd.registry.service-name (or spring.application.name), e.g. etcd.registry.service-name=orders.");
		}
		return new RegistryEntry(this.prefix, this.serviceName, this.host, port, this.weight, this.valueFormat,
				this.metadata);
	}

	/**
	 * @param prefix another registry prefix (HTTP registrations)
	 * @param port the port registered there
	 * @param moreMetadata entries added to the configured metadata
	 * @return the entry of the same service, host and weight under that prefix
	 */
	RegistryEntry create(String prefix, int port, Map<String, String> moreMetadata) {
		RegistryEntry entry = create(port);
		Map<String, String> metadata = new java.util.LinkedHashMap<>(this.metadata.values());
		metadata.putAll(moreMetadata);
		return new RegistryEntry(prefix, entry.serviceName(), entry.host(), port, entry.weight(), entry.format(),
				new InstanceMetadata(metadata));
	}

	/** @return the configured service name, or null (a client-only application needs none) */
	String serviceName() {
		return this.serviceName;
	}

	/** @return the metadata the servers register with */
	InstanceMetadata metadata() {
		return this.metadata;
	}

	int maxWeight() {
		return this.maxWeight;
	}

	Duration ttl() {
		return this.ttl;
	}

	Duration drainDelay() {
		return this.drainDelay;
	}

	private static String serviceName(EtcdRegistryProperties properties, Environment environment) {
		String property = StringUtils.hasText(properties.getServiceName()) ? "etcd.registry.service-name"
				: "spring.application.name";
		String name = StringUtils.hasText(properties.getServiceName()) ? properties.getServiceName()
				: environment.getProperty("spring.application.name");
		if (!StringUtils.hasText(name)) {
			return null; // a client-only application needs none; create() says so should a server start
		}
		String trimmed = name.trim();
		if (trimmed.contains("/") || !trimmed.matches("\\S+")) {
			throw new InvalidEtcdPropertyException(property, name,
					"a service name must not contain '/' or white space (it is one segment of the etcd key)",
					"Choose a service name such as 'orders' or 'simple_grpc'.");
		}
		return trimmed;
	}


	static int weight(int maxWeight, int weight) {
		EtcdRegistryProperties.validMaxWeight(maxWeight);
		if (weight < 1 || weight > maxWeight) {
			throw new InvalidEtcdPropertyException("grpc.weight", weight, "must be from 1 to " + maxWeight,
					"Set grpc.weight to an integer from 1 to " + maxWeight
							+ " (or raise etcd.registry.max-weight).");
		}
		return weight;
	}

	private static String validAddress(String address) {
		String action = "Set etcd.registry.address to a host name or IP address without scheme or port, "
				+ "e.g. 10.0.0.12 or orders-1.internal.";
		if (address.indexOf(':') >= 0) {
			String literal = address.startsWith("[") && address.endsWith("]")
					? address.substring(1, address.length() - 1) : address;
			if (literal.indexOf(':') >= 0 && literal.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+")) {
				try {
					// Only an IPv6 literal gets here: getByName parses it without a DNS lookup.
					return InetAddress.getByName(literal).getHostAddress();
				}
				catch (UnknownHostException ex) {
					// Not an IPv6 literal: reported below.
				}
			}
			throw new InvalidEtcdPropertyException("etcd.registry.address", address,
					"neither a host name nor an IP address (a port or scheme does not belong here)", action);
		}
		if (!HOST_NAME.matcher(address).matches()) {
			throw new InvalidEtcdPropertyException("etcd.registry.address", address,
					"neither a host name nor an IP address", action);
		}
		return address;
	}

	private static HostAddressResolver resolver(EtcdRegistryProperties properties) {
		try {
			return new HostAddressResolver(properties.getIgnoredInterfaces(), properties.getPreferredNetworks());
		}
		catch (PatternSyntaxException ex) {
			throw new InvalidEtcdPropertyException("etcd.registry.ignored-interfaces", ex.getPattern(),
					"not a regular expression: " + ex.getDescription(),
					"Use regular expressions of interface names, e.g. docker0 or veth.*", ex);
		}
	}

}
