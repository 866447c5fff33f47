package io.github.etcdgrpclb.balancer;

import java.util.Map;

import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.NameResolver.ConfigOrError;
import io.grpc.Status;

/**
 * Provides the {@code weight} load-balancing policy. Listed in {@code META-INF/services}, so any
 * grpc-java channel can select it, e.g. through the service config the etcd resolver supplies.
 */
public final class WeightLoadBalancerProvider extends LoadBalancerProvider {

	/** The policy name. */
	public static final String POLICY_NAME = "weight";

	@Override
	public boolean isAvailable() {
		return true;
	}

	@Override
	public int getPriority() {
		return 5;
	}

	@Override
	public String getPolicyName() {
		return POLICY_NAME;
	}

	@Override
	public LoadBalancer newLoadBalancer(LoadBalancer.Helper helper) {
		return new WeightLoadBalancer(helper);
	}

	@Override
	public ConfigOrError parseLoadBalancingPolicyConfig(Map<String, ?> rawConfig) {
		Object maxWeight = (rawConfig != null) ? rawConfig.get("maxWeight") : null;
		int max = WeightLoadBalancerConfig.DEFAULT.maxWeight();
		if (maxWeight != null) {
			if (!(maxWeight instanceof Number number) || number.doubleValue() < 1
					|| number.doubleValue() != Math.rint(number.doubleValue())) {
				return ConfigOrError.fromError(Status.INVALID_ARGUMENT
					.withDescription("weight: maxWeight must be a whole number of 1 or more, was " + maxWeight));
			}
			max = (int) Math.min(Integer.MAX_VALUE, number.doubleValue());
		}
		String part = "health";
		try {
			HealthPolicy health = HealthPolicyJson.parse(object(rawConfig, part));
			part = "routing";
			RoutingPolicy routing = RoutingPolicyJson.parse(object(rawConfig, part));
			return ConfigOrError.fromConfig(new WeightLoadBalancerConfig(max, health, routing));
		}
		catch (IllegalArgumentException ex) {
			return ConfigOrError.fromError(
					Status.INVALID_ARGUMENT.withDescription("weight: " + part + ": " + ex.getMessage()));
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, ?> object(Map<String, ?> rawConfig, String name) {
		Object value = (rawConfig != null) ? rawConfig.get(name) : null;
		if (value != null && !(value instanceof Map)) {
			throw new IllegalArgumentException("must be an object, was " + value);
		}
		return (Map<String, ?>) value;
	}

}
