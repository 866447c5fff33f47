package io.github.etcdgrpclb.balancer;

/**
 * Configuration of the {@code weight} policy, from the service config
 * {@code {"loadBalancingConfig":[{"weight":{"maxWeight":100}}]}}.
 *
 * @param maxWeight weights above it count as it
 */
public record WeightLoadBalancerConfig(int maxWeight) {

	/** The default: weights up to 100. */
	public static final WeightLoadBalancerConfig DEFAULT = new WeightLoadBalancerConfig(100);

}
