package io.github.etcdgrpclb.spring.etcd;

import io.etcd.jetcd.ClientBuilder;

/**
 * Callback that customizes the jetcd {@link ClientBuilder} of the auto-configured etcd client, after
 * the {@code etcd.*} properties have been applied. Customizers are applied in their {@code @Order}.
 */
@FunctionalInterface
public interface EtcdClientBuilderCustomizer {

	/**
	 * Customizes the builder.
	 * @param builder the builder, already configured from the properties
	 */
	void customize(ClientBuilder builder);

}
