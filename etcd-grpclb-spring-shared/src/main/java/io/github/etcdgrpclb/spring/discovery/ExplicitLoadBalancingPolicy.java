package io.github.etcdgrpclb.spring.discovery;

import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;

/**
 * Tells whether the user set a channel's load-balancing policy. The etcd resolver's service config
 * selects {@code weight} and, in grpc-java, wins over a channel's default policy; a policy the user
 * set on purpose must win instead, so such channels ignore the resolver's service config. Each
 * Spring line names the properties its gRPC starter reads the policy from.
 */
final class ExplicitLoadBalancingPolicy {

	private final Environment environment;

	private final Binder binder;

	ExplicitLoadBalancingPolicy(Environment environment) {
		this.environment = environment;
		this.binder = Binder.get(environment);
	}

	/**
	 * @param properties the property names that would hold the policy, e.g.
	 * {@code grpc.client.orders.default-load-balancing-policy}
	 * @return whether any of them is set, in any of Spring's relaxed forms
	 */
	boolean isSet(List<String> properties) {
		return properties.stream().anyMatch(this::isSet);
	}

	private boolean isSet(String property) {
		if (this.environment.containsProperty(property)) {
			return true;
		}
		// The canonical form also finds relaxed sources such as GRPC_CLIENT_GLOBAL_DEFAULTLOADBALANCINGPOLICY.
		String canonical = property.toLowerCase(Locale.ROOT);
		return ConfigurationPropertyName.isValid(canonical) && this.binder.bind(canonical, String.class).isBound();
	}

}
