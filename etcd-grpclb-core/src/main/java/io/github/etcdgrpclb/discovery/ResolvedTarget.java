package io.github.etcdgrpclb.discovery;

import java.time.Instant;
import java.util.List;

/**
 * What a resolver currently knows about its target, for the actuator endpoint.
 *
 * @param serviceName the service
 * @param authority the channel's authority (the service name made a valid host name)
 * @param keyPrefix the watched key prefix
 * @param instances the instances in use, in the order etcd reported them (not sorted)
 * @param lastUpdate when the address list last changed, or {@code null} before the first list
 */
public record ResolvedTarget(String serviceName, String authority, String keyPrefix, List<ServiceInstance> instances,
		Instant lastUpdate) {

}
