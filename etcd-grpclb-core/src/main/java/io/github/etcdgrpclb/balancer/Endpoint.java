package io.github.etcdgrpclb.balancer;

import static io.grpc.ConnectivityState.IDLE;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import io.github.etcdgrpclb.etcd.InstanceMetadata;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer.Subchannel;

/**
 * One address of a {@code weight} balancer: its subchannel and last state, its weight in etcd, its
 * meters, and its health. Confined to the channel's SynchronizationContext.
 */
final class Endpoint {

	final Subchannel subchannel;

	final String address;

	final AddressMeters meters;

	int weight;

	InstanceMetadata metadata = InstanceMetadata.NONE;

	ConnectivityStateInfo state = ConnectivityStateInfo.forNonError(IDLE);

	EndpointHealth health;

	Endpoint(Subchannel subchannel, String address, int weight, AddressMeters meters, EndpointHealth health) {
		this.subchannel = subchannel;
		this.address = address;
		this.weight = weight;
		this.meters = meters;
		this.health = health;
	}

	/** @return {@code host:port} of the group's first address, IPv6 in brackets */
	static String describe(EquivalentAddressGroup group) {
		SocketAddress address = group.getAddresses().get(0);
		if (address instanceof InetSocketAddress inet) {
			String host = inet.getHostString();
			return (host.contains(":") ? "[" + host + "]" : host) + ":" + inet.getPort();
		}
		return address.toString();
	}

}
