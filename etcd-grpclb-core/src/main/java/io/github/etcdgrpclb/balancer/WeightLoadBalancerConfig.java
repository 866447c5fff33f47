package io.github.etcdgrpclb.balancer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration of the {@code weight} policy, from the service config
 * {@code {"loadBalancingConfig":[{"weight":{"maxWeight":100, "health":{...}, "routing":{...}}}]}} (see
 * {@link HealthPolicyJson} for {@code health}, {@link RoutingPolicyJson} for {@code routing}).
 *
 * @param maxWeight weights above it count as it
 * @param health how far live signals may move the split away from etcd's weights
 * @param routing which servers a call may go to by their metadata (zone, tags)
 */
public record WeightLoadBalancerConfig(int maxWeight, HealthPolicy health, RoutingPolicy routing) {

	/** The default: weights up to 100, health-aware, no zone, tagged servers isolated. */
	public static final WeightLoadBalancerConfig DEFAULT = new WeightLoadBalancerConfig(100, HealthPolicy.DEFAULT,
			RoutingPolicy.DEFAULT);

	/** Weights and health rules, the default routing. */
	public WeightLoadBalancerConfig(int maxWeight, HealthPolicy health) {
		this(maxWeight, health, RoutingPolicy.DEFAULT);
	}

	/** @return the policy's entry of a service config's {@code loadBalancingConfig} list */
	public Map<String, ?> toServiceConfigEntry() {
		Map<String, Object> weight = new LinkedHashMap<>();
		weight.put("maxWeight", (double) this.maxWeight);
		weight.put("health", HealthPolicyJson.render(this.health));
		weight.put("routing", RoutingPolicyJson.render(this.routing));
		return Map.of(WeightLoadBalancerProvider.POLICY_NAME, weight);
	}

}
