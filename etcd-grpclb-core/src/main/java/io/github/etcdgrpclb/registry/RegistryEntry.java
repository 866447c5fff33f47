package io.github.etcdgrpclb.registry;

import java.util.Objects;

import io.github.etcdgrpclb.etcd.InstanceMetadata;

/**
 * What one server publishes in etcd: the key {@code <prefix>/<service>/<host:port>} and its value,
 * by default the weight as a plain decimal integer, the format of the Go tutorial that this starter
 * is wire compatible with ({@link ValueFormat} names the others).
 *
 * @param prefix the key prefix, e.g. {@code /grpclb} (leading slash, no trailing slash)
 * @param serviceName the service name, e.g. {@code simple_grpc}
 * @param host the advertised host (name, IPv4 or IPv6 literal without brackets)
 * @param port the bound port
 * @param weight the weight, 1 or more
 * @param format how the value is written
 * @param metadata what the server says of itself (zone, version, tags), published beside the key
 * ({@link InstanceMetadata}); none by default
 */
public record RegistryEntry(String prefix, String serviceName, String host, int port, int weight,
		ValueFormat format, InstanceMetadata metadata) {

	/** A registration whose value is the weight ({@link ValueFormat#WEIGHT}), without metadata. */
	public RegistryEntry(String prefix, String serviceName, String host, int port, int weight) {
		this(prefix, serviceName, host, port, weight, ValueFormat.WEIGHT);
	}

	/** A registration without metadata. */
	public RegistryEntry(String prefix, String serviceName, String host, int port, int weight, ValueFormat format) {
		this(prefix, serviceName, host, port, weight, format, InstanceMetadata.NONE);
	}

	public RegistryEntry {
		if (serviceName == null || serviceName.isBlank() || serviceName.contains("/")) {
			throw new IllegalArgumentException("Service name must be non-blank without '/', was '" + serviceName + "'");
		}
		if (host == null || host.isBlank()) {
			throw new IllegalArgumentException("Host must not be blank");
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("Port must be 1..65535, was " + port);
		}
		if (weight < 1) {
			throw new IllegalArgumentException("Weight must be at least 1, was " + weight);
		}
		if (format == null) {
			throw new IllegalArgumentException("Value format must not be null");
		}
		metadata = Objects.requireNonNullElse(metadata, InstanceMetadata.NONE);
	}

	/** @return {@code host:port}, with an IPv6 host in brackets (as Go's net.JoinHostPort writes it) */
	public String address() {
		return (this.host.indexOf(':') >= 0 ? "[" + this.host + "]" : this.host) + ":" + this.port;
	}

	/** @return the prefix of every key of this service, with the trailing slash */
	public String servicePrefix() {
		return this.prefix + "/" + this.serviceName + "/";
	}

	/** @return the etcd key of this server */
	public String key() {
		return servicePrefix() + address();
	}

	/** @return the etcd value in this registration's format */
	public String value() {
		return switch (this.format) {
			case WEIGHT -> Integer.toString(this.weight);
			case ADDRESS -> address();
			case JSON -> "{\"Op\":0,\"Addr\":\"" + address() + "\",\"weight\":" + this.weight + "}";
		};
	}

	/** @return the etcd key of this server's metadata, {@code <prefix>-meta/<service>/<host:port>} */
	public String metadataKey() {
		return new RegistryKey(this.serviceName, address()).under(InstanceMetadata.metadataPrefix(this.prefix));
	}

	/** @return the etcd key of an operator's override of this server, {@code <prefix>-ops/<service>/<host:port>} */
	public String opsKey() {
		return new RegistryKey(this.serviceName, address()).under(OperatorOverride.opsPrefix(this.prefix));
	}

	/** @return this registration with another weight */
	public RegistryEntry withWeight(int newWeight) {
		return new RegistryEntry(this.prefix, this.serviceName, this.host, this.port, newWeight, this.format,
				this.metadata);
	}

	/** @return this registration with other metadata */
	public RegistryEntry withMetadata(InstanceMetadata newMetadata) {
		return new RegistryEntry(this.prefix, this.serviceName, this.host, this.port, this.weight, this.format,
				newMetadata);
	}

}
