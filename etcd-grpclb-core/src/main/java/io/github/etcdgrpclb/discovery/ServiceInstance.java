package io.github.etcdgrpclb.discovery;

import java.net.InetSocketAddress;

import io.github.etcdgrpclb.etcd.InstanceMetadata;

/**
 * One server of a service as read from etcd.
 *
 * @param key the etcd key it was read from
 * @param address {@code host:port} as written in the key
 * @param socketAddress the address to connect to
 * @param weight the weight, already clamped to 1..max
 * @param metadata what the server says of itself (zone, version, tags), from its metadata key
 */
public record ServiceInstance(String key, String address, InetSocketAddress socketAddress, int weight,
		InstanceMetadata metadata) {

	/** An instance without metadata (the Go tutorial's servers). */
	public ServiceInstance(String key, String address, InetSocketAddress socketAddress, int weight) {
		this(key, address, socketAddress, weight, InstanceMetadata.NONE);
	}

	/** @return this instance with the metadata its server published */
	ServiceInstance withMetadata(InstanceMetadata newMetadata) {
		return new ServiceInstance(this.key, this.address, this.socketAddress, this.weight, newMetadata);
	}

}
