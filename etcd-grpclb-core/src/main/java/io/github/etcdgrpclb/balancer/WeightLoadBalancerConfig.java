package io.github.etcdgrpclb.balancer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Configuration of the {@code weight} policy, from the service config
 * {@code {"loadBalancingConfig":[{"weight":{"maxWeight":100, "health":{...}}}]}} (see
 * {@link HealthPolicyJson} for {@code health}).
 *
 * @param maxWeight weights above it count as it
 * @param health how far live signals may move the split away from etcd's weights
 */
public record WeightLoadBalancerConfig(int maxWeight, HealthPolicy health) {

	/** The default: weights up to 100, health-aware. */
	public static final WeightLoadBalancerConfig DEFAULT = new WeightLoadBalancerConfig(100, HealthPolicy.DEFAULT);

	/** @return the policy's entry of a service config's {@code loadBalancingConfig} list */
	public Map<String, ?> toServiceConfigEntry() {
		Map<String, Object> weight = new LinkedHashMap<>();
		weight.put("maxWeight", (double) this.maxWeight);
		weight.put("health", HealthPolicyJson.render(this.health));
		return Map.of(WeightLoadBalancerProvider.POLICY_NAME, weight);
	}

}
