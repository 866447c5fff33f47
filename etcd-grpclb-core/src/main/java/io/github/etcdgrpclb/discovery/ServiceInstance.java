package io.github.etcdgrpclb.discovery;

import java.net.InetSocketAddress;

/**
 * One server of a service as read from etcd.
 *
 * @param key the etcd key it was read from
 * @param address {@code host:port} as written in the key
 * @param socketAddress the address to connect to
 * @param weight the weight, already clamped to 1..max
 */
public record ServiceInstance(String key, String address, InetSocketAddress socketAddress, int weight) {

}
